// qemu.conf: libvirt's conf syntax read into the settings that act on define, and what each changes.
import { describe, expect, it } from 'vitest'
import { parseQemuConf, PreviewError, type QemuConf } from '../src/index.ts'
import { domainXml } from './_caps.ts'
import { all, one, run } from './_find.ts'

function refusal(text: string): PreviewError {
  try {
    parseQemuConf(text)
  } catch (error) {
    if (error instanceof PreviewError) return error
    throw error
  }
  throw new Error('parseQemuConf accepted the text')
}

describe('parseQemuConf', () => {
  it('reads the settings that act on define from libvirt\'s syntax and ignores the rest', () => {
    const conf = parseQemuConf(`# Master configuration file for the QEMU driver.
vnc_listen = "0.0.0.0"     # start-time only: ignored
user = 'root' ; group = "root"
max_files = 32768
security_driver = [ "selinux",
  # a comment inside a list
  'apparmor',
]
nographics_allow_host_audio = 1
vnc_allow_host_audio = 0
nvram = [
  """/usr/share/OVMF/OVMF_CODE.fd:/usr/share/OVMF/OVMF_VARS.fd"""
]
`)
    expect(conf).toEqual({
      securityDriver: ['selinux', 'apparmor'],
      nographicsAllowHostAudio: true,
      vncAllowHostAudio: false,
      nvram: ['/usr/share/OVMF/OVMF_CODE.fd:/usr/share/OVMF/OVMF_VARS.fd'],
    })
  })

  it('takes `security_driver` as one string too (libvirt\'s compatible form) and bytes as UTF-8', () => {
    expect(parseQemuConf(new TextEncoder().encode('security_driver = "none"\n'))).toEqual({ securityDriver: ['none'] })
    expect(parseQemuConf('')).toEqual({})
    expect(parseQemuConf('security_driver = []')).toEqual({})
  })

  it('refuses bad syntax with the line and column (columns count code points, offsets UTF-8 bytes)', () => {
    const cases: [string, string, number, number][] = [
      ['user "root"', 'Unexpected `"`, expected `=`', 1, 6],
      ['\nsecurity_driver = "none', 'Unexpected end of file, expected `"` closing the string', 2, 24],
      ['a = yes', 'Unexpected `y`, expected a value', 1, 5],
      ['a = [ "x" "y" ]', 'Unexpected `"`, expected `,` or `]`', 1, 11],
      ['a = 1 2', 'Unexpected `2`, expected the end of the line', 1, 7],
      ['= 1', 'Unexpected `=`, expected a setting name', 1, 1],
      ['a = -', 'Unexpected end of file, expected a digit', 1, 6],
      // lists in lists, but not without end (100,000 levels overflowed the stack)
      [`a = ${'['.repeat(100_000)}`, 'A list nested deeper than 32 levels', 1, 37],
    ]
    for (const [text, message, line, column] of cases) {
      const error = refusal(text)
      expect(error.code, text).toBe('preview-qemu-conf-syntax')
      expect(error.message, text).toContain(message)
      expect(error.place, text).toMatchObject({ line, column })
    }
    const wide = refusal('a = "é" x')
    expect(wide.place).toEqual({ line: 1, column: 9, offset: 9 })
  })

  it('refuses a kept setting of the wrong type, where the value is', () => {
    const cases: [string, string, number, number][] = [
      ['nographics_allow_host_audio = "yes"', 'Unexpected string `"yes"` for `nographics_allow_host_audio`, expected 0 or 1', 1, 31],
      ['vnc_allow_host_audio = 2', 'Unexpected number `2` for `vnc_allow_host_audio`, expected 0 or 1', 1, 24],
      ['security_driver = 1', 'Unexpected number `1` for `security_driver`, expected a list of strings or a string', 1, 19],
      ['security_driver = [ "selinux", 0 ]', 'Unexpected number `0` in `security_driver`, expected a string', 1, 32],
      ['security_driver = [ "none", "none" ]', 'Duplicate security driver `none`', 1, 29],
      ['nvram = "a:b"', 'Unexpected string `"a:b"` for `nvram`, expected a list of strings', 1, 9],
    ]
    for (const [text, message, line, column] of cases) {
      const error = refusal(text)
      expect(error.code, text).toBe('preview-qemu-conf-value')
      expect(error.message, text).toContain(message)
      expect(error.place, text).toMatchObject({ line, column })
    }
    // a setting preview ignores is not type-checked: it does not act on define
    expect(parseQemuConf('vnc_tls = "maybe"')).toEqual({})
  })
})

