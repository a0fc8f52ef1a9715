// Defaults read libvirt's facts from @virtuned/model (issue 17): the bus libvirt gives a target,
// the PCI connection each device needs, the machine family with its architecture.
import { parseDomain } from '@virtuned/model'
import { describe, expect, it } from 'vitest'
import { applyDefaults, domainFacts } from '../src/index.ts'

const domain = (devices: string, machine = 'q35', arch = 'x86_64') => `<domain type='kvm'><name>g</name><memory unit='KiB'>1048576</memory><vcpu>1</vcpu><os><type arch='${arch}' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
const disk = (target: string) => `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/i/${target}.img'/><target dev='${target}'/></disk>`

describe('disk bus from the target name (src/conf/domain_postparse.c virDomainDiskDefPostParse)', () => {
  it('vda without a bus is virtio, xvdb xen, hda ide, sdb SATA on q35 (virtuned) and SCSI on i440fx', () => {
    const xml = applyDefaults(domain(disk('vda') + disk('xvdb') + disk('hda') + disk('sdb')), { os: 'debian11' }).xml
    expect(xml).toContain("<target dev='vda' bus='virtio'/>")
    expect(xml).toContain("<target dev='xvdb' bus='xen'/>")
    expect(xml).toContain("<target dev='hda' bus='ide'/>")
    expect(xml).toContain("<target dev='sdb' bus='sata'/>")
    expect(applyDefaults(domain(disk('sdb') + disk('vdaa'), 'pc'), { os: 'debian11' }).xml).toMatch(/<target dev='sdb' bus='scsi'\/>[\s\S]*<target dev='vdaa' bus='virtio'\/>|<target dev='vdaa' bus='virtio'\/>[\s\S]*<target dev='sdb' bus='scsi'\/>/)
  })
})

describe('root ports follow libvirt\'s connect flags (src/qemu/qemu_domain_address.c qemuDomainDeviceCalculatePCIConnectFlags)', () => {
  const ports = (devices: string, machine = 'q35', arch = 'x86_64') => domainFacts(parseDomain(domain(devices, machine, arch)).root).pcieDevices
  it('conventional PCI devices take no root port; PCIe ones do', () => {
    expect(ports("<interface type='user'><model type='e1000'/></interface><sound model='ich9'/><watchdog model='i6300esb'/><shmem name='s'/><video><model type='qxl'/></video><crypto model='virtio' type='qemu'><backend model='builtin'/></crypto>")).toBe(0)
    expect(ports("<interface type='user'><model type='igb'/></interface><video><model type='bochs'/></video><controller type='nvme' index='0'/>")).toBe(3)
    expect(ports("<rng model='virtio-transitional'><backend model='random'>/dev/urandom</backend></rng>")).toBe(0)
    expect(ports("<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>")).toBe(1)
  })
  it('a NIC without a model is libvirt\'s rtl8139 on x86 (PCI) and virtio on aarch64 virt (PCIe)', () => {
    expect(ports("<interface type='user'/>")).toBe(0)
    expect(ports("<interface type='user'/>", 'virt', 'aarch64')).toBe(1)
  })
  it('q35 is a family with its architecture (qemuDomainMachineIsQ35)', () => {
    const facts = (machine: string, arch = 'x86_64') => domainFacts(parseDomain(domain('', machine, arch)).root)
    expect(facts('pc-q35-7.2')).toMatchObject({ isQ35: true, machineFamily: 'q35' })
    expect(facts('virt', 'aarch64')).toMatchObject({ isQ35: false, machineFamily: 'arm-virt' })
    expect(facts('pseries', 'ppc64le')).toMatchObject({ isQ35: false, machineFamily: 'pseries' })
  })
})
