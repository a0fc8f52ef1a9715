// CPU, memory and block I/O tuning, I/O threads, the OS's direct kernel boot options and the sysinfo as libvirt 9.0
// reads, checks and writes them (virDomainDefTunablesParse, virDomainDefParseIOThreads, virDomainThreadSchedParseHelper,
// virDomainCputuneDefFormat, virSysinfoParseXML, virSysinfoFormat): each case here was defined on the sandbox libvirtd
// 9.0 beside preview (probes h20-…: fixtures/preview/probes/tuning-boot.xml), the expected documents and refusals
// written from what the daemon printed.
import { describe, expect, it } from 'vitest'
import { attributeReads, emptyUnwritten } from '@virtuned/model'
import { predicts, refusal } from './_refusal.ts'
import { previewDomain } from '../src/index.ts'
import { capsXml } from './_caps.ts'

const dom = (body: string, os = ''): string => `<domain type='qemu'><name>t</name><memory>524288</memory><vcpu>4</vcpu>${body}
  <os><type arch='x86_64' machine='pc'>hvm</type>${os}</os><devices></devices></domain>`
const cputuneOf = (xml: string): string | undefined => /<cputune>[\s\S]*?<\/cputune>/.exec(xml)?.[0]
const sysinfoOf = (xml: string): string | undefined => /<sysinfo[^>]*\/>|<sysinfo[\s\S]*?<\/sysinfo>/.exec(xml)?.[0]

describe('<cputune>: what virDomainCputuneDefFormat writes', () => {
  it('writes no period or quota of 0, but shares of 0 (probes h20-ct-period-0, h20-ct-quota-0, h20-ct-globalperiod-0, h20-ct-emulatorquota-0, h20-ct-shares-0)', () => {
    for (const name of ['period', 'quota', 'global_period', 'global_quota', 'emulator_period', 'emulator_quota', 'iothread_period', 'iothread_quota']) {
      expect(cputuneOf(predicts(dom(`<cputune><${name}>0</${name}></cputune>`))), name).toBeUndefined()
    }
    expect(cputuneOf(predicts(dom('<cputune><quota>-0</quota></cputune>')))).toBeUndefined()
    expect(cputuneOf(predicts(dom('<cputune><period>0</period><quota>-1</quota></cputune>')))).toBe('<cputune>\n    <quota>-1</quota>\n  </cputune>')
    expect(cputuneOf(predicts(dom('<cputune><shares>0</shares></cputune>')))).toBe('<cputune>\n    <shares>0</shares>\n  </cputune>')
  })
})

