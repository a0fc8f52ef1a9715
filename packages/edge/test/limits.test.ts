// The edge's own request limits (issue 16 item 3): devices per domain tighter than the library's and
// elements per document, so that one request does not hold the shared event loop for long.
import { describe, expect, it } from 'vitest'
import { createHandler, edgeDeviceLimits } from '../src/index.ts'
import { deviceLimits } from '@virtuned/model'

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
