// Which attributes libvirt reads with xmlGetProp (by local name, whatever the namespace) and which with XPath (in no
// namespace only), by element path: traced in libvirt 9.0's and 11.3's parsers, seen on libvirtd 9.0 (probes h29-…).
import { describe, expect, it } from 'vitest'
import { attributesReadByLocalName, attributesReadByLocalName9, attributesReadByLocalNameWhen } from '../src/index.ts'

describe('attributesReadByLocalName', () => {
  it("a disk, its target, driver and source are read whole with xmlGetProp; a NIC's model, the clock, the OS type are XPath's (h29-d-device, -i-model, -k-clock, -o-type-machine)", () => {
    for (const path of ['devices/disk', 'devices/disk/target', 'devices/disk/driver', 'devices/disk/source', 'devices/interface', 'devices/controller', 'cpu/topology', 'clock/timer', 'vcpu', 'features/*']) expect(attributesReadByLocalName9.get(path), path).toBe('*')
    for (const path of ['devices/interface/model', 'clock', 'os/type', 'devices/filesystem/target', 'devices/interface/link', 'devices/interface/mtu', 'devices/*/alias', 'currentMemory', 'cpu/model']) expect(attributesReadByLocalName9.has(path), path).toBe(false)
  })

  it('where one element mixes both, the names read with xmlGetProp: `<memory dumpCore>` but not its unit, a NUMA cell but its memory (h29-m-dumpcore, -m-unit, -cpu-numa-mem)', () => {
    expect(attributesReadByLocalName9.get('memory')).toEqual(['dumpCore'])
    expect(attributesReadByLocalName9.get('cpu/numa/cell')).toEqual(['id', 'cpus', 'memAccess', 'discard'])
    expect(attributesReadByLocalName9.get('devices/filesystem/driver')).not.toContain('queue')
    expect(attributesReadByLocalName9.get('devices/interface/source/address')).not.toContain('type')
  })

  it("9.0 reads a video model's own with XPath, 11.3 with xmlGetProp (virDomainVideoModelDefParseXML); the rest of 9.0's stays (h29-v-model)", () => {
    expect(attributesReadByLocalName9.has('devices/video/model')).toBe(false)
    expect(attributesReadByLocalName.get('devices/video/model')).toBe('*')
    expect(attributesReadByLocalName.get('devices/tpm/backend/source')).toBe('*')
    for (const [path, reads] of attributesReadByLocalName9) expect(attributesReadByLocalName.get(path), path).toEqual(reads)
  })

  it("a host device source's startupPolicy is read by local name for USB alone, an external TPM source's type not at all (h29-h3-pci-startup, -h3-usb-startup-twin, -g-tpm-external-type)", () => {
    expect(attributesReadByLocalName9.get('devices/hostdev/source')).toBe('*')
    expect(attributesReadByLocalNameWhen.get('devices/hostdev/source')).toEqual([['startupPolicy', 'type', ['usb']]])
    expect(attributesReadByLocalNameWhen.get('devices/tpm/backend/source')).toEqual([['type', 'type', ['emulator']]])
    expect(attributesReadByLocalName9.get('cpu/counter')).toEqual(['frequency', 'scaling'])
  })
})