describe('<vcpusched>, <iothreadsched>, <emulatorsched>: the priority and the threads (virDomainSchedulerParseCommonAttrs, virDomainThreadSchedParseHelper)', () => {
  it("reads a real-time scheduler's priority as an int, refused in virXMLPropInt's words when it does not read (probes h20-vs-fifo-px, h20-vs-fifo-pempty, h20-es-prio-x)", () => {
    const reads = attributeReads.get('cputune/vcpusched')!
    expect(reads.find(([name]) => name === 'priority')).toMatchObject(['priority', 'int', { required: true, when: { of: 'self', attribute: 'scheduler', values: ['fifo', 'rr'] } }])
    expect(refusal(dom("<cputune><vcpusched vcpus='0-1' scheduler='fifo' priority='x'/></cputune>")).message).toBe("Invalid value for attribute 'priority' in element 'vcpusched': 'x'. Expected integer value")
    expect(refusal(dom("<cputune><vcpusched vcpus='0-1' scheduler='fifo' priority=''/></cputune>")).message).toBe("Invalid value for attribute 'priority' in element 'vcpusched': ''. Expected integer value")
    expect(refusal(dom("<cputune><emulatorsched scheduler='fifo' priority='x'/></cputune>")).message).toBe("Invalid value for attribute 'priority' in element 'emulatorsched': 'x'. Expected integer value")
    // (near misses: a batch scheduler's priority is not read; ` 7` reads as 7)
    expect(cputuneOf(predicts(dom("<cputune><vcpusched vcpus='0' scheduler='batch' priority='x'/></cputune>")))).toBe("<cputune>\n    <vcpusched vcpus='0' scheduler='batch'/>\n  </cputune>")
    expect(predicts(dom("<cputune><emulatorsched scheduler='fifo' priority=' 7'/></cputune>"))).toContain('<emulatorsched scheduler=')
  })
  it("writes an <emulatorsched>'s scheduler before its priority, whatever the order written (probe h20-r4-es-attrs-order)", () => {
    expect(cputuneOf(predicts(dom("<cputune><emulatorsched priority='2' scheduler='fifo'/></cputune>")))).toBe("<cputune>\n    <emulatorsched scheduler='fifo' priority='2'/>\n  </cputune>")
    expect(cputuneOf(predicts(dom("<cputune><vcpusched priority='2' scheduler='fifo' vcpus='1'/></cputune>")))).toBe("<cputune>\n    <vcpusched vcpus='1' scheduler='fifo' priority='2'/>\n  </cputune>")
  })
  it("refuses an I/O thread 0 in an <iothreadsched> as one the domain lacks (probe h20-is-zero)", () => {
    expect(refusal(dom("<iothreads>2</iothreads><cputune><iothreadsched iothreads='0' scheduler='batch'/></cputune>")).message).toBe("Cannot find 'iothread' : 0")
  })
  it('refuses two <iothreadsched> naming one thread (probe h20-is-overlap; near miss h20-is-split)', () => {
    expect(refusal(dom("<iothreads>2</iothreads><cputune><iothreadsched iothreads='1' scheduler='batch'/><iothreadsched iothreads='1' scheduler='idle'/></cputune>")).message).toBe("'iothreadsched' attributes 'iothreads' must not overlap")
    expect(cputuneOf(predicts(dom("<iothreads>2</iothreads><cputune><iothreadsched iothreads='2' scheduler='batch'/><iothreadsched iothreads='1' scheduler='idle'/></cputune>"))))
      .toBe("<cputune>\n    <iothreadsched iothreads='1' scheduler='idle'/>\n    <iothreadsched iothreads='2' scheduler='batch'/>\n  </cputune>")
  })
  it("writes the I/O threads' schedulers in the order of the domain's I/O thread IDs, those given then those numbered (probes h20-is-ids, h20-is-order-fill)", () => {
    expect(cputuneOf(predicts(dom("<iothreadids><iothread id='5'/><iothread id='3'/></iothreadids><cputune><iothreadsched iothreads='3,5' scheduler='rr' priority='1'/></cputune>"))))
      .toBe("<cputune>\n    <iothreadsched iothreads='5' scheduler='rr' priority='1'/>\n    <iothreadsched iothreads='3' scheduler='rr' priority='1'/>\n  </cputune>")
    expect(cputuneOf(predicts(dom("<iothreads>3</iothreads><iothreadids><iothread id='2'/></iothreadids><cputune><iothreadsched iothreads='1-3' scheduler='batch'/></cputune>"))))
      .toBe("<cputune>\n    <iothreadsched iothreads='2' scheduler='batch'/>\n    <iothreadsched iothreads='1' scheduler='batch'/>\n    <iothreadsched iothreads='3' scheduler='batch'/>\n  </cputune>")
  })
})

describe('empty tuning elements (virDomainDefFormatInternal)', () => {
  it('writes no empty <blkiotune>, <iothreadids> or <defaultiothread> (probes h20-bt-empty, h20-io-ids-empty, h20-dio-0, h20-dio-io-0)', () => {
    for (const name of ['blkiotune', 'iothreadids', 'defaultiothread']) expect(emptyUnwritten.has(name), name).toBe(true)
    expect(predicts(dom('<blkiotune/>'))).not.toContain('blkiotune')
    const ids = predicts(dom('<iothreads>2</iothreads><iothreadids/>'))
    expect(ids).toContain('<iothreads>2</iothreads>')
    expect(ids).not.toContain('iothreadids')
    expect(predicts(dom('<iothreads>1</iothreads><defaultiothread/>'))).not.toContain('defaultiothread')
    // (near miss: a pool size is written)
    expect(predicts(dom("<iothreads>1</iothreads><defaultiothread thread_pool_max='3'/>"))).toContain("<defaultiothread thread_pool_max='3'/>")
  })
})

