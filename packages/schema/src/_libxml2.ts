// The few libxml2 calls a RelaxNG check needs, over Emscripten's module (libxml2-wasm's build,
// see scripts/build.mjs). One module instance per isolate; a schema is parsed once and kept.
import { SchemaError } from './errors.ts'

/** What the Emscripten module gives us (pointers are numbers into its linear memory). */
interface Raw {
  readonly HEAPU8: Uint8Array
  _malloc(size: number): number
  _free(ptr: number): void
  getValue(ptr: number, type: string): number
  UTF8ToString(ptr: number): string
  _xmlInitParser(): void
  _xmlRegisterInputCallbacks(match: number, open: number, read: number, close: number): number
  _xmlNewParserCtxt(): number
  _xmlFreeParserCtxt(ctxt: number): void
  _xmlCtxtSetErrorHandler(ctxt: number, handler: number, data: number): void
  _xmlCtxtReadMemory(ctxt: number, buf: number, len: number, url: number, encoding: number, options: number): number
  _xmlFreeDoc(doc: number): void
  _xmlGetNodePath(node: number): number
  _xmlRelaxNGNewDocParserCtxt(doc: number): number
  _xmlRelaxNGSetParserStructuredErrors(ctxt: number, handler: number, data: number): void
  _xmlRelaxNGParse(ctxt: number): number
  _xmlRelaxNGFreeParserCtxt(ctxt: number): void
  _xmlRelaxNGFree(schema: number): void
  _xmlRelaxNGNewValidCtxt(schema: number): number
  _xmlRelaxNGSetValidStructuredErrors(ctxt: number, handler: number, data: number): void
  _xmlRelaxNGValidateDoc(ctxt: number, doc: number): number
  _xmlRelaxNGFreeValidCtxt(ctxt: number): void
}

/** One libxml2 error, as its structured error handler reports it. */
export interface RawError {
  /** libxml2's text, trimmed. */
  readonly message: string
  /** 1-based line; 0 when libxml2 knows none. */
  readonly line: number
  /** 1-based column when libxml2 knows it (parser errors), else 0. */
  readonly column: number
  /** libxml2's path of the node (`/domain/devices/disk[2]`), '' when none. */
  readonly path: string
  /** libxml2's error domain (16 = RelaxNG validity), code and level. */
  readonly domain: number
  readonly code: number
  /** 1 warning, 2 error, 3 fatal. */
  readonly level: number
}

// xmlParserOption, as `xmllint --noout --relaxng` reads a document: no network, line numbers past
// 65,535, and internal entities replaced by their text — native xmllint (libxml2 2.9) validates an
// entity reference by its content, this libxml2 only once it is replaced (otherwise `<name>&n;</name>`
// fails "Error validating datatype string" where native xmllint accepts it). External entities are
// never loaded (NO_XXE; there is no file system in the sandbox either), and libxml2's limits on
// entity amplification stay on (no XML_PARSE_HUGE).
const XML_PARSE_NOENT = 1 << 1
const XML_PARSE_NONET = 1 << 11
const XML_PARSE_BIG_LINES = 1 << 22
const XML_PARSE_NO_XXE = 1 << 23
const parseOptions = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOENT | XML_PARSE_NO_XXE

/** Where schema sets live in libxml2's view: `<prefix><set>/<file>`, served by our input callbacks. */
const schemaPrefix = '/virtuned-schemas/'

const encoder = new TextEncoder()

export interface Libxml2 {
  /** Parse a schema set (start file + everything it includes); throws SchemaError. */
  parseSchema(files: ReadonlyMap<string, Uint8Array>, start: string): number
  /** Validate a document against a parsed schema: libxml2's verdict and errors. */
  validate(schema: number, document: Uint8Array, url: string): { valid: boolean; wellFormed: boolean; errors: RawError[] }
  freeSchema(schema: number): void
}

