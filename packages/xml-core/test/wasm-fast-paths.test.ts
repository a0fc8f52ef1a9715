// The WebAssembly engine's fast paths against the TypeScript reference: the byte tables of the
// parser (ASCII names, plain text and attribute runs, UTF-8 validated eight bytes at a time), the
// one-pass canonical writer, the one-pass patch encoder of src/engine.ts (paths split as splitPath splits them, strings written by
// hand or by encodeInto) and the identity tables kept resident between calls. Same bytes, same
// errors, same offsets.
import { beforeAll, describe, expect, it } from 'vitest'
import { createEngine, createReferenceEngine, type IdentityKeys, type Patch, type XmlChangeEngine, type XmlEngine } from '../src/index.ts'
import { engineInternals } from '../src/_internals.ts'
import { libvirtIdentityKeys as keys } from './_libvirt-keys.ts'
import { outcome } from './_outcome.ts'

const reference = createReferenceEngine()
let wasm: XmlEngine & XmlChangeEngine
beforeAll(async () => {
  wasm = await createEngine()
})


function sameDocument(input: string | Uint8Array): void {
  for (const op of ['canonicalize', 'format'] as const) {
    expect(outcome(() => wasm[op](input)), `${op} ${typeof input === 'string' ? JSON.stringify(input) : 'bytes'}`).toEqual(outcome(() => reference[op](input)))
  }
}

describe('parser byte tables', () => {
  it('read every ASCII byte as a name start, a name character, or neither, as the reference does', () => {
    for (let c = 0x20; c < 0x7f; c++) {
      const ch = String.fromCharCode(c)
      for (const input of [`<${ch}/>`, `<a${ch}/>`, `<a${ch}b/>`, `<a ${ch}='1'/>`, `<a b${ch}='1'/>`, `<a>&${ch};</a>`, `<a>&a${ch};</a>`]) sameDocument(input)
    }
  })

  it('read non-ASCII names by code point', () => {
    for (const input of ['<é/>', '<aé·̀/>', '<a\u00b7/>', '<\u00b7/>', '<a é:b="1"/>', '<𝄞/>', '<a\u203f/>', '<\u0300/>', '<a\u00d7/>']) sameDocument(input)
  })

  it('stop plain text and attribute runs at every byte that needs a closer look', () => {
    const specials = ['&amp;', '&#x10FFFF;', ']]>', ']]', ']', '\r', '\r\n', '\t', '\n', '\u0001', '\u001f', '\ufffe', '\uffff', '\ufeff', '\ufffd', 'é', '𝄞', '"', "'", '<', '&bad;']
    for (const s of specials) {
      for (const pad of ['', 'x', 'xxxxxxx', 'xxxxxxxxxxxxxxxxx']) {
        sameDocument(`<a>${pad}${s}${pad}</a>`)
        sameDocument(`<a v="${pad}${s}${pad}"/>`)
        sameDocument(`<a v='${pad}${s}${pad}'/>`)
      }
    }
  })

  it('find an invalid UTF-8 byte at every offset of an ASCII run, eight bytes at a time or not', () => {
    for (const bad of [[0xff], [0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc3]]) {
      for (let at = 0; at < 20; at++) {
        const head = new TextEncoder().encode(`<a>${'x'.repeat(at)}`)
        const tail = new TextEncoder().encode('yyyyyyyyyyyy</a>')
        const input = new Uint8Array([...head, ...bad, ...tail])
        sameDocument(input)
        expect(outcome(() => wasm.canonicalize(input))).toMatchObject({ code: 'xml-invalid-utf8', place: { offset: head.length } })
      }
    }
  })
})

