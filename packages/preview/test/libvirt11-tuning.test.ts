// Tuning, boot and device settings where libvirt 11.3's own daemon differs from what preview's 11.3 mode predicted,
// found by defining the probes of fixtures/preview/probes (tuning-boot, tuning-more, settings-devices-more) on Debian
// trixie's libvirtd 11.3 (tools/libvirt-trixie) next to preview. The expected fragments and refusals are what that daemon
// stored or said; the near misses beside them what 9.0 does.
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const v9 = { v9: true }

/** An x86_64 TCG (or `type`) domain with four vCPUs, this `<cputune>` and these devices. */
const tuned = (cputune: string, type = 'qemu', devices = ''): string => `<domain type='${type}'><name>t</name><memory unit='MiB'>512</memory><vcpu>4</vcpu>
  <cputune>${cputune}</cputune><os><type arch='x86_64' machine='pc'>hvm</type></os><devices>${devices}</devices></domain>`

describe('a memory bandwidth above 100 (virResctrlAllocSetMemoryBandwidth: 9.0 refuses it, 11.3 checks none)', () => {
  const above = "<memorytune vcpus='0'><node id='0' bandwidth='101'/></memorytune>"
  it('11.3 stores it for KVM; 9.0 refuses it while parsing', () => {
    expect(predicts(tuned(above, 'kvm'))).toContain("<memorytune vcpus='0'>\n      <node id='0' bandwidth='101'/>\n    </memorytune>")
    expect(refusal(tuned(above, 'kvm'), v9)).toMatchObject({ message: 'Memory Bandwidth value exceeding 100 is invalid.' })
  })
  it('on TCG 11.3 goes on to the QEMU validation, which takes cache tuning for KVM alone', () => {
    expect(refusal(tuned(above))).toMatchObject({ message: 'cachetune is only supported for KVM domains' })
    expect(refusal(tuned(above), v9)).toMatchObject({ message: 'Memory Bandwidth value exceeding 100 is invalid.' })
  })
  it("11.3 reads the next node's id then: its typed read refuses 'x'", () => {
    const xml = tuned("<memorytune vcpus='0'><node id='0' bandwidth='101'/><node id='x' bandwidth='1'/></memorytune>")
    expect(refusal(xml)).toMatchObject({ message: "Invalid value for attribute 'id' in element 'node': 'x'. Expected non-negative integer value" })
    expect(refusal(xml, v9)).toMatchObject({ message: 'Memory Bandwidth value exceeding 100 is invalid.' })
  })
  it('11.3 refuses a node twice, past the bandwidth 9.0 refuses first', () => {
    const xml = tuned("<memorytune vcpus='0'><node id='0' bandwidth='150'/><node id='0' bandwidth='1'/></memorytune>")
    expect(refusal(xml)).toMatchObject({ message: 'Memory Bandwidth already defined for node 0' })
    expect(refusal(xml, v9)).toMatchObject({ message: 'Memory Bandwidth value exceeding 100 is invalid.' })
  })
})

describe('a shim without a kernel (virDomainDefOSValidate, 11.3: checked only past its loader checks)', () => {
  const osWith = (os: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='x86_64' machine='pc'>hvm</type>${os}</os><devices/></domain>`
  it('11.3 stores a shim without kernel or loader — the function returns before its last check —, refuses it beside a loader; 9.0 reads no shim', () => {
    const loader = "<loader readonly='yes' type='rom'>/usr/share/seabios/bios.bin</loader>"
    expect(predicts(osWith('<shim>/boot/shim</shim>'))).toContain('<shim>/boot/shim</shim>')
    expect(refusal(osWith(`${loader}<shim>/boot/shim</shim>`))).toMatchObject({ message: 'shim only allowed with kernel option' })
    expect(predicts(osWith(`${loader}<kernel>/boot/vmlinuz</kernel><shim>/boot/shim</shim>`))).toContain('<shim>/boot/shim</shim>')
    expect(predicts(osWith(`${loader}<shim>/boot/shim</shim>`), v9)).not.toContain('shim')
  })
})

describe("a disk's throttle filters (11.3's virDomainDiskDefThrottleFiltersParse, virDomainDiskDefValidate, virDomainDiskDefFormatThrottleFilters)", () => {
  const disk = (filters: string): string => x86Domain(`<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/vda.img'/><target dev='vda' bus='virtio'/>${filters}</disk>`, 'q35')
  it("a filter without a group: its parser goes on, validation names the group as glibc prints a NULL string", () => {
    expect(refusal(disk('<throttlefilters><throttlefilter/></throttlefilters>'))).toMatchObject({ message: "throttle group '(null)' not found" })
    expect(refusal(disk("<throttlefilters><throttlefilter group=''/></throttlefilters>"))).toMatchObject({ message: "throttle group '' not found" })
  })
  it('an empty <throttlefilters> is not written back', () => {
    expect(predicts(disk('<throttlefilters/>'))).not.toContain('throttlefilters')
    expect(predicts(disk('<throttlefilters/>'), v9)).not.toContain('throttlefilters')
  })
})

describe("a crypto device's backend queues (virDomainCryptoDefFormat: `queues='%d'`, only when not 0; not in 9.0)", () => {
  const crypto = (queues: string): string => x86Domain(`<crypto model='virtio' type='qemu'><backend model='builtin' queues='${queues}'/></crypto>`, 'q35')
  it('0 is not written, a count above 2^31 − 1 is written negative', () => {
    expect(predicts(crypto('0'))).toContain("<backend model='builtin'/>")
    expect(predicts(crypto('3000000000'))).toContain("<backend model='builtin' queues='-1294967296'/>")
    expect(predicts(crypto('+07'))).toContain("<backend model='builtin' queues='7'/>")
  })
})
