import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { run, type CliIo } from '../src/index.ts'

const fixtures = new URL('../../../fixtures/xml/', import.meta.url).pathname

function memoryIo(files: Record<string, string | Uint8Array> = {}, stdin = ''): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => { io.out += text },
    stderr: (text: string) => { io.err += text },
    readFile: async (path: string) => {
      const content = files[path]
      if (content !== undefined) return typeof content === 'string' ? new TextEncoder().encode(content) : content
      return new Uint8Array(readFileSync(path))
    },
    readStdin: async () => new TextEncoder().encode(stdin),
  }
  return io
}

describe('virtuned fmt', () => {
  it('prints libvirt style by default, or preserves the layout', async () => {
    const io = memoryIo({ 'a.xml': "<domain type=\"kvm\">\n\t<name>x</name><devices><disk/></devices></domain>" })
    expect(await run(['fmt', 'a.xml'], io)).toBe(0)
    expect(io.out).toBe("<domain type='kvm'>\n  <name>x</name>\n  <devices>\n    <disk/>\n  </devices>\n</domain>\n")
    const preserve = memoryIo({ 'a.xml': "<domain type=\"kvm\">\n\t<name>x</name></domain>" })
    expect(await run(['fmt', '--style', 'preserve', 'a.xml'], preserve)).toBe(0)
    expect(preserve.out).toBe("<domain type='kvm'>\n\t<name>x</name></domain>")
  })

  it('reads standard input and device XML', async () => {
    const io = memoryIo({}, '<disk type="file"><target dev="vdb"/></disk>')
    expect(await run(['fmt', '-'], io)).toBe(0)
    expect(io.out).toBe("<disk type='file'>\n  <target dev='vdb'/>\n</disk>\n")
  })

  it('reports bad XML as file:line:column: reason [code] with exit 2, no stack', async () => {
    const io = memoryIo()
    const file = join(fixtures, 'err-mismatched-tag/input.xml')
    expect(await run(['fmt', file], io)).toBe(2)
    expect(io.out).toBe('')
    expect(io.err.split('\n')[0]).toBe(`${file}:2:10: Unexpected \`</nam>\`, expected \`</name>\` [xml-mismatched-tag]`)
    expect(io.err).not.toMatch(/\n\s+at /)
  })

  it('names the root it refuses', async () => {
    const io = memoryIo({ 'n.xml': '<network><name>x</name></network>' })
    expect(await run(['fmt', 'n.xml'], io)).toBe(2)
    expect(io.err).toContain('n.xml:1:1: Unexpected root `<network>`')
    expect(io.err).toContain('[model-unexpected-root]')
  })

  it('says when a file cannot be read', async () => {
    const io = memoryIo()
    expect(await run(['fmt', '/nonexistent/x.xml'], io)).toBe(2)
    expect(io.err).toMatch(/^\/nonexistent\/x\.xml: Cannot read \/nonexistent\/x\.xml: no such file \[cli-unreadable-input\]/)
  })

  it('prints a stack with --debug', async () => {
    const io = memoryIo({ 'a.xml': '<domain>' })
    expect(await run(['fmt', 'a.xml', '--debug'], io)).toBe(2)
    expect(io.err).toMatch(/\n\s+at /)
  })
})

