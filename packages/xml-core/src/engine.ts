import { XmlChangeError, XmlEngineError, XmlSyntaxError, type XmlErrorCode } from './errors.ts'
import { assertText, defaultParseLimits, lineAt, locate, parseXml, withBom } from './parse.ts'
import { checkLayers, checkMaxInputBytes, createReferenceEngine, type EngineOptions, type XmlChangeEngine, type XmlEngine } from './reference.ts'
import type { Conflict, Provenance } from './merge.ts'
import { compileIdentityKeys, type IdentityKeys } from './identity.ts'
import type { Patch, PatchOp } from './diff.ts'
import type { CanonicalOptions } from './serialize.ts'
import { engineInternals } from './_internals.ts'
import { withTreeMethods, type Engine } from './trees.ts'

/** What the WASM module exports (see assembly/index.ts for the ABI). */
interface Exports {
  readonly memory: WebAssembly.Memory
  prepare(len: number): number
  canonicalize(len: number, flags: number, maxDepth: number): number
  format(len: number, maxDepth: number): number
  diff(aLen: number, bLen: number, rulesLen: number, maxDepth: number): number
  opsPtr(): number
  opsLen32(): number
  merge(baseLen: number, layersLen: number, rulesLen: number, metaLen: number, maxDepth: number): number
  mergeOutputPtr(): number
  mergeOutputLen(): number
  applyPatch(docLen: number, rulesLen: number, patchLen: number, maxDepth: number): number
  patchOutputPtr(): number
  patchOutputLen(): number
  patchFailedOp(): number
  output2Ptr(): number
  output2Len(): number
  outputPtr(): number
  outputLen(): number
  errorOffset(): number
  rulesResident(): number
}

/** Return codes of the WASM module, by number (assembly/index.ts ERR_*). */
const wasmErrorCodes: readonly (XmlErrorCode | undefined)[] = [
  undefined, 'xml-invalid-utf8', 'xml-invalid-character', 'xml-unexpected-character', 'xml-unexpected-eof',
  'xml-mismatched-tag', 'xml-duplicate-attribute', 'xml-undefined-entity', 'xml-doctype-refused', 'xml-no-root',
  'xml-content-after-root', 'xml-too-deep', 'xml-misplaced-declaration',
]

export interface CreateEngineOptions extends EngineOptions {
  /**
   * The WebAssembly module: compiled (what workerd hands out for an imported `.wasm`) or its bytes.
   * By default the bytes inlined in this package are compiled, which needs no file or network access.
   */
  readonly module?: WebAssembly.Module | Uint8Array
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

async function compileDefault(): Promise<WebAssembly.Module> {
  // Loaded lazily so importing the package costs nothing until an engine is created.
  const { wasmBase64 } = await import('./_generated/wasm.ts')
  return WebAssembly.compile(decodeBase64(wasmBase64))
}

function isWellFormedString(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed
  if (native) return native.call(text)
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)
}

const opKinds: Readonly<Record<PatchOp['op'], number>> = {
  'set-attribute': 1, 'remove-attribute': 2, 'set-text': 3, insert: 4, remove: 5, reorder: 6, replace: 7,
}

/** Where encodePatch writes: one buffer for every call (encoding is synchronous and consumed at once). */
let patchBytes = new Uint8Array(1 << 16)
let patchAt = 0

function room(extra: number): void {
  if (patchAt + extra <= patchBytes.length) return
  let size = patchBytes.length * 2
  while (size < patchAt + extra) size *= 2
  const bigger = new Uint8Array(size)
  bigger.set(patchBytes.subarray(0, patchAt))
  patchBytes = bigger
}

function putU32At(at: number, v: number): void {
  patchBytes[at] = v & 0xff
  patchBytes[at + 1] = (v >>> 8) & 0xff
  patchBytes[at + 2] = (v >>> 16) & 0xff
  patchBytes[at + 3] = v >>> 24
}

/**
 * UTF-16 code unit(s) at `text[i]` as UTF-8 at patchAt (room for 4 bytes made by the caller);
 * returns how many code units it read, 0 for a lone surrogate (no UTF-8 form: the reference decides).
 */
