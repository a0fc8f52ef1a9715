// A standard `fetch(Request) → Response` handler over the virtuned packages: JSON in, JSON out,
// errors as RFC 9457 problem+json with the library's codes. No Node-only API: it runs in Node,
// Deno, Bun, workerd and browsers alike.
import { parseDomainCapabilities } from '@virtuned/defaults'
import { planAttach, planDetach } from '@virtuned/hotplug'
import { DomainModelError, checkDeviceLimits, libvirtIdentityKeys, parseLibvirtXml, specDeviceLimitProblem, viewDomain, type DeviceLimits, type DomainSpecInput, type LibvirtDocument } from '@virtuned/model'
import { PolicyConflictError, compose } from '@virtuned/policies'
import { parseQemuConf, previewDomain } from '@virtuned/preview'
import { createValidator, libvirtSchemaVersion, type SchemaProblem, type SchemaValidator } from '@virtuned/schema'
import { VirtunedError, createEngine, getEngine, parseXml, setEngine, type Element, type Root } from '@virtuned/xml-core'
import type { z } from 'zod'
import { problem } from './_problem.ts'
import { openapi } from './openapi.ts'
import { applyRequest, composeRequest, diffRequest, planAttachRequest, planDetachRequest, previewRequest, routes, validateRequest, type Route } from './schemas.ts'

export interface HandlerOptions {
  /** Largest request body accepted, in bytes (default 1 MiB); larger ones get 413. */
  readonly maxBodyBytes?: number
  /**
   * libxml2's compiled WebAssembly module for the RelaxNG check of `/v1/validate`, as workerd hands
   * over an imported `libxml2.wasm` (it refuses to compile bytes at run time). Left out, the copy
   * inlined in `@virtuned/schema` is compiled on first use (Node, Deno, Bun, browsers).
   */
  readonly schemaModule?: WebAssembly.Module
  /**
   * xml-core's compiled `WebAssembly.Module` (`@virtuned/xml-core/xml-core.wasm`), for runtimes that
   * refuse to compile bytes (workerd): the engine every route merges, diffs and patches with is
   * created on it. Left out, xml-core's `getEngine()` compiles its inlined copy on first use (Node,
   * Deno, Bun, browsers); where that is refused it uses the TypeScript reference, with a warning.
   */
  readonly engineModule?: WebAssembly.Module
  /**
   * Devices one domain of a request may hold (default {@link edgeDeviceLimits}: 256 disks, 256 NICs,
   * 1,024 devices — tighter than the library's, so that no request holds the event loop much over
   * ~100 ms; over them: 422 `model-too-many-devices`).
   */
  readonly deviceLimits?: DeviceLimits
  /** Elements one XML document of a request may hold (default 10,000; over: 422 `edge-too-many-elements`). */
  readonly maxElements?: number
  /**
   * Schema errors one `/v1/validate` answer lists (default 100): the first ones, then
   * `errorCount` and `truncated: true`. A document can have one per attribute — 150,000 in 1 MiB,
   * each with the names the schema expects: a 40 MB answer.
   */
  readonly maxErrors?: number
  /**
   * Origins one `/v1/explain` answer lists (default 20,000, about what a domain at the edge's
   * device limits has): the first ones, then `originCount` and `truncated: true`. There is one
   * per node, attributes included: 1 MiB of attributes makes 10 MB of origins.
   */
  readonly maxOrigins?: number
}

/**
 * The edge's device limits: a request shares one event loop with every other, and an explanation of
 * 512 + 512 devices already takes ~100 ms (README, "Limits"). The library's own limits are 4× these.
 */
export const edgeDeviceLimits: DeviceLimits = Object.freeze({ disks: 256, nics: 256, devices: 1024 })

/** A request document over the edge's element limit (libxml2's RelaxNG check grows faster than linearly with it). */
class RequestLimitError extends VirtunedError {
  constructor(count: number, limit: number) {
    super('edge-too-many-elements', `Unexpected document of more than ${limit} elements (${count} or more)`, { note: `The edge server checks documents of at most ${limit} elements; use the library or the CLI for larger ones.` })
    this.name = 'RequestLimitError'
  }
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } })
}

