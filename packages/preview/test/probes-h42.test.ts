// Less probed domain settings and devices as libvirt 9.0 reads, checks and writes them (own probes `h42-…`, each defined
// on the sandbox libvirtd 9.0 beside preview: fixtures/preview/probes/settings-devices-more.xml): `<seclabel>`s — the
// domain's and a device source's (virSecurityLabelDefParseXML, virSecurityDeviceLabelDefParseXML: a model and a label
// read only within libvirt's buffer lengths, model's securityLabelLimits) —, `<vcpus>`, `<hub>`, `<lease>`, `<iommu>`,
// `<sysinfo>` and `<clock>`'s timers. Each expected document or refusal is what the daemon printed.
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const qemuConf = { securityDriver: ['none'] }
const dom = ({ devices = '', post = '', osx = '', machine = 'q35', feat = '' } = {}): string =>
  `<domain type='qemu'><name>h42</name><uuid>4d1e9b2c-5a6f-4c3d-8e7f-0a1b2c3d4e5f</uuid><memory unit='KiB'>524288</memory><vcpu placement='static'>2</vcpu><os><type arch='x86_64' machine='${machine}'>hvm</type>${osx}</os>${feat}<devices>${devices}</devices>${post}</domain>`
const labelsOf = (xml: string): string[] => xml.split('\n').filter((l) => /^  <seclabel|^    <(base)?label>|^  <\/seclabel>/.test(l))
const disk = (label: string): string => `<disk type='file' device='disk'><source file='/var/lib/libvirt/images/h42.img'>${label}</source><target dev='vda' bus='virtio'/></disk>`
const m = (n: number): string => 'm'.repeat(n)
const l = (n: number): string => 'l'.repeat(n)

describe("a domain <seclabel>'s model is read only up to 256 bytes: a longer one is none (virSecurityLabelDefParseXML's STRLIM)", () => {
  it('gives a lone dynamic or none label with a 257-byte model the host\'s model, none here (probes h42-s-model257, h42-s-model257-none, h42-s2-model-e129)', () => {
    for (const machine of ['q35', 'pc']) {
      expect(labelsOf(predicts(dom({ machine, post: `<seclabel type='dynamic' model='${m(257)}'/>` }), { ...v9, qemuConf }))).toEqual(["  <seclabel type='none' model='none'/>"])
      expect(labelsOf(predicts(dom({ machine, post: `<seclabel type='none' model='${m(257)}'/>` }), { ...v9, qemuConf }))).toEqual(["  <seclabel type='none' model='none'/>"])
    }
    // (bytes, not letters: 129 two-byte letters are 258 bytes; 128 are read)
    expect(labelsOf(predicts(dom({ post: `<seclabel type='dynamic' model='${'é'.repeat(129)}'/>` }), { ...v9, qemuConf }))).toEqual(["  <seclabel type='none' model='none'/>"])
    expect(labelsOf(predicts(dom({ post: `<seclabel type='dynamic' model='${'é'.repeat(128)}'/>` }), { ...v9, qemuConf }))).toEqual([`  <seclabel type='dynamic' model='${'é'.repeat(128)}' relabel='yes'/>`])
    // (near miss: 256 bytes are kept)
    expect(labelsOf(predicts(dom({ post: `<seclabel type='dynamic' model='${m(256)}'/>` }), { ...v9, qemuConf }))).toEqual([`  <seclabel type='dynamic' model='${m(256)}' relabel='yes'/>`])
  })
  it('refuses a too long model where a label needs one (probes h42-s2-model257-static, -base, -two, -twice)', () => {
    expect(refusal(dom({ post: `<seclabel type='static' model='${m(257)}' relabel='no'><label>x</label></seclabel>` }), { ...v9, qemuConf }).message).toBe('missing security model in domain seclabel')
    expect(refusal(dom({ post: `<seclabel type='dynamic' model='${m(257)}'><baselabel>b</baselabel></seclabel>` }), { ...v9, qemuConf }).message).toBe('missing security model in domain seclabel')
    expect(refusal(dom({ post: `<seclabel type='dynamic' model='${m(257)}'/><seclabel type='none' model='dac'/>` }), { ...v9, qemuConf }).message).toBe('missing security model when using multiple labels')
    // (two too long models are the same none model)
    expect(refusal(dom({ post: `<seclabel type='dynamic' model='${m(257)}'/><seclabel type='dynamic' model='${'n'.repeat(257)}'/>` }), { ...v9, qemuConf }).message).toBe('seclabel for model (null) is already provided')
  })
})

