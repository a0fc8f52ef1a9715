// getEngine(): lazy (nothing compiled until asked), synchronous, one engine per process, the
// WebAssembly engine where it may be compiled and the reference with one warning where not.
import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => {
  vi.restoreAllMocks()
  vi.resetModules()
})

/** A fresh copy of the module (its engine is module state). */
const fresh = async () => ({ ...(await import('../src/inline-engine.ts')), ...(await import('../src/default-engine.ts')) })

describe('getEngine', () => {
  it('compiles nothing on import, and the WebAssembly module once on first use', async () => {
    const compile = vi.spyOn(WebAssembly, 'Module')
    const { getEngine } = await fresh()
    expect(compile).not.toHaveBeenCalled()
    const engine = getEngine()
    expect(engine.kind).toBe('wasm')
    expect(getEngine()).toBe(engine)
    expect(compile).toHaveBeenCalledTimes(1)
  })

  it('falls back to the reference, with one warning, where compiling is refused', async () => {
    vi.spyOn(WebAssembly, 'Module').mockImplementation(function refused() {
      throw new WebAssembly.CompileError("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source")
    })
    const { getEngine, setEngineWarning } = await fresh()
    const warnings: string[] = []
    setEngineWarning((m) => warnings.push(m))
    const engine = getEngine()
    expect(engine.kind).toBe('reference')
    expect(getEngine()).toBe(engine)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^virtuned: WebAssembly is not allowed here \(.*'wasm-unsafe-eval'.*\); using the TypeScript reference engine/)
    // Same results as the WebAssembly engine would give.
    expect(new TextDecoder().decode(engine.canonicalize("<a  b='1'/>"))).toBe('<a b="1"/>')
  })

  it('returns the engine given to setEngine, and the default again after setEngine(undefined)', async () => {
    const { getEngine, setEngine } = await fresh()
    const { createReferenceEngine } = await import('../src/reference.ts')
    const reference = createReferenceEngine()
    setEngine(reference)
    expect(getEngine()).toBe(reference)
    setEngine(undefined)
    expect(getEngine().kind).toBe('wasm')
  })

  it('gives tree methods that agree with the bytes methods', async () => {
    const { getEngine } = await fresh()
    const { parseXml } = await import('../src/parse.ts')
    const { toXml } = await import('../src/serialize.ts')
    const engine = getEngine()
    const keys = { rules: [{ path: 'domain/devices/disk', key: ['target/@dev'] }] }
    const base = "<domain><devices><disk type='file'><target dev='vda'/></disk></devices></domain>"
    const layer = "<domain><devices><disk><target dev='vda' bus='virtio'/></disk><disk><target dev='vdb'/></disk></devices></domain>"
    const bytes = engine.merge(base, [{ name: 'l', mode: 'fill', document: layer }], keys)
    const tree = engine.mergeTree(parseXml(base), [{ name: 'l', mode: 'fill', document: parseXml(layer) }], keys)
    expect(toXml(tree.document)).toBe(new TextDecoder().decode(bytes.document))
    expect(tree.provenance).toEqual(bytes.provenance)
    const patch = engine.diffTree(parseXml(base), parseXml(bytes.document), keys)
    expect(patch).toEqual(engine.diff(base, bytes.document, keys))
    expect(toXml(engine.patchTree(parseXml(base), patch, keys))).toBe(new TextDecoder().decode(engine.applyPatch(base, patch, keys)))
  })
})