/** A typed error from any virtuned package as problem+json: 409 for conflicts, 422 for input it cannot use. */
function fromError(error: unknown): Response {
  if (error instanceof PolicyConflictError) return problem(409, error.code, 'Policies conflict', error.message, { hint: error.note, clashes: error.clashes })
  if (error instanceof VirtunedError) {
    const path = 'path' in error && typeof error.path === 'string' ? { path: error.path } : {}
    return problem(422, error.code, 'Unusable input', error.message, { ...(error.note ? { hint: error.note } : {}), ...(error.place ? { place: error.place } : {}), ...path })
  }
  return problem(500, 'internal', 'Internal error', 'An unexpected error occurred; this is a bug in virtuned.')
}

/** What became of a request body: its bytes, over the limit, or cut short (the client went away mid-upload). */
type BodyOutcome = { readonly bytes: Uint8Array } | { readonly over: true } | { readonly broken: true }

/**
 * Reads the body, keeping at most `limit` bytes (none when `keep` is false: a request that will be
 * refused is only drained, never buffered). A body over the limit is read on and thrown away up to
 * 16 × the limit, so that the client, still sending, gets the 413 instead of a reset connection;
 * beyond that (or when `content-length` already says so) the stream is cancelled.
 */
async function readBody(request: Request, limit: number, keep: boolean): Promise<BodyOutcome> {
  const drainCap = limit * 16
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (!request.body) return { bytes: new Uint8Array(0) }
  const reader = request.body.getReader()
  const cancel = () => reader.cancel().catch(() => undefined)
  if (Number.isFinite(declared) && declared > drainCap) {
    await cancel()
    return { over: true }
  }
  const chunks: Uint8Array[] = []
  let total = 0
  let over = Number.isFinite(declared) && declared > limit
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > limit) over = true
      if (over) {
        if (total > drainCap) {
          await cancel()
          return { over: true }
        }
        continue
      }
      if (keep) chunks.push(value)
    }
  } catch {
    // The stream errored: the client closed the connection mid-body, or the runtime gave up on it.
    await cancel()
    return { broken: true }
  }
  if (over) return { over: true }
  if (!keep) return { bytes: new Uint8Array(0) }
  const out = new Uint8Array(total)
  let at = 0
  for (const c of chunks) { out.set(c, at); at += c.byteLength }
  return { bytes: out }
}

function host(domcaps: string | undefined) {
  return domcaps === undefined ? {} : { host: parseDomainCapabilities(domcaps, 'domcaps') }
}

type Body<R extends Route> = z.output<(typeof routes)[R]['schema']>

function composeOptions(b: Body<'/v1/apply'>) {
  return { ...(b.os === undefined ? {} : { os: b.os }), ...(b.profile === undefined ? {} : { profile: b.profile }), ...host(b.domcaps), policies: b.policies, force: b.force, convert: b.convert }
}

/** What a route handler may use besides its body: the handler's options. */
interface Context {
  readonly schemaModule: WebAssembly.Module | undefined
  readonly deviceLimits: DeviceLimits
  readonly maxElements: number
  readonly maxErrors: number
  readonly maxOrigins: number
}

type Capped<K extends string, C extends string, T> = { readonly [P in K]: readonly T[] } & { readonly [P in C]?: number } & { readonly truncated?: true }

/**
 * `items` under `key`, at most `max` of them; when cut, also the total under `countKey` and
 * `truncated: true` (absent otherwise, so that a short answer is as it always was).
 */
function capped<K extends string, C extends string, T>(key: K, countKey: C, items: readonly T[], max: number): Capped<K, C, T> {
  const fields = items.length <= max ? { [key]: items } : { [key]: items.slice(0, max), [countKey]: items.length, truncated: true }
  return fields as Capped<K, C, T>
}