describe('virtuned roundtrip', () => {
  it('passes lossless files and closes with a count line', async () => {
    const io = memoryIo()
    const files = ['ok-declaration-comments', 'ok-metadata-namespaces', 'ok-non-ascii'].map((c) => join(fixtures, c, 'input.xml'))
    expect(await run(['roundtrip', ...files], io)).toBe(0)
    expect(io.out).toBe('3 passed, 0 failed\n')
  })

  it('counts unreadable input as failed, exit 2', async () => {
    const io = memoryIo()
    expect(await run(['roundtrip', join(fixtures, 'ok-non-ascii/input.xml'), join(fixtures, 'err-doctype/input.xml')], io)).toBe(2)
    expect(io.out).toBe('1 passed, 1 failed\n')
    expect(io.err).toContain('[xml-doctype-refused]')
  })

  const corpus = locateCorpus()
  it.skipIf(!corpus.dir)(`round-trips the hot-plug corpus${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, async () => {
    const files = corpusFiles(corpus.dir!, ['hotplug']).map((f) => join(corpus.dir!, f))
    const io = memoryIo()
    expect(await run(['roundtrip', ...files], io)).toBe(0)
    expect(io.out).toBe(`${files.length} passed, 0 failed\n`)
  })
})

describe('usage', () => {
  it('has --help for virtuned and every command', async () => {
    for (const args of [['--help'], ['fmt', '--help'], ['roundtrip', '--help'], ['demo', '--help'], ['help', 'fmt'], ['match', '--help'], ['plan-attach', '--help'], ['plan-detach', '--help']]) {
      const io = memoryIo()
      expect(await run(args, io)).toBe(0)
      expect(io.out).toMatch(/^(virtuned —|Usage: virtuned)/)
    }
  })

  it('refuses unknown commands and options with exit 2 and a hint', async () => {
    for (const args of [['bogus'], ['fmt', '--bogus', 'x'], ['fmt', '--style', 'ugly', 'x'], ['fmt'], ['roundtrip']]) {
      const io = memoryIo()
      expect(await run(args, io)).toBe(2)
      expect(io.err).toMatch(/^virtuned: .+\n  hint: /)
    }
  })

  it('demo formats and summarises the embedded domain', async () => {
    const io = memoryIo()
    expect(await run(['demo'], io)).toBe(0)
    expect(io.out).toContain("<domain type='kvm'>")
    expect(io.out).toContain('# web-01: 2 GiB memory, 2 vCPUs, 6 devices:')
    expect(io.out).toContain('disk       disk vda on virtio, /var/lib/libvirt/images/web-01.qcow2, serial web-01-root')
    expect(io.out).toContain('interface  network default, mac 52:54:00:6b:3c:58, model virtio, alias ua-net-public')
    expect(io.out).toContain('(wasm engine)')
    expect(io.out).toContain('round trip lossless')
  })
})

describe('the built binary', () => {
  const bin = new URL('../bin/virtuned.js', import.meta.url).pathname
  it.skipIf(!existsSync(new URL('../dist/index.js', import.meta.url)) && process.env.CI !== 'true')('exits 2 with one clear line on bad input', () => {
    const result = spawnSync(process.execPath, [bin, 'fmt', '-'], { input: '<domain><name>x</domain>', encoding: 'utf8' })
    expect(result.status).toBe(2)
    expect(result.stderr.split('\n')[0]).toBe('<stdin>:1:16: Unexpected `</domain>`, expected `</name>` [xml-mismatched-tag]')
  })
})

describe('virtuned match, plan-attach, plan-detach', () => {
  const live = "<domain type='qemu'><os><type machine='q35'>hvm</type></os><devices><controller type='pci' index='1' model='pcie-root-port'/><disk type='file'><source file='/i/a'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk></devices></domain>"
  const full = "<domain type='qemu'><os><type machine='q35'>hvm</type></os><devices><controller type='pci' index='1' model='pcie-root-port'/><disk type='file'><source file='/i/a'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/><address type='pci' bus='0x01'/></disk></devices></domain>"
  const files = { 'live.xml': live, 'full.xml': full, 'disk.xml': "<disk type='file'><source file='/i/b'/></disk>" }

  it('plans an attach and prints the device XML', async () => {
    const io = memoryIo(files)
    expect(await run(['plan-attach', 'live.xml', 'disk.xml', '--seed', 'b'], io)).toBe(0)
    expect(io.out).toContain("<target dev='vdb' bus='virtio'/>")
    expect(io.out).toMatch(/<alias name='ua-disk-[0-9a-z]{7}'\/>/)
    expect(io.out).toContain('the guest sees /dev/disk/by-id/virtio-vt-')
  })

  it('takes a disk or NIC from the command line', async () => {
    const io = memoryIo(files)
    expect(await run(['plan-attach', 'live.xml', '--disk', '/vm/b.qcow2', '--alias', 'data'], io)).toBe(0)
    expect(io.out).toContain("<source file='/vm/b.qcow2'/>")
    expect(io.out).toContain("<alias name='ua-data'/>")
    const nic = memoryIo(files)
    expect(await run(['plan-attach', 'live.xml', '--nic', 'default', '--json'], nic)).toBe(0)
    expect(JSON.parse(nic.out)).toMatchObject({ ok: true, kind: 'interface', mac: expect.stringMatching(/^52:54:00:/) })
    expect(await run(['plan-attach', 'live.xml', '--disk', 'a', '--nic', 'b'], memoryIo(files))).toBe(2)
  })

  it('says why an attach cannot work, and which policy prevents it', async () => {
    const io = memoryIo(files)
    expect(await run(['plan-attach', 'full.xml', 'disk.xml'], io)).toBe(1)
    expect(io.err).toContain('[NO_FREE_HOTPLUG_SLOT]')
    expect(io.err).toContain('the `hotplug-ready` policy prevents this')
  })

  it('plans a detach by target and matches two versions', async () => {
    const io = memoryIo(files)
    expect(await run(['plan-detach', 'live.xml', '--disk', 'vda'], io)).toBe(0)
    expect(io.out).toBe('virtio-disk0\n')
    const m = memoryIo(files)
    expect(await run(['match', 'live.xml', 'full.xml'], m)).toBe(0)
    expect(m.out).toContain("same     disk[target/@dev='vda'] (by key)")
    const j = memoryIo(files)
    expect(await run(['match', 'live.xml', 'full.xml', '--json'], j)).toBe(0)
    expect(JSON.parse(j.out).pairs).toHaveLength(2)
    expect(await run(['plan-detach', 'live.xml'], memoryIo(files))).toBe(2)
  })
})
