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

describe('a network NVRAM read as a network disk source (virDomainDiskSourceNetworkParse, virDomainDiskSourceFormatNetwork)', () => {
  const net = (source: string): string => dom(`${loader}<nvram type='network'>${source}</nvram>`)
  it("a query string is HTTP(S)'s alone, a <reconnect> not read by 9.0, hosts written name, port, transport", () => {
    expect(osOf(predicts(net("<source protocol='nbd' name='e' query='x=1'><host name='h'/><reconnect delay='10'/></source>"), v9)))
      .toContain("<source protocol='nbd' name='e'>\n        <host name='h' port='10809'/>\n      </source>")
    expect(osOf(predicts(net("<source protocol='http' name='/v.fd' query='x=1'><host name='h'/></source>"), v9))).toContain("<source protocol='http' name='/v.fd' query='x=1'>")
    expect(osOf(predicts(net("<source protocol='nbd' name='e'><host transport='rdma' name='h'/></source>"), v9))).toContain("<host name='h' transport='rdma'/>")
  })
  it('cookies are secrets (written with --security-info alone); an <ssl> is HTTPS and FTPS, a timeout of the web protocols, a readahead of 0 none', () => {
    expect(osOf(predicts(net("<source protocol='http' name='/v.fd'><host name='h'/><cookies><cookie name='a'>b</cookie></cookies></source>"), v9))).not.toContain('cookie')
    expect(osOf(predicts(net("<source protocol='http' name='/v.fd'><host name='h'/><cookies><cookie name='a'>b</cookie></cookies></source>"), { ...v9, securityInfo: true }))).toContain("<cookie name='a'>b</cookie>")
    expect(osOf(predicts(net("<source protocol='https' name='/v'><host name='h'/><ssl verify='yes'/><cookies><cookie name='a'>b</cookie></cookies><readahead size='0'/><timeout seconds='07'/></source>"), v9)))
      .toContain("<host name='h' port='443'/>\n        <ssl verify='yes'/>\n        <timeout seconds='7'/>\n      </source>")
    expect(osOf(predicts(net("<source protocol='ftp' name='/v'><host name='h'/><ssl verify='yes'/><readahead size='1024'/></source>"), v9)))
      .toContain("<host name='h' port='21'/>\n        <readahead size='1024'/>\n      </source>")
  })
  it("a name but for NBD's, and a gluster or RBD one split in pool and image before the hosts are read", () => {
    expect(refusal(net("<source protocol='gluster'><host name='g'/></source>"), v9)).toMatchObject({ message: 'missing name for disk source' })
    expect(refusal(net("<source protocol='gluster' name='vol'><host name='g' port='x'/></source>"), v9)).toMatchObject({ message: "can't split path 'vol' into pool name and image name" })
    expect(refusal(net("<source protocol='rbd' name='/img'/>"), v9)).toMatchObject({ message: "can't split path '/img' into pool name and image name" })
    expect(osOf(predicts(net("<source protocol='gluster' name='vol/img.fd'><host name='g'/></source>"), v9))).toContain("<source protocol='gluster' name='vol/img.fd'>")
    expect(osOf(predicts(net("<source protocol='nbd'><host name='h'/></source>"), v9))).toContain("<source protocol='nbd'>")
  })
  it("its <auth> read as a disk's (virStorageAuthDefParse, after the hosts): a user, an auth type of its names, a secret named once (h34-nvram-auth-…, libvirtd 9.0)", () => {
    const iscsi = (auth: string): string => net(`<source protocol='iscsi' name='iqn.2013-07.com.example:t'><host name='example.com' port='6000'/>${auth}</source>`)
    expect(refusal(iscsi("<auth username='u' type='network'><secret type='iscsi' usage='u'/></auth>"), v9)).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "unknown auth type 'network'", path: 'domain/os/nvram/source/auth/@type' })
    expect(refusal(iscsi("<auth type='chap'><secret type='iscsi' usage='u'/></auth>"), v9)).toMatchObject({ code: 'preview-invalid-value', message: 'missing username for auth' })
    expect(refusal(iscsi("<auth username='u'></auth>"), v9)).toMatchObject({ message: 'Missing <secret> element in auth', path: 'domain/os/nvram/source/auth/secret' })
    expect(refusal(iscsi("<auth username='u'><secret type='iscsi'/></auth>"), v9)).toMatchObject({ message: 'missing secret uuid or usage attribute' })
    // (an empty type is none, not written; a port that does not read is refused first)
    expect(osOf(predicts(iscsi("<auth username='u' type=''><secret type='iscsi' usage='u'/></auth>"), v9))).toContain("<auth username='u'>\n          <secret type='iscsi' usage='u'/>")
    expect(refusal(iscsi("<auth username='u' type='network'><secret type='iscsi' usage='u'/></auth>").replace("port='6000'", "port='x'"), v9)).toMatchObject({ message: "failed to parse port number 'x'" })
  })
  it("its type read before its source: an unknown type refused before a host port that does not read (the odd-form search, seed 660; h34-nvram-type-port)", () => {
    const bad = (type: string, port: string): string => dom(`${loader}<nvram type='${type}'><source protocol='nbd'><host name='example.org' port='${port}'/></source></nvram>`)
    expect(refusal(bad('NETWORK', '6000 '), v9)).toMatchObject({ message: "Invalid value for attribute 'type' in element 'nvram': 'NETWORK'.", path: 'domain/os/nvram/@type' })
    expect(refusal(bad('default', ''), v9)).toMatchObject({ message: "Invalid value for attribute 'type' in element 'nvram': 'default'." })
    // (the near miss: a type it knows, and the port is refused)
    expect(refusal(bad('network', ''), v9)).toMatchObject({ message: "failed to parse port number ''", path: 'domain/os/nvram/source/host/@port' })
  })
})