function putCodePoint(text: string, i: number): number {
  const c = text.charCodeAt(i)
  const b = patchBytes
  if (c < 0x80) { b[patchAt++] = c; return 1 }
  if (c < 0x800) { b[patchAt++] = 0xc0 | (c >> 6); b[patchAt++] = 0x80 | (c & 0x3f); return 1 }
  if (c >= 0xd800 && c <= 0xdfff) {
    const d = text.charCodeAt(i + 1)
    if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return 0
    const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
    b[patchAt++] = 0xf0 | (cp >> 18); b[patchAt++] = 0x80 | ((cp >> 12) & 0x3f)
    b[patchAt++] = 0x80 | ((cp >> 6) & 0x3f); b[patchAt++] = 0x80 | (cp & 0x3f)
    return 2
  }
  b[patchAt++] = 0xe0 | (c >> 12); b[patchAt++] = 0x80 | ((c >> 6) & 0x3f); b[patchAt++] = 0x80 | (c & 0x3f)
  return 1
}

/** A u32-length-prefixed UTF-8 string; false when v is not a string or has a lone surrogate. */
function putString(v: unknown): boolean {
  if (typeof v !== 'string') return false
  const length = v.length
  if (length > 256) {
    // Long strings (an inserted element's XML): the native encoder.
    if (!isWellFormedString(v)) return false
    room(4 + length * 3)
    const { written } = encoder.encodeInto(v, patchBytes.subarray(patchAt + 4))
    putU32At(patchAt, written)
    patchAt += 4 + written
    return true
  }
  room(4 + length * 3)
  const lengthAt = patchAt
  patchAt += 4
  for (let i = 0; i < length;) {
    const read = putCodePoint(v, i)
    if (read === 0) return false
    i += read
  }
  putU32At(lengthAt, patchAt - lengthAt - 4)
  return true
}

function putOptional(v: unknown): boolean {
  room(1)
  if (v === undefined || v === null) { patchBytes[patchAt++] = 0; return true }
  patchBytes[patchAt++] = 1
  return putString(v)
}

/**
 * A path as its segments (src/diff.ts splitPath, the same rules in one pass): u32 count, then each
 * segment as a string. False where splitPath throws or a segment has no UTF-8 form.
 */
function putPath(path: string): boolean {
  if (path.charCodeAt(0) !== 0x2f) return false
  // Each UTF-16 unit is at most 3 bytes; each segment adds a 4-byte length.
  room(8 + path.length * 7)
  const countAt = patchAt
  let count = 1
  let lengthAt = countAt + 4
  patchAt = lengthAt + 4
  let quoted = false
  let open = false
  for (let i = 1; i < path.length;) {
    const c = path.charCodeAt(i)
    if (c === 0x27) {
      if (!quoted) quoted = true
      else if (path.charCodeAt(i + 1) === 0x27) { patchBytes[patchAt++] = c; i++ }
      else quoted = false
    } else if (c === 0x5b) open = true
    else if (c === 0x5d) open = false
    else if (c === 0x2f && !quoted && !open) {
      putU32At(lengthAt, patchAt - lengthAt - 4)
      count++
      lengthAt = patchAt
      patchAt += 4
      i++
      continue
    }
    const read = putCodePoint(path, i)
    if (read === 0) return false
    i += read
  }
  if (quoted) return false
  putU32At(lengthAt, patchAt - lengthAt - 4)
  putU32At(countAt, count)
  return true
}

/**
 * The patch as the module reads it (assembly/patch.ts): per op a kind byte, then u32-length-prefixed
 * UTF-8 strings, the path split into segments. Undefined when an op is not well-formed: the caller
 * then lets the reference report it, so both engines throw the same error. The bytes are a view of
 * a shared buffer, valid until the next call.
 */
function encodePatch(patch: Patch): Uint8Array | undefined {
  if (encoding === 0) {
    encoding++
    try { return encodeOps(patch) } finally { encoding-- }
  }
  // A getter of a patch being encoded encodes another (any engine's applyPatch): that one gets a
  // buffer of its own, so neither overwrites the other.
  const outerBytes = patchBytes
  const outerAt = patchAt
  patchBytes = new Uint8Array(1 << 10)
  encoding++
  try { return encodeOps(patch) } finally { encoding--; patchBytes = outerBytes; patchAt = outerAt }
}
let encoding = 0