describe('a <label> and <baselabel> are read only up to 4,096 bytes', () => {
  it("refuses a static domain label's longer label as missing (probes h42-s-static-label4097, h42-s2-label-e2049, h42-s2-label4097-first)", () => {
    expect(refusal(dom({ post: `<seclabel type='static' model='dac'><label>${l(4097)}</label></seclabel>` }), { ...v9, qemuConf }).message).toBe('security label is missing')
    expect(refusal(dom({ machine: 'pc', post: `<seclabel type='static' model='dac'><label>${'é'.repeat(2049)}</label></seclabel>` }), { ...v9, qemuConf }).message).toBe('security label is missing')
    expect(refusal(dom({ post: `<seclabel type='static' model='dac'><label>${l(4097)}</label><label>a</label></seclabel>` }), { ...v9, qemuConf }).message).toBe('security label is missing')
    // (near misses: 4,096 bytes, and a long second label not read)
    expect(labelsOf(predicts(dom({ post: `<seclabel type='static' model='dac'><label>${l(4096)}</label></seclabel>` }), { ...v9, qemuConf }))).toEqual(["  <seclabel type='static' model='dac' relabel='no'>", `    <label>${l(4096)}</label>`, '  </seclabel>'])
    expect(labelsOf(predicts(dom({ post: `<seclabel type='static' model='dac'><label>a</label><label>${l(4097)}</label></seclabel>` }), { ...v9, qemuConf }))).toEqual(["  <seclabel type='static' model='dac' relabel='no'>", '    <label>a</label>', '  </seclabel>'])
  })
  it('reads a longer base label as none: not written, and a lone label without a model then takes the host\'s (probes h42-s-base4097, h42-s2-nomodel-base4097)', () => {
    expect(labelsOf(predicts(dom({ post: `<seclabel type='dynamic' model='selinux'><baselabel>${l(4097)}</baselabel></seclabel>` }), { ...v9, qemuConf }))).toEqual(["  <seclabel type='dynamic' model='selinux' relabel='yes'/>"])
    expect(labelsOf(predicts(dom({ post: `<seclabel type='dynamic'><baselabel>${l(4097)}</baselabel></seclabel>` }), { ...v9, qemuConf }))).toEqual(["  <seclabel type='none' model='none'/>"])
    expect(labelsOf(predicts(dom({ post: `<seclabel type='dynamic' model='${m(257)}'><baselabel>${l(4097)}</baselabel></seclabel>` }), { ...v9, qemuConf }))).toEqual(["  <seclabel type='none' model='none'/>"])
    // (near miss: a base label of 4,096 bytes is kept)
    expect(labelsOf(predicts(dom({ post: `<seclabel type='dynamic' model='selinux'><baselabel>${l(4096)}</baselabel></seclabel>` }), { ...v9, qemuConf }))).toEqual(["  <seclabel type='dynamic' model='selinux' relabel='yes'>", `    <baselabel>${l(4096)}</baselabel>`, '  </seclabel>'])
  })
  it("reads a device label's longer label as none: a relabelling one not written, one with relabel='no' not refused (probes h42-ds-label4097-…, h42-s2-dev-label-e2049)", () => {
    for (const machine of ['q35', 'pc']) {
      expect(predicts(dom({ machine, devices: disk(`<seclabel model='dac'><label>${l(4097)}</label></seclabel>`) }), { ...v9, qemuConf })).toContain("<source file='/var/lib/libvirt/images/h42.img'/>")
      expect(predicts(dom({ machine, devices: disk(`<seclabel model='dac' relabel='no'><label>${l(4097)}</label></seclabel>`) }), { ...v9, qemuConf })).toContain("<source file='/var/lib/libvirt/images/h42.img'>\n        <seclabel model='dac' relabel='no'/>\n      </source>")
    }
    expect(predicts(dom({ devices: disk(`<seclabel model='dac'><label>${'é'.repeat(2049)}</label></seclabel>`) }), { ...v9, qemuConf })).toContain("<source file='/var/lib/libvirt/images/h42.img'/>")
    const serial = predicts(dom({ devices: `<serial type='file'><source path='/tmp/h42.log'><seclabel model='dac' relabel='no'><label>${l(4097)}</label></seclabel></source><target port='0'/></serial>` }), { ...v9, qemuConf })
    expect(serial).toContain("<source path='/tmp/h42.log'>\n        <seclabel model='dac' relabel='no'/>\n      </source>")
    // (near misses: 4,096 bytes are a label — kept, or refused beside relabel='no')
    expect(predicts(dom({ devices: disk(`<seclabel model='dac'><label>${l(4096)}</label></seclabel>`) }), { ...v9, qemuConf })).toContain(`<seclabel model='dac' relabel='yes'>\n          <label>${l(4096)}</label>`)
    expect(refusal(dom({ devices: disk(`<seclabel model='dac' relabel='no'><label>${l(4096)}</label></seclabel>`) }), { ...v9, qemuConf }).message).toBe('Cannot specify a label if relabelling is turned off. model=dac')
  })
})

