// USB end to end as libvirt 9.0 reads, places and refuses it (own probes `h56-…`, each defined on the sandbox libvirtd
// 9.0 beside preview; the expected fragments and refusals are what the daemon stored or said).
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const v9 = { v9: true }
const xhci = "<controller type='usb' model='qemu-xhci' ports='4'/>"
const hub = (port: string): string => `<hub type='usb'><address type='usb' bus='0' port='${port}'/></hub>`
const tablet = (port: string): string => `<input type='tablet' bus='usb'><address type='usb' bus='0' port='${port}'/></input>`

describe("a USB port path with a 0 between two levels (virDomainUSBAddressGetLastIdx, virDomainUSBAddressFindPort)", () => {
  it('is walked to its last level not 0: the level before the 0 must hold a hub', () => {
    // (the path is written in the message up to its first 0: virDomainUSBAddressPortFormat)
    expect(refusal(x86Domain(xhci + tablet('1.0.2'), 'q35'), v9))
      .toMatchObject({ message: 'there is no hub at port 1 in USB address bus: 0 port: 1' })
    expect(refusal(x86Domain(xhci + tablet('2.0.1'), 'q35'), v9))
      .toMatchObject({ message: 'there is no hub at port 2 in USB address bus: 0 port: 2' })
  })
  it('behind a hub, the 0 level is port index -1, out of range', () => {
    const hubs = hub('1') + hub('1.1') + hub('1.1.1')
    expect(refusal(x86Domain(xhci + hubs + tablet('1.0.2'), 'q35'), v9))
      .toMatchObject({ message: 'port 0 out of range in USB address bus: 0 port: 1' })
    expect(refusal(x86Domain(xhci + hubs + tablet('1.1.0.2')), v9))
      .toMatchObject({ message: 'port 0 out of range in USB address bus: 0 port: 1.1' })
  })
  it('near misses: trailing 0 levels are no levels, a first level of 0 is no port', () => {
    expect(predicts(x86Domain(xhci + hub('1') + tablet('1.1.0'), 'q35'), v9)).toContain("<input type='tablet' bus='usb'>\n      <address type='usb' bus='0' port='1.1'/>")
    // (`1.0` is port 1, the hub's: refused as a duplicate)
    expect(refusal(x86Domain(xhci + hub('1') + tablet('1.0') + tablet('1')), v9)).toMatchObject({ message: 'Duplicate USB address bus 0 port 1' })
    expect(predicts(x86Domain(xhci + tablet('0.1'), 'q35'), v9)).toContain("<input type='tablet' bus='usb'>\n      <address type='usb' bus='0' port='1'/>")
  })
})