function encodeOps(patch: Patch): Uint8Array | undefined {
  const ops: readonly PatchOp[] = patch?.ops
  if (!patch || patch.format !== 'virtuned-patch/1' || !Array.isArray(ops)) return undefined
  patchAt = 0
  room(4)
  putU32At(0, ops.length)
  patchAt = 4
  for (const op of ops as readonly PatchOp[]) {
    const kind = op && typeof op.op === 'string' && Object.hasOwn(opKinds, op.op) ? opKinds[op.op] : undefined
    if (!kind || typeof op.path !== 'string') return undefined
    room(1)
    patchBytes[patchAt++] = kind
    if (!putPath(op.path)) return undefined
    let ok: boolean
    switch (op.op) {
      case 'set-attribute': ok = putString(op.name) && putString(op.value) && putOptional(op.from); break
      case 'remove-attribute': ok = putString(op.name) && putString(op.from); break
      case 'set-text': ok = putString(op.value) && putString(op.from); break
      case 'insert': ok = putOptional(op.after) && putString(op.xml) && putOptional(op.as); break
      case 'reorder': {
        const order: unknown = op.order
        ok = Array.isArray(order)
        if (Array.isArray(order)) {
          room(4)
          putU32At(patchAt, order.length)
          patchAt += 4
          for (const segment of order) if (!(ok = putString(segment))) break
        }
        break
      }
      case 'replace': ok = putString(op.xml); break
      default: ok = true
    }
    if (!ok) return undefined
  }
  return patchBytes.subarray(0, patchAt)
}

/**
 * The patch diff wrote (assembly/changes.ts `ops`): one text decoded once, the strings sliced from
 * it by the op table's UTF-16 offsets — the objects, key order included, that the reference builds.
 */
function readPatch(text: string, t: Int32Array): Patch {
  const ops: PatchOp[] = []
  const at = (k: number): string => text.slice(t[k]!, t[k + 1]!)
  for (let i = 0; i < t.length;) {
    const path = at(i + 1)
    switch (t[i]) {
      case 1: {
        const name = at(i + 3)
        const value = at(i + 5)
        ops.push(t[i + 7]! < 0 ? { op: 'set-attribute', path, name, value } : { op: 'set-attribute', path, name, value, from: at(i + 7) })
        i += 9
        break
      }
      case 2: ops.push({ op: 'remove-attribute', path, name: at(i + 3), from: at(i + 5) }); i += 7; break
      case 3: ops.push({ op: 'set-text', path, value: at(i + 3), from: at(i + 5) }); i += 7; break
      case 4: ops.push({ op: 'insert', path, after: t[i + 3]! < 0 ? null : at(i + 3), xml: at(i + 5), as: at(i + 7) }); i += 9; break
      case 5: ops.push({ op: 'remove', path }); i += 3; break
      case 6: {
        const count = t[i + 3]!
        const order: string[] = []
        for (let k = 0; k < count; k++) order.push(at(i + 4 + 2 * k))
        ops.push({ op: 'reorder', path, order })
        i += 4 + 2 * count
        break
      }
      case 7: ops.push({ op: 'replace', path, xml: at(i + 3) }); i += 5; break
      default: throw new XmlEngineError('engine-trap', `The WebAssembly engine wrote an unknown patch operation ${t[i]}`)
    }
  }
  return { format: 'virtuned-patch/1', ops }
}

/**
 * Create the WebAssembly engine: same interface and byte-identical results as
 * `createReferenceEngine()`, several times faster. Async (browsers refuse large synchronous
 * compiles); one engine is one instance, used by one caller at a time.
 */
export async function createEngine(options: CreateEngineOptions = {}): Promise<Engine> {
  checkMaxInputBytes(options.maxInputBytes)
  const module = options.module instanceof WebAssembly.Module
    ? options.module
    : options.module ? await WebAssembly.compile(new Uint8Array(options.module)) : await compileDefault()
  return instantiateEngine(module, options)
}

/**
 * The WebAssembly engine on a module already compiled: synchronous (instantiating a 44 KB module
 * is allowed everywhere, compiling is what browsers and workerd restrict). Used by `getEngine()`.
 */
