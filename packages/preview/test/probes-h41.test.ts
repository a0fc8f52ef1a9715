// The least probed domain settings as libvirt 9.0 reads, checks and writes them (own probes `h41-…`, each defined on
// the sandbox libvirtd 9.0 beside preview: fixtures/preview/probes/settings-rare.xml): `<resource>`
// (virDomainResourceDefParse, virDomainDefResourceValidate, virDomainResourceDefFormat), `<keywrap>`
// (virDomainKeyWrapDefParseXML, virDomainKeyWrapCipherDefParseXML), `<perf>`, `<launchSecurity>`, `<blkiotune>`, the I/O
// threads and `<numatune>`. Each expected document or refusal is what the daemon printed.
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const v9 = { v9: true }
const dom = ({ mid = '', post = '', machine = 'q35', arch = 'x86_64' } = {}): string =>
  `<domain type='qemu'><name>h41</name><memory unit='KiB'>524288</memory><vcpu placement='static'>2</vcpu>${mid}<os><type arch='${arch}' machine='${machine}'>hvm</type></os><devices/>${post}</domain>`
const resourceOf = (xml: string): string => /  <resource>[\s\S]*?<\/resource>/.exec(xml)![0]

describe('<resource>: a partition and a Fibre Channel application ID each read with virXPathString (an empty one is none) and written only when set', () => {
  it('writes no <fibrechannel> whose application ID is empty or missing beside a partition (probes h41-r-appid-empty-part, h41-r-appid-none-part)', () => {
    const partitionAlone = '  <resource>\n    <partition>/m</partition>\n  </resource>'
    for (const machine of ['q35', 'pc']) {
      expect(resourceOf(predicts(dom({ machine, mid: "<resource><partition>/m</partition><fibrechannel appid=''/></resource>" }), v9))).toBe(partitionAlone)
      expect(resourceOf(predicts(dom({ machine, mid: '<resource><partition>/m</partition><fibrechannel/></resource>' }), v9))).toBe(partitionAlone)
    }
  })
  it('reads the first application ID written in any <fibrechannel> (`string(./fibrechannel/@appid)`): an empty first one is none (probe h41-r-appid-empty-then-b-part)', () => {
    expect(resourceOf(predicts(dom({ mid: "<resource><partition>/p</partition><fibrechannel appid=''/><fibrechannel appid='b'/></resource>" }), v9))).toBe('  <resource>\n    <partition>/p</partition>\n  </resource>')
    // (and without a partition nothing is left: refused without a cause)
    expect(refusal(dom({ mid: "<resource><fibrechannel appid=''/><fibrechannel appid='b'/></resource>" }), v9).message).toBe('An error occurred, but the cause is unknown')
    // (near miss: a first one without the attribute is passed over)
    expect(resourceOf(predicts(dom({ mid: "<resource><fibrechannel/><fibrechannel appid='b'/></resource>" }), v9))).toBe("  <resource>\n    <fibrechannel appid='b'/>\n  </resource>")
  })
  it('writes no empty partition beside an application ID; a blank one is a partition (probes h41-r-part-empty-appid, h41-r-part-space-appid)', () => {
    const appidAlone = "  <resource>\n    <fibrechannel appid='a'/>\n  </resource>"
    expect(resourceOf(predicts(dom({ mid: "<resource><partition></partition><fibrechannel appid='a'/></resource>" }), v9))).toBe(appidAlone)
    expect(resourceOf(predicts(dom({ machine: 'pc', mid: "<resource><partition/><fibrechannel appid='a'/></resource>" }), v9))).toBe(appidAlone)
    expect(resourceOf(predicts(dom({ mid: "<resource><partition> </partition><fibrechannel appid='a'/></resource>" }), v9))).toBe("  <resource>\n    <partition> </partition>\n    <fibrechannel appid='a'/>\n  </resource>")
  })
})

