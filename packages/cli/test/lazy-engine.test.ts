// The CLI compiles the WebAssembly engine only for commands that compare documents (issue 17):
// `--help`, `--version` and commands that never compare start without it.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { run } from '../src/index.ts'
import { memoryIo } from './_io.ts'

const domain = "<domain type='kvm'><name>d</name><memory unit='GiB'>1</memory><os><type arch='x86_64'>hvm</type></os><devices/></domain>"

afterEach(() => vi.restoreAllMocks())

describe('the WebAssembly engine is compiled lazily', () => {
  it('is not compiled for --help, --version or fmt', async () => {
    const compile = vi.spyOn(WebAssembly, 'compile')
    const compileSync = vi.spyOn(WebAssembly, 'Module')
    for (const argv of [['--help'], ['--version'], ['fmt', '--help'], ['fmt', 'd.xml']]) {
      expect(await run(argv, memoryIo({ 'd.xml': domain }))).toBe(0)
    }
    expect(compile).not.toHaveBeenCalled()
    expect(compileSync).not.toHaveBeenCalled()
  })

  it('is compiled once (xml-core getEngine()) for the first command that compares, merges or diffs, and reused', async () => {
    const compileSync = vi.spyOn(WebAssembly, 'Module')
    expect(await run(['roundtrip', 'd.xml'], memoryIo({ 'd.xml': domain }))).toBe(0)
    expect(await run(['diff', 'd.xml', 'd.xml'], memoryIo({ 'd.xml': domain }))).toBe(0)
    expect(compileSync).toHaveBeenCalledTimes(1)
    const { getEngine } = await import('@virtuned/xml-core')
    expect(getEngine().kind).toBe('wasm')
  })
})

describe('--version', () => {
  it("prints the package's version", async () => {
    const { version } = JSON.parse(await (await import('node:fs/promises')).readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    const io = memoryIo()
    expect(await run(['--version'], io)).toBe(0)
    expect(io.out).toBe(`virtuned ${version}\n`)
    expect(version).not.toBe('0.0.0')
  })
})
