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