describe("a file NVRAM's labels and encryption (virDomainStorageSourceParse; qemuValidateDomainDefNvram)", () => {
  const file = (inner: string): string => dom(`${loader}<nvram type='file'><source file='/tmp/s.fd'>${inner}</source></nvram>`)
  const secret = "<secret type='passphrase' uuid='c5b6a1d2-0000-4000-8000-000000000005'/>"
  it('a label that relabels naming no label is not kept; one that names a label is', () => {
    expect(osOf(predicts(file("<seclabel model='none'/>"), v9))).toContain("<nvram type='file'>\n      <source file='/tmp/s.fd'/>\n    </nvram>")
    expect(osOf(predicts(file("<seclabel model='dac' relabel='yes'><label>0:0</label></seclabel>"), v9))).toContain("<seclabel model='dac' relabel='yes'>\n          <label>0:0</label>")
  })
  it("nothing gives an NVRAM's encryption the QEMU engine: one written without an engine is refused, QEMU's named is kept", () => {
    expect(refusal(file(`<encryption format='luks'>${secret}</encryption>`), v9)).toMatchObject({ message: 'Unexpected enum value 0 for virStorageEncryptionEngine' })
    expect(osOf(predicts(file(`<encryption format='luks' engine='qemu'>${secret}</encryption>`), v9))).toContain("<encryption format='luks' engine='qemu'>")
    expect(refusal(file(`<encryption format='luks2' engine='qemu'>${secret}</encryption>`), v9)).toMatchObject({ message: 'luks2 is currently not supported by the qemu encryption engine' })
    expect(refusal(file(`<encryption format='qcow'>${secret}</encryption>`), v9)).toMatchObject({ message: 'old qcow/qcow2 encryption is not supported' })
  })
  it('the encryption as the parser reads it: a format, an engine of its names', () => {
    expect(refusal(file('<encryption/>'), v9)).toMatchObject({ message: 'unknown volume encryption format' })
    expect(refusal(file("<encryption format='luks' engine='x'/>"), v9)).toMatchObject({ message: "Invalid value for attribute 'engine' in element 'encryption': 'x'." })
  })
})

describe('the NVRAM path libvirt makes for a read-only pflash loader (qemuDomainNVRAMPathFormat)', () => {
  it('is the name as read, blanks and all', () => {
    const named = (name: string): string => `<domain type='qemu'><name>${name}</name><memory>524288</memory><os><type arch='x86_64' machine='q35'>hvm</type>${loader}</os><features><acpi/></features><devices/></domain>`
    expect(predicts(named(' lead'), v9)).toContain('<nvram>/var/lib/libvirt/qemu/nvram/ lead_VARS.fd</nvram>')
    expect(predicts(named('trail '), v9)).toContain('<nvram>/var/lib/libvirt/qemu/nvram/trail _VARS.fd</nvram>')
    expect(predicts(named('plain'), v9)).toContain('<nvram>/var/lib/libvirt/qemu/nvram/plain_VARS.fd</nvram>')
  })
})

