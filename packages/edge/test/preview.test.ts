// POST /v1/preview (issue 19): the domain as libvirt stores it, from the host's QEMU capabilities,
// the same answer as the library's; bad capabilities are 422 problems with preview's codes.
import { describe, expect, it } from 'vitest'
import { previewDomain } from '@virtuned/preview'
import { createHandler } from '../src/index.ts'
import { capsXml } from '../../preview/test/_caps.ts'

const qemuCaps = capsXml()
const xml = "<domain type='qemu'><name>p</name><memory unit='KiB'>1048576</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><disk type='file' device='disk'><source file='/i/p.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>"
const post = (body: unknown) => createHandler()(new Request('http://edge.test/v1/preview', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))

describe('POST /v1/preview', () => {
  it("answers the library's prediction, with its explanation", async () => {
    const response = await post({ xml, qemuCaps })
    expect(response.status).toBe(200)
    const expected = previewDomain(xml, { qemuCaps })
    expect(await response.json()).toEqual({ xml: expected.xml, explanation: expected.explanation, notPredicted: expected.notPredicted })
    expect(expected.xml).toContain("model='pcie-root'")
  })

  it('refuses capabilities that are not <qemuCaps>, or of another architecture, with 422 and the code', async () => {
    const notCaps = await post({ xml, qemuCaps: xml })
    expect(notCaps.status).toBe(422)
    expect(await notCaps.json()).toMatchObject({ code: 'preview-not-qemucaps' })
    const arm = await post({ xml, qemuCaps: capsXml({ arch: 'aarch64', machines: "<machine type='tcg' name='virt-9.9' alias='virt' defaultCPU='cortex-a15-arm-cpu'/>" }) })
    expect(arm.status).toBe(422)
    expect(await arm.json()).toMatchObject({ code: 'preview-arch-mismatch' })
  })

  it('answers a domain libvirt refuses with 422 and libvirt\'s words, never by running out of memory', async () => {
    // before: index='4294967295' made preview build 2^32 buses (out of memory); index='x' threw a TypeError
    const atIndex = 'domain/devices/controller[1]/@index'
    // (on q35 an index past 255 still reaches the address assignment, as in libvirtd 9.0: the pcie-root-ports filling the
    // gap below it run out of slots on pcie-root first — probe h26-d-rpidx256)
    const noSlot = { code: 'preview-refused', detail: "a PCI slot is needed to connect a PCI controller model='pcie-root-port', but none is available, and it cannot be automatically added" }
    for (const [index, expected] of [['4294967295', { code: 'preview-invalid-value', path: atIndex }], ['x', { code: 'preview-invalid-value', path: atIndex }], ['256', noSlot]] as const) {
      const response = await post({ xml: xml.replace('<devices>', `<devices><controller type='pci' index='${index}' model='pci-bridge'/>`), qemuCaps })
      expect(response.status).toBe(422)
      expect(await response.json()).toMatchObject(expected)
    }
  })

  it("takes the host's arch (hostArch) for a domain naming none; an unknown one is a 422 with preview's code", async () => {
    const noArch = xml.replace(" arch='x86_64'", '')
    const arm = capsXml({ arch: 'aarch64', machines: "<machine type='tcg' name='virt-9.9' alias='virt' defaultCPU='cortex-a15-arm-cpu'/>" })
    const onArm = await post({ xml: noArch.replace("machine='q35'", "machine='virt'"), qemuCaps: arm, hostArch: 'x86_64' })
    expect(onArm.status).toBe(422)
    expect(await onArm.json()).toMatchObject({ code: 'preview-arch-mismatch' })
    const unknown = await post({ xml: noArch, qemuCaps, hostArch: 'amd64' })
    expect(unknown.status).toBe(422)
    expect(await unknown.json()).toMatchObject({ code: 'preview-unknown-host-arch' })
  })

  it("places pSeries host devices by the host's IOMMU groups (hostPciDevices); a bad address is a 422 with preview's code, a bad group a 400", async () => {
    const ppcCaps = capsXml({ arch: 'ppc64', flags: ['spapr-pci-host-bridge', 'vfio-pci'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes'/>" })
    const hostdev = (bus: number) => `<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' bus='${bus}' slot='0' function='0'/></source></hostdev>`
    const ppc = `<domain type='qemu'><name>p</name><memory>1048576</memory><os><type arch='ppc64' machine='pseries'>hvm</type></os><devices>${hostdev(1)}${hostdev(2)}</devices></domain>`
    const grouped = (await (await post({ xml: ppc, qemuCaps: ppcCaps, hostPciDevices: { '0000:01:00.0': { iommuGroup: 3 }, '0000:02:00.0': { iommuGroup: 4 } } })).json()) as { xml: string; notPredicted: unknown[] }
    expect(grouped.xml).toContain("<controller type='pci' index='2' model='pci-root'>")
    expect(JSON.stringify(grouped.notPredicted)).not.toContain('IOMMU')
    const unknown = (await (await post({ xml: ppc, qemuCaps: ppcCaps })).json()) as { xml: string; notPredicted: { reason: string }[] }
    expect(unknown.xml).not.toContain("index='1' model='pci-root'")
    expect(unknown.notPredicted.some((n) => n.reason.includes('IOMMU groups'))).toBe(true)
    const badAddress = await post({ xml: ppc, qemuCaps: ppcCaps, hostPciDevices: { '01:00': { iommuGroup: 3 } } })
    expect(badAddress.status).toBe(422)
    expect(await badAddress.json()).toMatchObject({ code: 'preview-bad-host-pci' })
    expect((await post({ xml: ppc, qemuCaps: ppcCaps, hostPciDevices: { '0000:01:00.0': { iommuGroup: -1 } } })).status).toBe(400)
  })

  it("checks an emulated TPM against the host's swtpm (swtpm: versions, or null without it); another value is a 400", async () => {
    const tpm = xml.replace('</devices>', "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm></devices>")
    expect((await post({ xml: tpm, qemuCaps, swtpm: ['1.2', '2.0'] })).status).toBe(200)
    const refused = await post({ xml: tpm, qemuCaps, swtpm: null })
    expect(refused.status).toBe(422)
    expect(await refused.json()).toMatchObject({ code: 'preview-refused', detail: "TPM version '2.0' is not supported" })
    expect((await post({ xml: tpm, qemuCaps, swtpm: ['3.0'] })).status).toBe(400)
  })

  it("refuses an <emulator> the host lacks (hostEmulators); a list that is not one is a 400", async () => {
    const named = xml.replace('<devices>', '<devices><emulator>/opt/qemu</emulator>')
    const refused = await post({ xml: named, qemuCaps, hostEmulators: ['/usr/bin/qemu-system-x86_64'] })
    expect(refused.status).toBe(422)
    expect(await refused.json()).toMatchObject({ code: 'preview-refused', detail: 'Cannot check QEMU binary /opt/qemu: No such file or directory' })
    expect((await post({ xml: named, qemuCaps, hostEmulators: ['/opt/qemu'] })).status).toBe(200)
    expect((await post({ xml: named, qemuCaps, hostEmulators: '/opt/qemu' })).status).toBe(400)
  })

  it("holds emulated CPU address bits to the host CPU's (hostCpuAddressBits); a count that is not one is a 400", async () => {
    const cpu = xml.replace('<devices>', "<cpu><model>qemu64</model><maxphysaddr mode='emulate' bits='50'/></cpu><devices>")
    expect((await post({ xml: cpu, qemuCaps, hostCpuAddressBits: 52 })).status).toBe(200)
    const over = await post({ xml: cpu, qemuCaps, hostCpuAddressBits: 46 })
    expect(over.status).toBe(422)
    expect(await over.json()).toMatchObject({ code: 'preview-refused', detail: 'The number of virtual CPU address bits cannot exceed the number supported by the host CPU' })
    expect((await post({ xml: cpu, qemuCaps, hostCpuAddressBits: -1 })).status).toBe(400)
  })

  it('keeps graphics passwords only when asked (securityInfo), as `virsh dumpxml --security-info`', async () => {
    const locked = xml.replace('</devices>', "<graphics type='vnc' passwd='s3cret'/></devices>")
    const plain = (await (await post({ xml: locked, qemuCaps })).json()) as { xml: string }
    expect(plain.xml).not.toContain('s3cret')
    const secure = (await (await post({ xml: locked, qemuCaps, securityInfo: true })).json()) as { xml: string }
    expect(secure.xml).toContain("passwd='s3cret'")
    expect((await post({ xml: locked, qemuCaps, securityInfo: 'yes' })).status).toBe(400)
  })

  it('takes the host\'s qemu.conf as text, and refuses a bad one with 422, its code and place', async () => {
    const labelled = xml.replace('</devices>', "</devices><seclabel type='dynamic' relabel='yes'/>")
    const response = await post({ xml: labelled, qemuCaps, qemuConf: 'security_driver = "selinux"\n' })
    expect(response.status).toBe(200)
    const expected = previewDomain(labelled, { qemuCaps, qemuConf: { securityDriver: ['selinux'] } })
    expect(((await response.json()) as { xml: string }).xml).toBe(expected.xml)
    expect(expected.xml).toContain("model='selinux'")
    const bad = await post({ xml, qemuCaps, qemuConf: '# ok\nvnc_allow_host_audio = yes\n' })
    expect(bad.status).toBe(422)
    expect(await bad.json()).toMatchObject({ code: 'preview-qemu-conf-syntax', place: { line: 2, column: 24 } })
  })

  it('holds the domain to the edge limits before predicting', async () => {
    const many = xml.replace('</devices>', Array.from({ length: 300 }, (_, i) => `<disk type='file'><source file='/i/${i}'/><target dev='vd${i}'/></disk>`).join('') + '</devices>')
    const response = await post({ xml: many, qemuCaps })
    expect(response.status).toBe(422)
    expect(await response.json()).toMatchObject({ code: 'model-too-many-devices' })
  })
})