describe('<keywrap>: each cipher read whole — its name, its state — before the next is checked against those read (virDomainKeyWrapCipherDefParseXML)', () => {
  it("refuses a bad state on a second cipher of a name for its state (probe h41-kw-bad-after-dup)", () => {
    for (const [arch, machine] of [['x86_64', 'q35'], ['s390x', 's390-ccw-virtio']] as const) {
      expect(refusal(dom({ arch, machine, post: "<keywrap><cipher name='aes' state='on'/><cipher name='aes' state='bad'/></keywrap>" }), v9).message).toBe("Invalid value for attribute 'state' in element 'cipher': 'bad'.")
      // (near miss: a good state, the name refused twice)
      expect(refusal(dom({ arch, machine, post: "<keywrap><cipher name='aes' state='on'/><cipher name='aes' state='on'/></keywrap>" }), v9).message).toBe('A domain definition can have no more than one cipher node with name aes')
    }
    // (probes h41-kw2-…: a second of a name without a state, a nameless one between, the second in another <keywrap>)
    expect(refusal(dom({ post: "<keywrap><cipher name='aes' state='on'/><cipher name='aes'/></keywrap>" }), v9).message).toBe("Missing required attribute 'state' in element 'cipher'")
    expect(refusal(dom({ post: "<keywrap><cipher name='aes' state='on'/><cipher state='on'/><cipher name='aes' state='on'/></keywrap>" }), v9).message).toBe("Missing required attribute 'name' in element 'cipher'")
    expect(refusal(dom({ post: "<keywrap><cipher name='aes' state='on'/></keywrap><keywrap><cipher name='aes' state='x'/></keywrap>" }), v9).message).toBe("Invalid value for attribute 'state' in element 'cipher': 'x'.")
    expect(refusal(dom({ post: "<keywrap><cipher name='dea' state='on'/><cipher name='dea' state='off'/></keywrap>" }), v9).message).toBe('A domain definition can have no more than one cipher node with name dea')
  })
})

describe('<numatune>: per-node bindings checked against automatic placement before any memnode is read (virDomainNumatuneNodeParseXML)', () => {
  const cells = "<cpu><numa><cell id='0' cpus='0' memory='262144' unit='KiB'/><cell id='1' cpus='1' memory='262144' unit='KiB'/></numa></cpu>"
  const tuned = (numatune: string, vcpu = 'auto'): string =>
    `<domain type='qemu'><name>h41</name><memory unit='KiB'>524288</memory><vcpu placement='${vcpu}'>2</vcpu>${numatune}<os><type arch='x86_64' machine='q35'>hvm</type></os>${cells}<devices/></domain>`
  const perNode = 'Per-node binding is not compatible with automatic NUMA placement.'
  const noCell = "Argument 'cellid' in memnode element must correspond to existing guest's NUMA cell"
  it("refuses a faulty memnode for the placement automatic vCPU placement implies (probes h41-nt3-auto-…)", () => {
    expect(refusal(tuned("<numatune><memnode cellid='2' nodeset='0'/></numatune>"), v9).message).toBe(perNode)
    expect(refusal(tuned("<numatune><memnode cellid='0' nodeset='0'/><memnode cellid='0' nodeset='1'/></numatune>"), v9).message).toBe(perNode)
    expect(refusal(tuned("<numatune><memnode cellid='0'/></numatune>"), v9).message).toBe(perNode)
    expect(refusal(tuned("<numatune><memnode cellid='0' nodeset='x'/></numatune>"), v9).message).toBe(perNode)
    // (a memory mode alone leaves the placement automatic)
    expect(refusal(tuned("<numatune><memory mode='interleave'/><memnode cellid='2' nodeset='0'/></numatune>"), v9).message).toBe(perNode)
    expect(refusal(tuned("<numatune><memory placement='auto'/><memnode cellid='2' nodeset='0'/></numatune>", 'static'), v9).message).toBe(perNode)
  })
  it('reads the memnodes when the placement is static or the memory sets nothing (near misses)', () => {
    expect(refusal(tuned("<numatune><memory/><memnode cellid='2' nodeset='0'/></numatune>"), v9).message).toBe(noCell)
    expect(refusal(tuned("<numatune><memory nodeset='0'/><memnode cellid='2' nodeset='0'/></numatune>"), v9).message).toBe(noCell)
    expect(refusal(tuned("<numatune><memory placement='static' nodeset='1'/><memnode cellid='2' nodeset='0'/></numatune>"), v9).message).toBe(noCell)
    expect(refusal(tuned("<numatune><memnode cellid='2' nodeset='0'/></numatune>", 'static'), v9).message).toBe(noCell)
    expect(predicts(tuned("<numatune><memory/><memnode cellid='1' nodeset='0'/></numatune>"), v9)).toContain("<numatune>\n    <memnode cellid='1' mode='strict' nodeset='0'/>\n  </numatune>")
  })
})