describe('patch encoding (one pass, one buffer)', () => {
  const doc = "<domain><devices><disk><target dev='a/b'/></disk><disk><target dev=\"it's\"/></disk><disk><target dev='é[1]'/></disk><video/></devices><metadata><x:y xmlns:x='urn:x'>t</x:y></metadata></domain>"

  function samePatch(patch: Patch, document = doc): void {
    expect(outcome(() => wasm.applyPatch(document, patch, keys)), JSON.stringify(patch).slice(0, 200)).toEqual(outcome(() => reference.applyPatch(document, patch, keys)))
  }

  it('splits paths as splitPath does: quotes, doubled quotes, slashes in values and predicates', () => {
    const paths = [
      "/domain/devices/disk[target/@dev='a/b']", "/domain/devices/disk[target/@dev='it''s']", "/domain/devices/disk[target/@dev='é[1]']",
      '/domain/devices/video', '/domain/devices/video[2]', "/domain/devices/disk[target/@dev='a/b", '/domain//devices', 'domain/devices',
      '/', '/domain/', "/domain/devices/disk[target/@dev='']", '/domain/metadata/x:y',
    ]
    for (const path of paths) {
      samePatch({ format: 'virtuned-patch/1', ops: [{ op: 'set-attribute', path, name: 'n', value: 'v' }] })
      samePatch({ format: 'virtuned-patch/1', ops: [{ op: 'remove', path }] })
    }
  })

  it('writes non-ASCII strings short and long (by hand, by encodeInto) as UTF-8', () => {
    for (const length of [1, 255, 256, 257, 3000]) {
      const value = 'é𝄞ü\u0800'.repeat(length).slice(0, length * 2)
      samePatch({ format: 'virtuned-patch/1', ops: [{ op: 'set-attribute', path: '/domain/devices/video', name: 'é', value }] })
      samePatch({ format: 'virtuned-patch/1', ops: [{ op: 'insert', path: '/domain/devices', after: 'video', xml: `<é v='${value}'>${value}</é>`, as: 'é' }] })
      samePatch({ format: 'virtuned-patch/1', ops: [{ op: 'set-text', path: '/domain/metadata/x:y', value, from: 't' }] })
    }
  })

  it('leaves lone surrogates, wrong types and unknown ops to the reference, in every string', () => {
    const lone = ['\ud800', 'a\udc00', 'x'.repeat(300) + '\ud834', '\ud834\ud834\udd1e']
    for (const s of lone) {
      samePatch({ format: 'virtuned-patch/1', ops: [{ op: 'set-attribute', path: `/domain/devices/${s}`, name: 'n', value: 'v' }] })
      samePatch({ format: 'virtuned-patch/1', ops: [{ op: 'set-attribute', path: '/domain/devices/video', name: 'n', value: s }] })
      samePatch({ format: 'virtuned-patch/1', ops: [{ op: 'insert', path: '/domain/devices', after: null, xml: `<v>${s}</v>`, as: 'v' }] })
      samePatch({ format: 'virtuned-patch/1', ops: [{ op: 'reorder', path: '/domain/devices', order: ['video', s] }] })
    }
    const odd = [
      { op: 'set-attribute', path: '/domain', name: 1, value: 'v' }, { op: 'set-text', path: '/domain/metadata/x:y', value: 'v' },
      { op: 'reorder', path: '/domain/devices', order: 'video' }, { op: 'insert', path: '/domain/devices', after: 3, xml: '<v/>' },
      { op: 'remove', path: 7 }, { op: 'hasOwnProperty', path: '/domain' }, null,
    ]
    for (const op of odd) samePatch({ format: 'virtuned-patch/1', ops: [op] } as unknown as Patch)
  })

  it('reuses its buffer: a big patch, then a small one, then an invalid one, then the big one again', () => {
    const many = (n: number): Patch => ({ format: 'virtuned-patch/1', ops: Array.from({ length: n }, (_, i) => ({ op: 'insert' as const, path: '/domain/devices', after: null, xml: `<shmem name='s${i}${'é'.repeat(400)}'/>`, as: `shmem[@name='s${i}${'é'.repeat(400)}']` })) })
    for (const patch of [many(60), many(1), { format: 'virtuned-patch/1', ops: [{ op: 'remove', path: '\ud800' }] } as Patch, many(60)]) samePatch(patch)
  })
})