describe('two <os> read as one: the firmware features and the NVRAM source through both (./os/firmware/feature, ./os/nvram/source[1])', () => {
  const T = "<type arch='x86_64' machine='q35'>hvm</type>"
  const two = (first: string, second: string, attrs = ''): string => `<domain type='qemu'><name>fw</name><memory>524288</memory><os${attrs}>${T}${first}</os><os>${second}</os><features><acpi/></features><devices/></domain>`
  it("the second <os>'s features join the first's: enrolled keys there with secure boot off here are refused, with it on both are written", () => {
    expect(refusal(two("<firmware><feature enabled='no' name='secure-boot'/></firmware>", "<firmware><feature enabled='yes' name='enrolled-keys'/></firmware>", " firmware='efi'"), v9))
      .toMatchObject({ message: "firmware feature 'enrolled-keys' cannot be enabled when firmware feature 'secure-boot' is disabled" })
    expect(osOf(predicts(two("<firmware><feature enabled='yes' name='secure-boot'/></firmware>", "<firmware><feature enabled='yes' name='enrolled-keys'/></firmware>", " firmware='efi'"), v9)))
      .toContain("<firmware>\n      <feature enabled='yes' name='enrolled-keys'/>\n      <feature enabled='yes' name='secure-boot'/>\n    </firmware>")
  })
  it("a typed NVRAM without a source takes the next <nvram>'s, the type staying the first's", () => {
    expect(osOf(predicts(two(`${loader}<nvram type='file'/>`, "<nvram type='file'><source file='/tmp/x.fd'/></nvram>"), v9)))
      .toContain("<nvram type='file'>\n      <source file='/tmp/x.fd'/>\n    </nvram>")
    expect(osOf(predicts(two(`${loader}<nvram type='network'/>`, "<nvram type='file'><source protocol='nbd' name='e'><host name='h'/></source></nvram>"), v9)))
      .toContain("<nvram type='network'>\n      <source protocol='nbd' name='e'>\n        <host name='h' port='10809'/>")
    // (no loader: the NVRAM alone is refused for the loader's path, not for a missing source)
    expect(refusal(two("<nvram type='file'/>", "<nvram type='file'><source file='/tmp/x.fd'/></nvram>"), v9)).toMatchObject({ message: 'no loader path specified and firmware auto selection disabled' })
    // (the first's own source wins)
    expect(osOf(predicts(two(`${loader}<nvram type='file'><source file='/tmp/a.fd'/></nvram>`, "<nvram type='file'><source file='/tmp/b.fd'/></nvram>"), v9))).toContain("<source file='/tmp/a.fd'/>")
  })
})

describe('the firmware attributes read by local name (xmlGetProp: virXMLPropString and kin), the first of a name', () => {
  const X = "xmlns:x='urn:x'"
  it("a loader's, an NVRAM's and its source's and hosts', a firmware feature's: a prefixed attribute is the attribute", () => {
    expect(osOf(predicts(dom(`<loader ${X} x:readonly='no' readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>`), v9))).toContain("<loader readonly='no' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>\n    <boot")
    expect(osOf(predicts(dom(`<loader ${X} x:readonly='yes' x:type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>`, '', '<acpi/>'), { ...v9 })))
      .toContain("<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>\n    <nvram>/var/lib/libvirt/qemu/nvram/fw_VARS.fd</nvram>")
    expect(osOf(predicts(dom(`${loader}<nvram ${X} x:template='/tmp/t.fd'/>`), v9))).toContain("<nvram template='/tmp/t.fd'>/var/lib/libvirt/qemu/nvram/fw_VARS.fd</nvram>")
    expect(osOf(predicts(dom(`${loader}<nvram ${X} x:type='file'><source file='/tmp/s.fd'/></nvram>`), v9))).toContain("<nvram type='file'>\n      <source file='/tmp/s.fd'/>")
    expect(osOf(predicts(dom(`${loader}<nvram type='file'><source ${X} x:file='/tmp/s.fd'/></nvram>`), v9))).toContain("<source file='/tmp/s.fd'/>")
    expect(osOf(predicts(dom(`${loader}<nvram type='network'><source protocol='nbd' name='e'><host ${X} x:name='h' x:port='1'/></source></nvram>`), v9))).toContain("<host name='h' port='1'/>")
    expect(osOf(predicts(dom(`<firmware><feature ${X} x:enabled='no' enabled='yes' name='secure-boot'/></firmware>`, " firmware='efi'"), v9))).toContain("<feature enabled='no' name='secure-boot'/>")
  })
  it("but <os firmware> is read with XPath: a prefixed one is none", () => {
    expect(osOf(predicts(`<domain type='qemu'><name>fw</name><memory>524288</memory><os ${X} x:firmware='efi'><type arch='x86_64' machine='q35'>hvm</type></os><features><acpi/></features><devices/></domain>`, v9))).toMatch(/^<os>\n/)
  })
})

