// Every path compose reports — `origins`, the policies' and the defaults' explanations — selects
// exactly one node of the composed domain, read as XPath reads it (xml-core's selectPath), on
// every golden of fixtures/policies.
import { describe, expect, it } from 'vitest'
import { selectPath, type Root } from '@virtuned/xml-core'
import { builtinPolicies, compose, type ComposeResult } from '../src/index.ts'
import { bare, combos, legacy } from './_bases.ts'

const osFor = (name: string) => (name === 'windows-optimized' ? 'win11' : 'debian11')

/** The golden cases of policies.test.ts: each built-in on the bare base, every base combination, the conversion. */
const cases: { name: string; run: () => ComposeResult }[] = [
  ...Object.keys(builtinPolicies).sort().map((name) => ({ name, run: () => compose(bare, { os: osFor(name), policies: [name] }) })),
  ...combos().filter((c) => c.base !== 'bare').map((c) => ({ name: `bases/${c.base}-${c.policy}`, run: () => compose(c.xml, { os: c.os, policies: [c.policy] }) })),
  { name: 'convert-pcie-vnc', run: () => compose(legacy, { os: 'debian11', policies: ['pcie', 'vnc'], convert: true }) },
]

function inexact(tree: Root, paths: readonly string[]): string[] {
  return paths.map((p) => [p, selectPath(tree, p).length] as const).filter(([, n]) => n !== 1).map(([p, n]) => `${p} selects ${n}`)
}

describe('compose: every reported path selects exactly one node', () => {
  it.each(cases)('$name', ({ run }) => {
    const result = run()
    const tree = result.document.tree
    expect(result.origins.length).toBeGreaterThan(20)
    expect(inexact(tree, result.origins.map((o) => o.path))).toEqual([])
    expect(inexact(tree, result.defaults.map((d) => d.path))).toEqual([])
    expect(inexact(result.policies.document.tree, result.policies.explanation.map((n) => n.path))).toEqual([])
    // origins has one entry per node: the same path never twice.
    expect(new Set(result.origins.map((o) => o.path)).size).toBe(result.origins.length)
  })

  it('regression: a disk before the only NIC, and a console without a target', () => {
    const result = compose(bare, { os: 'debian11', policies: ['spice'] })
    const paths = result.origins.map((o) => o.path)
    expect(paths.filter((p) => /interface\[2\]|=''/.test(p))).toEqual([])
    expect(result.origins.find((o) => o.path === '/domain/devices/interface[not(mac/@address)]/model/@type')).toMatchObject({ source: 'default:nic-model' })
  })
})