describe("blank text libxml2 drops as it parses beside comments, processing instructions and CDATA (xmlSAX2's areBlanks, no DTD)", () => {
  const withIn = (pre: string, mid = ''): string =>
    `<domain type='qemu'><name>h41</name><memory unit='KiB'>524288</memory>${pre}<vcpu placement='static'>2</vcpu>${mid}<os><type arch='x86_64' machine='q35'>hvm</type></os><devices/></domain>`
  it('drops a blank run first in an element with more to come, or after a node other than text while the first is not text (probes h41-o-…)', () => {
    expect(predicts(withIn('<iothreads> <!-- c --> </iothreads>'), v9)).not.toContain('<iothreads')
    expect(predicts(withIn('<iothreads>\n<?pi x?>\n</iothreads>'), v9)).not.toContain('<iothreads')
    expect(resourceOf(predicts(withIn('', '<resource><partition> <!-- c -->/a</partition></resource>'), v9))).toBe('  <resource>\n    <partition>/a</partition>\n  </resource>')
    expect(resourceOf(predicts(withIn('', '<resource><partition><![CDATA[/c]]> </partition></resource>'), v9))).toBe('  <resource>\n    <partition>/c</partition>\n  </resource>')
    expect(resourceOf(predicts(withIn('', '<resource><partition> <![CDATA[/c]]></partition></resource>'), v9))).toBe('  <resource>\n    <partition>/c</partition>\n  </resource>')
    expect(resourceOf(predicts(withIn('', "<resource><partition> <!-- c --> </partition><fibrechannel appid='q'/></resource>"), v9))).toBe("  <resource>\n    <fibrechannel appid='q'/>\n  </resource>")
    expect(predicts(withIn('<blkiotune><device><path> <!--c-->/dev/sda</path><weight>5</weight></device></blkiotune>'), v9)).toContain('<path>/dev/sda</path>')
  })
  it('keeps every blank once a text starting with a blank was kept in the element (libxml2 marks its space state; probes h41-o5-…, h41-cf1-…)', () => {
    expect(resourceOf(predicts(withIn('', '<resource><partition><!--c--> /a<!--c--> </partition></resource>'), v9))).toBe('  <resource>\n    <partition> /a </partition>\n  </resource>')
    expect(resourceOf(predicts(withIn('', '<resource><partition><!--c-->\t/a<!--c-->\t</partition></resource>'), v9))).toBe('  <resource>\n    <partition>\t/a\t</partition>\n  </resource>')
    const sized = (memory: string): string => `<domain type='qemu'><name>h41</name>${memory}<vcpu>2</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><devices/></domain>`
    expect(refusal(sized("<memory unit='KiB'> <!-- c --> 262144 <!-- c --> </memory>"), v9).message).toBe("Invalid value ' 262144  ' for element or attribute './memory[1]'")
    // (near misses: a text not starting with a blank leaves the state alone — the blank after the comment is dropped)
    expect(resourceOf(predicts(withIn('', '<resource><partition><!--c-->/a<!--c--> </partition></resource>'), v9))).toBe('  <resource>\n    <partition>/a</partition>\n  </resource>')
    expect(predicts(sized("<memory unit='KiB'><!-- c -->262144<!-- c --> </memory>"), v9)).toContain("<memory unit='KiB'>262144</memory>")
    expect(predicts(withIn('<iothreads><?p?>2<?p?>\n</iothreads>'), v9)).toContain('<iothreads>2</iothreads>')
  })
  it("follows `xml:space`: `preserve` keeps every blank, inherited; `default` drops the state a blank-led text sets (probes h41-o6-…)", () => {
    const partition = (mid: string): string => resourceOf(predicts(withIn('', mid), v9))
    expect(partition("<resource><partition xml:space='preserve'> <!--c-->/a</partition></resource>")).toBe('  <resource>\n    <partition> /a</partition>\n  </resource>')
    expect(partition("<resource xml:space='preserve'><partition> <!--c-->/a</partition></resource>")).toBe('  <resource>\n    <partition> /a</partition>\n  </resource>')
    expect(partition("<resource><partition xml:space='default'><!--c--> /a<!--c--> </partition></resource>")).toBe('  <resource>\n    <partition> /a</partition>\n  </resource>')
    expect(partition("<resource xml:space='preserve'><partition xml:space='default'> <!--c-->/a</partition></resource>")).toBe('  <resource>\n    <partition>/a</partition>\n  </resource>')
    expect(partition("<resource><partition xml:space='bogus'> <!--c-->/a</partition></resource>")).toBe('  <resource>\n    <partition>/a</partition>\n  </resource>')
    const serial = predicts(x86Domain("<disk type='file' device='disk' xml:space='preserve'><source file='/var/lib/libvirt/images/h41.img'/><target dev='vda' bus='virtio'/><serial> <!--c-->abc</serial></disk>", 'q35'), v9)
    expect(serial).toContain('<serial> abc</serial>')
  })
  it("keeps one after text, where the first node is text, and a leaf's (near misses)", () => {
    expect(refusal(withIn('<iothreads>2<!-- c --> </iothreads>'), v9).message).toBe("invalid iothreads count '2 '")
    expect(resourceOf(predicts(withIn('', '<resource><partition>  </partition></resource>'), v9))).toBe('  <resource>\n    <partition>  </partition>\n  </resource>')
    expect(refusal(withIn('<blkiotune><device><path>\n<!--c-->\n</path><weight>5</weight></device></blkiotune>'), v9).message).toBe('missing per-device path')
  })
})

