import { describe, expect, it } from 'vitest'
import { diffTrees, exactPaths, mergeTrees, parseXml, selectPath, valuePaths, XmlChangeError, type IdentityKeys } from '../src/index.ts'

// A local table: xml-core is a generic engine; libvirt's table lives in @virtuned/model.
const keys: IdentityKeys = {
  rules: [
    { path: 'domain/devices/disk', key: ['target/@dev'] },
    { path: 'domain/devices/console', key: ['target/@type', 'target/@port'] },
    { path: 'domain/devices/video', key: ['@@position'] },
  ],
}

const doc = parseXml(`<domain><devices>
  <disk><target dev='vda'/><serial>s'1</serial></disk>
  <disk><target dev="it's"/></disk>
  <console type='pty'/>
  <console type='pty'><target type='serial'/></console>
  <console type='pty'><target type='serial' port='0'/></console>
  <video><model type='vga'/></video>
  <interface type='network'/>
</devices></domain>`)

describe('selectPath', () => {
  it('every value path of a document selects exactly one node, read as XPath reads it', () => {
    const paths = valuePaths(doc, keys)
    expect(paths).toContain("/domain/devices/console[not(target/@type)][not(target/@port)]")
    expect(paths).toContain("/domain/devices/console[target/@type='serial'][not(target/@port)]")
    expect(paths).toContain("/domain/devices/disk[target/@dev='it''s']/target/@dev")
    for (const path of paths) expect([path, selectPath(doc, path).length]).toEqual([path, 1])
  })

  it('selects attributes, text, positions; nothing for what is not there', () => {
    expect(selectPath(doc, "/domain/devices/disk[target/@dev='vda']/serial/text()")).toMatchObject([{ type: 'text', value: "s'1" }])
    expect(selectPath(doc, "/domain/devices/disk[target/@dev='it''s']/target/@dev")).toMatchObject([{ type: 'attribute', value: "it's" }])
    expect(selectPath(doc, '/domain/devices/console')).toHaveLength(3)
    expect(selectPath(doc, '/domain/devices/console[2]/target/@type')).toMatchObject([{ value: 'serial' }])
    expect(selectPath(doc, "/domain/devices/console[target/@type=''][target/@port='']")).toEqual([])
    expect(selectPath(doc, '/domain/devices/disk[3]')).toEqual([])
    expect(selectPath(doc, '/other')).toEqual([])
    expect(() => selectPath(doc, "/domain/devices/disk[target/@dev='vda'")).toThrow(XmlChangeError)
  })

  it('merge provenance and patches name nodes that exist', () => {
    const merged = mergeTrees(doc, [{ name: 'l', mode: 'fill', document: parseXml("<domain><devices><console type='pty'><target type='serial'/><log file='/x'/></console></devices></domain>") }], keys)
    expect(merged.provenance.length).toBeGreaterThan(0)
    for (const p of merged.provenance) expect([p.path, selectPath(merged.document, p.path).length]).toEqual([p.path, 1])
    const after = parseXml("<domain><devices><console type='pty'><target type='virtio'/></console></devices></domain>")
    for (const op of diffTrees(doc, after, keys).ops) if (op.op !== 'insert' && op.op !== 'reorder') expect([op.path, selectPath(doc, op.path).length]).toEqual([op.path, 1])
  })
})

describe('exactPaths', () => {
  const twins = parseXml("<domain><devices><video/><video/><disk><target dev='vda'/></disk><console/><console/><console/></devices></domain>")
  it('writes [1] for the first of siblings sharing an identity, so every path selects one node', () => {
    const paths = valuePaths(twins, keys)
    expect(paths).toContain('/domain/devices/video')
    const exact = exactPaths(twins, paths, keys)
    expect(exact).toContain('/domain/devices/video[1]')
    expect(exact).toContain("/domain/devices/console[not(target/@type)][not(target/@port)][1]")
    expect(exact).toContain("/domain/devices/disk[target/@dev='vda']/target/@dev")
    for (const path of exact) expect([path, selectPath(twins, path).length]).toEqual([path, 1])
    expect(paths.filter((p) => selectPath(twins, p).length !== 1)).not.toEqual([])
  })
  it('is idempotent, and leaves a path that names nothing as it was', () => {
    const once = exactPaths(twins, valuePaths(twins, keys), keys)
    expect(exactPaths(twins, once, keys)).toEqual(once)
    expect(exactPaths(twins, ['/domain/devices/hub', '/other/x'], keys)).toEqual(['/domain/devices/hub', '/other/x'])
  })
})
