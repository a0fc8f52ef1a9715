// One engine on the product path (issue 17): outside xml-core, no package's source imports the
// TypeScript reference's functions; every merge, diff and patch goes through getEngine().
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'

const packagesDir = new URL('../..', import.meta.url).pathname
const forbidden = ['mergeTrees', 'diffTrees', 'applyPatchToTree', 'createReferenceEngine']

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === '_generated' ? [] : sources(path)
    return /\.(?:ts|mts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : []
  })
}

it('no product package imports mergeTrees, diffTrees, applyPatchToTree or createReferenceEngine', () => {
  const found: string[] = []
  const packages = readdirSync(packagesDir).filter((p) => p !== 'xml-core')
  expect(packages).toContain('defaults')
  for (const name of packages) {
    let files: string[]
    try { files = sources(join(packagesDir, name, 'src')) } catch { continue }
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      // An import (static or dynamic destructuring) naming one of them.
      for (const match of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"]@virtuned\/xml-core['"]|\{([^}]*)\}\s*=\s*await\s+import\(\s*['"]@virtuned\/xml-core['"]\s*\)/g)) {
        const names = (match[1] ?? match[2] ?? '').split(',').map((n) => n.trim().split(/\s+as\s+/)[0]!.trim())
        for (const n of names) if (forbidden.includes(n)) found.push(`${file.slice(packagesDir.length)}: ${n}`)
      }
    }
  }
  expect(found).toEqual([])
})
