// Security labels (_seclabels.ts): what libvirt refuses in the domain's labels and in a device source's,
// and what an inactive definition keeps of them. Every case was defined on libvirtd 9.0 (the sandbox, its
// qemu.conf `security_driver = "none"`) and its answer or `dumpxml --inactive` is what is expected here.
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'

// (as the daemon they were seen on: libvirt 9.0 — what 11.3 does otherwise is tested as such below)
const host = { qemuConf: { securityDriver: ['none'] }, v9: true }
const dom = (domainLabels: string, diskLabels = '', serialLabels = ''): string => `<domain type='qemu'>
  <name>t</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><source file='/var/lib/x.img'>${diskLabels}</source><target dev='vda' bus='virtio'/></disk>
    <serial type='file'><source path='/tmp/x.log'>${serialLabels}</source></serial>
  </devices>
  ${domainLabels}
</domain>
`
/** The security labels of the predicted domain, one per line, spaces squeezed. */
const labels = (xml: string): string[] => predicts(xml, host).split('\n').filter((l) => /seclabel|label>/.test(l)).map((l) => l.trim())

describe("the domain's labels", () => {
  it.each([
    ["<seclabel type='bogus' model='dac'/>", 'preview-invalid-value', "Invalid value for attribute 'type' in element 'seclabel': 'bogus'.", 'domain/seclabel/@type'],
    ["<seclabel type='default' model='dac'/>", 'preview-invalid-value', "Invalid value for attribute 'type' in element 'seclabel': 'default'.", 'domain/seclabel/@type'],
    ["<seclabel type='dynamic' model='dac' relabel='maybe'/>", 'preview-invalid-value', "Invalid value for attribute 'relabel' in element 'seclabel': 'maybe'.", 'domain/seclabel/@relabel'],
    ["<seclabel type='dynamic' model='dac' relabel='no'/>", 'preview-refused', 'dynamic label type must use resource relabeling', 'domain/seclabel/@relabel'],
    ["<seclabel type='none' relabel='yes'/>", 'preview-refused', "resource relabeling is not compatible with 'none' label type", 'domain/seclabel/@relabel'],
    ["<seclabel type='static' model='dac'/>", 'preview-invalid-value', 'security label is missing', 'domain/seclabel/label'],
    ["<seclabel type='static' model='dac'><label></label></seclabel>", 'preview-invalid-value', 'security label is missing', 'domain/seclabel/label'],
    ["<seclabel type='static' model='dac'><label>0:0</label></seclabel><seclabel type='static' model='dac'><label>0:0</label></seclabel>", 'preview-invalid-value', 'seclabel for model dac is already provided', 'domain/seclabel[2]/@model'],
    ["<seclabel type='none'/><seclabel type='none'/>", 'preview-invalid-value', 'seclabel for model (null) is already provided', 'domain/seclabel[2]/@model'],
    ['<seclabel/>', 'preview-invalid-value', 'missing security model in domain seclabel', 'domain/seclabel'],
    ["<seclabel type='static'><label>x</label></seclabel>", 'preview-invalid-value', 'missing security model in domain seclabel', 'domain/seclabel'],
    ["<seclabel type='dynamic'><baselabel>x</baselabel></seclabel>", 'preview-invalid-value', 'missing security model in domain seclabel', 'domain/seclabel'],
    ["<seclabel type='dynamic' model='dac'/><seclabel type='none'/>", 'preview-invalid-value', 'missing security model when using multiple labels', 'domain/seclabel[2]'],
  ])('refuses %s', (domainLabels, code, message, path) => {
    expect(refusal(dom(domainLabels), host)).toEqual({ name: 'PreviewError', code, message, path })
  })

  it.each([
    // a lone label without a model takes the host's first security driver; model none is type none
    ["<seclabel type='none'/>", ["<seclabel type='none' model='none'/>"]],
    ["<seclabel type='dynamic' relabel='yes'/>", ["<seclabel type='none' model='none'/>"]],
    ["<seclabel type='dynamic' model='none'/>", ["<seclabel type='none' model='none'/>"]],
    ["<seclabel type='static' model='none'/>", ["<seclabel type='none' model='none'/>"]],
    // relabel spelt out; a dynamic label keeps its base label only, a static one its label only
    ["<seclabel type='dynamic' model='dac'/>", ["<seclabel type='dynamic' model='dac' relabel='yes'/>"]],
    ["<seclabel type='dynamic' model='dac'><label>x</label><imagelabel>y</imagelabel></seclabel>", ["<seclabel type='dynamic' model='dac' relabel='yes'/>"]],
    ["<seclabel type='dynamic' model='dac'><label></label></seclabel>", ["<seclabel type='dynamic' model='dac' relabel='yes'/>"]],
    ["<seclabel type='dynamic' model='dac'><baselabel>+0:+0</baselabel></seclabel>", ["<seclabel type='dynamic' model='dac' relabel='yes'>", '<baselabel>+0:+0</baselabel>', '</seclabel>']],
    ["<seclabel type='static' model='dac' relabel='yes'><label>0:0</label><imagelabel>1:1</imagelabel><baselabel>x</baselabel></seclabel>", ["<seclabel type='static' model='dac' relabel='yes'>", '<label>0:0</label>', '</seclabel>']],
    // a label without a type is not written
    ["<seclabel model='dac'/>", []],
    ["<seclabel model='dac' relabel='no'/>", []],
    ["<seclabel model='dac'/><seclabel type='dynamic' model='none'/>", ["<seclabel type='none' model='none'/>"]],
  ])('keeps of %s what an inactive definition has', (domainLabels, kept) => {
    expect(labels(dom(domainLabels))).toEqual(kept)
  })

  it('names the label not predicted when the host security driver is unknown', () => {
    expect(() => predicts(dom("<seclabel type='none'/>"))).not.toThrow()
    expect(predicts(dom("<seclabel type='none'/>"))).toContain("<seclabel type='none'/>")
  })
})

