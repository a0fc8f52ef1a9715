import { XmlEngineError } from './errors.ts'
import { defaultParseLimits, parseXml } from './parse.ts'
import { toCanonical, toXml, type CanonicalOptions } from './serialize.ts'
import { applyPatchToTree, diffTrees, type Patch } from './diff.ts'
import type { IdentityKeys } from './identity.ts'
import { mergeTrees, type Conflict, type MergeOptions, type Provenance } from './merge.ts'
import { treeMethods, type Engine } from './trees.ts'

/** Options every engine accepts when it is created. */
export interface EngineOptions {
  /** Refuse inputs larger than this many UTF-8 bytes (default 16 MiB) with `xml-too-large`. */
  readonly maxInputBytes?: number
}

/**
 * The operations every engine offers — the WebAssembly one and the TypeScript
 * reference alike, with byte-identical results. Bytes in, bytes out.
 */
export interface XmlEngine {
  /** `wasm` or `reference`: which implementation answers. */
  readonly kind: 'wasm' | 'reference'
  /** The canonical form of an XML document (see `toCanonical`), as UTF-8 bytes. Throws `XmlSyntaxError` on bad input. */
  canonicalize(xml: string | Uint8Array, options?: CanonicalOptions): Uint8Array
  /** The document in libvirt's layout (`toXml` with `style: 'libvirt'`), as UTF-8 bytes. Throws `XmlSyntaxError` on bad input. */
  format(xml: string | Uint8Array): Uint8Array
}

/** A layer as the engine takes it: the document as XML text or bytes. */
export interface LayerInput {
  readonly name: string
  readonly mode: 'fill' | 'require'
  readonly document: string | Uint8Array
}

/** Diff, patch and layered merge, bytes in and bytes out (XML out in libvirt's layout). */
export interface XmlChangeEngine {
  /** The patch that turns `a` into `b`, matching lists by identity keys. */
  diff(a: string | Uint8Array, b: string | Uint8Array, keys: IdentityKeys): Patch
  /** `a` with the patch applied; all or nothing (`XmlChangeError` with the op index). */
  applyPatch(a: string | Uint8Array, patch: Patch, keys: IdentityKeys): Uint8Array
  /** The base with the layers merged in order; conflicts reported, provenance per added/changed node. */
  merge(base: string | Uint8Array, layers: readonly LayerInput[], keys: IdentityKeys, options?: MergeOptions): { document: Uint8Array; conflicts: readonly Conflict[]; provenance: readonly Provenance[] }
}

const encoder = new TextEncoder()

export function checkMaxInputBytes(value: number | undefined): number {
  const limit = value ?? defaultParseLimits.maxBytes
  if (!Number.isInteger(limit) || limit <= 0) {
    throw new XmlEngineError('engine-bad-option', `Unexpected maxInputBytes ${String(value)}, expected a positive integer`)
  }
  return limit
}

/** Layers must name themselves and say `fill` or `require`: checked the same way by every engine. */
export function checkLayers(layers: readonly LayerInput[]): void {
  if (!Array.isArray(layers)) throw new XmlEngineError('engine-bad-option', 'Unexpected layers, expected an array of { name, mode, document }')
  layers.forEach((layer, i) => {
    if (!layer || typeof layer.name !== 'string' || (layer.mode !== 'fill' && layer.mode !== 'require')) {
      throw new XmlEngineError('engine-bad-option', `Unexpected layer ${i} ${JSON.stringify(layer?.name)}: expected a string \`name\` and \`mode\` "fill" or "require"`)
    }
  })
}

/** The TypeScript reference engine: synchronous, no WebAssembly, same results as {@link createEngine}'s. */
export function createReferenceEngine(options: EngineOptions = {}): Engine {
  const maxBytes = checkMaxInputBytes(options.maxInputBytes)
  const parse = (xml: string | Uint8Array) => parseXml(xml, { maxBytes, positions: false })
  return {
    ...treeMethods,
    diff: (a, b, keys) => diffTrees(parse(a), parse(b), keys),
    applyPatch: (a, patch, keys) => encoder.encode(toXml(applyPatchToTree(parse(a), patch, keys))),
    merge(base, layers, keys, mergeOptions) {
      checkLayers(layers)
      const result = mergeTrees(parse(base), layers.map((l) => ({ name: l.name, mode: l.mode, document: parse(l.document) })), keys, mergeOptions)
      return { document: encoder.encode(toXml(result.document)), conflicts: result.conflicts, provenance: result.provenance }
    },
    kind: 'reference',
    canonicalize(xml, canonicalOptions = {}) {
      return encoder.encode(toCanonical(parseXml(xml, { maxBytes, positions: false }), canonicalOptions))
    },
    format(xml) {
      return encoder.encode(toXml(parseXml(xml, { maxBytes, positions: false })))
    },
  }
}
