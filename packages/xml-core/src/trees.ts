// The engine's tree methods: merge, diff and patch on parsed trees, the form the libvirt packages
// hold between the stages of a compose (facts are read from trees). Every product merge, diff and
// patch goes through one of these, on the engine `getEngine()` returns.
//
// Trees are JavaScript objects, so the work on them runs in JavaScript on every engine: handing a
// tree to WebAssembly means writing it out and parsing the result back, and for the small
// documents a compose merges (a domain of ~60 elements, one device) that costs more than the merge.
// Measured (2026-12-03, 2 000 distinct composes each way, `tools/bench/compose-specs.mjs` specs):
// tree methods written over the WASM bytes methods made compose 3.5–4.2× slower than these.
// The WebAssembly engine answers the bytes methods (canonicalize, format, diff, applyPatch, merge
// of documents given as text), where it is 1.6–2.8× faster than the reference.
import { applyPatchToTree, diffTrees, type Patch } from './diff.ts'
import type { IdentityKeys } from './identity.ts'
import { mergeTrees, type Layer, type MergeOptions, type MergeResult } from './merge.ts'
import type { XmlChangeEngine, XmlEngine } from './reference.ts'
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

/** The tree methods, the same on every engine (see the note at the top of this file). */
export const treeMethods: XmlTreeEngine = Object.freeze({
  mergeTree: (base: Root, layers: readonly Layer[], keys: IdentityKeys, options?: MergeOptions) => mergeTrees(base, layers, keys, options),
  diffTree: (a: Root, b: Root, keys: IdentityKeys) => diffTrees(a, b, keys),
  patchTree: (tree: Root, patch: Patch, keys: IdentityKeys) => applyPatchToTree(tree, patch, keys),
})

/** An engine with the tree methods added. */
export function withTreeMethods<T extends XmlEngine & XmlChangeEngine>(engine: T): T & XmlTreeEngine {
  return Object.assign(engine, treeMethods)
}
