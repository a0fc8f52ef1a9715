// s390x guests end to end (machine s390-ccw-virtio, domain type qemu) as libvirtd 9.0 stored or refused them at
// define: CCW addresses (device_conf.c virDomainDeviceCCWAddressParseXML, virccw.c virCCWDeviceAddressIsValid),
// own probes h27-*, each defined on the sandbox libvirtd beside preview; the expectations are the daemon's.
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const s390 = capsXml({ arch: 's390x', flags: ['virtio-blk-ccw', 'virtio-net', 'virtio-net-ccw', 'virtio-ccw', 'zpci', 'virtio-pci'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
const dom = (devices: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>${devices}</devices></domain>`
const disk = (address: string, dev = 'vda'): string => `<disk type='file' device='disk'><source file='/tmp/${dev}.img'/><target dev='${dev}' bus='virtio'/>${address}</disk>`
const ccw = (cssid: string, ssid: string, devno: string): string => `<address type='ccw' cssid='${cssid}' ssid='${ssid}' devno='${devno}'/>`

describe('a written CCW address past its limits (virCCWDeviceAddressIsValid: cssid <= 0xfe, ssid <= 3, devno <= 0xffff)', () => {
  const invalid = (c: string, s: string, d: string): string => `Invalid specification for virtio ccw address: cssid='${c}' ssid='${s}' devno='${d}'`
  it('is refused with the numbers as read, in hex', () => {
    expect(refusal(dom(disk(ccw('0xff', '0x0', '0x0002'))), { caps: s390 })).toMatchObject({ code: 'preview-invalid-value', message: invalid('0xff', '0x0', '0x0002') })
    expect(refusal(dom(disk(ccw('0x100', '0x0', '0x0002'))), { caps: s390 })).toMatchObject({ message: invalid('0x100', '0x0', '0x0002') })
    expect(refusal(dom(disk(ccw('0xfe', '0x4', '0x0002'))), { caps: s390 })).toMatchObject({ message: invalid('0xfe', '0x4', '0x0002') })
    expect(refusal(dom(disk(ccw('0xfe', '0x0', '0x10000'))), { caps: s390 })).toMatchObject({ message: invalid('0xfe', '0x0', '0x10000') })
  })
  it('near misses: 0xfe, ssid 3 and devno 0xffff are kept', () => {
    expect(predicts(dom(disk(ccw('0xfe', '0x3', '0x0002'))), { caps: s390 })).toContain("<address type='ccw' cssid='0xfe' ssid='0x3' devno='0x0002'/>")
    expect(predicts(dom(disk(ccw('0xfe', '0x0', '0xffff'))), { caps: s390 })).toContain("<address type='ccw' cssid='0xfe' ssid='0x0' devno='0xffff'/>")
  })
})

describe('a partial CCW address (virDomainDeviceCCWAddressParseXML: all three numbers or none)', () => {
  it('is refused when one or two are written', () => {
    for (const address of ["<address type='ccw' cssid='0xfe'/>", "<address type='ccw' cssid='0xfe' ssid='0x0'/>", "<address type='ccw' devno='0x0005'/>"]) {
      expect(refusal(dom(disk(address)), { caps: s390 })).toMatchObject({ code: 'preview-invalid-value', message: 'Invalid partial specification for virtio ccw address' })
    }
  })
  it('but the limits are checked first, a missing number read as 0', () => {
    expect(refusal(dom(disk("<address type='ccw' ssid='0x7'/>")), { caps: s390 })).toMatchObject({ message: "Invalid specification for virtio ccw address: cssid='0x0' ssid='0x7' devno='0x0000'" })
  })
  it('near miss: an address with none is assigned the next device number', () => {
    expect(predicts(dom(disk("<address type='ccw'/>")), { caps: s390 })).toContain("<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0000'/>")
  })
})