describe("a disk without a target is refused by virDomainDiskDefValidate, the first device check — not by the parser", () => {
  const noTarget = "<disk type='file' device='disk'><source file='/tmp/a'/></disk>"
  const missing = 'missing target information for device /tmp/a'
  it('lets the parser, the post-parse and the QEMU driver\'s domain checks refuse first (probes h42-pr2-…-disktgt)', () => {
    // (the parser: a timer's name, a vCPU's id, BIOS date, a hub's type, a controller's model further down the devices)
    expect(refusal(dom({ devices: noTarget, post: "<clock offset='utc'><timer name='x'/></clock>" }), v9).message).toBe("Invalid value for attribute 'name' in element 'timer': 'x'.")
    expect(refusal(dom({ devices: noTarget, post: "<sysinfo type='smbios'><bios><entry name='date'>x</entry></bios></sysinfo>" }), v9).message).toBe("Invalid BIOS 'date' format")
    expect(refusal(dom({ machine: 'pc', devices: `${noTarget}<hub type='x'/>` }), v9).message).toBe("unknown hub device type 'x'")
    expect(refusal(dom({ devices: `${noTarget}<controller type='scsi' model='x'/>` }), v9).message).toBe("Unknown model type 'x'")
    // (the post-parse: a timer's mode, catch-up without its policy; a PCI address taken twice)
    expect(refusal(dom({ machine: 'pc', devices: noTarget, post: "<clock offset='utc'><timer name='pit' mode='native'/></clock>" }), v9).message).toBe("timer pit doesn't support setting of timer mode")
    expect(refusal(dom({ machine: 'pc', devices: noTarget, post: "<clock offset='utc'><timer name='rtc'><catchup slew='1'/></timer></clock>" }), v9).message).toBe("setting of timer catchup policies is only supported with tickpolicy='catchup'")
    expect(refusal(dom({ devices: "<disk type='file' device='disk'><source file='/tmp/a'/><address type='pci' domain='0x0000' bus='0x00' slot='0x09' function='0x0'/></disk><interface type='user'><model type='virtio'/><address type='pci' domain='0x0000' bus='0x00' slot='0x09' function='0x0'/></interface>" }), v9).message).toBe('Attempted double use of PCI Address 0000:00:09.0')
    // (the QEMU driver's domain checks: the platform timer, a fw_cfg name)
    expect(refusal(dom({ machine: 'pc', devices: noTarget, post: "<clock offset='utc'><timer name='platform'/></clock>" }), v9).message).toBe("unsupported timer type (name) 'platform'")
    expect(refusal(dom({ devices: noTarget, post: "<sysinfo type='fwcfg'><entry name='x'>v</entry></sysinfo>" }), v9).message).toBe('Invalid firmware name')
  })
  it('refuses it before any other device check, and before the generic domain checks (probes h42-pr2-iomeim-disktgt, h42-nt-…)', () => {
    expect(refusal(dom({ devices: `${noTarget}<iommu model='intel'><driver eim='on'/></iommu>` }), v9).message).toBe(missing)
    expect(refusal(dom({ machine: 'pc', devices: `${noTarget}<iommu model='intel'/>` }), v9).message).toBe(missing)
    // (but not before the parser's: per-device boot orders beside <os>'s — probe h42-nt-boot-both)
    expect(refusal(dom({ devices: "<disk type='file' device='disk'><source file='/tmp/a'/><boot order='1'/></disk>", osx: "<boot dev='hd'/>" }), v9).message).toBe('per-device boot elements cannot be used together with os/boot elements')
    // (a disk validated before it refuses first: a USB disk's PCI address)
    expect(refusal(dom({ devices: `<disk type='file' device='disk'><source file='/tmp/b'/><target dev='vda' bus='usb'/><address type='pci' domain='0x0000' bus='0x00' slot='0x09' function='0x0'/></disk>${noTarget}` }), v9).message).toBe('unexpected address type for usb disk')
    // (near miss: alone, in the source's words, a volume's by its pool and volume)
    expect(refusal(dom({ devices: noTarget }), v9).message).toBe(missing)
    expect(refusal(dom({ devices: "<disk type='volume' device='disk'><source pool='p' volume='v'/></disk>" }), v9).message).toBe("missing target information for device pool = 'p', volume = 'v'")
  })
})

