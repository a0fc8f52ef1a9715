// Malformed domain XML defined on the sandbox libvirtd beside @virtuned/preview (issue 19): libvirt reports such a
// document in libxml2's words (its first fatal error, the line the parser stopped on and a pointer); preview must refuse
// it in the same words, whole (model's libvirtXmlSyntaxError). The documents are libvirt's test domains broken as a
// hand or a tool breaks them — cut short, a markup character dropped, one inserted (`<`, `&`, quotes, `]]>`, `--`,
// references, control and non-ASCII characters, a BOM, CR LF…), an attribute written twice, two end tags swapped —
// seeded, the same from run to run.
//   npx tsx --conditions=@virtuned/source tools/preview-malformed-live.ts [COUNT] [--seed N]   (needs root and the sandbox running)
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { createConnection } from '@virtuned/libvirt-adapter'
import { parseQemuCaps } from '@virtuned/preview'
import { toolArgs } from './args.ts'
import { locateCorpus } from './corpus.ts'
import { cachedCaps, compareLive, liveUri, lost } from './preview-oracle.ts'
import { seededRandom } from './random.ts'

const inserts = ['<', '>', '&', "'", '"', '&foo;', '&#1;', '&#x;', '&#12', ']]>', '--', '<!--', '-->', '</x>', '<x>', '\u0001', 'é', '\t', '\n', ' ', '=', " a='1'", ' a', '/', '<?x', '?>', '<?xml ?>', '<![CDATA[', '&amp', '&#x41;', '&lt;', '\r\n', '\u00a0', '<a:b/>', '</', '<!x>', '\ufeff', '\ufffe', '\u{1f600}']

/** `count` malformed documents made from the domains in `corpusDir/domains` (most are malformed; a few edits leave one well-formed). */
export function malformedDocuments(corpusDir: string, count: number, seed: number): string[] {
  const random = seededRandom(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
  const dir = join(corpusDir, 'domains')
  const files = readdirSync(dir).filter((f) => f.endsWith('.xml')).sort()
  const out: string[] = []
  while (out.length < count) {
    const text = readFileSync(join(dir, pick(files)), 'utf8')
    const k = random()
    let x: string | undefined
    if (k < 0.25) x = text.slice(0, Math.floor(random() * text.length))
    else if (k < 0.45) {
      const marks = [...text].map((c, i) => ("<>'\"=/&;!-?".includes(c) ? i : -1)).filter((i) => i >= 0)
      const i = pick(marks)
      x = text.slice(0, i) + text.slice(i + 1)
    } else if (k < 0.8) {
      const i = Math.floor(random() * text.length)
      x = text.slice(0, i) + pick(inserts) + text.slice(i)
    } else if (k < 0.9) {
      const attributes = [...text.matchAll(/ ([a-z]+)='[^']*'/g)]
      if (attributes.length > 0) { const a = pick(attributes); const end = a.index! + a[0].length; x = text.slice(0, end) + a[0] + text.slice(end) }
    } else {
      const ends = [...text.matchAll(/<\/[a-z]+>/g)]
      if (ends.length >= 2) {
        let a = pick(ends)
        let b = pick(ends)
        if (a.index! > b.index!) [a, b] = [b, a]
        if (a.index !== b.index) x = text.slice(0, a.index) + b[0] + text.slice(a.index! + a[0].length, b.index) + a[0] + text.slice(b.index! + b[0].length)
      }
    }
    // (a name of its own: two runs on one daemon must not define over each other's domains)
    if (x !== undefined) out.push(x.replace(/<name>[^<]*<\/name>/, `<name>vt-malformed-${seed}-${out.length}</name>`))
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = toolArgs('preview-malformed-live', { allowPositionals: true, options: { seed: { type: 'string', default: '1' } } })
  const { dir, reason } = locateCorpus()
  if (!dir) { console.error(`preview-malformed-live: ${reason}`); process.exit(2) }
  const qemuCaps = parseQemuCaps(cachedCaps('/usr/bin/qemu-system-x86_64').text)
  const conn = await createConnection(liveUri())
  const tally = { inLibvirtWords: 0, otherWords: 0, notMalformed: 0, died: 0 }
  try {
    for (const xml of malformedDocuments(dir, Number(positionals[0] ?? 500), Number(values.seed))) {
      let found: Awaited<ReturnType<typeof compareLive>>
      try { found = await compareLive(conn, xml, { qemuCaps, abiUpdate: true }) } catch (error) { if (!lost(error)) throw error; tally.died++; break }
      // (malformed to libvirt: its message names the document — 11's says `at line N` —; otherwise another check refused it, or it was taken)
      if (!/^(?:\(domain_definition\):|at line )\d+: /.test(found.daemon.replace(/^[a-z ]+error: /i, ''))) { tally.notMalformed++; continue }
      if (found.outcome === 'bothRefused') { tally.inLibvirtWords++; continue }
      tally.otherWords++
      console.log(`OTHER ${JSON.stringify(xml.slice(0, 200))}…\n   daemon: ${JSON.stringify(found.daemon)}\n  preview: ${JSON.stringify(found.preview)}`)
    }
  } finally { await conn.close().catch(() => undefined) }
  console.log(JSON.stringify(tally))
  process.exit(tally.otherWords > 0 || tally.died > 0 ? 1 : 0)
}
