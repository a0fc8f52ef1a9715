// Issue 17: strings given on the command line reach the XML the CLI prints only as escaped values
// (checked by parsing the output), or are refused with exit 2 — never as markup. In process.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseXml, rootElement, type Element } from '@virtuned/xml-core'
import { libosinfoNamespace } from '@virtuned/model'
import { run, type CliIo } from '../src/index.ts'
import { nodeIo } from '../src/io.ts'

const real = await nodeIo()

function memoryIo(files: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const io = {
    out: '', err: '',
    writeFileAtomic: async () => { throw new Error('no writes expected') },
    relaxng: real.relaxng,
    stdout: (text: string) => { io.out += text },
    stderr: (text: string) => { io.err += text },
    readFile: async (path: string) => files[path] !== undefined ? new TextEncoder().encode(files[path]) : new Uint8Array(readFileSync(path)),
    readStdin: async () => new Uint8Array(),
  }
  return io
}

async function cli(args: string[], files: Record<string, string> = {}) {
  const io = memoryIo(files)
  const code = await run(args, io)
  return { code, out: io.out, err: io.err }
}

function all(e: Element, name: string): Element[] {
  const out = e.name === name ? [e] : []
  for (const c of e.children) if (c.type === 'element') out.push(...all(c, name))
  return out
}
const text = (e: Element) => e.children.map((c) => (c.type === 'text' ? c.value : '')).join('')
const hostile = [`x' injected='1`, `x" injected="1`, `a</name><devices><hostdev/></devices><name>b`, `&amp;<&>`]

const labelled = `name: labelled
version: 1
description: A test policy with a free-form string parameter, used in text and in an attribute.
parameters:
  label: { type: string, default: plain, description: any text }
prefer: "<description>\${label}</description><devices><shmem name='\${label}'><model type='ivshmem-plain'/><size unit='M'>4</size></shmem></devices>"
`

describe('virtuned new: every string is a value', () => {
  it('regression: --os "http://x\' injected=\'1/fedora/38" is one attribute value, not two', async () => {
    const os = "http://x' injected='1/fedora/38"
    const r = await cli(['new', '--name', 'a', '--os', os, '--memory', '1GiB', '--vcpus', '1'])
    expect(r.code, r.err).toBe(0)
    const root = rootElement(parseXml(r.out))!
    expect(all(root, 'libosinfo:os').map((e) => e.attributes)).toEqual([{ id: os }])
    expect(all(root, 'libosinfo:libosinfo')[0]!.attributes).toEqual({ 'xmlns:libosinfo': libosinfoNamespace })
  })

  it('names, disk paths, networks and policy parameters: values, or exit 2', async () => {
    let written = 0
    for (const value of hostile) {
      const r = await cli(['new', '--name', value, '--os', 'debian11', '--memory', '1GiB', '--vcpus', '1', '--disk', `path=/i/${value.replaceAll(',', '')}.qcow2,size=1G`,
        '--policy-file', 'labelled.yaml', '--policy', `labelled:label=${value}`], { 'labelled.yaml': labelled })
      if (r.code !== 0) { expect(r.code, `${value}: ${r.err}`).toBe(2); continue }
      written++
      const root = rootElement(parseXml(r.out))!
      expect(text(all(root, 'name')[0]!), value).toBe(value)
      expect(all(root, 'source').find((s) => s.attributes.file !== undefined)?.attributes.file, value).toBe(`/i/${value.replaceAll(',', '')}.qcow2`)
      expect(text(all(root, 'description')[0]!), value).toBe(value)
      expect(all(root, 'shmem')[0]!.attributes.name, value).toBe(value)
      expect(all(root, 'hostdev'), value).toEqual([])
    }
    expect(written).toBeGreaterThan(1)
  })

  it('hostile OS ids, profiles and policy names are refused with exit 2', async () => {
    for (const value of hostile) {
      for (const extra of [['--os', value], ['--os', 'debian11', '--profile', value], ['--os', 'debian11', '--policy', value]]) {
        const r = await cli(['new', '--name', 'a', '--memory', '1GiB', '--vcpus', '1', ...extra])
        expect([extra, r.code]).toEqual([extra, 2])
        expect(r.out).toBe('')
      }
    }
  })
})

describe('virtuned plan-attach: every string is a value', () => {
  const live = "<domain type='kvm'><name>l</name><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-root-port'/></devices></domain>"

  it('a device path is a value; hostile aliases and serials are refused', async () => {
    for (const value of hostile) {
      const device = `<disk type='file' device='disk'><source file="${value.replace(/[<&"]/g, (c) => `&#${c.charCodeAt(0)};`)}"/></disk>`
      const r = await cli(['plan-attach', 'live.xml', 'dev.xml'], { 'live.xml': live, 'dev.xml': device })
      expect(r.code, r.err).toBe(0)
      const root = rootElement(parseXml(r.out))!
      expect(all(root, 'source')[0]!.attributes, value).toEqual({ file: value })
      const aliased = await cli(['plan-attach', 'live.xml', 'dev.xml', '--alias', value], { 'live.xml': live, 'dev.xml': device })
      expect(aliased.code, value).not.toBe(0)
      expect(aliased.out).not.toContain('<disk')
      const serial = `<disk type='file' device='disk'><source file='/i/d'/><serial>${value.replace(/[<&]/g, (c) => `&#${c.charCodeAt(0)};`)}</serial></disk>`
      const withSerial = await cli(['plan-attach', 'live.xml', 'dev.xml'], { 'live.xml': live, 'dev.xml': serial })
      expect(withSerial.code, value).not.toBe(0)
      expect(withSerial.out).not.toContain('<disk')
    }
  })

  it('the OS defaults of a domain written back by ElementTree (ns0: declared on the root) apply', async () => {
    const made = await cli(['new', '--name', 'g', '--os', 'debian11', '--memory', '1GiB', '--vcpus', '1', '--disk', 'path=/i/root.qcow2,size=1G'])
    expect(made.code, made.err).toBe(0)
    const et = made.out
      .replace(/ xmlns:libosinfo=(['"])[^'"]+\1/, '').replace(/ xmlns:virtuned=(['"])[^'"]+\1/, '')
      .replaceAll('libosinfo:', 'ns0:').replaceAll('virtuned:', 'ns1:')
      .replace(/<domain /, `<domain xmlns:ns0="${libosinfoNamespace}" xmlns:ns1="https://virtuned.dev/xmlns/defaults/1" `)
    expect(et).toContain('<ns0:os id=')
    const disk = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/data.qcow2'/></disk>"
    const original = await cli(['plan-attach', 'live.xml', 'dev.xml', '--seed', 's'], { 'live.xml': made.out, 'dev.xml': disk })
    const fromEt = await cli(['plan-attach', 'live.xml', 'dev.xml', '--seed', 's'], { 'live.xml': et, 'dev.xml': disk })
    expect(original.code, original.err).toBe(0)
    expect(original.out).toContain("discard='unmap'")
    expect(fromEt).toEqual(original)
  })
})
