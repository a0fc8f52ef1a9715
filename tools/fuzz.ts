// Fuzz helpers shared by the packages' fuzz suites: hostile variants of real documents (byte
// mutations from ./mutations.ts plus XML-aware ones: truncation, bit flips, invalid UTF-8, BOM and
// CRLF, duplicate attributes, unclosed tags, DOCTYPE and entities, processing instructions, wrong
// namespaces, odd values), and a tally of outcomes with a time bound per input.
import fc from 'fast-check'
import { applyMutation, mutationOf } from './mutations.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** A structured mutation: what to do, which occurrence (`n`, modulo the count) and a variant. */
export interface XmlMutation {
  readonly kind:
    | 'truncate' | 'flip' | 'invalid-utf8' | 'bom-crlf' | 'duplicate-attribute' | 'unclosed' | 'doctype' | 'entity'
    | 'instruction' | 'namespace' | 'value' | 'rename' | 'repeat' | 'markup'
  readonly n: number
  readonly variant: number
}

const invalidUtf8 = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0xfe, 0xff], [0xef, 0xbb]]
const doctypes = [
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
  '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE domain SYSTEM "http://example.invalid/domain.dtd">',
  '<!DOCTYPE domain>',
  '<!DOCTYPE domain [<!ELEMENT domain ANY><!ATTLIST domain type CDATA "kvm">]>',
]
const entities = ['&lol2;', '&x;', '&#0;', '&#xD800;', '&#x110000;', '&amp', '&#65;', '&#x1F600;', '&;', '&#;', '&#x;', '&#99999999999999999999;', '&lt;&gt;&amp;&apos;&quot;']
const instructions = ['<?pi data?>', "<?xml version='1.0'?>", '<?xml-stylesheet href="x.xsl"?>', '<??>', '<?pi', '<?XmL x?>', '<?pi ?>?>', '<? pi?>']
const markup = ['<![CDATA[<devices></devices>]]>', ']]>', '<!-- a -- b -->', '<!---->', '<!--', '<![CDATA[', '</>', '<>', '< a/>', '<a b=c/>', "<a b='1\"/>", '<a\u0000/>', '\u0000', '\uFFFE', '<a:b:c/>', '<1a/>']
const values = ['-1', '0', '', ' ', '99999999999999999999999', '18446744073709551615', '9007199254740993', 'NaN', 'Infinity', '1e400', '0x10', '-0', '1.5', '١٢', 'yes', 'ua-', '\t\n', 'a'.repeat(5000), '<', '&amp;lt;']
const units = ['EiB', 'YiB', 'bytes', 'b', 'KB', 'k', 'x', '', 'Ki B']
const roots = ['disk', 'network', 'DOMAIN', 'domainx', 'interface', 'emulator', 'devices', 'x:domain', 'hostdev', 'memory']
const namespaces = [
  " xmlns='http://wrong.example/ns'",
  " xmlns:libosinfo='urn:wrong'",
  " xmlns:xml='urn:not-xml'",
  " xmlns:xmlns='urn:x'",
  " xmlns:q=''",
  " xmlns='http://libvirt.org/schemas/domain/qemu/1.0'",
  " q:attr='1'",
]

