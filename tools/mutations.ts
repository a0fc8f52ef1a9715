// Byte-level mutations of real documents for fuzz tests: insert, delete, replace, truncate,
// biased towards the bytes that matter to XML and to UTF-8.
import fc from 'fast-check'

export interface Mutation {
  readonly file: number
  readonly edits: readonly { readonly kind: 'insert' | 'delete' | 'replace' | 'truncate'; readonly at: number; readonly byte: number }[]
}

/** An arbitrary mutation of one of `count` documents. */
export function mutationOf(count: number): fc.Arbitrary<Mutation> {
  return fc.record({
    file: fc.nat({ max: count - 1 }),
    edits: fc.array(fc.record({
      kind: fc.constantFrom('insert' as const, 'delete' as const, 'replace' as const, 'truncate' as const),
      at: fc.nat(),
      byte: fc.oneof(
        fc.constantFrom(...'<>&/="\'!?-[]#;x \r\n'.split('').map((c) => c.charCodeAt(0)), 0xef, 0xbf, 0xbe, 0xc0, 0x80),
        fc.integer({ min: 0, max: 255 }),
      ),
    }), { minLength: 1, maxLength: 4 }),
  })
}

/** The mutated bytes. */
export function applyMutation(document: Uint8Array, mutation: Mutation): Uint8Array {
  let bytes = Array.from(document)
  for (const { kind, at, byte } of mutation.edits) {
    const i = at % (bytes.length + 1)
    if (kind === 'insert') bytes.splice(i, 0, byte)
    else if (kind === 'delete') bytes.splice(i, 1)
    else if (kind === 'replace') bytes[i] = byte
    else bytes = bytes.slice(0, i)
  }
  return new Uint8Array(bytes)
}
