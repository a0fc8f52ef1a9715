// Security labels end to end as libvirt 9.0 reads, checks and writes them (own probes `h59-…`, each defined on the
// sandbox libvirtd 9.0 — its qemu.conf `security_driver = "none"`, DAC stacked beside — next to preview; the expected
// fragments and refusals are what the daemon stored or said).
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'

const host = { qemuConf: { securityDriver: ['none'] }, v9: true }
const dom = (devices: string, labels: string): string =>
  `<domain type='qemu'><name>h59</name><memory>1048576</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><devices>${devices}</devices>${labels}</domain>`
const dynamicDac = "<seclabel type='dynamic' model='dac'/>"
const staticDac = "<seclabel type='static' model='dac'><label>+0:+0</label></seclabel>"
const overriding = "<seclabel model='dac' relabel='no'/>"
const disk = (labels: string, attrs = '', target = "dev='vda' bus='virtio'"): string =>
  `<disk type='file' device='disk'${attrs}><source file='/var/lib/a.img'>${labels}</source><target ${target}/></disk>`

describe("a disk's source left empty once its label is dropped (virDomainDiskSourceFormat: virXMLFormatElement writes no empty element)", () => {
  const cdrom = (source: string): string => `<disk type='file' device='cdrom'>${source}<target dev='sdb' bus='sata'/></disk>`
  it('an empty CD-ROM whose only label relabels without naming one has no <source/>', () => {
    for (const label of ["<seclabel model='dac' relabel='yes'/>", "<seclabel model='dac'/>", "<seclabel model='dac' labelskip='yes'/>", '<seclabel/>']) {
      for (const source of [`<source>${label}</source>`, `<source file=''>${label}</source>`]) {
        const out = predicts(dom(cdrom(source), dynamicDac), host)
        expect(out).toContain("<disk type='file' device='cdrom'>\n      <driver name='qemu' type='raw'/>\n      <target dev='sdb' bus='sata'/>")
        expect(out).not.toContain('<source')
      }
    }
  })
  it('near misses: a label kept keeps the source, and so does an attribute or a path', () => {
    expect(predicts(dom(cdrom(`<source>${overriding}</source>`), dynamicDac), host)).toContain(`<source>\n        ${overriding}\n      </source>`)
    expect(predicts(dom(cdrom("<source startupPolicy='optional'><seclabel model='dac'/></source>"), dynamicDac), host)).toContain("<source startupPolicy='optional'/>")
    expect(predicts(dom(disk("<seclabel model='dac'/>"), dynamicDac), host)).toContain("<source file='/var/lib/a.img'/>")
  })
  it("a backing store's source is not the disk's: left as it was", () => {
    const backed = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/t.qcow2'/><backingStore type='file'><format type='raw'/><source file='/var/lib/b.img'><seclabel model='dac'/></source></backingStore><target dev='vda' bus='virtio'/></disk>"
    expect(predicts(dom(backed, dynamicDac), host)).toContain("<backingStore type='file'>\n        <format type='raw'/>\n        <source file='/var/lib/b.img'/>")
  })
})

