// The engine's tree methods: merge, diff and patch on parsed trees, the form the libvirt packages
// hold between the stages of a compose (facts are read from trees). Every product merge, diff and
// patch goes through one of these, on the engine `getEngine()` returns, so the WebAssembly engine
// and the TypeScript reference are interchangeable behind one interface.
import type { Patch } from './diff.ts'
import type { IdentityKeys } from './identity.ts'
import type { Layer, MergeOptions, MergeResult } from './merge.ts'
import { parseXml } from './parse.ts'
import type { XmlChangeEngine, XmlEngine } from './reference.ts'
import { toXml } from './serialize.ts'
import type { Root } from './tree.ts'

/** Merge, diff and patch on trees; results equal (as XML) to the bytes methods' on the same input. */
export interface XmlTreeEngine {
  /** `base` with the layers merged in order (see {@link XmlChangeEngine.merge}). */
  mergeTree(base: Root, layers: readonly Layer[], keys: IdentityKeys, options?: MergeOptions): MergeResult
  /** The patch that turns `a` into `b`. */
  diffTree(a: Root, b: Root, keys: IdentityKeys): Patch
  /** `tree` with the patch applied; all or nothing (`XmlChangeError` with the op index). */
  patchTree(tree: Root, patch: Patch, keys: IdentityKeys): Root
}

/** What `createEngine()`, `createReferenceEngine()` and `getEngine()` return. */
export type Engine = XmlEngine & XmlChangeEngine & XmlTreeEngine

const encoder = new TextEncoder()

/**
 * Tree methods over an engine's bytes methods: each tree goes in as XML (as written, no layout
 * added) and the result is parsed once. Layers are profile and policy data, the same immutable
 * objects call after call (trees are never changed in place anywhere in virtuned): each is written
 * out once and kept while the layer object lives.
 */
export function withTreeMethods<T extends XmlEngine & XmlChangeEngine>(engine: T, maxBytes: number): T & XmlTreeEngine {
  const layerBytes = new WeakMap<Root, Uint8Array>()
  const bytesOf = (tree: Root): Uint8Array => encoder.encode(toXml(tree, { style: 'preserve' }))
  const layerBytesOf = (tree: Root): Uint8Array => {
    let bytes = layerBytes.get(tree)
    if (!bytes) layerBytes.set(tree, (bytes = bytesOf(tree)))
    return bytes
  }
  const parse = (bytes: Uint8Array): Root => parseXml(bytes, { maxBytes, positions: false })
  const methods: XmlTreeEngine = {
    mergeTree(base, layers, keys, options) {
      const result = engine.merge(bytesOf(base), layers.map((l) => ({ name: l.name, mode: l.mode, document: layerBytesOf(l.document) })), keys, options)
      return { document: parse(result.document), conflicts: result.conflicts, provenance: result.provenance }
    },
    diffTree: (a, b, keys) => engine.diff(bytesOf(a), bytesOf(b), keys),
    patchTree: (tree, patch, keys) => parse(engine.applyPatch(bytesOf(tree), patch, keys)),
  }
  return Object.assign(engine, methods)
}
