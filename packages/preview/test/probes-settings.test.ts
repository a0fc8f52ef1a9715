// The clock and the OS section as libvirt 9.0's parser reads them and its formatter writes them (virDomainDefClockParse,
// virDomainTimerDefParseXML, virDomainClockDefFormat, virDomainTimerDefFormat; virDomainDefParseBootOptions and the
// formatter's <os>): each case here was defined on the sandbox libvirtd 9.0 beside preview (probes h14-ck-*, h14-tm-*,
// h14-* of the OS: fixtures/preview/probes/clock-os.xml).
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'

const dom = (parts: { os?: string; clock?: string }): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type>${parts.os ?? ''}</os>${parts.clock ?? ''}<devices/></domain>`
const clockOf = (xml: string): string => /<clock[^>]*\/>|<clock[\s\S]*?<\/clock>/.exec(xml)![0]
const osOf = (xml: string): string => /<os[\s\S]*?<\/os>/.exec(xml)![0]

describe('a clock: the attributes its offset reads (model attributesByType)', () => {
  it("writes a UTC clock's basis and a timezone clock's adjustment nowhere: not read for those offsets", () => {
    expect(clockOf(predicts(dom({ clock: "<clock offset='utc' basis='localtime'/>" })))).toBe("<clock offset='utc'/>")
    expect(clockOf(predicts(dom({ clock: "<clock offset='timezone' timezone='UTC' adjustment='5'/>" })))).toBe("<clock offset='timezone' timezone='UTC'/>")
    expect(clockOf(predicts(dom({ clock: "<clock offset='absolute' start='5' adjustment='3'/>" })))).toBe("<clock offset='absolute' start='5'/>")
    expect(clockOf(predicts(dom({ clock: "<clock offset='variable' adjustment='3' timezone='UTC'/>" })))).toBe("<clock offset='variable' adjustment='3' basis='utc'/>")
  })
  it("writes the offset whatever was written: <clock/> is UTC's, its adjustment then read as UTC's", () => {
    expect(clockOf(predicts(dom({ clock: '<clock/>' })))).toBe("<clock offset='utc'/>")
    expect(clockOf(predicts(dom({ clock: "<clock adjustment='5'/>" })))).toBe("<clock offset='variable' adjustment='5' basis='utc'/>")
    expect(clockOf(predicts(dom({ clock: "<clock adjustment='reset'/>" })))).toBe("<clock offset='utc' adjustment='reset'/>")
    expect(clockOf(predicts(dom({ clock: "<clock basis='localtime'/>" })))).toBe("<clock offset='utc'/>")
  })
  it("writes a TSC timer's frequency only when it is not 0 (`if (def->frequency > 0)`)", () => {
    expect(clockOf(predicts(dom({ clock: "<clock offset='utc'><timer name='tsc' frequency='0'/></clock>" })))).toContain("<timer name='tsc'/>")
    expect(clockOf(predicts(dom({ clock: "<clock offset='utc'><timer name='tsc' frequency='+0' mode='native'/></clock>" })))).toContain("<timer name='tsc' mode='native'/>")
    expect(clockOf(predicts(dom({ clock: "<clock offset='utc'><timer name='tsc' frequency='+1000'/></clock>" })))).toContain("<timer name='tsc' frequency='1000'/>")
  })
})

describe('the OS section: the children its type reads (model childrenByType), the elements written only when they hold something', () => {
  it("drops a container's init options from a full virtual machine: not read for `hvm`", () => {
    const os = osOf(predicts(dom({ os: "<init>/sbin/init</init><initarg>x</initarg><initenv name='A'>b</initenv><initdir>/x</initdir>" })))
    expect(os).not.toMatch(/<init/)
    // (a command line is read for both)
    expect(osOf(predicts(dom({ os: '<init>/sbin/init</init><cmdline>quiet</cmdline>' })))).toContain('<cmdline>quiet</cmdline>')
  })
  it('writes no empty <bios/> or <firmware/> (virDomainDefFormatInternal)', () => {
    const os = osOf(predicts(dom({ os: '<firmware/><bios/>' })))
    expect(os).not.toContain('<bios')
    expect(os).not.toContain('<firmware')
    expect(osOf(predicts(dom({ os: "<bios useserial='no'/>" })))).toContain("<bios useserial='no'/>")
    // (firmware with a feature is read — and refused without firmware autoselection)
    expect(refusal(dom({ os: "<firmware><feature name='enrolled-keys' enabled='yes'/></firmware>" })).message).toBe('cannot use feature-based firmware autoselection when firmware autoselection is disabled')
  })
})

describe('domain-wide settings written only when they hold something (virDomainDefFormatInternal; probes h14-kw*, h14-pf2, h14-mb5, h14-iothreads4)', () => {
  const withTop = (top: string, tail = ''): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory>${top}<os><type arch='x86_64' machine='pc'>hvm</type></os><devices/>${tail}</domain>`
  it('writes no empty <memoryBacking>, <keywrap> or <perf>', () => {
    const xml = predicts(withTop('<memoryBacking/>', '<keywrap></keywrap><perf/>'))
    for (const name of ['memoryBacking', 'keywrap', 'perf']) expect(xml).not.toContain(`<${name}`)
    const kept = predicts(withTop('<memoryBacking><locked/></memoryBacking>', "<keywrap><cipher name='aes' state='on'/></keywrap><perf><event name='cmt' enabled='no'/></perf>"))
    for (const name of ['<memoryBacking>', "<cipher name='aes' state='on'/>", "<event name='cmt' enabled='no'/>"]) expect(kept).toContain(name)
  })
  it('writes no <iothreads> when there are none', () => {
    expect(predicts(withTop('<iothreads>0</iothreads>'))).not.toContain('<iothreads')
    expect(predicts(withTop("<iothreads>0</iothreads><iothreadids><iothread id='1'/></iothreadids>"))).toContain('<iothreads>1</iothreads>')
  })
})