describe('<sysinfo>: what virSysinfoParseXML reads and virSysinfoFormat writes', () => {
  it("writes a firmware configuration entry's file alone when it has both (probe h20-fw-3)", () => {
    expect(sysinfoOf(predicts(dom("<sysinfo type='fwcfg'><entry name='opt/com.example/x' file='/tmp/f'>v</entry></sysinfo>"))))
      .toBe("<sysinfo type='fwcfg'>\n    <entry name='opt/com.example/x' file='/tmp/f'/>\n  </sysinfo>")
    expect(sysinfoOf(predicts(dom("<sysinfo type='fwcfg'><entry name='opt/com.example/x'>v</entry></sysinfo>"))))
      .toBe("<sysinfo type='fwcfg'>\n    <entry name='opt/com.example/x'>v</entry>\n  </sysinfo>")
  })
  it("writes a firmware configuration entry's name unescaped, as libvirt does — not well-formed XML, said in the explanations (virSysinfoFormatFWCfg; probes h20-r2-fw-name-amp, h20-r4-fw-name-quote, on libvirtd 9.0)", () => {
    const fw = (name: string): string => dom(`<sysinfo type='fwcfg'><entry name="${name}">v</entry></sysinfo>`)
    const amp = previewDomain(fw('opt/a&amp;b'), { qemuCaps: capsXml(), abiUpdate: true })
    expect(amp.xml).toContain("<entry name='opt/a&b'>v</entry>")
    expect(amp.notPredicted.filter((n) => n.path.includes('sysinfo'))).toEqual([])
    expect(amp.explanation.map((e) => e.rule)).toContain('written-unescaped')
    expect(sysinfoOf(predicts(fw("opt/a'b")))).toContain("<entry name='opt/a'b'>v</entry>")
    // (near miss: the value is escaped as any text — virBufferEscapeString; a plain name is as it is, no note)
    expect(sysinfoOf(predicts(dom("<sysinfo type='fwcfg'><entry name='opt/a.b'>a&amp;b</entry></sysinfo>")))).toContain("<entry name='opt/a.b'>a&amp;b</entry>")
    expect(previewDomain(fw('opt/a.b'), { qemuCaps: capsXml(), abiUpdate: true }).explanation.map((e) => e.rule)).not.toContain('written-unescaped')
  })
  it('reads nothing but entries in a firmware configuration sysinfo (probe h20-fw-18)', () => {
    expect(sysinfoOf(predicts(dom("<sysinfo type='fwcfg'><system><entry name='manufacturer'>M</entry></system></sysinfo>")))).toBe("<sysinfo type='fwcfg'/>")
  })
  it("gives a domain without <uuid> the last SMBIOS sysinfo's system UUID (checked by hand on libvirtd 9.0: the live probes give every domain a UUID)", () => {
    const sys = (n: string): string => `<sysinfo type='smbios'><system><entry name='uuid'>8c1f0a4e-0000-4000-8000-0000000020${n}</entry></system></sysinfo>`
    const xml = `<domain type='qemu'><name>t</name><memory>524288</memory>${sys('b1')}${sys('b2')}<os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>`
    const stored = predicts(xml)
    expect(stored).toContain('<uuid>8c1f0a4e-0000-4000-8000-0000000020b2</uuid>')
    // (both sysinfos kept as written: the first's UUID is not checked against the one it no longer gives)
    expect(stored).toContain("<entry name='uuid'>8c1f0a4e-0000-4000-8000-0000000020b1</entry>")
    // (near miss: with a <uuid>, the second's mismatch is refused)
    expect(refusal(xml.replace('<memory>', '<uuid>8c1f0a4e-0000-4000-8000-0000000020b1</uuid><memory>')).message).toBe('UUID mismatch between <uuid> and <sysinfo>')
  })
  it('takes an empty BIOS date for none: not checked, not kept (probe h20-si-8; near miss h20-si-2)', () => {
    expect(sysinfoOf(predicts(dom("<sysinfo type='smbios'><bios><entry name='date'></entry></bios></sysinfo>")))).toBe("<sysinfo type='smbios'/>")
    expect(refusal(dom("<sysinfo type='smbios'><bios><entry name='date'>13/02/2003</entry></bios></sysinfo>")).message).toBe("Invalid BIOS 'date' format")
  })
})

