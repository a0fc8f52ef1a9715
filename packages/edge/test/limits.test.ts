// The edge's own request limits (issue 16 item 3): devices per domain tighter than the library's and
// elements per document, so that one request does not hold the shared event loop for long; and
// answers that grow with the input (schema errors, origins) capped.
import { describe, expect, it } from 'vitest'
import { createHandler, edgeDeviceLimits } from '../src/index.ts'
import { deviceLimits } from '@virtuned/model'
import { createValidator } from '@virtuned/schema'

const post = async (handler: (r: Request) => Promise<Response>, path: string, body: unknown) => {
  const response = await handler(new Request('http://edge.test' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))
  return { status: response.status, body: await response.json() as Record<string, unknown> }
}
const disks = (n: number) => Array.from({ length: n }, (_, i) => `<disk type='file' device='disk'><source file='/d${i}.qcow2'/><target dev='vd${i}' bus='virtio'/></disk>`).join('')
const domain = (devices: string, metadata = '') => `<domain type='kvm'><name>w</name><memory unit='GiB'>1</memory><os><type arch='x86_64' machine='q35'>hvm</type></os>${metadata}<devices>${devices}</devices></domain>`
const metadata = (n: number) => `<metadata>${"<a:x xmlns:a='urn:x'/>".repeat(n)}</metadata>`

describe('edge request limits', () => {
  it('are tighter than the library\'s, and documented as data', () => {
    expect(edgeDeviceLimits).toEqual({ disks: 256, nics: 256, devices: 1024 })
    expect(edgeDeviceLimits.disks * 4).toBe(deviceLimits.disks)
  })

  it('answer 422 model-too-many-devices one disk over, from XML and from a spec, on every domain route', async () => {
    const handler = createHandler()
    const over = domain(disks(257))
    for (const [path, body] of [
      ['/v1/apply', { xml: over }], ['/v1/compose', { xml: over }], ['/v1/explain', { xml: over }],
      ['/v1/plan-attach', { xml: over, device: "<disk type='file' device='disk'><source file='/n.qcow2'/></disk>" }],
      ['/v1/plan-detach', { xml: over, disk: 'vd0' }],
      ['/v1/compose', { spec: { name: 'w', memory: '1GiB', vcpus: 1, disks: Array.from({ length: 257 }, (_, i) => ({ source: { file: `/d${i}` } })) } }],
    ] as const) {
      const answer = await post(handler, path, body)
      expect(answer.status, path).toBe(422)
      expect(answer.body.code, path).toBe('model-too-many-devices')
    }
    expect((await post(handler, '/v1/apply', { xml: domain(disks(256)) })).status).toBe(200)
  })

  it('refuse a document of more than 10,000 elements (422, or ok:false from /v1/validate)', async () => {
    const handler = createHandler()
    const big = domain('', metadata(10_000))
    expect((await post(handler, '/v1/diff', { a: big, b: big })).body.code).toBe('edge-too-many-elements')
    const validated = await post(handler, '/v1/validate', { xml: big })
    expect(validated.status).toBe(200)
    expect(validated.body).toMatchObject({ ok: false, errors: [{ code: 'edge-too-many-elements' }] })
    expect((await post(handler, '/v1/diff', { a: domain('', metadata(9_000)), b: domain('', metadata(9_000)) })).status).toBe(200)
  })

  it('can be raised by the server that trusts its clients', async () => {
    const handler = createHandler({ deviceLimits, maxElements: 50_000 })
    expect((await post(handler, '/v1/apply', { xml: domain(disks(257)) })).status).toBe(200)
    expect((await post(handler, '/v1/diff', { a: domain('', metadata(10_000)), b: domain('', metadata(10_000)) })).status).toBe(200)
  })
})

