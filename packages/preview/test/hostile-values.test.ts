// Hostile numbers in real domains: every number written in a sample of libvirt's own test domains
// (../shared/corpus), replaced one at a time by a value at or beyond what libvirt reads, must give a
// prediction or a typed error — never a TypeError or RangeError, never a run that exhausts memory or
// time (a run away makes this test time out or its worker die). Before, `index='4294967295'` on a PCI
// controller, `cpus='0-2147483647'` and `<iothreads>4294967295</iothreads>` did. Fails under CI=true
// without the corpus (tools/corpus.ts), skips with a reason elsewhere.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { VirtunedError } from '@virtuned/xml-core'
import { previewDomain } from '../src/index.ts'
import { capsXml, domainXml } from './_caps.ts'
import { locateCorpus } from '../../../tools/corpus.ts'

const { dir, reason } = locateCorpus()
const hostile = ['4294967295', '2147483648', 'x', '-1', '0-2147483647']
// a number written as an attribute value or as an element's whole text
const numberSpot = /(=')([0-9][0-9,^x-]*)(')|(=")([0-9][0-9,^x-]*)(")|(>)([0-9][0-9,^x-]*)(<)/g

describe.skipIf(!dir)(`hostile numbers in libvirt's test domains${dir ? '' : ` (skipped: ${reason})`}`, () => {
  it('give a prediction or a typed error, for every number of every fourth x86_64 domain', () => {
    const qemuCaps = capsXml()
    const files = readdirSync(join(dir!, 'domains')).filter((f) => f.endsWith('.xml')).sort()
    const untyped: string[] = []
    let calls = 0
    files.forEach((file, i) => {
      if (i % 4 !== 0) return
      const xml = readFileSync(join(dir!, 'domains', file), 'utf8')
      if (/arch=['"](?!x86_64)/.test(xml)) return
      for (const m of xml.matchAll(numberSpot)) {
        const at = m.index + (m[1] ?? m[4] ?? m[7])!.length
        const length = (m[2] ?? m[5] ?? m[8])!.length
        for (const value of hostile) {
          calls++
          try {
            previewDomain(xml.slice(0, at) + value + xml.slice(at + length), { qemuCaps, abiUpdate: true })
          } catch (error) {
            if (!(error instanceof VirtunedError)) untyped.push(`${file} at ${at} ← ${value}: ${String(error).slice(0, 120)}`)
          }
        }
      }
    })
    expect(calls).toBeGreaterThan(500)
    expect(untyped).toEqual([])
  }, 240_000)
})

// Names of Object.prototype members as attribute values: a table lookup by a value the user wrote must
// find only the table's own entries (a panic model `toString` once gave a TypeError, a bus model
// `constructor` junk output). Every attribute value of a domain with one device of most kinds is
// replaced by each name in turn: a prediction or a typed error, never anything else.
describe('attribute values that are names of Object.prototype members', () => {
  const devices = [
    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk>",
    "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>",
    "<controller type='usb' index='0' model='qemu-xhci'/>",
    "<controller type='usb' index='1' model='ich9-ehci1'/>",
    "<controller type='pci' index='1' model='pcie-root-port'/>",
    "<controller type='scsi' index='0' model='virtio-scsi'/>",
    "<controller type='virtio-serial' index='0'/>",
    "<interface type='network'><source network='default'/><model type='virtio'/></interface>",
    "<serial type='pty'><target type='isa-serial'><model name='isa-serial'/></target></serial>",
    "<console type='pty'><target type='serial'/></console>",
    "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>",
    "<input type='tablet' bus='usb'/>",
    "<graphics type='vnc' port='-1'/>",
    "<sound model='ich9'/>",
    "<audio id='1' type='none'/>",
    "<video><model type='vga' vram='16384' heads='1'/></video>",
    "<watchdog model='i6300esb' action='reset'/>",
    "<memballoon model='virtio'/>",
    "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>",
    "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>",
    "<panic model='isa'/>",
  ].join('\n')
  const base = domainXml('q35', devices, "<features><acpi/><apic/></features><cpu mode='host-model'/><clock offset='utc'><timer name='rtc' tickpolicy='catchup'/></clock>")
  const names = ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf']
  const value = /='([^']*)'/g

  it('give a prediction or a typed error, for every attribute value', () => {
    const qemuCaps = capsXml()
    // the domain itself is predicted
    expect(() => previewDomain(base, { qemuCaps, abiUpdate: true })).not.toThrow()
    const untyped: string[] = []
    let calls = 0
    for (const m of base.matchAll(value)) {
      const at = m.index + 2
      for (const name of names) {
        calls++
        const xml = base.slice(0, at) + name + base.slice(at + m[1]!.length)
        // as libvirt 11.3 and as Debian's 9.0 (whose tables differ)
        for (const libvirtVersion of [undefined, 9000000]) {
          try {
            previewDomain(xml, { qemuCaps, abiUpdate: true, ...(libvirtVersion ? { libvirtVersion } : {}) })
          } catch (error) {
            if (!(error instanceof VirtunedError)) untyped.push(`${base.slice(Math.max(0, at - 40), at)}«${name}» (${libvirtVersion ?? 'latest'}): ${String(error).slice(0, 120)}`)
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(250)
    expect(untyped).toEqual([])
  })
})
