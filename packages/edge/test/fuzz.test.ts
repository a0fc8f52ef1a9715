// Fuzz: the edge handler in-process with random and mutated request bodies — arbitrary JSON, specs
// with hostile values, corpus domains and devices mutated (see tools/fuzz.ts), bodies that are not
// JSON or not UTF-8. Every request ends in a Response with status < 500 within the time bound;
// errors are RFC 9457 problem+json with a code.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { FuzzTally, hostileDocument, perInputLimitMs } from '../../../tools/fuzz.ts'
import { createHandler, problemSchema } from '../src/index.ts'

const corpus = locateCorpus()
const decoder = new TextDecoder()
const routeNames = ['/v1/compose', '/v1/apply', '/v1/explain', '/v1/validate', '/v1/diff', '/v1/plan-attach', '/v1/plan-detach'] as const

// Strings a client could send, with what breaks XML and names over-represented.
const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', ' ', '<', '>', '&', "'", '"', ']]>', '\u0000', '\n', '\uFFFE', '\uD800', 'ua-x', 'ua-', 'vda', 'sda', 'debian11', 'win11', '4GiB', '-1', '1e400',
    "</name><devices><hostdev mode='subsystem'/></devices><name>", 'hotplug-ready:ports=2', 'hotplug-ready:ports=99999999999', 'pcie', 'spice', '52:54:00:aa:bb:cc'),
)
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, Number.MAX_VALUE, 4096, [], {}),
  fc.jsonValue({ maxDepth: 3 }),
)

/** A spec: a valid one with some fields replaced or added by hostile values. */
const spec = fc.record({
  name: fc.oneof(fc.constant('guest'), hostileValue),
  memory: fc.oneof(fc.constant('1GiB'), hostileValue),
  vcpus: fc.oneof(fc.constant(2), hostileValue),
  extra: fc.dictionary(fc.constantFrom('disks', 'nics', 'graphics', 'os', 'features', 'cpu', 'clock', 'title', 'uuid', 'osinfo', 'video', 'tpm', 'rng', 'sound', 'currentMemory', 'events', 'bogus'), hostileValue, { maxKeys: 3 }),
}, { requiredKeys: [] }).map(({ extra, ...rest }) => ({ ...rest, ...extra }))