describe('<iothreads>, <vcpu> and the memory sizes: each read as its string value, the text of elements inside it too (`string(./iothreads[1])`, virDomainParseMemory)', () => {
  const withIo = (io: string): string => `<domain type='qemu'><name>h41</name><memory unit='KiB'>524288</memory><vcpu>2</vcpu>${io}<os><type arch='x86_64' machine='q35'>hvm</type></os><devices/></domain>`
  it('reads `1<x>2</x>` as 12 and `<x>2</x>` as 2 (probes h41-o-io-elem, h41-o-io-elem-only)', () => {
    expect(predicts(withIo('<iothreads>1<x>2</x></iothreads>'), v9)).toContain('<iothreads>12</iothreads>')
    expect(predicts(withIo('<iothreads><x>2</x></iothreads>'), v9)).toContain('<iothreads>2</iothreads>')
    expect(predicts(withIo("<iothreads><x>3</x></iothreads><iothreadids><iothread id='2'/></iothreadids>"), v9)).toContain("<iothreads>3</iothreads>\n  <iothreadids>\n    <iothread id='2'/>\n    <iothread id='1'/>\n    <iothread id='3'/>\n  </iothreadids>")
  })
  it('takes one of no text for none, and refuses one that does not read (near misses)', () => {
    expect(predicts(withIo('<iothreads><x/></iothreads>'), v9)).not.toContain('<iothreads')
    expect(refusal(withIo('<iothreads>1<x>x</x></iothreads>'), v9).message).toBe("invalid iothreads count '1x'")
  })
  it('reads <vcpu>, <memory> and <currentMemory> so (probes h41-o3-…)', () => {
    const sized = (parts: { vcpu?: string; memory?: string; current?: string }): string =>
      `<domain type='qemu'><name>h41</name>${parts.memory ?? "<memory unit='KiB'>524288</memory>"}${parts.current ?? ''}${parts.vcpu ?? '<vcpu>2</vcpu>'}<os><type arch='x86_64' machine='q35'>hvm</type></os><devices/></domain>`
    expect(predicts(sized({ vcpu: "<vcpu placement='static'>1<x>2</x></vcpu>" }), v9)).toContain("<vcpu placement='static'>12</vcpu>")
    expect(predicts(sized({ vcpu: "<vcpu placement='static'><x>2</x></vcpu>" }), v9)).toContain("<vcpu placement='static'>2</vcpu>")
    expect(predicts(sized({ memory: "<memory unit='KiB'>5242<x>88</x></memory>" }), v9)).toContain("<memory unit='KiB'>524288</memory>")
    expect(predicts(sized({ current: "<currentMemory unit='KiB'><x>262144</x></currentMemory>" }), v9)).toContain("<currentMemory unit='KiB'>262144</currentMemory>")
    // (an element in a namespace too: libvirt's parser skips it, not XPath's string value — probes h41-o4-…)
    expect(predicts(sized({ vcpu: "<vcpu xmlns:a='urn:a' placement='static'><a:x>3</a:x></vcpu>" }), v9)).toContain("<vcpu placement='static'>3</vcpu>")
    expect(predicts(sized({ vcpu: "<iothreads xmlns:a='urn:a'>1<a:x>2</a:x></iothreads><vcpu>2</vcpu>" }), v9)).toContain('<iothreads>12</iothreads>')
  })
})