describe("a shared memory device's server and size checked by the QEMU driver's device post-parse (qemuDomainShmemDefPostParse)", () => {
  const plainServer = "<shmem name='s'><model type='ivshmem-plain'/><server path='/tmp/s'/></shmem>"
  const doorbell = "<shmem name='s'><model type='ivshmem-doorbell'/></shmem>"
  it("refuses before virDomainDefPostParseCommon's timer checks (probes h42-pr3-tmode-shmem-server-plain, h42-sh-…-tmode)", () => {
    expect(refusal(dom({ machine: 'pc', devices: plainServer, post: "<clock offset='utc'><timer name='pit' mode='native'/></clock>" }), v9).message).toBe("shmem model 'ivshmem-plain' is supported only with server option disabled")
    expect(refusal(dom({ devices: doorbell, post: "<clock offset='utc'><timer name='rtc'><catchup slew='1'/></timer></clock>" }), v9).message).toBe("shmem model 'ivshmem-doorbell' is supported only with server option enabled")
    // (near miss: a plain device without a server is taken, and the timer refused)
    expect(refusal(dom({ machine: 'pc', devices: "<shmem name='s'><model type='ivshmem-plain'/></shmem>", post: "<clock offset='utc'><timer name='pit' mode='native'/></clock>" }), v9).message).toBe("timer pit doesn't support setting of timer mode")
  })
  it("walks the devices kind by kind, as their validation does: a controller's post-parse refusal first, whatever the document's order (probes h42-sh-…-ctl-iothread-first)", () => {
    const iothread = "<controller type='scsi' model='lsilogic'><driver iothread='1'/></controller>"
    expect(refusal(dom({ devices: `${doorbell}${iothread}` }), v9).message).toBe("'iothread' attribute only supported for virtio scsi controllers")
    expect(refusal(dom({ machine: 'pc', devices: `${plainServer}${iothread}` }), v9).message).toBe("'iothread' attribute only supported for virtio scsi controllers")
    expect(refusal(dom({ devices: `${iothread}${doorbell}` }), v9).message).toBe("'iothread' attribute only supported for virtio scsi controllers")
  })
})

describe("a guest forwarding channel's target address read before its port (virDomainChrDefParseTargetXML)", () => {
  const channel = (target: string, source = ''): string => dom({ machine: 'pc', devices: `<channel type='pty'>${source}${target}</channel>` })
  it('refuses a missing, unreadable or IPv6 address before a missing or bad port (probes h42-gf-…, h42-pr3-alone-chr-guestfwd-noaddr)', () => {
    expect(refusal(channel("<target type='guestfwd'/>"), v9).message).toBe('guestfwd channel does not define a target address')
    expect(refusal(channel("<target type='guestfwd' port='x'/>"), v9).message).toBe('guestfwd channel does not define a target address')
    expect(refusal(channel("<target type='guestfwd' address='1.2.3.4.5'/>"), v9).message).toBe("Cannot parse socket address '1.2.3.4.5': Name or service not known")
    expect(refusal(channel("<target type='guestfwd' address=''/>"), v9).message).toBe("Cannot parse socket address '': Name or service not known")
    expect(refusal(channel("<target type='guestfwd' address='::1' port='x'/>"), v9).message).toBe('guestfwd channel only supports IPv4 addresses')
    // (near miss: an IPv4 address, then the port is required)
    expect(refusal(channel("<target type='guestfwd' address='10.0.2.1'/>"), v9).message).toBe("Missing required attribute 'port' in element 'target'")
    // (and a device parsed before it, or a setting, still refuses first)
    expect(refusal(dom({ devices: "<serial type='pty'><target port='x'/></serial><channel type='pty'><target type='guestfwd'/></channel>" }), v9).message).toBe('Invalid port number: x')
    expect(refusal(dom({ devices: "<channel type='pty'><target type='guestfwd'/></channel>", post: "<clock offset='utc'><timer name='x'/></clock>" }), v9).message).toBe("Invalid value for attribute 'name' in element 'timer': 'x'.")
  })
})
