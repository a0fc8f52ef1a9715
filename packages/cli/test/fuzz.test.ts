// Fuzz: the CLI in-process (`fmt`, `validate --no-schema`) on hostile variants of the corpus's
// domains (see tools/fuzz.ts), with an in-memory io. Every run exits 0, 1 or 2 — never 70, the
// internal error — within the time bound, with no stack trace on stderr.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { FuzzTally, hostileDocument, perInputLimitMs } from '../../../tools/fuzz.ts'
import { run, type CliIo } from '../src/index.ts'

const corpus = locateCorpus()

/** An io over one in-memory file (and the same bytes on stdin); nothing touches the disk. */
function memoryIo(path: string, content: Uint8Array): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => { io.out += text },
    stderr: (text: string) => { io.err += text },
    readFile: async (file: string) => {
      if (file === path) return content
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${file}'`), { code: 'ENOENT' })
    },
    readStdin: async () => content,
    writeFileAtomic: async () => { throw new Error('the fuzz io writes nothing') },
    relaxng: async () => undefined,
  }
  return io
}

describe.skipIf(!corpus.dir)(`fuzz the virtuned CLI${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  const files = corpus.dir ? corpusFiles(corpus.dir, ['domains']) : []
  const documents = files.map((f) => new Uint8Array(readFileSync(join(corpus.dir!, f))))
  const command = fc.constantFrom(
    (file: string) => ['fmt', file],
    (file: string) => ['fmt', '--style', 'preserve', file],
    (file: string) => ['validate', '--no-schema', file],
    (_: string) => ['fmt', '-'],
  )
  const fileName = fc.constantFrom('domain.xml', 'a b.xml', 'x:1:2.xml', 'é.xml', '--.xml', 'missing.xml')

  it('exits 0, 1 or 2 on every mutated document, never 70, without a stack trace, in time', async () => {
    const tally = new FuzzTally('cli')
    const exits = new Map<number, number>()
    await fc.assert(fc.asyncProperty(hostileDocument(documents), command, fileName, async ({ input, label }, argv, name) => {
      const io = memoryIo(name === 'missing.xml' ? 'other.xml' : name, input)
      const args = argv(name)
      const start = performance.now()
      const code = await run(args, io)
      const ms = performance.now() - start
      exits.set(code, (exits.get(code) ?? 0) + 1)
      const what = `virtuned ${args.join(' ')} on ${label}`
      expect(code, `${what}: ${io.err}`).not.toBe(70)
      expect([0, 1, 2], `${what}: ${io.err}`).toContain(code)
      expect(io.err, what).not.toMatch(/\n\s+at /)
      expect(io.err, what).not.toContain('internal error')
      // Bad input names its code (`file:line:col: … [xml-…]`); a usage error gives a hint.
      if (code === 2) expect(io.err, what).toMatch(/\[[a-z0-9-]+\]|^virtuned: .*\n  hint: /)
      tally.record(code === 0 ? undefined : `exit ${code}`, ms, what)
      if (ms > perInputLimitMs) throw new Error(`${what} took ${ms.toFixed(0)} ms`)
    }), { seed: 42, numRuns: 1500 })
    expect(tally.slow).toEqual([])
    expect(exits.get(0) ?? 0).toBeGreaterThan(100)
    const byExit = [...exits].sort((a, b) => a[0] - b[0]).map(([c, n]) => `${n}× exit ${c}`).join(', ')
    console.log(tally.line(` (${byExit})`))
  })
})
