import { parseXml, rootElement, type Element } from '@virtuned/xml-core'
import { describe, expect, it } from 'vitest'
import { planAttach } from '../src/index.ts'

// Every string a caller gives planAttach either stays one value of the tree xml-core writes
// (escaped by its serializer) or is refused with a problem: none can add markup to the plan.
const q35 = `<domain type='qemu'><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-root-port'/></devices></domain>`
const evil = "x' injected='1\"<b>&amp;"

function find(e: Element, name: string): Element | undefined {
  if (e.name === name) return e
  for (const c of e.children) if (c.type === 'element') { const f = find(c, name); if (f) return f }
  return undefined
}

describe('no string reaches the plan XML unescaped', () => {
  it('a source path with quotes, markup and entities stays one attribute value', () => {
    const device = rootElement(parseXml(`<disk type='file' device='disk'><source/></disk>`))!
    const withPath: Element = { ...device, children: [{ type: 'element', name: 'source', attributes: { file: `/i/${evil}.qcow2` }, children: [] }] }
    const plan = planAttach(q35, withPath, { seed: evil })
    expect(plan.ok).toBe(true)
    if (!plan.ok) return
    const root = rootElement(parseXml(plan.xml))!
    expect(find(root, 'source')!.attributes).toEqual({ file: `/i/${evil}.qcow2` })
    expect(Object.keys(find(root, 'target')!.attributes).sort()).toEqual(['bus', 'dev'])
    expect(find(root, 'alias')!.attributes).toEqual({ name: plan.alias })
    expect(find(root, 'serial')!.children).toEqual([{ type: 'text', value: plan.serial, position: expect.anything() }])
  })

  it('an alias, a serial or a bus that could carry markup is refused, never written', () => {
    const disk = "<disk type='file' device='disk'><source file='/i/d.qcow2'/></disk>"
    expect(planAttach(q35, disk, { alias: evil })).toMatchObject({ ok: false, problems: [{ code: 'INVALID_ALIAS' }] })
    const withSerial = `<disk type='file' device='disk'><source file='/i/d.qcow2'/><serial>${evil.replace(/[<&"']/g, (c) => `&#${c.charCodeAt(0)};`)}</serial></disk>`
    expect(planAttach(q35, withSerial)).toMatchObject({ ok: false, problems: [{ code: 'INVALID_SERIAL' }] })
    const withBus = `<disk type='file' device='disk'><source file='/i/d.qcow2'/><target bus="${evil.replace(/[<&"]/g, (c) => `&#${c.charCodeAt(0)};`)}"/></disk>`
    expect(planAttach(q35, withBus)).toMatchObject({ ok: false, problems: [{ code: 'BUS_NOT_HOTPLUGGABLE' }] })
  })

  it('a NIC: the generated MAC and alias are elements of the tree', () => {
    const plan = planAttach(q35, `<interface type='bridge'><source bridge="${evil.replace(/[<&"]/g, (c) => `&#${c.charCodeAt(0)};`)}"/><model type='virtio'/></interface>`, { seed: evil })
    expect(plan.ok).toBe(true)
    if (!plan.ok) return
    const root = rootElement(parseXml(plan.xml))!
    expect(find(root, 'source')!.attributes).toEqual({ bridge: evil })
    expect(find(root, 'mac')!.attributes).toEqual({ address: plan.mac })
  })
})
