// Arguments of another type than the types say — from JavaScript, or JSON read elsewhere — are `preview-bad-argument`
// naming the argument or option, never a TypeError from deep inside nor an option silently ignored.
import { describe, expect, it } from 'vitest'
import { parseQemuCaps, previewDomain, previewDomains, type PreviewOptions } from '../src/index.ts'
import { capsXml } from './_caps.ts'

const xml = "<domain type='qemu'><name>a</name><memory>1048576</memory><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>"
const caught = (run: () => unknown): unknown => { try { run(); return undefined } catch (error) { return error } }
const bad = (message: RegExp) => expect.objectContaining({ name: 'PreviewError', code: 'preview-bad-argument', message: expect.stringMatching(message) })

describe('arguments of another type', () => {
  const qemuCaps = capsXml()

  it('a domain that is neither text nor bytes', () => {
    for (const [domain, words] of [[42, /`42`, a number/], [null, /\(null\)/], [undefined, /\(undefined\)/], [{}, /an object/], [[xml], /an array/]] as const) {
      expect(caught(() => previewDomain(domain as never, { qemuCaps }))).toEqual(bad(new RegExp(`^Unexpected domain .*${words.source}.*a string or its bytes`)))
    }
    // (among several, that one is refused, the others predicted)
    const settled = previewDomains([xml, 42 as never], { qemuCaps })
    expect(settled[0]!.status).toBe('fulfilled')
    expect(settled[1]).toEqual({ status: 'rejected', reason: bad(/^Unexpected domain/) })
  })

  it('options missing, or capabilities of another type', () => {
    expect(caught(() => previewDomain(xml, undefined as never))).toEqual(bad(/^Unexpected options \(undefined\): expected an object with `qemuCaps`/))
    expect(caught(() => previewDomain(xml, null as never))).toEqual(bad(/^Unexpected options \(null\)/))
    expect(caught(() => previewDomains([xml], {} as never))).toEqual(bad(/^Unexpected qemuCaps \(undefined\): expected libvirt's QEMU capabilities cache file/))
    expect(caught(() => previewDomain(xml, { qemuCaps: 42 } as never))).toEqual(bad(/^Unexpected qemuCaps \(`42`, a number\)/))
    // (parsed capabilities sent as JSON lose their Set of flags: not taken as capabilities)
    expect(caught(() => previewDomain(xml, { qemuCaps: JSON.parse(JSON.stringify(parseQemuCaps(qemuCaps))) }))).toEqual(bad(/^Unexpected qemuCaps \(an object\)/))
    expect(caught(() => parseQemuCaps({} as never))).toEqual(bad(/^Unexpected capabilities \(an object\): expected the cache file's XML/))
    // (the near misses: the text, its bytes and the parsed capabilities are all taken)
    for (const caps of [qemuCaps, new TextEncoder().encode(qemuCaps), parseQemuCaps(qemuCaps)]) expect(previewDomain(xml, { qemuCaps: caps }).xml).toContain("<controller type='pci' index='0' model='pci-root'/>")
  })

  it('options of another type than their own', () => {
    const cases: [Partial<Record<keyof PreviewOptions, unknown>>, RegExp][] = [
      [{ libvirtVersion: '9000000' }, /^Unexpected libvirtVersion \(`9000000`, a string\)/],
      [{ libvirtVersion: -1 }, /^Unexpected libvirtVersion \(`-1`, a number\)/],
      [{ testHost: 'newest' }, /^Unexpected testHost \(`newest`, a string\): expected 'latest' or 'versioned'/],
      [{ abiUpdate: 'yes' }, /^Unexpected abiUpdate/],
      [{ securityInfo: 1 }, /^Unexpected securityInfo/],
      [{ firmware: '/usr/share/qemu/firmware' }, /^Unexpected firmware/],
      [{ qemuConf: 'security_driver = "none"' }, /^Unexpected qemuConf/],
    ]
    for (const [option, words] of cases) expect(caught(() => previewDomain(xml, { qemuCaps, ...option } as never))).toEqual(bad(words))
    // (the near misses)
    expect(previewDomain(xml, { qemuCaps, libvirtVersion: 9_000_000, testHost: 'latest', abiUpdate: true, securityInfo: false, firmware: [], qemuConf: {} }).xml).toContain('<domain')
  })
})
