// Issue 17: no string a client sends reaches the XML the edge answers with unescaped — the OS id
// (written into <metadata>), names, paths, policy parameters, aliases, serials — or it is refused
// as a 4xx problem. Checked by parsing each answer, never by looking at the text.
import { describe, expect, it } from 'vitest'
import { parseXml, rootElement, type Element } from '@virtuned/xml-core'
import { createHandler } from '../src/index.ts'

const handler = createHandler()
const hostile = [`x' injected='1`, `x" injected="1`, `a</name><devices><hostdev/></devices><name>b`, `&amp;<&>`]
const spec = (name = 'edge', file = '/var/lib/libvirt/images/edge.qcow2') => ({ name, memory: '1GiB', vcpus: 1, disks: [{ source: { file }, format: 'qcow2' }], nics: [{ type: 'network', source: 'default' }] })
const live = "<domain type='kvm'><name>l</name><os><type machine='q35'>hvm</type></os><devices><controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-root-port'/></devices></domain>"

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await handler(new Request(`http://edge.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))
  return { status: response.status, body: await response.json() as Record<string, unknown> }
}

function all(e: Element, name: string): Element[] {
  const out = e.name === name ? [e] : []
  for (const c of e.children) if (c.type === 'element') out.push(...all(c, name))
  return out
}
const text = (e: Element) => e.children.map((c) => (c.type === 'text' ? c.value : '')).join('')

describe('edge: injection through every string field', () => {
  it('/v1/compose: the OS id of the issue is one attribute value in <metadata>', async () => {
    const os = "http://x' injected='1/fedora/38"
    const r = await post('/v1/compose', { spec: spec(), os })
    expect(r.status).toBe(200)
    const root = rootElement(parseXml(r.body.xml as string))!
    expect(all(root, 'libosinfo:os').map((e) => e.attributes)).toEqual([{ id: os }])
    expect(all(root, 'hostdev')).toEqual([])
  })

  it('/v1/compose and /v1/explain: names and paths are text and values, or refused', async () => {
    let written = 0
    for (const value of hostile) {
      for (const route of ['/v1/compose', '/v1/explain']) {
        const r = await post(route, { spec: spec(value, `/i/${value}.qcow2`), os: 'debian11' })
        if (r.status !== 200) { expect([400, 422], value).toContain(r.status); continue }
        written++
        if (route === '/v1/explain') continue
        const root = rootElement(parseXml(r.body.xml as string))!
        expect(text(all(root, 'name')[0]!), value).toBe(value)
        expect(all(root, 'source').find((s) => s.attributes.file !== undefined)?.attributes.file, value).toBe(`/i/${value}.qcow2`)
        expect(all(root, 'hostdev'), value).toEqual([])
      }
    }
    expect(written).toBeGreaterThan(2)
  })

  it('hostile OS ids, profiles and policy names or parameters are refused as problems, never written', async () => {
    for (const value of hostile) {
      expect((await post('/v1/compose', { spec: spec(), os: value })).status, value).toBe(422)
      expect((await post('/v1/compose', { spec: spec(), os: 'debian11', profile: value })).status, value).toBe(422)
      expect((await post('/v1/compose', { spec: spec(), os: 'debian11', policies: [value] })).status, value).toBeGreaterThanOrEqual(400)
      expect((await post('/v1/compose', { spec: spec(), os: 'debian11', policies: [`hotplug-ready:ports=${value}`] })).status, value).toBeGreaterThanOrEqual(400)
    }
  })

  it('/v1/plan-attach: paths stay values; hostile aliases and serials are refused', async () => {
    for (const value of hostile) {
      const r = await post('/v1/plan-attach', { xml: live, device: { disk: { source: { file: `/i/${value}` } } }, seed: value })
      expect(r.status, value).toBe(200)
      expect(r.body.ok, value).toBe(true)
      const device = rootElement(parseXml(r.body.xml as string))!
      expect(all(device, 'source')[0]!.attributes, value).toEqual({ file: `/i/${value}` })
      expect(all(device, 'alias')[0]!.attributes, value).toEqual({ name: r.body.alias })
      const aliased = await post('/v1/plan-attach', { xml: live, device: { disk: { source: { file: '/i/d' } } }, alias: value })
      expect(aliased.body, value).toMatchObject({ ok: false, problems: [{ code: 'INVALID_ALIAS' }] })
      const serial = await post('/v1/plan-attach', { xml: live, device: `<disk type='file' device='disk'><source file='/i/d'/><serial>${value.replace(/[<&]/g, (c) => `&#${c.charCodeAt(0)};`)}</serial></disk>` })
      expect(serial.body, value).toMatchObject({ ok: false, problems: [{ code: 'INVALID_SERIAL' }] })
    }
  })
})