describe.skipIf(!corpus.dir)(`fuzz @virtuned/edge${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  const domains = corpus.dir ? corpusFiles(corpus.dir, ['domains']).map((f) => new Uint8Array(readFileSync(join(corpus.dir!, f)))) : []
  const devices = corpus.dir ? corpusFiles(corpus.dir, ['hotplug/devices']).map((f) => new Uint8Array(readFileSync(join(corpus.dir!, f)))) : []
  const domainXml = corpus.dir ? hostileDocument(domains).map((d) => decoder.decode(d.input)) : fc.constant('')
  const deviceXml = corpus.dir ? hostileDocument(devices).map((d) => decoder.decode(d.input)) : fc.constant('')
  /** Mostly a value of the right shape, sometimes a hostile one: enough requests pass the schema to reach the packages. */
  const mostly = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: hostileValue })
  const xmlOrValue = mostly(domainXml)
  const common = {
    os: mostly(fc.constantFrom('debian11', 'win11', 'fedora37', 'nosuchos')),
    policies: mostly(fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom('pcie', 'spice', 'hotplug-ready:ports=2', 'hotplug-ready:ports=99', 'secure-boot', 'legacy-pc', 'vnc', 'headless', 'windows-optimized', 'nosuch') }, { weight: 1, arbitrary: hostileString }), { maxLength: 3 })),
    profile: mostly(fc.constantFrom('2026.11', '1999.01')),
    domcaps: mostly(deviceXml),
    force: mostly(fc.boolean()),
    convert: mostly(fc.boolean()),
  }
  const optional = { requiredKeys: [] as never[] }
  const composeBody = fc.tuple(fc.oneof(fc.record({ spec }), fc.record({ xml: xmlOrValue }), fc.record({ spec, xml: xmlOrValue }, optional)), fc.record(common, optional)).map(([a, b]) => ({ ...a, ...b }))
  const bodies: Record<(typeof routeNames)[number], fc.Arbitrary<unknown>> = {
    '/v1/compose': composeBody,
    '/v1/apply': fc.tuple(fc.record({ xml: xmlOrValue }), fc.record(common, optional)).map(([a, b]) => ({ ...a, ...b })),
    '/v1/explain': composeBody,
    '/v1/validate': fc.record({ xml: xmlOrValue }),
    '/v1/diff': fc.record({ a: xmlOrValue, b: xmlOrValue }),
    '/v1/plan-attach': fc.tuple(fc.record({
      xml: xmlOrValue,
      device: fc.oneof(deviceXml, fc.record({ disk: fc.dictionary(fc.constantFrom('source', 'bus', 'target', 'format', 'serial', 'alias', 'device', 'x'), mostly(fc.constantFrom({ file: '/a.img' }, 'virtio', 'scsi', 'sdb', 'vdz', 'qcow2', 'SER-1', 'ua-d', 'disk', 'cdrom'))) }), fc.record({ nic: fc.dictionary(fc.constantFrom('type', 'source', 'mac', 'model', 'alias'), mostly(fc.constantFrom('network', 'default', '52:54:00:00:00:01', 'virtio', 'ua-n'))) }), hostileValue),
    }), fc.record({ alias: mostly(fc.constantFrom('ua-x', 'x', 'ua-root')), seed: mostly(fc.string()), flags: mostly(fc.constantFrom('live', 'config', 'live+config')) }, optional)).map(([a, b]) => ({ ...a, ...b })),
    '/v1/plan-detach': fc.tuple(fc.record({ xml: xmlOrValue }), fc.oneof(
      fc.record({ alias: mostly(fc.constantFrom('ua-root', 'ua-x', 'virtio-disk0')) }), fc.record({ disk: mostly(fc.constantFrom('vda', 'hda', 'sdb')) }),
      fc.record({ mac: mostly(fc.constantFrom('52:54:00:aa:bb:cc', '52:54:00:AA:BB:CC')) }), fc.record({ device: mostly(deviceXml) }),
    )).map(([a, b]) => ({ ...a, ...b })),
  }
  const request = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...routeNames).chain((route) => bodies[route].map((body) => ({ route: route as string, method: 'POST', type: 'application/json', body: JSON.stringify(body) as string | Uint8Array }))) },
    // Bodies that are not JSON, not UTF-8, or not an object; odd routes, methods and types.
    { weight: 2, arbitrary: fc.record({
      route: fc.oneof(fc.constantFrom(...routeNames), fc.constantFrom('/v1/', '/v1/openapi.json', '/v1/compose/', '//v1/compose', '/v1/%00', '/v1/compose?x=1')),
      method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE'),
      type: fc.constantFrom('application/json', 'application/json; charset=latin1', 'APPLICATION/JSON', 'text/plain', ''),
      body: fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string(), fc.uint8Array({ maxLength: 64 }), domainXml, fc.constant('{"xml": "<domain/>"'), fc.constant('\uFEFF{"xml":"<domain/>"}')),
    }) },
  )

  it('answers every request with a status below 500, errors as problem+json, in time', async () => {
    const handler = createHandler()
    // The schema check's first use compiles libxml2 and parses libvirt's schema once per isolate
    // (a cold start, not a cost per input): paid before the clock runs.
    await handler(new Request('http://edge.test/v1/validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ xml: '<domain><frobnicator/></domain>' }) }))
    const tally = new FuzzTally('edge')
    const statuses = new Map<number, number>()
    await fc.assert(fc.asyncProperty(request, async ({ route, method, type, body }) => {
      const init: RequestInit = { method, headers: type ? { 'content-type': type } : {} }
      if (method !== 'GET') init.body = body as BodyInit
      const start = performance.now()
      const response = await handler(new Request('http://edge.test' + route, init))
      const text = await response.text()
      const ms = performance.now() - start
      const label = `${method} ${route} ${type} ${typeof body === 'string' ? body.slice(0, 300) : `bytes ${Array.from(body).join(',')}`}`
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
      if (response.status >= 500) throw new Error(`${response.status} for ${label}: ${text}`)
      const contentType = response.headers.get('content-type') ?? ''
      let code: string | undefined
      if (response.status >= 400) {
        expect(contentType).toMatch(/^application\/problem\+json/)
        const problem = problemSchema.parse(JSON.parse(text))
        expect(problem.status).toBe(response.status)
        code = problem.code
      } else {
        expect(contentType).toMatch(/^application\/json/)
        JSON.parse(text)
      }
      tally.record(code, ms, label)
      if (ms > perInputLimitMs) throw new Error(`${label} took ${ms.toFixed(0)} ms`)
    }), { seed: 42, numRuns: 2500 })
    expect(tally.slow).toEqual([])
    expect(tally.ok).toBeGreaterThan(50)
    const byStatus = [...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${n}×${s}`).join(' ')
    console.log(tally.line(` (${byStatus})`))
  })

  it('answers deeply nested JSON bodies (up to the body limit) with a 400 or 422, in time', async () => {
    const handler = createHandler()
    const array = (n: number) => '['.repeat(n) + ']'.repeat(n)
    const object = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)
    const live = "<domain><name>x</name><devices/></domain>"
    const bodies = [
      array(200_000), `{"spec":${object(100_000)}}`, `{"spec":{"name":"x","memory":"1GiB","vcpus":1,"disks":[{"source":${object(100_000)}}]}}`,
      `{"xml":"${live}","device":{"disk":{"source":${object(100_000)}}}}`, `{"xml":"${live}","device":{"nic":{"type":"network","source":${object(100_000)}}}}`,
    ]
    for (const route of ['/v1/compose', '/v1/plan-attach', '/v1/validate']) {
      for (const body of bodies) {
        const start = performance.now()
        const response = await handler(new Request('http://edge.test' + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body }))
        const problem = problemSchema.parse(await response.json())
        const ms = performance.now() - start
        expect([400, 422], `${route} ${body.slice(0, 60)}: ${problem.detail}`).toContain(response.status)
        expect(ms, `${route} ${body.slice(0, 60)}`).toBeLessThan(perInputLimitMs)
      }
    }
  })
})
