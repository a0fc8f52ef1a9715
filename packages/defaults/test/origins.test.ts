// Every path an explanation names selects exactly one node of the result, read as XPath reads it
// (xml-core's selectPath) — on every golden domain of fixtures/defaults.
import { describe, expect, it } from 'vitest'
import { selectPath } from '@virtuned/xml-core'
import { bare, hosts, oses } from './_golden-cases.ts'
import { applyDefaults, assumedHost } from '../src/index.ts'


/** Paths that do not select exactly one node, with how many they select. */
function inexact(tree: Parameters<typeof selectPath>[0], paths: readonly string[]): string[] {
  return paths.map((p) => [p, selectPath(tree, p).length] as const).filter(([, n]) => n !== 1).map(([p, n]) => `${p} selects ${n}`)
}

describe('explanation paths select exactly one node', () => {
  for (const [hostName, host] of hosts()) {
    it(`every golden OS on ${hostName}`, () => {
      for (const os of oses) {
        const result = applyDefaults(bare.replace("type='kvm'", `type='${host.virtType}'`), { os, host })
        expect(result.explanation.length).toBeGreaterThan(5)
        expect(inexact(result.document.tree, result.explanation.map((e) => e.path)), `${os}@${hostName}`).toEqual([])
      }
    })
  }

  it('regression: a disk before the only NIC — the NIC is not `interface[2]`; a console without target is not `[target/@type=\'\']`', () => {
    const result = applyDefaults(bare, { os: 'win11', host: assumedHost })
    const paths = result.explanation.map((e) => e.path)
    expect(paths.some((p) => p.includes('interface[2]') || p.includes("=''"))).toBe(false)
    expect(paths).toContain('/domain/devices/interface[not(mac/@address)]/model/@type')
    expect(selectPath(result.document.tree, '/domain/devices/interface[not(mac/@address)]/model/@type')).toMatchObject([{ type: 'attribute', value: 'e1000e' }])
    expect(inexact(result.document.tree, paths)).toEqual([])
  })

  it('two disks and two NICs without MACs: each explained node is the one the rule filled', () => {
    const two = bare.replace('<graphics', "<disk type='file' device='disk'><source file='/d2'/></disk><interface type='network'><source network='other'/></interface><graphics")
    const result = applyDefaults(two, { os: 'debian11', host: assumedHost })
    const paths = result.explanation.map((e) => e.path)
    expect(inexact(result.document.tree, paths)).toEqual([])
    const nics = paths.filter((p) => p.includes('/interface'))
    expect(nics).toEqual(['/domain/devices/interface[not(mac/@address)][1]/model/@type', '/domain/devices/interface[not(mac/@address)][2]/model/@type'])
    expect(new Set(nics.map((p) => selectPath(result.document.tree, p.replace('/model/@type', ''))[0]!.element)).size).toBe(2)
  })
})
