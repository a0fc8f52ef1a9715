// A disk's less probed parts as libvirt 9.0 reads, post-parses, validates and writes them (own probes `h48-…`, each defined
// on the sandbox libvirtd 9.0 beside preview; the expected fragments and refusals are what the daemon stored or said).
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const IMG = "<source file='/var/lib/libvirt/images/h48.img'/>"
const dom = (devices: string, machine = 'q35', pre = ''): string =>
  `<domain type='qemu'><name>h48</name><memory unit='KiB'>524288</memory><vcpu placement='static'>2</vcpu>${pre}<os><type arch='x86_64' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
const disk = (inner: string, attrs = "type='file' device='disk'"): string => `<disk ${attrs}>${inner}</disk>`

describe("a disk's <driver> read in virDomainDiskDefDriverParseXML's order", () => {
  it("a read error policy of `enospace` is refused as soon as read: before an I/O mode or switch read after it", () => {
    for (const bad of ["io='bogus'", "ioeventfd='bogus'", "discard='bogus'", "queues='x'", "type='bogus'"]) {
      // (written before the policy in the document: libvirt's order counts, not the document's)
      expect(refusal(dom(disk(`<driver ${bad} rerror_policy='enospace' name='qemu'/>${IMG}<target dev='sda' bus='scsi'/>`)), v9))
        .toMatchObject({ code: 'preview-refused', message: "Invalid disk read error policy: 'enospace'" })
    }
    // (the near miss: what is read before it — the cache, the write error policy — is refused first)
    expect(refusal(dom(disk(`<driver rerror_policy='enospace' cache='bogus' name='qemu'/>${IMG}<target dev='sda' bus='scsi'/>`)), v9))
      .toMatchObject({ code: 'preview-invalid-value', message: "Invalid value for attribute 'cache' in element 'driver': 'bogus'." })
    expect(refusal(dom(disk(`<driver rerror_policy='enospace' error_policy='bogus' name='qemu'/>${IMG}<target dev='sda' bus='scsi'/>`)), v9).message)
      .toContain("attribute 'error_policy'")
  })
})