describe('answers that grow with the input are capped (audit: 40 MB from /v1/validate, 10 MB from /v1/explain)', () => {
  /** A domain whose one disk has `n` attributes the schema does not know: one schema error and one origin each. */
  const unknownAttributes = (n: number) => domain(`<disk ${Array.from({ length: n }, (_, i) => `a${i.toString(36)}=''`).join(' ')}/>`)
  const postText = async (handler: (r: Request) => Promise<Response>, path: string, body: unknown) => {
    const response = await handler(new Request('http://edge.test' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))
    return { status: response.status, text: await response.text() }
  }

  it('a 1 MiB document of 110,000 unknown attributes: the first 100 schema errors and 20,000 origins, with the totals', async () => {
    const handler = createHandler()
    const xml = unknownAttributes(110_000)
    expect(JSON.stringify({ xml }).length).toBeLessThanOrEqual(1024 * 1024)
    const validated = await postText(handler, '/v1/validate', { xml })
    expect(validated.status).toBe(200)
    // 30 MB before the cap.
    expect(validated.text.length).toBeLessThan(64 * 1024)
    const { schema } = JSON.parse(validated.text) as { schema: { valid: boolean; errors: { code: string; expected?: string[] }[]; errorCount: number; truncated: boolean } }
    expect(schema).toMatchObject({ valid: false, truncated: true })
    // One per attribute, and three for what the disk lacks.
    expect(schema.errorCount).toBe(110_003)
    expect(schema.errors).toHaveLength(100)
    expect(schema.errors[0]).toMatchObject({ code: 'schema-unknown-attribute', message: expect.stringContaining('`a0`'), expected: expect.arrayContaining(['device', 'type']) })
    const explained = await postText(handler, '/v1/explain', { xml })
    expect(explained.status).toBe(200)
    // 8 MB before the cap; a domain at the edge's device limits explains in about 1.2 MB.
    expect(explained.text.length).toBeLessThan(2 * 1024 * 1024)
    const explanation = JSON.parse(explained.text) as { origins: { path: string }[]; originCount: number; truncated: boolean; rules: unknown[] }
    expect(explanation.origins).toHaveLength(20_000)
    expect(explanation.originCount).toBeGreaterThan(110_000)
    expect(explanation.truncated).toBe(true)
    expect(explanation.origins[0]).toEqual({ path: '/domain', source: 'user' })
    expect(explanation.rules.length).toBeGreaterThan(0)
  }, 30_000)

  it('leaves short answers as they were, and follows maxErrors and maxOrigins', async () => {
    const xml = unknownAttributes(150)
    const all = (await createValidator()).validate(xml).errors
    expect(all).toHaveLength(153)
    const byDefault = JSON.parse((await postText(createHandler(), '/v1/validate', { xml })).text) as { schema: Record<string, unknown> & { errors: unknown[] } }
    expect(byDefault.schema).toMatchObject({ errorCount: 153, truncated: true })
    // The first ones, as the validator gives them.
    expect(byDefault.schema.errors).toEqual(all.slice(0, 100))
    const raised = JSON.parse((await postText(createHandler({ maxErrors: 153 }), '/v1/validate', { xml })).text) as { schema: Record<string, unknown> & { errors: unknown[] } }
    expect(raised.schema.errors).toEqual(all)
    expect(Object.keys(raised.schema).sort()).toEqual(['checked', 'errors', 'schema', 'valid'])
    const lowered = JSON.parse((await postText(createHandler({ maxErrors: 3, maxOrigins: 5 }), '/v1/validate', { xml })).text) as { schema: { errors: unknown[]; errorCount: number } }
    expect([lowered.schema.errors.length, lowered.schema.errorCount]).toEqual([3, 153])
    const explained = JSON.parse((await postText(createHandler({ maxOrigins: 5 }), '/v1/explain', { xml: domain('') })).text) as { origins: unknown[]; originCount: number; truncated: boolean }
    expect(explained.origins).toHaveLength(5)
    expect(explained).toMatchObject({ truncated: true })
    expect(explained.originCount).toBeGreaterThan(5)
    const whole = JSON.parse((await postText(createHandler(), '/v1/explain', { xml: domain('') })).text) as Record<string, unknown>
    expect(Object.keys(whole).sort()).toEqual(['origins', 'rules', 'warnings'])
  })
})
