// What libvirt's generic post-parse refuses (src/conf/domain_postparse.c): every message here is what
// libvirtd 9.0 answered to `virsh define` of the same configuration.
import { describe, expect, it } from 'vitest'
import { previewDomain } from '../src/index.ts'
import { capsXml, domainXml } from './_caps.ts'

const refusal = (xml: string, o: { v9?: boolean } = {}) => {
  try {
    previewDomain(xml, { qemuCaps: capsXml(), abiUpdate: true, ...(o.v9 ? { libvirtVersion: 9_000_000 } : {}) })
  } catch (error) {
    const e = error as { code: string; message: string; path: string }
    return { code: e.code, message: e.message, path: e.path }
  }
  throw new Error('expected preview to refuse the domain')
}
const predicts = (xml: string): string => previewDomain(xml, { qemuCaps: capsXml(), abiUpdate: true }).xml
const clock = (timers: string) => domainXml('pc', '', `<clock offset='utc'>${timers}</clock>`)

describe('timers (virDomainDefPostParseTimer)', () => {
  it('refuses what a timer cannot set, timer by timer', () => {
    expect(refusal(clock("<timer name='kvmclock' tickpolicy='catchup'/>"))).toEqual({ code: 'preview-refused', message: "timer kvmclock doesn't support setting of timer tickpolicy", path: "domain/clock/timer[@name='kvmclock']" })
    expect(refusal(clock("<timer name='rtc' tickpolicy='delay'><catchup threshold='123'/></timer>"))).toMatchObject({ code: 'preview-invalid-value', message: "setting of timer catchup policies is only supported with tickpolicy='catchup'" })
    expect(refusal(clock("<timer name='rtc' frequency='100'/>")).message).toBe("timer rtc doesn't support setting of timer frequency")
    expect(refusal(clock("<timer name='hpet' mode='auto'/>")).message).toBe("timer hpet doesn't support setting of timer mode")
    expect(refusal(clock("<timer name='hpet' track='guest'/>")).message).toBe("timer hpet doesn't support setting of timer track")
  })
  it('keeps what each may set', () => {
    expect(predicts(clock("<timer name='rtc' tickpolicy='catchup' track='guest'><catchup threshold='123'/></timer><timer name='tsc' frequency='1000000' mode='native'/><timer name='hpet' present='no'/>")))
      .toContain("<timer name='tsc' frequency='1000000' mode='native'/>")
  })
})

describe('ISA serial ports (virDomainChrIsaSerialDefPostParse)', () => {
  const serial = (port?: number) => `<serial type='pty'><target type='isa-serial'${port === undefined ? '' : ` port='${port}'`}/></serial>`
  it('at most four, each port once', () => {
    expect(refusal(domainXml('pc', serial(0) + serial(0)))).toMatchObject({ code: 'preview-refused', message: "target port '0' already allocated" })
    expect(refusal(domainXml('pc', serial(4))).message).toBe("Maximum supported number of ISA serial ports is '4'")
    expect(refusal(domainXml('pc', serial() + serial() + serial() + serial() + serial())).message).toBe("Maximum supported number of ISA serial ports is '4'")
  })
  it('serials without a written type are not counted then (libvirt defines five of them)', () => {
    expect(predicts(domainXml('pc', "<serial type='pty'/>".repeat(5)))).toContain("<target type='isa-serial' port='4'>")
  })
})

describe('names', () => {
  it("the QEMU driver takes no '/' in a name", () => {
    expect(refusal(domainXml('pc', '').replace('<name>t</name>', '<name>a/b</name>'))).toEqual({ code: 'preview-invalid-value', message: "name a/b cannot contain '/'", path: 'domain/name' })
  })
})

describe('duplicates (virDomainDefRejectDuplicateControllers, …Panics, virDomainDefBootOrderPostParse)', () => {
  const disk = (boot: string) => `<disk type='file' device='disk'><source file='/tmp/x.img'/><target dev='vda' bus='virtio'/>${boot}</disk>`
  it('a controller type and index twice (USB2 companions excepted)', () => {
    expect(refusal(domainXml('pc', "<controller type='sata' index='0'/><controller type='sata' index='0'/>"))).toEqual({ code: 'preview-invalid-value', message: "Multiple 'sata' controllers with index '0'", path: "domain/devices/controller[@type='sata'][@index='0']" })
    expect(predicts(domainXml('q35', "<controller type='usb' index='0' model='ich9-ehci1'/><controller type='usb' index='0' model='ich9-uhci1'/>"))).toContain("model='ich9-uhci1'")
  })
  it('two panic devices of one model, the model as QEMU defaults it', () => {
    expect(refusal(domainXml('pc', "<panic model='isa'/><panic/>"))).toMatchObject({ code: 'preview-invalid-value', message: "Multiple panic devices with model 'isa'" })
    expect(predicts(domainXml('pc', "<panic model='isa'/><panic model='hyperv'/>"))).toContain("<panic model='hyperv'/>")
  })
  it('one boot order for two devices, or with <os><boot>', () => {
    expect(refusal(domainXml('pc', disk("<boot order='1'/>") + "<interface type='user'><boot order='1'/></interface>"))).toMatchObject({ code: 'preview-refused', message: "boot order '1' used for more than one device" })
    expect(refusal(domainXml('pc', disk("<boot order='1'/>")).replace('hvm</type>', "hvm</type><boot dev='hd'/>")).message).toBe('per-device boot elements cannot be used together with os/boot elements')
    expect(predicts(domainXml('pc', disk("<boot order='1'/>") + "<interface type='user'><boot order='2'/></interface>"))).toContain("<boot order='2'/>")
  })
  it("the devices walked by kind (virDomainDeviceInfoIterate): a disk's repeated order before an interface's written earlier (h34-boot-order-kinds, libvirtd 9.0)", () => {
    const disk2 = (dev: string, order: string): string => `<disk type='file' device='disk'><source file='/var/lib/libvirt/images/${dev}.img'/><target dev='${dev}' bus='virtio'/><boot order='${order}'/></disk>`
    const nic = (mac: string, order: string): string => `<interface type='user'><mac address='52:54:00:00:00:${mac}'/><boot order='${order}'/></interface>`
    const words = (order: string) => ({ code: 'preview-refused', message: `boot order '${order}' used for more than one device` })
    const xml = domainXml('pc', disk2('vda', '3') + nic('01', '2') + nic('02', '2') + disk2('vdb', '3'))
    expect(refusal(xml, { v9: true })).toMatchObject(words('3'))
    expect(refusal(xml)).toMatchObject(words('3'))
    // (the near miss: the disks' orders apart, the interfaces' repeated one is named)
    expect(refusal(xml.replace("vdb' bus='virtio'/><boot order='3'", "vdb' bus='virtio'/><boot order='4'"), { v9: true })).toMatchObject(words('2'))
  })
})

describe('huge pages without guest NUMA (virDomainDefPostParseMemtune)', () => {
  const pages = (nodeset: string) => domainXml('pc', '', `<memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='${nodeset}'/></hugepages></memoryBacking>`)
  it('a node set of node 0 alone is dropped; any other node is refused', () => {
    expect(predicts(pages('0'))).toContain("<page size='2048' unit='KiB'/>")
    expect(refusal(pages('0-1')).message).toBe('hugepages: node 0 not found')
  })
})