describe('<cputune> and <iothreadids>: which fault the parser meets first (virDomainDefTunablesParse, virDomainDefParseIOThreads)', () => {
  it('walks a scheduler\'s threads in ID order: one an earlier <vcpusched> named before one the domain lacks (probes h20-r2-vs-overlap-then-oor, h20-r2-vs-oor-and-overlap)', () => {
    expect(refusal(dom("<cputune><vcpusched vcpus='1' scheduler='batch'/><vcpusched vcpus='1-5' scheduler='idle'/></cputune>")).message).toBe("'vcpusched' attributes 'vcpus' must not overlap")
    expect(refusal(dom("<cputune><vcpusched vcpus='2' scheduler='batch'/><vcpusched vcpus='0,2,7' scheduler='idle'/></cputune>")).message).toBe("'vcpusched' attributes 'vcpus' must not overlap")
    // (near miss: no overlap, the missing vCPU)
    expect(refusal(dom("<cputune><vcpusched vcpus='0' scheduler='batch'/><vcpusched vcpus='1-5' scheduler='idle'/></cputune>")).message).toBe("vCPU '4' is not present in domain definition")
  })
  it("reads a scheduler's thread set before its scheduler, its priority before looking its threads up (probes h20-r2-vs-set-bad-sched-bad, h20-r2-is-missing-prio-bad)", () => {
    expect(refusal(dom("<cputune><vcpusched vcpus='x' scheduler='bad'/></cputune>")).message).toBe("Failed to parse bitmap 'x'")
    expect(refusal(dom("<iothreads>2</iothreads><cputune><iothreadsched iothreads='5' scheduler='rr' priority='x'/></cputune>")).message).toBe("Invalid value for attribute 'priority' in element 'iothreadsched': 'x'. Expected integer value")
  })
  it('reads the vCPUs\' pins before the emulator\'s, the vCPUs\' schedulers before the I/O threads\' and the emulator\'s (probes h20-r2-order-epin2-vpin, h20-r2-order-vs-is, h20-r2-order-es-vs, h20-r2-order-es-two-vs)', () => {
    expect(refusal(dom("<cputune><emulatorpin cpuset='1'/><emulatorpin cpuset='2'/><vcpupin vcpu='0' cpuset='x'/></cputune>")).message).toBe("Failed to parse bitmap 'x'")
    expect(refusal(dom("<iothreads>2</iothreads><cputune><iothreadsched iothreads='9' scheduler='batch'/><vcpusched vcpus='9' scheduler='batch'/></cputune>")).message).toBe("vCPU '9' is not present in domain definition")
    expect(refusal(dom("<cputune><emulatorsched scheduler='fifo'/><vcpusched vcpus='9' scheduler='batch'/></cputune>")).message).toBe("vCPU '9' is not present in domain definition")
    expect(refusal(dom("<cputune><emulatorsched scheduler='batch'/><emulatorsched scheduler='batch'/><vcpusched vcpus='9' scheduler='batch'/></cputune>")).message).toBe("vCPU '9' is not present in domain definition")
    // (near miss: the vCPUs' pins right, the emulator's two)
    expect(refusal(dom("<cputune><emulatorpin cpuset='1'/><emulatorpin cpuset='2'/><vcpupin vcpu='0' cpuset='1'/></cputune>")).message).toBe('only one emulatorpin is supported')
  })
  it("reads an I/O thread's pool sizes before looking for its ID among the earlier ones (probe h20-r2-io-dup-after-bad)", () => {
    expect(refusal(dom("<iothreadids><iothread id='1'/><iothread id='1' thread_pool_min='-1'/></iothreadids>")).message).toBe("Invalid value for attribute 'thread_pool_min' in element 'iothread': '-1'. Expected non-negative value")
    expect(refusal(dom("<iothreadids><iothread id='1'/><iothread id='1' thread_pool_min='1'/></iothreadids>")).message).toBe("duplicate iothread id '1' found")
  })
  it('refuses shares of `-0`: virStrToLong_ullp takes no minus sign (probe h20-r2-shares-neg)', () => {
    expect(refusal(dom('<cputune><shares>-0</shares></cputune>')).message).toBe("can't parse cputune shares value")
    expect(cputuneOf(predicts(dom('<cputune><shares>+0</shares></cputune>')))).toBe('<cputune>\n    <shares>0</shares>\n  </cputune>')
  })
})

describe('<cachetune> and <memorytune> (virDomainCachetuneDefParse, virDomainMemorytuneDefParse, virDomainResctrlMonDefParse)', () => {
  const tune = (inner: string): string => dom(`<cputune>${inner}</cputune>`)
  it("requires a cache monitor's level (probe h20-rc-mon-level-missing)", () => {
    expect(attributeReads.get('cputune/cachetune/monitor')).toEqual([['level', 'uint', { required: true }]])
    expect(refusal(tune("<cachetune vcpus='0-1'><monitor vcpus='0'/></cachetune>")).message).toBe("Missing required attribute 'level' in element 'monitor'")
    // (near miss: a QEMU domain's cache tune is refused once read)
    expect(refusal(tune("<cachetune vcpus='0-1'><monitor level='3' vcpus='0'/></cachetune>")).message).toBe('cachetune is only supported for KVM domains')
  })
  it('reads nothing in a tune whose vCPUs all lie beyond the domain\'s, and keeps none (probes h20-rc2-oor-bad-cache, h20-rc2-oor-mon-nolevel, h20-rc2-empty-bad-cache, h20-rc2-mt-oor-bad-node)', () => {
    for (const inner of [
      "<cachetune vcpus='5'><cache id='x' level='3' type='both' size='1'/></cachetune>",
      "<cachetune vcpus='5'><monitor vcpus='0'/></cachetune>",
      "<cachetune vcpus='1,^1'><cache id='0' level='3' type='x' size='1'/></cachetune>",
      "<memorytune vcpus='5'><node id='0' bandwidth='x'/></memorytune>",
    ]) expect(cputuneOf(predicts(tune(inner))), inner).toBeUndefined()
    // (near miss: on a vCPU the domain has, the cache is read)
    expect(refusal(tune("<cachetune vcpus='3'><cache id='x' level='3' type='both' size='1'/></cachetune>")).message).toBe("Invalid value for attribute 'id' in element 'cache': 'x'. Expected non-negative integer value")
  })
})
