import { parseXml, type Element, type Root } from '@virtuned/xml-core'
import { loadLibxml2, type Libxml2, type RawError } from './_libxml2.ts'
import { createExplainer, type Explainer, type Finding } from './explain.ts'
import { SchemaError } from './errors.ts'

/** The libvirt release whose schemas this package ships (`schemas/libvirt-11.3.0`). */
export const libvirtSchemaVersion = '11.3.0'

/** What a problem is: libxml2's own verdict, a malformed document, or a finding that says why. */
export type SchemaProblemCode =
  | 'schema-invalid'
  | 'xml-malformed'
  | 'schema-unknown-element'
  | 'schema-unknown-attribute'
  | 'schema-bad-value'
  | 'schema-missing-attribute'
  | 'schema-missing-element'

/** One reason a document fails the schema, located in the document. */
export interface SchemaProblem {
  readonly code: SchemaProblemCode
  /** What is wrong and, where the schema says it, what is allowed instead. */
  readonly message: string
  /** 1-based line of the element (or of the syntax error). */
  readonly line: number
  /** 1-based column (code points) of the element's `<`, or of the syntax error; 0 when unknown. */
  readonly column: number
  /** The element, as libxml2 names it: `/domain/devices/disk[2]/target` ('' when none). */
  readonly path: string
  /** The names or values the schema allows there (unknown element, attribute, or enum value). */
  readonly expected?: readonly string[]
  /** libxml2's own words, when this problem is one of its messages. */
  readonly libxml2?: string
}

/** libxml2's verdict (`valid`) and its reasons, best first. */
export interface SchemaResult {
  readonly valid: boolean
  readonly errors: readonly SchemaProblem[]
}

/** Which schema set a validator checks against. */
export interface SchemaInfo {
  /** `libvirt`: the set shipped with this package; `custom`: a set passed in `schemas`. */
  readonly source: 'libvirt' | 'custom'
  /** libvirt's version for the shipped set, undefined for a custom one. */
  readonly version: string | undefined
  readonly start: string
  readonly files: readonly string[]
}

export interface SchemaValidator {
  readonly schema: SchemaInfo
  /**
   * Check one document: libxml2's RelaxNG verdict, with each problem located (line, column, path)
   * and explained. Synchronous: the engine and schema are ready once `createValidator` resolved.
   * Throws only `SchemaError` (`schema-input-too-large`, `schema-engine-failed`).
   */
  validate(xml: string | Uint8Array): SchemaResult
}

export interface CreateValidatorOptions {
  /**
   * Another schema set, file name → contents: the start file and every file it includes, by the
   * name it is included with (e.g. the files of `/usr/share/libvirt/schemas`). Default: libvirt
   * 11.3.0's, shipped with this package.
   */
  readonly schemas?: Readonly<Record<string, string | Uint8Array>> | undefined
  /** The file of `schemas` to start from; default `domain.rng`. */
  readonly start?: string | undefined
  /**
   * libxml2's WebAssembly module: compiled (workerd hands an imported `.wasm` over compiled, and
   * refuses to compile bytes) or its bytes. Default: the bytes inlined in this package.
   */
  readonly module?: WebAssembly.Module | Uint8Array | undefined
  /** Largest document accepted, in UTF-8 bytes; default 16 MiB (libvirt's own limit is 10 MB). */
  readonly maxBytes?: number | undefined
}

const decoder = new TextDecoder()
const encoder = new TextEncoder()

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

// One libxml2 instance per isolate and module: loading costs tens of milliseconds and megabytes.
const engines = new WeakMap<object, Promise<Libxml2>>()
const defaultKey = {}

function engineFor(module: WebAssembly.Module | Uint8Array | undefined): Promise<Libxml2> {
  const key = module ?? defaultKey
  let engine = engines.get(key)
  if (!engine) {
    engine = (async () => {
      // Lazily imported: importing this package costs nothing until a validator is made.
      const [{ default: glue }, compiled] = await Promise.all([
        import('./_generated/libxml2-glue.js'),
        module instanceof WebAssembly.Module ? module
          : module ? WebAssembly.compile(module as Uint8Array<ArrayBuffer>)
          : import('./_generated/libxml2-wasm.ts').then(({ wasmBase64 }) => WebAssembly.compile(decodeBase64(wasmBase64))),
      ])
      return loadLibxml2(compiled, glue)
    })()
    engine.catch(() => engines.delete(key))
    engines.set(key, engine)
  }
  return engine
}

// The shipped schema, parsed once per isolate (and per module).
const defaultValidators = new WeakMap<object, Promise<SchemaValidator>>()

function forget(module: WebAssembly.Module | Uint8Array | undefined): void {
  engines.delete(module ?? defaultKey)
  defaultValidators.delete(module ?? defaultKey)
}

/**
 * A RelaxNG validator with libxml2's verdicts, by default for libvirt 11.3.0's `domain.rng`.
 * The engine loads once per isolate (and per `module`); the shipped schema is parsed once and the
 * validator shared, so calling this again is cheap. Throws `SchemaError` for a schema set libxml2
 * refuses (`schema-set-invalid`, `schema-start-missing`).
 */
