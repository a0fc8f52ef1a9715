// The fast path (src/_scan.ts) against the reference path (xml-core's parser, then fromElement): where the
// fast path answers, its tree must be the reference's (positions aside); where the reference throws, the
// fast path must give up so the reference reports the error. On libvirt's corpus (skipped without it,
// failing under CI=true) and on inputs that need no corpus: hand-written ones and seeded mutations.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDomain } from '@virtuned/model'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { scanDomain } from '../src/_scan.ts'
import { fromElement } from '../src/_node.ts'

const withoutPositions = (value: unknown): string => JSON.stringify(value, (k, v: unknown) => (k === 'position' ? undefined : v))

/** 'same' (fast path answered, equal), 'fallback' (fast path gave up) or a description of the mismatch. */
function compare(input: string | Uint8Array): 'same' | 'fallback' | string {
  let reference: string | undefined
  let referenceRoot: Record<string, string> | undefined
  try {
    const parsed = parseDomain(input)
    reference = withoutPositions(fromElement(parsed.root))
    referenceRoot = parsed.root.attributes as Record<string, string>
  } catch { /* the reference refuses it */ }
  const fast = scanDomain(input)
  if (fast === undefined) return 'fallback'
  if (reference === undefined) return 'the fast path accepted what the reference refuses'
  if (withoutPositions(fast.domain) !== reference) return 'trees differ'
  if (JSON.stringify(fast.rootAttributes) !== JSON.stringify(referenceRoot)) return 'root attributes differ'
  return 'same'
}

const base = `<?xml version="1.0"?>
<domain type='kvm' xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0">
  <name>vm-1</name>
  <title>  </title>
  <description>A  "quoted" &gt; text</description>
  <metadata>
    <app:info xmlns:app="urn:x" a="1">
      <app:note>keep  me <b>bold</b> tail</app:note>
    </app:info>
  </metadata>
  <memory unit="MiB">512</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type><cmdline> </cmdline></os>
  <devices>
    <disk type="file" device="disk"><source file="/a b/c.img"/><target dev="vda"
      bus="virtio"/></disk>
    <interface type='user' ><mac address='52:54:00:AA:bb:cc'/></interface >
  </devices>
</domain>
`

describe('the fast path', () => {
  it('reads a plain domain as the reference does', () => {
    const plain = base.replace('&gt;', '>')
    expect(compare(plain)).toBe('same')
    expect(compare(new TextEncoder().encode(plain))).toBe('same')
    expect(compare(plain.replace('<?xml version="1.0"?>\n', ''))).toBe('same')
  })

  it('reads a tag of many attributes as the reference does, and gives up on a name repeated past the first sixteen', () => {
    const many = (n: number, repeat?: number): string => `<domain type='qemu'><name a0='x' ${Array.from({ length: n }, (_, i) => `b${i}='${i}'`).join(' ')}${repeat === undefined ? '' : ` b${repeat}='again'`}>n</name></domain>`
    expect(compare(many(40))).toBe('same')
    expect(compare(many(40, 30))).toBe('fallback')
    expect(compare(many(40, 3))).toBe('fallback')
    expect(compare(many(5000))).toBe('same')
  })

  it('leaves references, comments, CDATA, CR, mixed content and other roots to the reference', () => {
    for (const input of [
      base,
      base.replace('<name>', '<!-- c --><name>'),
      base.replace('vm-1', '<![CDATA[vm-1]]>'),
      base.replace(/\n/g, '\r\n'),
      base.replace('<name>vm-1</name>', '<name>vm <b/>1</name>'),
      base.replace(/domain/g, 'network'),
      `\uFEFF${base}`,
      ` ${base}`,
    ]) expect(compare(input)).toBe('fallback')
  })

  it('gives up wherever the reference refuses a mutated input', () => {
    // a seeded generator: the same mutations on every run
    let seed = 19
    const random = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n }
    const plain = base.replace('&gt;', '>')
    const pieces = ['<', '>', '/', '"', "'", '=', ' ', '&', 'é', '\t', '\u0001', '</a>', '<a>', 'x', '-', ']]>', '\uD800']
    const outcomes = new Map<string, number>()
    for (let n = 0; n < 3000; n++) {
      let input = plain
      for (let k = 0; k <= random(3); k++) {
        const at = random(input.length)
        const op = random(3)
        if (op === 0) input = input.slice(0, at) + input.slice(at + 1 + random(4))
        else if (op === 1) input = input.slice(0, at) + pieces[random(pieces.length)]! + input.slice(at)
        else input = input.slice(0, at)
      }
      const outcome = compare(input)
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
    }
    expect([...outcomes.keys()].sort()).toEqual(['fallback', 'same'])
  })

  const { dir, reason } = locateCorpus()
  it.skipIf(!dir)(`reads libvirt's corpus domains as the reference does${dir ? '' : ` (skipped: ${reason})`}`, () => {
    const files = corpusFiles(dir!, ['domains', 'domains-out'])
    const outcomes = new Map<string, string[]>()
    for (const file of files) {
      const outcome = compare(readFileSync(join(dir!, file)))
      outcomes.set(outcome, [...(outcomes.get(outcome) ?? []), file])
    }
    expect([...outcomes.keys()].filter((k) => k !== 'same' && k !== 'fallback').map((k) => `${k}: ${outcomes.get(k)!.slice(0, 3).join(', ')}`)).toEqual([])
    // most of libvirt's test domains are plain enough for the fast path
    expect(outcomes.get('same')?.length ?? 0).toBeGreaterThan(files.length / 2)
  })
})