describe('text as libvirt writes it (virBufferEscapeString) and <metadata> as it keeps it (virXMLNodeSanitizeNamespaces; probes h14-desc-cr, h14-disk-*-attr, h14-meta-*)', () => {
  const withTop = (top: string, devices = ''): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory>${top}<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>${devices}</devices></domain>`
  it('writes tab, newline and carriage return as they are, in text and attribute values', () => {
    expect(predicts(withTop('<description>a&#13;b</description>'))).toContain('<description>a\rb</description>')
    const disk = (file: string) => predicts(withTop('', `<disk type='file' device='disk'><source file='${file}'/><target dev='vda' bus='virtio'/></disk>`))
    expect(disk('/var/lib/libvirt/images/a&#9;b&#10;c&#13;d.img')).toContain("<source file='/var/lib/libvirt/images/a\tb\nc\rd.img'/>")
    // (a raw tab or newline in an attribute value is a space once parsed)
    expect(disk('/var/lib/libvirt/images/a\tb.img')).toContain("<source file='/var/lib/libvirt/images/a b.img'/>")
    expect(disk("/var/lib/libvirt/images/it&apos;s&amp;&lt;.img")).toContain("<source file='/var/lib/libvirt/images/it&apos;s&amp;&lt;.img'/>")
  })
  it("drops <metadata>'s text, comments and processing instructions beside its elements; libxml2 writes what is kept", () => {
    for (const around of ['<!-- c -->', '<?pi x?>', ' text ']) {
      expect(predicts(withTop(`<metadata>${around}<app:x xmlns:app='http://example.com/app/'/>${around}</metadata>`))).toContain('<metadata>\n    <app:x xmlns:app="http://example.com/app/"/>\n  </metadata>')
    }
    expect(predicts(withTop("<metadata><app:x xmlns:app='http://example.com/app/' a='1&#10;2'><!-- kept --></app:x></metadata>"))).toContain('<app:x xmlns:app="http://example.com/app/" a="1&#10;2">\n      <!-- kept -->\n    </app:x>')
  })
})

describe('elements in a namespace below <domain>, as libvirt\'s XPath reads see them (model localNameChildren; probes h18-ns-*)', () => {
  const body = "<memory>524288</memory><os><type arch='x86_64' machine='pc'>hvm</type></os>"
  it('does not see an element in a default namespace where it reads by name: a disk, a source, a whole domain', () => {
    const disk = (attrs: string, source = "<source file='/var/lib/libvirt/images/a.img'/>") => `<domain type='qemu'><name>t</name>${body}<devices><disk${attrs} type='file' device='disk'>${source}<target dev='vda' bus='virtio'/></disk></devices></domain>`
    expect(predicts(disk(" xmlns='http://example.com/x'"))).not.toContain('<disk')
    expect(refusal(disk('', "<source xmlns='http://example.com/x' file='/var/lib/libvirt/images/a.img'/>")).message).toBe('missing source information for device vda')
    expect(refusal(`<domain type='qemu' xmlns='http://example.com/x'><name>t</name>${body}<devices/></domain>`).message).toBe('missing name information')
    // (a declaration below <domain> is not written back)
    expect(predicts(disk(" xmlns:foo='http://example.com/foo'"))).toContain("<disk type='file' device='disk'>")
  })
  it('reads one by its local name where it walks the children (features), and an element resetting the namespace', () => {
    const xml = predicts(`<domain type='qemu' xmlns:x='http://example.com/x'><name>t</name>${body}<features><x:acpi/><apic xmlns='http://example.com/y'/></features><devices/></domain>`)
    expect(xml).toContain('<acpi/>')
    expect(xml).toContain('<apic/>')
    expect(xml).not.toContain('xmlns')
    const reset = predicts(`<domain type='qemu' xmlns='http://example.com/x'><name xmlns=''>t</name><memory xmlns=''>524288</memory><os xmlns=''><type arch='x86_64' machine='pc'>hvm</type></os></domain>`)
    expect(reset).toContain('<name>t</name>')
    expect(reset).toContain("<controller type='pci' index='0' model='pci-root'/>")
  })
})