describe('identity tables resident between calls', () => {
  const a = "<domain><devices><disk><target dev='vda'/><serial>s1</serial></disk><disk><target dev='vdb'/><serial>s2</serial></disk></devices></domain>"
  const b = "<domain><devices><disk><target dev='vdb'/><serial>s1</serial></disk><disk><target dev='vda'/><serial>s2</serial></disk></devices></domain>"
  const byTarget: IdentityKeys = { rules: [{ path: 'domain/devices/disk', key: ['target/@dev'] }] }
  const bySerial: IdentityKeys = { rules: [{ path: 'domain/devices/disk', key: ['serial'] }] }
  // Over the module's 64 KiB area: read into the heap for each call, never kept.
  const large: IdentityKeys = { rules: [...Array.from({ length: 1500 }, (_, i) => ({ path: `domain/devices/x${i}/${'y'.repeat(40)}`, key: ['@a', 'b/@c'] })), { path: 'domain/devices/disk', key: ['serial'] }] }

  function same(engine: XmlChangeEngine, table: IdentityKeys, x = a, y = b): string {
    const got = outcome(() => engine.diff(x, y, table))
    expect(got).toEqual(outcome(() => reference.diff(x, y, table)))
    const patch = reference.diff(x, y, table)
    expect(outcome(() => engine.applyPatch(x, patch, table))).toEqual(outcome(() => reference.applyPatch(x, patch, table)))
    const layers = [{ name: 'l', mode: 'fill' as const, document: y }]
    expect(outcome(() => engine.merge(x, layers, table))).toEqual(outcome(() => reference.merge(x, layers, table)))
    return got as string
  }

  it('answer with the table of each call when tables alternate, small and large', async () => {
    const engine = await createEngine()
    // The tables give different patches, so a stale table would show.
    expect(same(engine, byTarget)).not.toEqual(same(engine, bySerial))
    for (const table of [byTarget, bySerial, byTarget, large, large, bySerial, large, byTarget, keys, byTarget]) same(engine, table)
    // Documents of other sizes move everything in the heap: a table left there would be overwritten.
    const grown = (x: string) => x.replace('<devices>', `<description>${'d'.repeat(5000)}</description><devices>`)
    for (const [table, x, y] of [[large, a, b], [large, grown(b), grown(a)], [large, a, grown(b)], [bySerial, grown(a), b], [bySerial, a, b]] as const) same(engine, table, x, y)
  })

  it('do not keep a table a failed call sent, nor survive a trap', async () => {
    const engine = await createEngine()
    same(engine, byTarget)
    // The call that sends bySerial fails before the module reads the table.
    expect(() => engine.diff('<domain>', b, bySerial)).toThrow(expect.objectContaining({ code: 'xml-unexpected-eof' }))
    expect(() => engine.merge(a, [{ name: 'l', mode: 'fill', document: '<network/>' }], bySerial)).toThrow()
    same(engine, bySerial)
    same(engine, byTarget)
    engineInternals.get(engine)!.trapNextCall()
    expect(() => engine.canonicalize('<a/>')).toThrow(expect.objectContaining({ code: 'engine-trap' }))
    same(engine, byTarget)
    same(engine, bySerial)
  })
})

describe('element segments kept between the operations of one patch', () => {
  const doc = "<domain><devices><disk><target dev='vda'/><serial>s1</serial></disk><disk><target dev='vdb'/></disk><video/><video><model type='qxl'/></video></devices></domain>"
  const ops = (...list: unknown[]): Patch => ({ format: 'virtuned-patch/1', ops: list } as Patch)

  function samePatch(patch: Patch, table: IdentityKeys = keys): unknown {
    const got = outcome(() => wasm.applyPatch(doc, patch, table))
    expect(got, JSON.stringify(patch)).toEqual(outcome(() => reference.applyPatch(doc, patch, table)))
    return got
  }

  it('follow a change of key, alias, text or list made by an earlier operation', () => {
    const renamed = samePatch(ops(
      { op: 'set-attribute', path: "/domain/devices/disk[target/@dev='vda']/target", name: 'dev', value: 'vdz', from: 'vda' },
      { op: 'set-attribute', path: "/domain/devices/disk[target/@dev='vdz']", name: 'device', value: 'disk' },
    ))
    expect(typeof renamed).toBe('string')
    // The old identity is gone after the rename: both engines refuse the third op.
    expect(samePatch(ops(
      { op: 'set-attribute', path: "/domain/devices/disk[target/@dev='vda']/target", name: 'dev', value: 'vdz', from: 'vda' },
      { op: 'set-attribute', path: '/domain/devices/video[2]', name: 'x', value: '1' },
      { op: 'remove', path: "/domain/devices/disk[target/@dev='vda']" },
    ))).toMatchObject({ code: 'patch-target-missing', index: 2 })
    samePatch(ops(
      { op: 'insert', path: "/domain/devices/disk[target/@dev='vdb']", after: 'target', xml: "<alias name='ua-b'/>", as: 'alias' },
      { op: 'set-attribute', path: "/domain/devices/disk[alias/@name='ua-b']", name: 'type', value: 'file' },
      { op: 'remove', path: "/domain/devices/disk[target/@dev='vdb']" },
    ))
    samePatch(ops(
      { op: 'remove', path: '/domain/devices/video' },
      { op: 'set-attribute', path: '/domain/devices/video', name: 'primary', value: 'yes' },
      { op: 'set-attribute', path: '/domain/devices/video[2]', name: 'primary', value: 'yes' },
    ))
    samePatch(ops(
      { op: 'insert', path: '/domain/devices', after: null, xml: '<video/>', as: 'video' },
      { op: 'reorder', path: '/domain/devices', order: ['video[3]', 'video', 'video[2]'] },
      { op: 'remove', path: '/domain/devices/video[3]' },
    ))
    const bySerial: IdentityKeys = { rules: [{ path: 'domain/devices/disk', key: ['serial'] }] }
    samePatch(ops(
      { op: 'set-text', path: "/domain/devices/disk[serial='s1']/serial", value: 's9', from: 's1' },
      { op: 'set-attribute', path: "/domain/devices/disk[serial='s9']", name: 'type', value: 'file' },
    ), bySerial)
    samePatch(ops(
      { op: 'set-text', path: "/domain/devices/disk[serial='s1']/serial", value: 's9', from: 's1' },
      { op: 'set-attribute', path: "/domain/devices/disk[serial='s1']", name: 'type', value: 'file' },
    ), bySerial)
    samePatch(ops(
      { op: 'replace', path: '/domain', xml: "<domain><devices><disk><target dev='vdq'/></disk></devices></domain>" },
      { op: 'remove', path: "/domain/devices/disk[target/@dev='vdq']" },
      { op: 'remove', path: "/domain/devices/disk[target/@dev='vda']" },
    ))
  })
})