/** libvirt's RelaxNG verdict on a document, or why it was not checked. */
type SchemaChecked = { readonly checked: true; readonly schema: string; readonly valid: boolean; readonly errors: readonly SchemaProblem[]; readonly errorCount?: number; readonly truncated?: true }
type SchemaAnswer = SchemaChecked | { readonly checked: false; readonly reason: string }

const notChecked: SchemaAnswer = { checked: false, reason: 'libvirt has no RelaxNG schema for a device alone; check the domain it goes into' }

// One validator per isolate, module and start file: the engine and the parsed schema are reused by
// every request (`createValidator` shares the default one itself; other start files are kept here).
const validators = new Map<string, WeakMap<object, Promise<SchemaValidator>>>()
const defaultModule = {}

function validatorFor(start: string, module: WebAssembly.Module | undefined): Promise<SchemaValidator> {
  if (start === 'domain.rng') return createValidator(module ? { module } : {})
  let byModule = validators.get(start)
  if (!byModule) validators.set(start, byModule = new WeakMap())
  let made = byModule.get(module ?? defaultModule)
  if (!made) {
    made = createValidator({ ...(module ? { module } : {}), start })
    made.catch(() => byModule.delete(module ?? defaultModule))
    byModule.set(module ?? defaultModule, made)
  }
  return made
}

/** libvirt's schema (shipped with `@virtuned/schema`) checked by libxml2, from `start`; at most `context.maxErrors` errors. */
async function checkSchema(xml: string, start: string, context: Context): Promise<SchemaChecked> {
  const { valid, errors } = (await validatorFor(start, context.schemaModule)).validate(xml)
  return { checked: true, schema: `libvirt ${libvirtSchemaVersion} ${start}`, valid, ...capped('errors', 'errorCount', errors, context.maxErrors) }
}

/** Refuses a tree of more than `limit` elements, counting no further than one over. */
function checkElements(tree: Root, limit: number): void {
  let count = 0
  const stack: Element[] = tree.children.filter((c): c is Element => c.type === 'element')
  while (stack.length > 0) {
    const node = stack.pop()!
    if (++count > limit) throw new RequestLimitError(count, limit)
    for (const child of node.children) if (child.type === 'element') stack.push(child)
  }
}

/** A request's domain (or other libvirt document), parsed once and held to the edge's limits. */
function boundedDocument(xml: string, context: Context): LibvirtDocument {
  const document = parseLibvirtXml(xml)
  checkElements(document.tree, context.maxElements)
  if (document.kind === 'domain') checkDeviceLimits(document, context.deviceLimits)
  return document
}

/** A request's domain as XML or spec, held to the edge's limits before any work that grows with it. */
function boundedInput(b: { xml?: string | undefined; spec?: unknown }, context: Context): LibvirtDocument | DomainSpecInput {
  if (b.spec === undefined) return boundedDocument(b.xml!, context)
  const problem = specDeviceLimitProblem(b.spec, context.deviceLimits)
  if (problem) throw new DomainModelError('model-too-many-devices', problem.message, { path: problem.path })
  return b.spec as DomainSpecInput
}

