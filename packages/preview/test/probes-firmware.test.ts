// Firmware selection as libvirtd 9.0 stores it at define (own probes `h32-…`, each defined on the sandbox libvirtd 9.0
// beside preview): `<os firmware>`, the `<firmware>` features, `<loader>` and `<nvram>` as the parser reads them
// (virDomainDefParseBootFirmwareOptions, virDomainLoaderDefParseXML) and the formatter writes them
// (virDomainLoaderDefFormat). libvirt 9.0 picks a firmware descriptor only when the domain starts: its definition keeps
// the request as written.
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const dom = (os: string, osAttrs = '', features = '<acpi/>', machine = 'q35'): string =>
  `<domain type='qemu'><name>fw</name><memory>524288</memory><vcpu>1</vcpu><os${osAttrs}><type arch='x86_64' machine='${machine}'>hvm</type>${os}</os><features>${features}</features><devices></devices></domain>`
const osOf = (xml: string): string => /<os[ >][\s\S]*?<\/os>/.exec(xml)![0]
const loader = "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"

describe("<os firmware> (virDomainDefParseBootFirmwareOptions)", () => {
  it("an empty firmware is none (virXPathString): not written, where 'efi' is kept", () => {
    expect(osOf(predicts(dom('', " firmware=''"), v9))).toMatch(/^<os>\n/)
    expect(osOf(predicts(dom('', " firmware='efi'"), v9))).toMatch(/^<os firmware='efi'>\n/)
    // (a firmware of another name is refused, ' efi' too)
    expect(refusal(dom('', " firmware=' efi'"), v9)).toMatchObject({ message: 'unknown firmware value  efi' })
  })
})

describe("<os><firmware><feature> (every ./os/firmware/feature, the last of a name winning)", () => {
  const sb = (on: string): string => `<feature enabled='${on}' name='secure-boot'/>`
  const ek = (on: string): string => `<feature enabled='${on}' name='enrolled-keys'/>`
  it('the features of two <firmware> elements are read as one list, written in one <firmware>', () => {
    expect(osOf(predicts(dom(`<firmware>${sb('yes')}</firmware><firmware>${ek('no')}</firmware>`, " firmware='efi'"), v9)))
      .toContain(`<firmware>\n      ${ek('no')}\n      ${sb('yes')}\n    </firmware>`)
  })
  it("enrolled keys written, then secure boot off, then the keys off again: the last says no keys, so nothing is refused", () => {
    expect(osOf(predicts(dom(`<firmware>${ek('yes')}${sb('no')}${ek('no')}</firmware>`, " firmware='efi'"), v9)))
      .toContain(`<firmware>\n      ${ek('no')}\n      ${sb('no')}\n    </firmware>`)
    // (the near miss: the keys on with secure boot off are refused, with or without <os firmware>)
    expect(refusal(dom(`<firmware>${ek('no')}${sb('no')}${ek('yes')}</firmware>`, " firmware='efi'"), v9)).toMatchObject({ message: "firmware feature 'enrolled-keys' cannot be enabled when firmware feature 'secure-boot' is disabled" })
    expect(refusal(dom(`<firmware>${ek('yes')}${sb('no')}${ek('yes')}</firmware>`, " firmware='bios'"), v9)).toMatchObject({ message: "firmware feature 'enrolled-keys' cannot be enabled when firmware feature 'secure-boot' is disabled" })
  })
  it('features in a second <firmware> without <os firmware> are feature-based autoselection all the same: refused', () => {
    expect(refusal(dom(`<firmware/><firmware>${sb('yes')}</firmware>`), v9)).toMatchObject({ message: 'cannot use feature-based firmware autoselection when firmware autoselection is disabled' })
    expect(osOf(predicts(dom('<firmware/><firmware/>'), v9))).not.toContain('<firmware')
  })
})

describe('<loader> and <nvram> text (virXMLNodeContentString) as virDomainLoaderDefFormat writes it', () => {
  it('a path ending in a newline: the closing tag on its own line, indented (the child buffer, then the indent)', () => {
    expect(osOf(predicts(dom("<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd\n</loader>"), v9)))
      .toContain("<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd\n    </loader>\n")
    expect(osOf(predicts(dom("<loader readonly='yes' type='pflash'>\n/usr/share/OVMF/OVMF_CODE.fd\n</loader>"), v9)))
      .toContain("<loader readonly='yes' type='pflash'>\n/usr/share/OVMF/OVMF_CODE.fd\n    </loader>\n")
    expect(osOf(predicts(dom(`${loader}<nvram>/tmp/n.fd\n</nvram>`), v9))).toContain('<nvram>/tmp/n.fd\n    </nvram>\n')
    // (the near miss: a newline inside the path leaves the closing tag where it is)
    expect(osOf(predicts(dom(`${loader}<nvram>/tmp/n\n.fd</nvram>`), v9))).toContain('<nvram>/tmp/n\n.fd</nvram>\n')
    expect(osOf(predicts(dom("<loader readonly='yes' type='pflash'>\n/usr/share/OVMF/OVMF_CODE.fd</loader>"), v9))).toContain("<loader readonly='yes' type='pflash'>\n/usr/share/OVMF/OVMF_CODE.fd</loader>\n")
  })
  it("an NVRAM path beside an element is the element's string value: all its text, in document order", () => {
    expect(osOf(predicts(dom(`${loader}<nvram><a>/tmp/</a>x.fd</nvram>`), v9))).toContain('<nvram>/tmp/x.fd</nvram>')
    expect(osOf(predicts(dom(`${loader}<nvram>/tmp/x<y/>z.fd</nvram>`), v9))).toContain('<nvram>/tmp/xz.fd</nvram>')
  })
})

describe('a typed NVRAM (virDomainStorageSourceParse, virDomainDiskSourceFormat)', () => {
  it('an empty path is none, and a <source> left with nothing is not written', () => {
    expect(osOf(predicts(dom(`${loader}<nvram type='file'><source file=''/></nvram>`), v9))).toContain("<nvram type='file'/>")
    expect(osOf(predicts(dom(`${loader}<nvram type='file'><source/></nvram>`), v9))).toContain("<nvram type='file'/>")
    expect(osOf(predicts(dom(`${loader}<nvram type='block'><source dev=''/></nvram>`), v9))).toContain("<nvram type='block'/>")
    // (a source with a label keeps the label; one with a path keeps it)
    expect(osOf(predicts(dom(`${loader}<nvram type='file'><source file=''><seclabel model='dac' relabel='no'/></source></nvram>`), v9)))
      .toContain("<nvram type='file'>\n      <source>\n        <seclabel model='dac' relabel='no'/>\n      </source>\n    </nvram>")
    expect(osOf(predicts(dom(`${loader}<nvram type='file'><source file='/tmp/s.fd'/></nvram>`), v9))).toContain("<nvram type='file'>\n      <source file='/tmp/s.fd'/>\n    </nvram>")
  })
})