describe('the rule index (by element name, `*` rules merged in rule order)', () => {
  const a = "<domain><devices><disk type='file'><target dev='vda'/></disk><disk type='block'><target dev='vdb'/></disk><nic type='x'/><watchdog model='i'/></devices><features><acpi/><apic/></features></domain>"
  const b = "<domain><devices><disk type='block'><target dev='vda'/></disk><disk type='file'><target dev='vdb'/></disk><nic type='y'/><watchdog model='j'/></devices><features><apic/><acpi x='1'/></features></domain>"
  const tables: Record<string, IdentityKeys> = {
    wildcardFirst: { rules: [{ path: 'domain/devices/*', key: ['@type'] }, { path: 'domain/devices/disk', key: ['target/@dev'] }] },
    wildcardLast: { rules: [{ path: 'domain/devices/disk', key: ['target/@dev'] }, { path: 'domain/devices/*', key: ['@type'] }] },
    predicate: { rules: [{ path: "domain/devices/disk[@type='file']", key: ['target/@dev'] }, { path: 'domain/*/*', key: ['@type'] }, { path: 'domain/devices/disk', key: [] }] },
    // More `*` rules than the index takes: every rule is tried, in order.
    manyWildcards: { rules: [...Array.from({ length: 20 }, (_, i) => ({ path: `domain/x${i}/*`, key: ['@a'] })), { path: 'domain/devices/*', key: ['@model'] }, { path: 'domain/devices/disk', key: ['target/@dev'] }] },
    sameNameTwice: { rules: [{ path: 'domain/features/acpi', key: ['@x'] }, { path: 'domain/devices/disk', key: ['@type'] }, { path: 'domain/*/disk', key: ['target/@dev'] }] },
  }

  it('picks the first rule that matches, as the reference does', () => {
    const patches = new Map<string, unknown>()
    for (const [name, table] of Object.entries(tables)) {
      for (const [x, y] of [[a, b], [b, a]] as const) {
        const got = outcome(() => wasm.diff(x, y, table))
        expect(got, name).toEqual(outcome(() => reference.diff(x, y, table)))
        patches.set(name, got)
        const patch = reference.diff(x, y, table)
        expect(outcome(() => wasm.applyPatch(x, patch, table)), name).toEqual(outcome(() => reference.applyPatch(x, patch, table)))
        const layers = [{ name: 'l', mode: 'require' as const, document: y }]
        expect(outcome(() => wasm.merge(x, layers, table)), name).toEqual(outcome(() => reference.merge(x, layers, table)))
      }
    }
    // The order of the rules matters here, so a wrong order would show.
    expect(patches.get('wildcardFirst')).not.toEqual(patches.get('wildcardLast'))
  })
})

describe('patch encoding re-entered', () => {
  it('a getter that applies another patch while this one is encoded leaves both intact', () => {
    const doc = "<domain><devices><disk><target dev='vda'/></disk><video/></devices></domain>"
    const inner: Patch = { format: 'virtuned-patch/1', ops: [{ op: 'set-attribute', path: '/domain/devices/video', name: 'inner', value: 'x'.repeat(5000) }] }
    const results: unknown[] = []
    const outer = (engine: XmlChangeEngine): Patch => ({
      format: 'virtuned-patch/1',
      ops: [
        { op: 'set-attribute', path: "/domain/devices/disk[target/@dev='vda']", name: 'a', value: '1' },
        { op: 'set-attribute', path: '/domain/devices/video', name: 'b', get value() { results.push(outcome(() => engine.applyPatch(doc, inner, keys))); return 'y'.repeat(3000) } },
      ],
    } as Patch)
    const got = outcome(() => wasm.applyPatch(doc, outer(wasm), keys))
    const expected = outcome(() => reference.applyPatch(doc, outer(reference), keys))
    expect(got).toEqual(expected)
    expect(typeof got).toBe('string')
    expect(results.length).toBeGreaterThan(0)
    for (const r of results) expect(r).toEqual(outcome(() => reference.applyPatch(doc, inner, keys)))
  })
})

