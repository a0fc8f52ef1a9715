import { XmlEngineError } from './errors.ts'
import { defaultParseLimits, parseXml } from './parse.ts'
import { toCanonical, toXml, type CanonicalOptions } from './serialize.ts'

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

const encoder = new TextEncoder()

export function checkMaxInputBytes(value: number | undefined): number {
  const limit = value ?? defaultParseLimits.maxBytes
  if (!Number.isInteger(limit) || limit <= 0) {
    throw new XmlEngineError('engine-bad-option', `Unexpected maxInputBytes ${String(value)}, expected a positive integer`)
  }
  return limit
}

/** The TypeScript reference engine: synchronous, no WebAssembly, same results as {@link createEngine}'s. */
export function createReferenceEngine(options: EngineOptions = {}): XmlEngine {
  const maxBytes = checkMaxInputBytes(options.maxInputBytes)
  return {
    kind: 'reference',
    canonicalize(xml, canonicalOptions = {}) {
      return encoder.encode(toCanonical(parseXml(xml, { maxBytes, positions: false }), canonicalOptions))
    },
    format(xml) {
      return encoder.encode(toXml(parseXml(xml, { maxBytes, positions: false })))
    },
  }
}
