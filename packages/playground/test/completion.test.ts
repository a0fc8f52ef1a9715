// The editor's completion table is libvirt's schema's (the set @virtuned/schema ships), regenerated
// by scripts/completion.ts: the committed file must be what the script writes today.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { completionFile, completionTable, shippedSchemaDir } from '../scripts/completion.ts'

describe('schema completion table', () => {
  const table = completionTable(shippedSchemaDir())
  it('is current (run: npx tsx --conditions=@virtuned/source scripts/completion.ts)', () => {
    expect(JSON.parse(readFileSync(completionFile, 'utf8'))).toEqual(table)
  })
  it("follows libvirt's schema: domain at the top, devices' children, a disk's enumerated attributes", () => {
    const byName = new Map(table.map((e) => [e.name, e]))
    expect(table.filter((e) => e.top).map((e) => e.name)).toEqual(['domain'])
    expect(byName.get('devices')!.children).toEqual(expect.arrayContaining(['disk', 'interface', 'graphics', 'controller', 'hostdev', 'tpm', 'rng']))
    expect(byName.get('devices')!.children).not.toContain('vcpu')
    expect(byName.get('disk')!.attributes).toContainEqual({ name: 'device', values: ['cdrom', 'disk', 'floppy', 'lun'] })
    // A free-text attribute has no values to offer.
    expect(byName.get('source')!.attributes).toContain('file')
  })
})
