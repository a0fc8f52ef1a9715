import { existsSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { golden, updateGolden as update } from '../../../tools/golden.ts'
import { parseXml, toCanonical, toXml, XmlSyntaxError } from '../src/index.ts'

// Golden cases: fixtures/xml/<case>/input.xml → output.xml (libvirt style),
// preserve.xml (preserve style), canonical.xml | error.json. `UPDATE=1` rewrites them (never in CI).
const root = new URL('../../../fixtures/xml/', import.meta.url).pathname
describe('golden XML cases', () => {
  for (const name of readdirSync(root).sort()) {
    it(name, () => {
      const dir = join(root, name)
      const input = new Uint8Array(readFileSync(join(dir, 'input.xml')))
      let tree
      try {
        tree = parseXml(input)
      } catch (error) {
        if (!(error instanceof XmlSyntaxError)) throw error
        expect(name.startsWith('err-'), `${name} failed: ${error.message}`).toBe(true)
        const { code, message, place, snippet } = error
        golden(join(dir, 'error.json'), JSON.stringify({ code, message, place, snippet }, null, 2) + '\n')
        return
      }
      expect(name.startsWith('ok-'), `${name} should have failed`).toBe(true)
      if (update) for (const f of ['error.json']) rmSync(join(dir, f), { force: true })
      const libvirt = toXml(tree)
      golden(join(dir, 'output.xml'), libvirt)
      golden(join(dir, 'preserve.xml'), toXml(tree, { style: 'preserve' }))
      golden(join(dir, 'canonical.xml'), toCanonical(tree) + '\n')
      // Serializing is a fixed point in both styles, and both mean the same as the input.
      expect(toXml(parseXml(libvirt))).toBe(libvirt)
      const preserve = toXml(tree, { style: 'preserve' })
      expect(toXml(parseXml(preserve), { style: 'preserve' })).toBe(preserve)
      expect(toCanonical(parseXml(libvirt))).toBe(toCanonical(tree))
      expect(toCanonical(parseXml(preserve))).toBe(toCanonical(tree))
    })
  }
})
