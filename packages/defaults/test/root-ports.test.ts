// Issue 18 item 5: a defined or live domain whose root ports all hold a device has no free port;
// the root-port default (and hotplug-ready's spares) count only the free ones.
import { describe, expect, it } from 'vitest'
import { parseDomain } from '@virtuned/model'
import { applyDefaults, domainFacts } from '../src/index.ts'

const port = (index: number, slot: number) => `<controller type='pci' index='${index}' model='pcie-root-port'><address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x${slot}'/></controller>`
const on = (bus: number) => `<address type='pci' domain='0x0000' bus='0x0${bus}' slot='0x00' function='0x0'/>`
const domain = `<domain type='kvm'><name>x</name><memory>1048576</memory><os><type arch='x86_64' machine='q35'>hvm</type></os><devices>
<controller type='pci' index='0' model='pcie-root'/>${port(1, 0)}${port(2, 1)}${port(3, 2)}
<disk type='file' device='disk'><source file='/a.qcow2'/><target dev='vda' bus='virtio'/>${on(3)}</disk>
<interface type='network'><source network='default'/><model type='virtio'/>${on(1)}</interface>
<memballoon model='virtio'>${on(2)}</memballoon></devices></domain>`

describe('root ports in use', () => {
  it('are counted as used, not free', () => {
    const facts = domainFacts(parseDomain(domain).root)
    expect(facts.rootPorts).toBe(3)
    expect(facts.usedRootPorts).toBe(3)
    expect(facts.pcieDevices).toBe(0)
  })

  it('spare ports are added beyond them', () => {
    const xml = applyDefaults(domain, { parameters: { spareRootPorts: 2 } }).xml
    // 3 in use + 2 spare + one per device the defaults add that takes a port of its own.
    const ports = xml.match(/model='pcie-root-port'/g)!.length
    expect(ports).toBeGreaterThanOrEqual(5)
    const free = ports - 3
    const added = domainFacts(parseDomain(xml).root).pcieDevices
    expect(free).toBe(2 + added)
  })
})
