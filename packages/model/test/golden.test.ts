import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { golden, updateGolden as update } from '../../../tools/golden.ts'
import { fromSpec, parseSpec, serialize, toSpec } from '../src/index.ts'

// Golden cases: fixtures/model/<case>/spec.json → domain.xml (libvirt layout).
// `UPDATE=1` rewrites domain.xml (never when CI=true); the spec files are hand-written.
const root = new URL('../../../fixtures/model/', import.meta.url).pathname
describe('golden spec cases', () => {
  const cases = readdirSync(root).sort()

  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(3)
  })

  for (const name of cases) {
    it(name, () => {
      const dir = join(root, name)
      const spec = parseSpec(JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8')))
      golden(join(dir, 'domain.xml'), serialize(fromSpec(spec)))
      // And back: the XML says exactly the spec.
      const reading = toSpec(readFileSync(join(dir, 'domain.xml'), 'utf8'))
      expect(reading.spec).toEqual(spec)
      expect(reading.unmodelled).toEqual([])
    })
  }
})
