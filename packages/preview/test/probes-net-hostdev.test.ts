// Network interfaces and host devices probed on libvirtd 9.0 (probes h16-…: domain_conf.c's virDomainNetDefParseXML,
// virDomainHostdevDefParseXML* and their formatters, nwfilter_params.c, device_conf.c's PCI address reader): each case
// here was defined on the sandbox libvirtd 9.0 beside preview (`virsh define`, `dumpxml --inactive`) and is written from
// what the daemon printed.
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const dom = x86Domain
const hostdevOf = (xml: string): string => /<hostdev[\s\S]*?<\/hostdev>/.exec(xml)![0]

describe('a host device as virDomainHostdevDefParseXML reads it and virDomainHostdevDefFormat writes it', () => {
  const pci = (address: string): string => dom(`<hostdev mode='subsystem' type='pci' managed='yes'><source><address ${address}/></source></hostdev>`)

  it('refuses a host PCI address out of range in libvirt\'s words, once domain, bus or slot is not 0 (h16-hd-pci-slot32, -func8, -bus256)', () => {
    expect(refusal(pci("domain='0' bus='3' slot='32' function='0'"), { v9: true })).toMatchObject({ message: "Invalid PCI address slot='0x20', must be <= 0x1F", path: 'domain/devices/hostdev[1]/source/address' })
    expect(refusal(pci("domain='0' bus='3' slot='1' function='8'"), { v9: true }).message).toBe('Invalid PCI address function=0x8, must be <= 7')
    expect(refusal(pci("domain='0' bus='256' slot='1' function='0'"), { v9: true }).message).toBe("Invalid PCI address bus='0x100', must be <= 0xFF")
    // (a host's PCI domain is any: no refusal, written in hex — h16-hd-pci-dom)
    expect(hostdevOf(predicts(pci("domain='0x10000' bus='0' slot='1' function='0'"), { v9: true }))).toContain("<address domain='0x10000' bus='0x00' slot='0x01' function='0x0'/>")
    expect(hostdevOf(predicts(pci("domain='0' bus='010' slot='07' function='0'"), { v9: true }))).toContain("<address domain='0x0000' bus='0x08' slot='0x07' function='0x0'/>")
  })

  it("refuses a subsystem host device's sgio or rawio that does not read, in the reader's words (h16-hd-scsi-sgio-bad, -rawio-bad)", () => {
    const scsi = (attrs: string): string => dom(`<hostdev mode='subsystem' type='scsi'${attrs}><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source></hostdev>`)
    expect(refusal(scsi(" sgio='bogus'"), { v9: true }).message).toBe("Invalid value for attribute 'sgio' in element 'hostdev': 'bogus'.")
    expect(refusal(scsi(" rawio='on'"), { v9: true }).message).toBe("Invalid value for attribute 'rawio' in element 'hostdev': 'on'.")
    expect(hostdevOf(predicts(scsi(" sgio='filtered' rawio='no'"), { v9: true }))).toContain("sgio='filtered' rawio='no'")
  })

  it("writes a USB device's host address only when its bus or device is not 0, and no empty <source> (h16-hd-usb-addr-0, -empty)", () => {
    const usb = (source: string): string => dom(`<hostdev mode='subsystem' type='usb'>${source}</hostdev>`)
    for (const source of ["<source><address bus='0' device='0'/></source>", '<source/>']) {
      const xml = hostdevOf(predicts(usb(source), { v9: true }))
      expect(xml).not.toContain('<source')
      expect(xml).toContain("<address type='usb' bus='0' port='1'/>")
    }
    expect(hostdevOf(predicts(usb("<source><address bus='0' device='3'/></source>"), { v9: true }))).toContain("<source>\n        <address bus='0' device='3'/>\n      </source>")
    expect(hostdevOf(predicts(usb("<source startupPolicy='optional'><address bus='0' device='0'/></source>"), { v9: true }))).toContain("<source startupPolicy='optional'/>")
  })

  it("does not write a SCSI source's protocol `adapter`, its enumeration's 0 (h16-hd-scsi-proto-adapter)", () => {
    const xml = hostdevOf(predicts(dom("<hostdev mode='subsystem' type='scsi'><source protocol='adapter'><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source></hostdev>"), { v9: true }))
    expect(xml).toContain('<source>\n')
    expect(xml).not.toContain('protocol')
  })

  it('refuses a capabilities host device without a type as the parser does, before the QEMU driver (h16-hd-caps-notype)', () => {
    const caps = dom("<hostdev mode='capabilities'><source><block>/dev/sdf1</block></source></hostdev>")
    expect(refusal(caps, { v9: true }).message).toBe('missing source address type')
    expect(refusal(caps).message).toBe("Missing required attribute 'type' in element 'hostdev'")
    expect(refusal(dom("<hostdev mode='capabilities' type='storage'><source><block>/dev/sdf1</block></source></hostdev>"), { v9: true }).message).toBe("hostdev mode 'capabilities' is not supported in qemu")
  })
})