/** The positions at which `pattern` matches `text`. */
function matches(text: string, pattern: RegExp): RegExpExecArray[] {
  return [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g'))]
}

function pick<T>(items: readonly T[], n: number): T {
  return items[n % items.length]!
}

/** Insert `what` just after the n-th `>` (a place between two tags), or at the end. */
function afterTag(text: string, n: number, what: string): string {
  const ends = matches(text, />/)
  if (ends.length === 0) return text + what
  const at = pick(ends, n).index + 1
  return text.slice(0, at) + what + text.slice(at)
}

/** Apply one XML-aware mutation to a document. */
export function applyXmlMutation(document: Uint8Array, m: XmlMutation): Uint8Array {
  const { kind, n, variant } = m
  if (kind === 'truncate') return document.slice(0, n % (document.length + 1))
  if (kind === 'flip') {
    const out = document.slice()
    if (out.length > 0) out[n % out.length]! ^= 1 << (variant % 8)
    return out
  }
  if (kind === 'invalid-utf8') {
    const at = n % (document.length + 1)
    const bytes = pick(invalidUtf8, variant)
    const out = new Uint8Array(document.length + bytes.length)
    out.set(document.subarray(0, at))
    out.set(bytes, at)
    out.set(document.subarray(at), at + bytes.length)
    return out
  }
  const text = decoder.decode(document)
  let out = text
  switch (kind) {
    case 'bom-crlf': {
      const v = variant % 4
      out = v === 0 ? '\uFEFF' + text.replaceAll('\n', '\r\n') : v === 1 ? '\uFEFF\uFEFF' + text : v === 2 ? text.replaceAll('\n', '\r') : ' \uFEFF' + text
      break
    }
    case 'duplicate-attribute': {
      const attributes = matches(text, /<[A-Za-z][\w:.-]*\s+([\w:.-]+=(['"])[^'"]*\2)/)
      if (attributes.length === 0) { out = text.replace(/<([A-Za-z][\w:.-]*)/, "<$1 a='1' a='2'"); break }
      const a = pick(attributes, n)
      const end = a.index + a[0].length
      const duplicate = variant % 2 === 0 ? a[1]! : a[1]!.replace(/=(['"])[^'"]*\1/, "='other'")
      out = text.slice(0, end) + ' ' + duplicate + text.slice(end)
      break
    }
    case 'unclosed': {
      const v = variant % 3
      if (v === 0) {
        const closing = matches(text, /<\/[^>]+>/)
        if (closing.length === 0) { out = text + '<open>'; break }
        const c = pick(closing, n)
        out = text.slice(0, c.index) + text.slice(c.index + c[0].length)
      } else if (v === 1) {
        const empty = matches(text, /\/>/)
        if (empty.length === 0) { out = text + '<open>'; break }
        const e = pick(empty, n)
        out = text.slice(0, e.index) + text.slice(e.index + 1)
      } else out = afterTag(text, n, '<extra>')
      break
    }
    case 'doctype': {
      const doctype = pick(doctypes, variant)
      const declaration = /^\s*<\?xml[^>]*\?>/.exec(text)
      out = declaration ? declaration[0] + doctype + text.slice(declaration[0].length) : (n % 2 === 0 ? doctype + text : afterTag(text, n, doctype))
      break
    }
    case 'entity': {
      const entity = pick(entities, variant)
      out = n % 3 === 0 ? text.replace(/(=')([^']*)'/, `$1$2${entity}'`) : afterTag(text, n, entity)
      break
    }
    case 'instruction':
      out = n % 4 === 0 ? pick(instructions, variant) + text : afterTag(text, n, pick(instructions, variant))
      break
    case 'namespace': {
      const v = variant % (namespaces.length + 2)
      if (v < namespaces.length) {
        const starts = matches(text, /<([A-Za-z][\w:.-]*)/)
        if (starts.length === 0) break
        const s = n % 2 === 0 ? starts[0]! : pick(starts, n)
        const at = s.index + s[0].length
        out = text.slice(0, at) + namespaces[v]! + text.slice(at)
      } else if (v === namespaces.length) {
        // A prefixed root: the same document in a namespace libvirt does not know.
        out = text.replace(/<domain\b/, "<v:domain xmlns:v='http://libvirt.org/schemas/domain'").replace(/<\/domain>(?![\s\S]*<\/domain>)/, '</v:domain>')
      } else {
        out = afterTag(text, n, "<u:device xmlns:u='urn:x'/><undeclared:x/>")
      }
      break
    }
    case 'value': {
      const texts = matches(text, />([^<>]+)</)
      const v = variant % 3
      if (v === 2) {
        const u = matches(text, /unit='[^']*'/)
        if (u.length > 0) { const at = pick(u, n); out = text.slice(0, at.index) + `unit='${pick(units, n)}'` + text.slice(at.index + at[0].length) }
        break
      }
      if (v === 1) {
        const attrs = matches(text, /='([^']*)'/)
        if (attrs.length === 0) break
        const at = pick(attrs, n)
        out = text.slice(0, at.index) + `='${pick(values, variant >> 2).replace(/[<&']/g, '')}'` + text.slice(at.index + at[0].length)
        break
      }
      if (texts.length === 0) break
      const t = pick(texts, n)
      const value = pick(values, variant >> 2).replace(/&(?!amp;)/g, '&amp;').replace(/</g, '&lt;')
      out = text.slice(0, t.index + 1) + value + text.slice(t.index + t[0].length - 1)
      break
    }
    case 'rename': {
      const root = pick(roots, variant)
      out = text.replace(/<domain\b/, `<${root}`).replace(/<\/domain>(?![\s\S]*<\/domain>)/, `</${root}>`)
      break
    }
    case 'repeat': {
      // One element repeated many times, or wrapped in deep nesting: size and depth, not syntax.
      const elements = matches(text, /<([a-z]+)\b[^>]*\/>/)
      if (elements.length === 0) break
      const e = pick(elements, n)
      const times = variant % 2 === 0 ? 400 : 200
      const repeated = variant % 2 === 0 ? e[0].repeat(times) : `<w>`.repeat(times) + e[0] + `</w>`.repeat(times)
      out = text.slice(0, e.index) + repeated + text.slice(e.index + e[0].length)
      break
    }
    case 'markup':
      out = afterTag(text, n, pick(markup, variant))
      break
  }
  return encoder.encode(out)
}

const xmlMutation: fc.Arbitrary<XmlMutation> = fc.record({
  kind: fc.constantFrom<XmlMutation['kind']>(
    'truncate', 'flip', 'invalid-utf8', 'bom-crlf', 'duplicate-attribute', 'unclosed', 'doctype', 'entity',
    'instruction', 'namespace', 'value', 'rename', 'repeat', 'markup',
  ),
  n: fc.nat({ max: 100_000 }),
  variant: fc.nat({ max: 1000 }),
})

/** Mutations that mostly keep a document well-formed: odd values and units, other roots, namespaces, repeats. */
const semanticMutation: fc.Arbitrary<XmlMutation> = fc.record({
  kind: fc.constantFrom<XmlMutation['kind']>('value', 'value', 'value', 'value', 'rename', 'namespace', 'repeat', 'bom-crlf'),
  n: fc.nat({ max: 100_000 }),
  variant: fc.nat({ max: 1000 }),
})

/** A well-formed-looking variant of one of `documents`: 1–5 semantic mutations, to reach past the parser. */
export function oddDocument(documents: readonly Uint8Array[]): fc.Arbitrary<{ input: Uint8Array; label: string }> {
  return fc.record({ file: fc.nat({ max: documents.length - 1 }), mutations: fc.array(semanticMutation, { minLength: 1, maxLength: 5 }) }).map(({ file, mutations }) => ({
    input: mutations.reduce((bytes, m) => applyXmlMutation(bytes, m), documents[file]!),
    label: `#${file} ${mutations.map((m) => `${m.kind}(${m.n},${m.variant})`).join(' ')}`,
  }))
}

/** A hostile variant of one of `documents`: XML-aware mutations (1–3), or byte mutations, or the document as is. */
export function hostileDocument(documents: readonly Uint8Array[]): fc.Arbitrary<{ input: Uint8Array; label: string }> {
  const count = documents.length
  return fc.oneof(
    { weight: 3, arbitrary: oddDocument(documents) },
    { weight: 6, arbitrary: fc.record({ file: fc.nat({ max: count - 1 }), mutations: fc.array(xmlMutation, { minLength: 1, maxLength: 3 }) }).map(({ file, mutations }) => ({
      input: mutations.reduce((bytes, m) => applyXmlMutation(bytes, m), documents[file]!),
      label: `#${file} ${mutations.map((m) => `${m.kind}(${m.n},${m.variant})`).join(' ')}`,
    })) },
    { weight: 3, arbitrary: mutationOf(count).map((m) => ({ input: applyMutation(documents[m.file]!, m), label: `#${m.file} bytes ${JSON.stringify(m.edits)}` })) },
    { weight: 1, arbitrary: fc.nat({ max: count - 1 }).map((file) => ({ input: documents[file]!, label: `#${file} as is` })) },
  )
}

/** The time bound of one input, in milliseconds. */
export const perInputLimitMs = 2000

/** Outcomes of one fuzz target: how many inputs, how they ended, the slowest. */
export class FuzzTally {
  inputs = 0
  ok = 0
  typed = 0
  maxMs = 0
  readonly byCode = new Map<string, number>()
  readonly slow: string[] = []
  constructor(readonly target: string) {}

  /** Record one input's outcome (`undefined` = a result; else the typed error's code) and its time. */
  record(outcome: string | undefined, ms: number, label: string): void {
    this.inputs++
    if (outcome === undefined) this.ok++
    else {
      this.typed++
      this.byCode.set(outcome, (this.byCode.get(outcome) ?? 0) + 1)
    }
    this.maxMs = Math.max(this.maxMs, ms)
    if (ms > perInputLimitMs) this.slow.push(`${label}: ${ms.toFixed(0)} ms`)
  }

  /** `fuzz <target>: N inputs, N ok, N typed errors, max N ms` (+ extra outcomes). */
  line(extra = ''): string {
    return `fuzz ${this.target}: ${this.inputs} inputs, ${this.ok} ok, ${this.typed} typed errors${extra}, max ${Math.ceil(this.maxMs)} ms`
  }
}