describe("a device source's labels", () => {
  it.each([
    ["<seclabel model='selinux' relabel='no'/><seclabel model='selinux' relabel='no'/>", 'seclabel for model selinux is already provided', "domain/devices/disk[target/@dev='vda']/source/seclabel[2]/@model"],
    // (a value the reader does not take: read with the rest of the label, after its model — probes h59-rx…)
    ["<seclabel model='dac' relabel='maybe'/>", "Invalid value for attribute 'relabel' in element 'seclabel': 'maybe'.", "domain/devices/disk[target/@dev='vda']/source/seclabel/@relabel"],
    ["<seclabel model='dac' relabel='no'><label>1:1</label></seclabel>", 'Cannot specify a label if relabelling is turned off. model=dac', "domain/devices/disk[target/@dev='vda']/source/seclabel/label"],
  ])('refuses %s', (diskLabels, message, path) => {
    expect(refusal(dom("<seclabel type='dynamic' model='dac'/>", diskLabels), host)).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message, path })
  })

  it("refuses a disk label overriding a domain label that does not relabel (the device label's own relabel does not matter)", () => {
    const refused = { name: 'PreviewError', code: 'preview-refused', message: 'label overrides require relabeling to be enabled at the domain level', path: "domain/devices/disk[target/@dev='vda']/source/seclabel" }
    expect(refusal(dom("<seclabel type='none' model='dac'/>", "<seclabel model='dac' relabel='no'/>"), host)).toEqual(refused)
    expect(refusal(dom("<seclabel type='static' model='dac'><label>0:0</label></seclabel>", "<seclabel model='dac'/>"), host)).toEqual(refused)
    expect(refusal(dom("<seclabel type='static' model='dac' relabel='no'><label>0:0</label></seclabel>", "<seclabel model='dac' relabel='no'/>"), host)).toEqual(refused)
    // a lone label without a model has the host's: `none`, which never relabels
    expect(refusal(dom("<seclabel type='none'/>", "<seclabel model='none' relabel='no'/>"), host)).toEqual(refused)
    // labels of other models, or without one, override nothing
    expect(labels(dom("<seclabel type='none'/>", "<seclabel model='dac' relabel='yes'/>"))).toEqual(["<seclabel type='none' model='none'/>"])
    expect(labels(dom("<seclabel type='static' model='dac' relabel='yes'><label>0:0</label></seclabel>", "<seclabel model='dac' relabel='no'/>"))).toContain("<seclabel model='dac' relabel='no'/>")
  })

  it('keeps a label that does not relabel or names a label, relabel spelt out; drops the others (and labelskip)', () => {
    const domainLabel = "<seclabel type='dynamic' model='dac'/>"
    expect(labels(dom(domainLabel, "<seclabel model='dac'/>"))).toEqual(["<seclabel type='dynamic' model='dac' relabel='yes'/>"])
    expect(labels(dom(domainLabel, "<seclabel model='dac' labelskip='yes'/>"))).toEqual(["<seclabel type='dynamic' model='dac' relabel='yes'/>"])
    expect(labels(dom(domainLabel, "<seclabel relabel='no'/>"))).toEqual(["<seclabel relabel='no'/>", "<seclabel type='dynamic' model='dac' relabel='yes'/>"])
    expect(labels(dom(domainLabel, "<seclabel model='dac' relabel='no'><label/></seclabel>"))[0]).toBe("<seclabel model='dac' relabel='no'/>")
    expect(labels(dom(domainLabel, "<seclabel model='dac'><label>1:1</label></seclabel>")).slice(0, 3)).toEqual(["<seclabel model='dac' relabel='yes'>", '<label>1:1</label>', '</seclabel>'])
    // a source left without children is written empty
    expect(predicts(dom(domainLabel, "<seclabel model='dac'/>"), host)).toContain("<source file='/var/lib/x.img'/>")
  })

  it("libvirt 11 refuses a device label written relabel='yes' without a label, which 9.0 dropped (qemuxmlconftest seclabel-device-relabel-invalid)", () => {
    const domainLabel = "<seclabel type='dynamic' model='dac'/>"
    expect(refusal(dom(domainLabel, "<seclabel model='dac' relabel='yes'/>"), { qemuConf: host.qemuConf })).toMatchObject({ code: 'preview-invalid-value', message: 'Cannot specify relabel if label is missing. model=dac', path: "domain/devices/disk[target/@dev='vda']/source/seclabel/@relabel" })
    // (relabel left out is no refusal: the label is dropped as on 9.0)
    expect(predicts(dom(domainLabel, "<seclabel model='dac'/>"), { qemuConf: host.qemuConf })).toContain("<source file='/var/lib/x.img'/>")
    expect(labels(dom(domainLabel, "<seclabel model='dac' relabel='yes'/>"))).toEqual(["<seclabel type='dynamic' model='dac' relabel='yes'/>"])
  })

  it("reads a character device's labels the same way (its console copy too)", () => {
    const domainLabel = "<seclabel type='dynamic' model='dac'/>"
    expect(labels(dom(domainLabel, '', "<seclabel model='dac' relabel='no'/>"))).toEqual(["<seclabel model='dac' relabel='no'/>", "<seclabel model='dac' relabel='no'/>", domainLabel.replace('/>', " relabel='yes'/>")])
    expect(refusal(dom(domainLabel, '', "<seclabel model='dac' relabel='no'><label>1:1</label></seclabel>"), host)).toMatchObject({ message: 'Cannot specify a label if relabelling is turned off. model=dac', path: 'domain/devices/serial[1]/source/seclabel/label' })
  })
})