describe('identity table chosen after every getter ran', () => {
  it('a layer whose name getter runs the same engine with another table', async () => {
    const engine = await createEngine()
    const a = "<domain><devices><disk><target dev='vda'/><serial>s1</serial></disk></devices></domain>"
    const b = "<domain><devices><disk><target dev='vdb'/><serial>s1</serial></disk></devices></domain>"
    const byTarget: IdentityKeys = { rules: [{ path: 'domain/devices/disk', key: ['target/@dev'] }] }
    const bySerial: IdentityKeys = { rules: [{ path: 'domain/devices/disk', key: ['serial'] }] }
    // From its second read on (after the engine chose what to send), the getter switches tables.
    const layers = (e: XmlChangeEngine) => {
      let reads = 0
      return [{ get name() { if (++reads >= 2) e.diff(a, b, bySerial); return 'l' }, mode: 'fill' as const, document: b }]
    }
    engine.merge(a, [{ name: 'warm', mode: 'fill', document: b }], byTarget)
    const got = outcome(() => engine.merge(a, layers(engine), byTarget))
    expect(got).toEqual(outcome(() => reference.merge(a, layers(reference), byTarget)))
    // The two tables merge differently, so a stale one would show.
    expect(got).not.toEqual(outcome(() => reference.merge(a, [{ name: 'l', mode: 'fill', document: b }], bySerial)))
  })
})

describe('one-pass canonical writer', () => {
  const canonical = (input: string): void => {
    for (const comments of [true, false]) {
      expect(outcome(() => wasm.canonicalize(input, { comments })), `${JSON.stringify(input)} comments: ${comments}`).toEqual(outcome(() => reference.canonicalize(input, { comments })))
    }
  }

  it('settles whitespace runs around comments, PIs, CDATA and references as the reference does, at any depth', () => {
    // Every sequence of up to four of these children: whitespace held past a kept comment or PI
    // before the first element child must come back out there, and stay when none follows.
    const parts = ['\n  ', 'x', '<!--c-->', '<?p v?>', '<?q?>', '<![CDATA[ ]]>', '<![CDATA[>&]]>', '<b/>', '<c> </c>', '&#32;', '&#13;', '\r\n', '&gt;']
    let level: string[][] = [[]]
    const sequences: string[][] = [[]]
    for (let length = 1; length <= 4; length++) {
      level = level.flatMap((previous) => parts.map((p) => [...previous, p]))
      sequences.push(...level)
    }
    expect(sequences.length).toBe(1 + 13 + 13 ** 2 + 13 ** 3 + 13 ** 4)
    for (const s of sequences) {
      const body = s.join('')
      canonical(`<a>${body}</a>`)
      canonical(`<r>\n <a k='1'>${body}</a>${body.includes('<b/>') ? '' : body}\n</r>`)
    }
  })

  it('reorders attributes by name with their escapes, and finds a repeated one among many', () => {
    canonical(`<a z='&lt;1' b="'&amp;" a='\t"x"\r\n' m='&#9;&#10;&#13;'/>`)
    canonical(`<a>${'<e ' + Array.from({ length: 40 }, (_, i) => `n${(i * 7) % 40}='${i}'`).join(' ') + '/>'}</a>`)
    canonical(`<a ${Array.from({ length: 20 }, (_, i) => `n${i}='${i}'`).join(' ')} n7='again'/>`)
    // Up to 16 attributes sit in a static table; the 17th moves them all to the hashed one.
    for (const count of [15, 16, 17, 18]) {
      const names = Array.from({ length: count }, (_, i) => `n${count - i}`)
      canonical(`<a ${names.map((n, i) => `${n}='${i}'`).join(' ')}/>`)
      for (const repeated of [0, count - 1]) canonical(`<a ${names.map((n, i) => `${n}='${i}'`).join(' ')} ${names[repeated]}='x'/>`)
    }
    canonical(`<a y='1' x='2'></a>`)
    canonical(`<a y='1' x='2' y='3'/>`)
  })
})