export async function loadLibxml2(module: WebAssembly.Module, glue: (options: Record<string, unknown>) => Promise<Record<string, unknown>>): Promise<Libxml2> {
  // The callbacks libxml2 calls (see scripts/build.mjs: imported, re-exported as wasm functions).
  // Errors land in `collected` while one call runs (calls are synchronous: no interleaving).
  let collected: RawError[] = []
  let raw: Raw | undefined
  const onError = (_data: number, error: number): void => {
    const r = raw!
    const node = r.getValue(error + 48, '*')
    let path = ''
    if (node !== 0) {
      const pointer = r._xmlGetNodePath(node)
      if (pointer !== 0) { path = r.UTF8ToString(pointer); r._free(pointer) }
    }
    const message = r.getValue(error + 8, '*')
    collected.push({
      message: message === 0 ? '' : r.UTF8ToString(message).trim(),
      line: r.getValue(error + 20, 'i32'),
      column: r.getValue(error + 40, 'i32'),
      path,
      domain: r.getValue(error, 'i32'),
      code: r.getValue(error + 4, 'i32'),
      level: r.getValue(error + 12, 'i32'),
    })
  }

  // The schema files, served from memory to libxml2's <include>/<externalRef> resolution.
  const sets = new Map<string, ReadonlyMap<string, Uint8Array>>()
  const open = new Map<number, { bytes: Uint8Array; at: number }>()
  let nextHandle = 1
  const lookup = (name: string): Uint8Array | undefined => {
    if (!name.startsWith(schemaPrefix)) return undefined
    const rest = name.slice(schemaPrefix.length)
    const slash = rest.indexOf('/')
    return slash < 0 ? undefined : sets.get(rest.slice(0, slash))?.get(rest.slice(slash + 1))
  }
  const callbacks = {
    onError,
    match: (name: number): number => (raw!.UTF8ToString(name).startsWith(schemaPrefix) ? 1 : 0),
    open: (name: number): number => {
      const bytes = lookup(raw!.UTF8ToString(name))
      if (!bytes) return 0
      const handle = nextHandle++
      open.set(handle, { bytes, at: 0 })
      return handle
    },
    read: (handle: number, buffer: number, length: number): number => {
      const file = open.get(handle)
      if (!file) return -1
      const chunk = file.bytes.subarray(file.at, file.at + length)
      raw!.HEAPU8.set(chunk, buffer)
      file.at += chunk.length
      return chunk.length
    },
    close: (handle: number): number => (open.delete(handle) ? 0 : -1),
  }

  // Emscripten waits for `done`; a failed instantiation must reject instead of hanging.
  let fail: (error: unknown) => void = () => {}
  const failed = new Promise<never>((_, reject) => { fail = reject })
  let exports: WebAssembly.Exports | undefined
  const lib = await Promise.race([glue({
    instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      WebAssembly.instantiate(module, { ...imports, virtuned: callbacks }).then((instance) => {
        exports = instance.exports
        done(instance, module)
      }, fail)
      return {}
    },
    print: () => {},
    printErr: () => {},
  }), failed]) as unknown as Raw
  raw = lib
  lib._xmlInitParser()

  // Function pointers for the callbacks: their wasm functions, in new slots of the table.
  const table = exports?.__indirect_function_table
  if (!(table instanceof WebAssembly.Table) || typeof exports?.virtunedOnError !== 'function') {
    throw new SchemaError('schema-engine-failed', 'The libxml2 WebAssembly module lacks virtuned\'s callbacks: pass the module built with this package (dist/libxml2.wasm).')
  }
  const pointer = (name: string): number => {
    const slot = table.grow(1)
    table.set(slot, exports![name] as (...args: never[]) => unknown)
    return slot
  }
  const errorFn = pointer('virtunedOnError')
  if (lib._xmlRegisterInputCallbacks(pointer('virtunedMatch'), pointer('virtunedOpen'), pointer('virtunedRead'), pointer('virtunedClose')) < 0) {
    throw new SchemaError('schema-engine-failed', 'libxml2 refused the input callbacks')
  }

  const withBytes = <T>(bytes: Uint8Array, use: (pointer: number) => T): T => {
    const pointer = lib._malloc(bytes.length + 1)
    if (pointer === 0) throw new SchemaError('schema-engine-failed', `libxml2 (WebAssembly) could not allocate ${bytes.length} bytes`)
    try {
      lib.HEAPU8.set(bytes, pointer)
      lib.HEAPU8[pointer + bytes.length] = 0
      return use(pointer)
    } finally {
      lib._free(pointer)
    }
  }
  const withString = <T>(text: string, use: (pointer: number) => T): T => withBytes(encoder.encode(text), use)

  /** Parse bytes into a libxml2 document; 0 when not well-formed (errors in `collected`). */
  const readDocument = (bytes: Uint8Array, url: string): number => {
    const ctxt = lib._xmlNewParserCtxt()
    if (ctxt === 0) throw new SchemaError('schema-engine-failed', 'libxml2 (WebAssembly) could not create a parser')
    try {
      lib._xmlCtxtSetErrorHandler(ctxt, errorFn, 0)
      return withBytes(bytes, (buffer) => withString(url, (urlPointer) => lib._xmlCtxtReadMemory(ctxt, buffer, bytes.length, urlPointer, 0, parseOptions)))
    } finally {
      lib._xmlFreeParserCtxt(ctxt)
    }
  }

  let nextSet = 1
  return {
    parseSchema(files, start) {
      const id = String(nextSet++)
      sets.set(id, files)
      const startBytes = files.get(start)
      if (!startBytes) throw new SchemaError('schema-start-missing', `The schema set has no file named \`${start}\`.`)
      collected = []
      const doc = readDocument(startBytes, `${schemaPrefix}${id}/${start}`)
      if (doc === 0) throw new SchemaError('schema-set-invalid', `\`${start}\` is not well-formed XML: ${collected.map((e) => `${e.line}:${e.column} ${e.message}`).join('; ')}`)
      try {
        const ctxt = lib._xmlRelaxNGNewDocParserCtxt(doc)
        lib._xmlRelaxNGSetParserStructuredErrors(ctxt, errorFn, 0)
        const schema = lib._xmlRelaxNGParse(ctxt)
        lib._xmlRelaxNGFreeParserCtxt(ctxt)
        if (schema === 0) {
          const where = (e: RawError) => (e.path ? `${e.path}: ` : '')
          throw new SchemaError('schema-set-invalid', `libxml2 cannot use \`${start}\` as a RelaxNG schema: ${collected.slice(0, 5).map((e) => `${where(e)}${e.message}`).join('; ')}`)
        }
        return schema
      } finally {
        lib._xmlFreeDoc(doc)
      }
    },

    validate(schema, document, url) {
      collected = []
      const doc = readDocument(document, url)
      if (doc === 0) return { valid: false, wellFormed: false, errors: collected }
      try {
        const ctxt = lib._xmlRelaxNGNewValidCtxt(schema)
        lib._xmlRelaxNGSetValidStructuredErrors(ctxt, errorFn, 0)
        const status = lib._xmlRelaxNGValidateDoc(ctxt, doc)
        lib._xmlRelaxNGFreeValidCtxt(ctxt)
        if (status < 0) throw new SchemaError('schema-engine-failed', `libxml2 could not validate the document (status ${status})`)
        // A document that parses may still carry parser warnings; only errors of validation count.
        return { valid: status === 0, wellFormed: true, errors: collected }
      } finally {
        lib._xmlFreeDoc(doc)
      }
    },

    freeSchema(schema) {
      lib._xmlRelaxNGFree(schema)
    },
  }
}