const handlers: { readonly [R in Route]: (body: Body<R>, context: Context) => unknown } = {
  '/v1/compose': (b, context) => {
    const r = compose(boundedInput(b, context), composeOptions(b as Body<'/v1/apply'>))
    return { xml: r.xml, profile: r.profile, os: r.os?.id, policies: r.policies.applied, skipped: r.policies.skipped, conversions: r.policies.conversions, defaults: r.defaults.map((d) => ({ path: d.path, rule: d.rule, guestVisible: d.guestVisible })), warnings: r.warnings }
  },
  '/v1/apply': (b, context) => {
    const r = compose(boundedDocument(b.xml, context), composeOptions(b))
    return { xml: r.xml, profile: r.profile, policies: r.policies.applied, conversions: r.policies.conversions, warnings: r.warnings }
  },
  '/v1/explain': (b, context) => {
    const r = compose(boundedInput(b, context), composeOptions(b as Body<'/v1/apply'>))
    return { ...capped('origins', 'originCount', r.origins, context.maxOrigins), rules: r.rules, warnings: r.warnings }
  },
  '/v1/validate': async (b, context) => {
    let document: ReturnType<typeof parseLibvirtXml>
    try {
      document = boundedDocument(b.xml, context)
    } catch (error) {
      if (!(error instanceof VirtunedError)) throw error
      // A host's `virsh domcapabilities` has a schema of its own in libvirt's set.
      if (error.code === 'model-unexpected-root' && 'path' in error && error.path === 'domainCapabilities') {
        const schema = await checkSchema(b.xml, 'domaincaps.rng', context)
        return { ok: schema.valid, kind: 'domainCapabilities', root: 'domainCapabilities', schema }
      }
      return { ok: false, errors: [{ code: error.code, message: error.message, ...(error.place ? { place: error.place } : {}), ...(error.note ? { hint: error.note } : {}) }] }
    }
    const view = document.kind === 'domain' ? viewDomain(document) : undefined
    const schema = document.kind === 'domain' ? await checkSchema(b.xml, 'domain.rng', context) : notChecked
    return { ok: schema.checked ? schema.valid : true, kind: document.kind, root: document.root.name, name: view?.name, schema }
  },
  '/v1/diff': (b, context) => {
    checkElements(parseXml(b.a, { positions: false }), context.maxElements)
    checkElements(parseXml(b.b, { positions: false }), context.maxElements)
    const patch = getEngine().diff(b.a, b.b, libvirtIdentityKeys)
    return { equal: patch.ops.length === 0, patch }
  },
  '/v1/plan-attach': (b, context) => {
    const live = boundedDocument(b.xml, context)
    const device = typeof b.device === 'string' ? parseLibvirtXml(b.device).root : (b.device as Parameters<typeof planAttach>[1])
    return planAttach(live.tree, device, { ...(b.alias ? { alias: b.alias } : {}), ...(b.seed ? { seed: b.seed } : {}), ...(b.flags ? { flags: b.flags } : {}) })
  },
  '/v1/plan-detach': (b, context) => {
    const live = boundedDocument(b.xml, context)
    return planDetach(live.tree, { ...(b.alias ? { alias: b.alias } : {}), ...(b.disk ? { disk: b.disk } : {}), ...(b.mac ? { mac: b.mac } : {}), ...(b.device ? { device: b.device } : {}) })
  },
  '/v1/preview': (b, context) => {
    boundedDocument(b.xml, context)
    const r = previewDomain(b.xml, { qemuCaps: b.qemuCaps, abiUpdate: b.abiUpdate, ...(b.testHost ? { testHost: b.testHost } : {}), ...(b.qemuConf !== undefined ? { qemuConf: parseQemuConf(b.qemuConf) } : {}), ...(b.securityInfo !== undefined ? { securityInfo: b.securityInfo } : {}), ...(b.hostArch !== undefined ? { hostArch: b.hostArch } : {}), ...(b.hostPciDevices !== undefined ? { hostPciDevices: b.hostPciDevices } : {}), ...(b.swtpm !== undefined ? { swtpm: b.swtpm } : {}), ...(b.hostCpuAddressBits !== undefined ? { hostCpuAddressBits: b.hostCpuAddressBits } : {}), ...(b.hostEmulators !== undefined ? { hostEmulators: b.hostEmulators } : {}) })
    return { xml: r.xml, explanation: r.explanation, notPredicted: r.notPredicted }
  },
}

// The schemas referenced, so a bundler keeps them next to the routes table.
void [applyRequest, composeRequest, diffRequest, planAttachRequest, planDetachRequest, previewRequest, validateRequest]

const openapiPath = '/v1/openapi.json'