describe("a loader's attributes in virDomainLoaderDefParseXML's order, and libvirt 11.3's firmware formats", () => {
  const fd = '/usr/share/OVMF/OVMF_CODE.fd'
  const nvram = (attrs: string): string => `<nvram${attrs}>/var/lib/libvirt/qemu/nvram/fw_VARS.fd</nvram>`
  it('reads readonly, type, secure, then stateless: a type it does not know is refused before an empty stateless (h34-fw-loader-order, libvirtd 9.0)', () => {
    expect(refusal(dom(`<loader readonly='yes' type='default' stateless=''>${fd}</loader>`), v9)).toMatchObject({ message: "Invalid value for attribute 'type' in element 'loader': 'default'.", path: 'domain/os/loader/@type' })
    expect(refusal(dom(`<loader readonly='yes' type='default' stateless=''>${fd}</loader>`))).toMatchObject({ message: "Invalid value for attribute 'type' in element 'loader': 'default'." })
    // (the near miss: a type it knows, and the empty stateless is refused)
    expect(refusal(dom(`<loader readonly='yes' type='pflash' stateless=''>${fd}</loader>`), v9)).toMatchObject({ message: "Invalid value for attribute 'stateless' in element 'loader': ''.", path: 'domain/os/loader/@stateless' })
  })
  it('libvirt 9.0 reads no firmware format: dropped, whatever it says (h34-fw-format-9)', () => {
    const os = osOf(predicts(dom(`<loader readonly='yes' type='pflash' format='vmdk'>${fd}</loader>${nvram(" templateFormat='x' format='foo'")}`), v9))
    expect(os).toContain(`<loader readonly='yes' type='pflash'>${fd}</loader>`)
    expect(os).toContain('<nvram>/var/lib/libvirt/qemu/nvram/fw_VARS.fd</nvram>')
  })
  it("libvirt 11.3 reads each as a storage file format — the NVRAM's template's, the NVRAM's, then the loader's — and takes none, raw and qcow2 alone", () => {
    const withLoader = (format: string, nvramAttrs = ''): string => dom(`<loader readonly='yes' type='pflash' format='${format}'>${fd}</loader>${nvram(nvramAttrs)}`)
    expect(refusal(withLoader('vmdk'))).toMatchObject({ code: 'preview-invalid-value', message: "Unsupported loader format 'vmdk'", path: 'domain/os/loader/@format' })
    expect(refusal(withLoader('foo'))).toMatchObject({ message: "Invalid value for attribute 'format' in element 'loader': 'foo'.", path: 'domain/os/loader/@format' })
    expect(refusal(withLoader('raw', " format='qed'"))).toMatchObject({ message: "Unsupported nvram format 'qed'", path: 'domain/os/nvram/@format' })
    expect(refusal(withLoader('raw', " templateFormat='foo'"))).toMatchObject({ message: "Invalid value for attribute 'templateFormat' in element 'nvram': 'foo'." })
    // (the template's first, then the NVRAM's own, then the loader's)
    expect(refusal(withLoader('foo', " templateFormat='vmdk' format='bar'"))).toMatchObject({ message: "Unsupported nvram template format 'vmdk'", path: 'domain/os/nvram/@templateFormat' })
    expect(refusal(withLoader('foo', " format='bar'"))).toMatchObject({ message: "Invalid value for attribute 'format' in element 'nvram': 'bar'." })
    // (qcow2 is kept; none is the format's 0, as if unwritten: not written back, raw filled in as for none written)
    expect(osOf(predicts(withLoader('qcow2', " format='qcow2'")))).toContain(`<loader readonly='yes' type='pflash' format='qcow2'>${fd}</loader>`)
    expect(osOf(predicts(withLoader('none', " format='none'")))).toBe(osOf(predicts(dom(`<loader readonly='yes' type='pflash'>${fd}</loader>${nvram('')}`))))
  })
})