export function createValidator(options: CreateValidatorOptions = {}): Promise<SchemaValidator> {
  const shared = options.schemas === undefined && options.start === undefined && options.maxBytes === undefined
  if (!shared) return build(options)
  const key = options.module ?? defaultKey
  let made = defaultValidators.get(key)
  if (!made) {
    made = build(options)
    made.catch(() => defaultValidators.delete(key))
    defaultValidators.set(key, made)
  }
  return made
}

async function build(options: CreateValidatorOptions): Promise<SchemaValidator> {
  const custom = options.schemas !== undefined
  const source = options.schemas ?? (await import('./_generated/libvirt-schemas.ts')).libvirtSchemaFiles
  const start = options.start ?? 'domain.rng'
  const files = new Map<string, Uint8Array>()
  const texts = new Map<string, string>()
  for (const [name, contents] of Object.entries(source)) {
    files.set(name, typeof contents === 'string' ? encoder.encode(contents) : contents)
    texts.set(name, typeof contents === 'string' ? contents : decoder.decode(contents))
  }
  const engine = await engineFor(options.module)
  const schema = engine.parseSchema(files, start)
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024
  let explainer: Explainer | undefined
  let explainerFailed = false
  let broken = false
  const info: SchemaInfo = Object.freeze({
    source: custom ? 'custom' as const : 'libvirt' as const,
    version: custom ? undefined : libvirtSchemaVersion,
    start,
    files: Object.freeze([...files.keys()].sort()),
  })

  return {
    schema: info,
    validate(xml) {
      const bytes = typeof xml === 'string' ? encoder.encode(xml) : xml
      if (bytes.length > maxBytes) throw new SchemaError('schema-input-too-large', `The document has ${bytes.length} bytes; the limit is ${maxBytes}.`)
      if (broken) throw new SchemaError('schema-engine-failed', 'This validator\'s engine stopped earlier: create a new validator.')
      let verdict: ReturnType<Libxml2['validate']>
      try {
        verdict = engine.validate(schema, bytes, 'document.xml')
      } catch (error) {
        if (error instanceof SchemaError) throw error
        // A trap (out of memory, a bug) leaves the instance unusable: the next createValidator loads anew.
        forget(options.module)
        broken = true
        throw new SchemaError('schema-engine-failed', `libxml2 (WebAssembly) stopped: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
      }
      if (verdict.valid) return { valid: true, errors: [] }
      const text = typeof xml === 'string' ? xml : decoder.decode(xml)
      if (!verdict.wellFormed) return { valid: false, errors: malformed(verdict.errors) }
      // The explanation is built on first need: a valid document never pays for it.
      if (!explainer && !explainerFailed) {
        try { explainer = createExplainer(texts, start) } catch { explainerFailed = true }
      }
      return { valid: false, errors: explainProblems(text, verdict.errors, explainer) }
    },
  }
}

function malformed(errors: readonly RawError[]): SchemaProblem[] {
  const fatal = errors.filter((e) => e.level >= 2)
  return (fatal.length > 0 ? fatal : errors).slice(0, 1).map((e) => ({
    code: 'xml-malformed' as const,
    message: `Not well-formed XML: ${e.message}`,
    line: e.line,
    column: e.column,
    path: '',
    libxml2: e.message,
  }))
}

/** Element of the tree at libxml2's path (`/domain/devices/disk[2]`), or undefined. */
function elementAt(root: Root, path: string): Element | undefined {
  const steps = path.split('/').slice(1)
  let children: readonly Root['children'][number][] | readonly Element['children'][number][] = root.children
  let found: Element | undefined
  for (const step of steps) {
    const match = /^([^[\]]+)(?:\[(\d+)\])?$/.exec(step)
    if (!match) return undefined
    const name = match[1]!
    let index = match[2] === undefined ? 1 : Number(match[2])
    found = undefined
    for (const child of children) {
      if (child.type === 'element' && child.name === name && --index === 0) { found = child; break }
    }
    if (!found) return undefined
    children = found.children
  }
  return found
}

function explainProblems(text: string, raw: readonly RawError[], explainer: Explainer | undefined): SchemaProblem[] {
  let tree: Root | undefined
  try { tree = parseXml(text) } catch { tree = undefined }
  const at = (path: string): { line: number; column: number } | undefined => {
    const element = tree && path ? elementAt(tree, path) : undefined
    return element?.position ? { line: element.position.start.line, column: element.position.start.column } : undefined
  }
  const problems: SchemaProblem[] = []

  // Findings first: they name the element, attribute or value at fault, and what is allowed.
  const findings: Finding[] = tree && explainer ? explainer.explain(tree, raw.map((e) => e.path).filter((p) => p !== '')) : []
  for (const finding of findings) problems.push(finding)

  // Then libxml2's own messages, each with a place: those without a node (e.g. "Extra element
  // devices in interleave") take the place of the next message that has one.
  const errors = raw.filter((e) => e.level >= 2)
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i]!
    let located = e
    for (let j = i; j < errors.length && (located.line === 0 && located.path === ''); j++) located = errors[j]!
    const place = at(located.path)
    const line = located.line || place?.line || 0
    const column = place && place.line === line ? place.column : 0
    problems.push({
      code: 'schema-invalid',
      message: located.path ? `${e.message} (at ${located.path})` : e.message,
      line,
      column,
      path: located.path,
      libxml2: e.message,
    })
  }
  return problems
}