describe("a disk label overriding a domain label that does not relabel is virDomainDiskDefValidate's (virSecurityDeviceLabelDefValidate)", () => {
  const conflict = 'label overrides require relabeling to be enabled at the domain level'
  it("comes after every device's parse faults: a later serial port's bad relabel is refused first", () => {
    const badSerial = "<serial type='file'><source path='/var/log/s.log'><seclabel model='dac' relabel='on'/></source></serial>"
    expect(refusal(dom(disk(overriding) + badSerial, staticDac), host)).toMatchObject({ code: 'preview-invalid-value', message: "Invalid value for attribute 'relabel' in element 'seclabel': 'on'.", path: 'domain/devices/serial[1]/source/seclabel/@relabel' })
    // (and a second disk's: the parse reads every disk before any is validated)
    expect(refusal(dom(disk(overriding) + disk("<seclabel model='dac' relabel='on'/>", '', "dev='vdb' bus='virtio'"), staticDac), host)).toMatchObject({ message: "Invalid value for attribute 'relabel' in element 'seclabel': 'on'." })
    // (near miss: the serial port's label read, the disk's conflict is the refusal)
    const goodSerial = badSerial.replace("relabel='on'", "relabel='yes'")
    expect(refusal(dom(disk(overriding) + goodSerial, staticDac), host)).toMatchObject({ code: 'preview-refused', message: conflict, path: "domain/devices/disk[target/@dev='vda']/source/seclabel" })
  })
  it("in the disk's own checks: after a virtio model off virtio, I/O limits, a LUN's raw I/O; before a tray, inquiry strings, a floppy's bus", () => {
    expect(refusal(dom(disk(overriding, " model='virtio'", "dev='sda' bus='sata'"), staticDac), host)).toMatchObject({ message: "disk model 'virtio' not supported for bus 'sata'" })
    expect(refusal(dom(disk(overriding, " rawio='yes'"), staticDac), host)).toMatchObject({ message: "rawio can be used only with device='lun'" })
    expect(refusal(dom(disk(overriding, '', "dev='vda' bus='virtio' tray='open'"), staticDac), host)).toMatchObject({ message: conflict })
    expect(refusal(dom(disk(overriding, '', "dev='sda' bus='scsi'").replace('</disk>', '<vendor>0123456789</vendor></disk>'), staticDac), host)).toMatchObject({ message: conflict })
    // (near misses: the same disks without the label are refused for the later fault, or taken)
    expect(refusal(dom(disk('', '', "dev='vda' bus='virtio' tray='open'"), staticDac), host)).toMatchObject({ message: 'tray is only valid for cdrom and floppy' })
    expect(predicts(dom(disk(overriding), dynamicDac), host)).toContain(`<source file='/var/lib/a.img'>\n        ${overriding}\n      </source>`)
  })
  it("in the devices' order (disks by target): a later disk's fault is met after an earlier disk's conflict, an earlier one's before", () => {
    const trayed = (dev: string): string => disk('', '', `dev='${dev}' bus='virtio' tray='open'`).replace('a.img', 'b.img')
    expect(refusal(dom(disk(overriding) + trayed('vdb'), staticDac), host)).toMatchObject({ message: conflict })
    expect(refusal(dom(trayed('vda') + disk(overriding, '', "dev='vdb' bus='virtio'"), staticDac), host)).toMatchObject({ message: 'tray is only valid for cdrom and floppy' })
    // (written after it, a disk named before it is still walked first: libvirt's parser keeps its disks in target order)
    expect(refusal(dom(disk(overriding, '', "dev='vdb' bus='virtio'") + trayed('vda'), staticDac), host)).toMatchObject({ message: 'tray is only valid for cdrom and floppy' })
  })
})

describe("a device label read whole, in virSecurityDeviceLabelDefParseXML's order: its model against the labels before it, then its relabel", () => {
  const serial = (labels: string): string => `<serial type='file'><source path='/var/log/s.log'>${labels}</source></serial>`
  it("a second label of the same model is refused for its model before its relabel is read", () => {
    const repeated = "<seclabel model='dac'><label>2:2</label></seclabel><seclabel model='dac' relabel='on'/>"
    expect(refusal(dom(disk(repeated), dynamicDac), host)).toMatchObject({ message: 'seclabel for model dac is already provided', path: "domain/devices/disk[target/@dev='vda']/source/seclabel[2]/@model" })
    expect(refusal(dom(serial(repeated), dynamicDac), host)).toMatchObject({ message: 'seclabel for model dac is already provided', path: 'domain/devices/serial[1]/source/seclabel[2]/@model' })
    // (near misses: the first label's bad relabel is met first; of another model, the relabel is the refusal)
    const badFirst = "<seclabel model='dac' relabel='on'/><seclabel model='dac'/>"
    expect(refusal(dom(disk(badFirst), dynamicDac), host)).toMatchObject({ message: "Invalid value for attribute 'relabel' in element 'seclabel': 'on'.", path: "domain/devices/disk[target/@dev='vda']/source/seclabel[1]/@relabel" })
    expect(refusal(dom(serial("<seclabel model='dac'/><seclabel model='selinux' relabel='on'/>"), dynamicDac), host)).toMatchObject({ message: "Invalid value for attribute 'relabel' in element 'seclabel': 'on'.", path: 'domain/devices/serial[1]/source/seclabel[2]/@relabel' })
  })
  it("what the source's parser reads before its labels is still met first (a file's append switch)", () => {
    expect(refusal(dom("<serial type='file'><source path='/var/log/s.log' append='maybe'><seclabel model='dac'/><seclabel model='dac'/></source></serial>", dynamicDac), host)).toMatchObject({ message: "Invalid value for attribute 'append' in element 'source': 'maybe'." })
  })
})