export function instantiateEngine(module: WebAssembly.Module, options: EngineOptions = {}): Engine {
  const maxBytes = checkMaxInputBytes(options.maxInputBytes)
  const instantiate = (): Exports => new WebAssembly.Instance(module, {}).exports as unknown as Exports
  let wasm = instantiate()
  let memory = new Uint8Array(wasm.memory.buffer)
  /** The identity table the instance holds from an earlier call (assembly/changes.ts loadRules), if any. */
  let resident: Uint8Array | undefined
  let trapNext = false

  /** The module's memory as bytes: a new view only after it grew (which detaches the old buffer). */
  function heap(): Uint8Array {
    const buffer = wasm.memory.buffer
    if (memory.buffer !== buffer) memory = new Uint8Array(buffer)
    return memory
  }

  /** A trap: a fresh instance for the next call (nothing resident), and a typed error for this one. */
  function trapped(error: WebAssembly.RuntimeError): XmlEngineError {
    wasm = instantiate()
    memory = new Uint8Array(wasm.memory.buffer)
    resident = undefined
    return new XmlEngineError('engine-trap', `The WebAssembly engine trapped (${error.message}); the instance was re-created`, { cause: error })
  }

  /** Runs the module; a trap becomes a typed error and a fresh instance for the next call. */
  function run(bytes: Uint8Array, op: 'canonicalize' | 'format', flags: number): { code: number; offset: number; output?: Uint8Array } {
    try {
      if (trapNext) { trapNext = false; throw new WebAssembly.RuntimeError('unreachable (test hook)') }
      const ptr = wasm.prepare(bytes.length)
      heap().set(bytes, ptr)
      const code = op === 'canonicalize'
        ? wasm.canonicalize(bytes.length, flags, defaultParseLimits.maxDepth)
        : wasm.format(bytes.length, defaultParseLimits.maxDepth)
      if (code !== 0) return { code, offset: wasm.errorOffset() }
      const at = wasm.outputPtr()
      return { code, offset: 0, output: heap().slice(at, at + wasm.outputLen()) }
    } catch (error) {
      if (!(error instanceof WebAssembly.RuntimeError)) throw error
      throw trapped(error)
    }
  }

  function toError(bytes: Uint8Array, code: number, offset: number): XmlSyntaxError {
    const name = wasmErrorCodes[code]
    // Errors are rare: the reference parser words the message, when it agrees on code and place.
    try {
      parseXml(bytes, { maxBytes, positions: false })
    } catch (error) {
      if (error instanceof XmlSyntaxError && error.code === name && error.place?.offset === offset) return error
    }
    const before = new TextDecoder().decode(bytes.subarray(0, offset))
    const source = new TextDecoder().decode(bytes)
    return new XmlSyntaxError(name ?? 'xml-unexpected-character', `Invalid XML at byte ${offset}`, withBom(bytes, locate(before, before.length)), lineAt(source, before.length))
  }

  /** Input checks shared by every operation, then one call into the module. */
  function call(xml: string | Uint8Array, op: 'canonicalize' | 'format', flags: number): Uint8Array {
    assertText(xml)
    if (typeof xml === 'string' && !isWellFormedString(xml)) {
      // A lone surrogate has no UTF-8 form: the reference parser reports it exactly.
      parseXml(xml, { maxBytes, positions: false })
    }
    const bytes = typeof xml === 'string' ? encoder.encode(xml) : xml
    if (bytes.length > maxBytes) {
      throw new XmlSyntaxError('xml-too-large', `Input is larger than the limit of ${maxBytes} bytes`, { line: 1, column: 1, offset: 0 }, '')
    }
    const result = run(bytes, op, flags)
    if (result.code !== 0) throw toError(bytes, result.code, result.offset)
    return result.output!
  }

  /** UTF-8 bytes of an input, with the same checks as a single-document call. */
  function bytesOf(xml: string | Uint8Array): Uint8Array {
    assertText(xml)
    if (typeof xml === 'string' && !isWellFormedString(xml)) parseXml(xml, { maxBytes, positions: false })
    const bytes = typeof xml === 'string' ? encoder.encode(xml) : xml
    if (bytes.length > maxBytes) {
      throw new XmlSyntaxError('xml-too-large', `Input is larger than the limit of ${maxBytes} bytes`, { line: 1, column: 1, offset: 0 }, '')
    }
    return bytes
  }

  const noRules = new Uint8Array(0)
  /** What to send of an identity table: nothing when the instance already holds it. */
  const rulesToSend = (rules: Uint8Array): Uint8Array => (rules === resident ? noRules : rules)
  /** After a call that sent a table: whether the instance now holds it (only a call that succeeded read it for sure). */
  function settleRules(code: number, rules: Uint8Array, sent: Uint8Array): void {
    if (sent.length > 0) resident = code === 0 && wasm.rulesResident() === 1 ? rules : undefined
  }

  /** Byte strings one after the other into the input buffer (one copy each, no joined copy). */
  function load(parts: readonly Uint8Array[]): void {
    let total = 0
    for (const part of parts) total += part.length
    let at = wasm.prepare(total)
    const view = heap()
    for (const part of parts) { view.set(part, at); at += part.length }
  }

  /**
   * The parts into the input buffer, one module call, the JSON it wrote (and, for merge, the
   * document). A non-zero code means an input the module refused: `refused` rethrows it as the
   * reference does.
   */
  function callMany(parts: readonly Uint8Array[], rules: Uint8Array, sent: Uint8Array, invoke: () => number, refused: (code: number) => void, withDocument: boolean): { json: unknown; document?: Uint8Array } {
    invokeChecked(parts, rules, sent, invoke, refused)
    const view = heap()
    const jsonAt = wasm.output2Ptr()
    const json = JSON.parse(decoder.decode(view.subarray(jsonAt, jsonAt + wasm.output2Len())))
    if (!withDocument) return { json }
    const documentAt = wasm.mergeOutputPtr()
    return { json, document: view.slice(documentAt, documentAt + wasm.mergeOutputLen()) }
  }

  /** The parts into the input buffer and one module call; a refusal rethrown as the reference words it. */
  function invokeChecked(parts: readonly Uint8Array[], rules: Uint8Array, sent: Uint8Array, invoke: () => number, refused: (code: number) => void): void {
    let code: number
    try {
      load(parts)
      code = invoke()
      settleRules(code, rules, sent)
    } catch (error) {
      if (!(error instanceof WebAssembly.RuntimeError)) throw error
      throw trapped(error)
    }
    if (code !== 0) {
      refused(code)
      throw new XmlEngineError('engine-trap', `The WebAssembly engine refused input ${code} that the reference accepts`)
    }
  }

  const rulesCache = new WeakMap<IdentityKeys, Uint8Array>()
  /** The identity table as the module reads it: validated exactly as the reference validates it. */
  function rulesOf(keys: IdentityKeys): Uint8Array {
    let text = rulesCache.get(keys)
    if (!text) {
      const compiled = compileIdentityKeys(keys)
      // A key's normalisation travels as a prefix the module reads off: `~` lower-case, `%` decimal, `#w` hex.
      const prefix = (form: string | undefined) => (form === undefined ? '' : form === 'lowercase' ? '~' : form === 'decimal' ? '%' : '#' + form.slice(3))
      text = encoder.encode((compiled.userAliases ? '1' : '0') + '\n' + keys.rules.map((r) => [r.path, ...r.key.map((k) => prefix(r.normalize && Object.hasOwn(r.normalize, k) ? r.normalize[k] : undefined) + k)].join('\t')).join('\n'))
      rulesCache.set(keys, text)
    }
    return text
  }

  const engine: XmlEngine & XmlChangeEngine = {
    kind: 'wasm',
    diff(a, b, keys): Patch {
      const documents = [bytesOf(a), bytesOf(b)] as const
      const rules = rulesOf(keys)
      const sent = rulesToSend(rules)
      const refused = (code: number) => { parseXml(documents[code - 1]!, { maxBytes, positions: false }) }
      invokeChecked([documents[0], documents[1], sent], rules, sent, () => wasm.diff(documents[0].length, documents[1].length, sent.length, defaultParseLimits.maxDepth), refused)
      const view = heap()
      const textAt = wasm.output2Ptr()
      const text = decoder.decode(view.subarray(textAt, textAt + wasm.output2Len()))
      // The table is i32-aligned (the module's allocator aligns to 16 bytes).
      return readPatch(text, new Int32Array(view.buffer, wasm.opsPtr(), wasm.opsLen32()))
    },
    applyPatch(a, patch, keys) {
      const document = bytesOf(a)
      const rules = rulesOf(keys)
      const reference = () => createReferenceEngine({ maxInputBytes: maxBytes }).applyPatch(a, patch, keys)
      const encoded = encodePatch(patch)
      if (!encoded) {
        reference()
        throw new XmlEngineError('engine-bad-option', 'The WebAssembly engine cannot read this patch, which the reference applies')
      }
      const sent = rulesToSend(rules)
      let code: number
      try {
        load([document, sent, encoded])
        code = wasm.applyPatch(document.length, sent.length, encoded.length, defaultParseLimits.maxDepth)
        settleRules(code, rules, sent)
        if (code === 0) {
          const at = wasm.patchOutputPtr()
          return heap().slice(at, at + wasm.patchOutputLen())
        }
      } catch (error) {
        if (!(error instanceof WebAssembly.RuntimeError)) throw error
        throw trapped(error)
      }
      const failed = wasm.patchFailedOp()
      // The reference words the error; it must fail on the same operation.
      try {
        reference()
      } catch (error) {
        if (code === 1 || (error instanceof XmlChangeError && error.index === failed)) throw error
        throw new XmlEngineError('engine-trap', `The engines disagree on patch operation ${failed}`, { cause: error })
      }
      throw new XmlEngineError('engine-trap', `The WebAssembly engine refused patch operation ${failed}, which the reference applies`)
    },
    merge(base, layers, keys, mergeOptions = {}) {
      checkLayers(layers)
      const documents = [bytesOf(base), ...layers.map((l) => bytesOf(l.document))]
      const rules = rulesOf(keys)
      const force = new Set(mergeOptions.force ?? [])
      const names = layers.map((l) => encoder.encode(l.name))
      const meta = new Uint8Array(4 + names.reduce((n, name) => n + 10 + name.length, 0))
      const view = new DataView(meta.buffer)
      view.setUint32(0, layers.length, true)
      let at = 4
      let layersLength = 0
      layers.forEach((layer, i) => {
        layersLength += documents[i + 1]!.length
        view.setUint32(at, documents[i + 1]!.length, true)
        view.setUint8(at + 4, layer.mode === 'require' ? 1 : 0)
        view.setUint8(at + 5, force.has(layer.name) ? 1 : 0)
        view.setUint32(at + 6, names[i]!.length, true)
        meta.set(names[i]!, at + 10)
        at += 10 + names[i]!.length
      })
      const refused = (code: number) => {
        if (code < 1000) parseXml(documents[code - 1]!, { maxBytes, positions: false })
        // A layer with another root: the reference words the error.
        createReferenceEngine({ maxInputBytes: maxBytes }).merge(base, layers, keys, mergeOptions)
      }
      // Decided last: the getters read above may have run this engine with another table.
      const sent = rulesToSend(rules)
      // The layers' documents follow the base one after the other: the module reads them as one block.
      const result = callMany([...documents, sent, meta], rules, sent, () => wasm.merge(documents[0]!.length, layersLength, sent.length, meta.length, defaultParseLimits.maxDepth), refused, true)
      const json = result.json as { conflicts: readonly Conflict[]; provenance: readonly Provenance[] }
      return { document: result.document!, conflicts: json.conflicts, provenance: json.provenance }
    },
    canonicalize: (xml, canonicalOptions: CanonicalOptions = {}) => call(xml, 'canonicalize', canonicalOptions.comments ?? true ? 1 : 0),
    format: (xml) => call(xml, 'format', 0),
  }
  engineInternals.set(engine, {
    memoryBytes: () => wasm.memory.buffer.byteLength,
    raw: (bytes, comments, op = 'canonicalize') => run(bytes, op, comments ? 1 : 0),
    trapNextCall: () => { trapNext = true },
  })
  return withTreeMethods(engine)
}