describe('what the settings change', () => {
  const dynamic = "<seclabel type='dynamic' relabel='yes'/>"
  const labelled = (conf?: QemuConf, testHost?: 'latest') =>
    run(domainXml('pc', '').replace('</devices>', `</devices>${dynamic}`), { ...(conf ? { qemuConf: conf } : {}), ...(testHost ? { testHost } : {}) })

  it('security_driver: the first driver is the model of a label without one; none makes it none', () => {
    expect(one(labelled({ securityDriver: ['none'] }).root, 'seclabel').attributes).toEqual({ type: 'none', model: 'none' })
    expect(one(labelled({ securityDriver: ['selinux', 'apparmor'] }).root, 'seclabel').attributes).toEqual({ type: 'dynamic', model: 'selinux', relabel: 'yes' })
    const unknown = labelled()
    expect(one(unknown.root, 'seclabel').attributes).toEqual({ type: 'dynamic', relabel: 'yes' })
    expect(unknown.notPredicted.map((n) => n.path)).toContain('domain/seclabel')
  })

  it('libvirt\'s test host is expressed as its qemu.conf (no security driver), which a given qemu.conf overrides', () => {
    expect(one(labelled(undefined, 'latest').root, 'seclabel').attributes).toEqual({ type: 'none', model: 'none' })
    expect(one(labelled({ securityDriver: ['apparmor'] }, 'latest').root, 'seclabel').attributes.model).toBe('apparmor')
  })

  it('nographics_allow_host_audio: a domain without graphics gets the host\'s audio backend', () => {
    const plain = domainXml('pc', '')
    expect(one(run(plain).root, 'devices/audio').attributes).toEqual({ id: '1', type: 'none' })
    expect(one(run(plain, { qemuConf: { nographicsAllowHostAudio: true, audioDriver: 'alsa' } }).root, 'devices/audio').attributes).toEqual({ id: '1', type: 'alsa' })
    // allowed, but the backend (libvirtd's QEMU_AUDIO_DRV) is not known: said, not guessed
    const unknown = run(plain, { qemuConf: { nographicsAllowHostAudio: true } })
    expect(all(unknown.root, 'devices/audio')).toHaveLength(0)
    expect(unknown.notPredicted.map((n) => n.path)).toContain('domain/devices/audio')
    // with graphics the setting does not apply
    const vnc = domainXml('pc', "<graphics type='vnc'/>")
    expect(one(run(vnc, { qemuConf: { nographicsAllowHostAudio: true, audioDriver: 'alsa' } }).root, 'devices/audio').attributes.type).toBe('none')
  })

  it('vnc_allow_host_audio: so does a domain whose first graphics is VNC, but never one with SPICE', () => {
    const conf: QemuConf = { vncAllowHostAudio: true, audioDriver: 'pulseaudio' }
    expect(one(run(domainXml('pc', "<graphics type='vnc'/>"), { qemuConf: conf }).root, 'devices/audio').attributes.type).toBe('pulseaudio')
    expect(one(run(domainXml('pc', "<graphics type='vnc'/><graphics type='spice'/>"), { qemuConf: conf }).root, 'devices/audio').attributes.type).toBe('spice')
    expect(one(run(domainXml('pc', ''), { qemuConf: conf }).root, 'devices/audio').attributes.type).toBe('none')
  })

  it('nvram: a manual loader in the legacy list (qemu.conf\'s, else libvirt\'s own) takes its pair\'s template; any other is raw', () => {
    const loader = (path: string) => domainXml('q35', '', '<features><acpi/></features>').replace('</os>', `<loader readonly='yes' type='pflash'>${path}</loader></os>`)
    const nvramOf = (xml: string, qemuConf?: { nvram: string[] }) => one(run(xml, qemuConf ? { qemuConf } : {}).root, 'os/nvram').attributes
    expect(nvramOf(loader('/usr/share/OVMF/OVMF_CODE.fd'))).toEqual({ template: '/usr/share/OVMF/OVMF_VARS.fd', templateFormat: 'raw', format: 'raw' })
    expect(nvramOf(loader('/usr/share/OVMF/OVMF_CODE.fd'), { nvram: ['/usr/share/OVMF/OVMF_CODE.fd:/custom/VARS.fd'] })).toEqual({ template: '/custom/VARS.fd', templateFormat: 'raw', format: 'raw' })
    expect(nvramOf(loader('/opt/fw/CODE.fd'))).toEqual({ format: 'raw' })
    expect(one(run(loader('/opt/fw/CODE.fd')).root, 'os/loader').attributes).toEqual({ readonly: 'yes', type: 'pflash', format: 'raw' })
    expect(run(loader('/usr/share/OVMF/OVMF_CODE.fd')).notPredicted.map((n) => n.path)).not.toContain('domain/os/nvram')
  })
})