/** The methods a path accepts (`OPTIONS` answers with them); `undefined`: no such path. */
function methodsOf(pathname: string): readonly string[] | undefined {
  if (pathname === openapiPath) return ['GET', 'HEAD', 'OPTIONS']
  return Object.hasOwn(routes, pathname) ? ['POST', 'OPTIONS'] : undefined
}

/** The request's URL; `undefined` when it does not parse (Deno and Bun build it from a malformed Host header as sent). */
function urlOf(request: Request): URL | undefined {
  try {
    return new URL(request.url)
  } catch {
    return undefined
  }
}

/**
 * Why a request is refused before its body is looked at (400 for a URL that does not parse, 404,
 * 405 with `Allow`, 415), or `undefined` when it is one the handler serves. Methods are compared as
 * sent: `post` is not `POST` (RFC 9110 §9.1).
 */
function refusal(request: Request, url: URL | undefined): Response | undefined {
  if (!url) return problem(400, 'bad-host', 'Bad request', 'The Host header or the request target is malformed')
  const { pathname } = url
  const methods = methodsOf(pathname)
  if (!methods) return problem(404, 'not-found', 'Not found', `No route ${pathname}; see ${openapiPath}`)
  const allow = methods.join(', ')
  if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { allow } })
  if (!methods.includes(request.method)) {
    return problem(405, 'method-not-allowed', 'Method not allowed', `Use ${methods[0]} for ${pathname}`, {}, { allow })
  }
  if (request.method === 'POST' && !/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
    return problem(415, 'unsupported-media-type', 'Unsupported media type', 'Send a JSON body with content-type: application/json')
  }
  return undefined
}

/** The handler: `export default { fetch: createHandler() }` in workerd, `Deno.serve(createHandler())`, `Bun.serve({ fetch })`. */
export function createHandler(options: HandlerOptions = {}): (request: Request) => Promise<Response> {
  const limit = options.maxBodyBytes ?? 1024 * 1024
  const context: Context = { schemaModule: options.schemaModule, deviceLimits: options.deviceLimits ?? edgeDeviceLimits, maxElements: options.maxElements ?? 10_000, maxErrors: options.maxErrors ?? 100, maxOrigins: options.maxOrigins ?? 20_000 }
  // The engine on the given module, made once, before the first request is routed.
  let engineReady: Promise<void> | undefined
  const engineModule = options.engineModule
  return async (request) => {
    try {
      if (engineModule) await (engineReady ??= createEngine({ module: engineModule }).then(setEngine))
      const url = urlOf(request)
      const refused = refusal(request, url)
      // The body limit comes before routing: a refused request's body is drained up to the same
      // limit (never buffered), so no route, known or not, takes more than the limit in memory.
      const body = await readBody(request, limit, refused === undefined)
      if ('over' in body) return problem(413, 'payload-too-large', 'Payload too large', `The body is over the ${limit}-byte limit`)
      if ('broken' in body) return problem(400, 'incomplete-body', 'Incomplete body', 'The body ended before it was complete (the client closed the connection mid-upload); send it again')
      if (refused) return refused
      const { pathname } = url! // refusal() refused a request without one
      if (pathname === openapiPath) return request.method === 'HEAD' ? new Response(null, { headers: { 'content-type': 'application/json; charset=utf-8' } }) : json(openapi())
      const route = routes[pathname as Route]
      let data: unknown
      try {
        data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body.bytes))
      } catch (error) {
        // Not the parser's own message: it differs between JavaScript engines (V8, JavaScriptCore).
        return problem(400, 'bad-json', 'Bad JSON', error instanceof TypeError ? 'The body is not UTF-8' : 'The body is not valid JSON')
      }
      const parsed = route.schema.safeParse(data)
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
        return problem(400, 'bad-request', 'Bad request', `${issues[0]!.path || '(body)'}: ${issues[0]!.message}`, { issues })
      }
      const handle = handlers[pathname as Route] as (body: unknown, context: Context) => unknown
      return json(await handle(parsed.data, context))
    } catch (error) {
      return fromError(error)
    }
  }
}
