// Budgets, as ceilings raised only in the commit that needs it: what a browser or an edge worker
// downloads for the schema check (gzip level 9).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { expect, it } from 'vitest'

const dist = new URL('../dist/', import.meta.url).pathname
const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length

it('libxml2.wasm + glue + libvirt schemas + this package stay under 380 kB gzipped', () => {
  expect(existsSync(join(dist, 'libxml2.wasm')), 'dist/ is missing: build @virtuned/schema first (npm test does)').toBe(true)
  const parts = {
    wasm: gz('libxml2.wasm'),
    glue: gz('_generated/libxml2-glue.js'),
    schemas: gz('_generated/libvirt-schemas.js'),
    code: ['index.js', 'validator.js', 'explain.js', '_libxml2.js', 'errors.js'].reduce((n, f) => n + gz(f), 0),
  }
  expect(parts.wasm).toBeLessThan(325_000)
  expect(parts.schemas).toBeLessThan(34_000)
  expect(parts.wasm + parts.glue + parts.schemas + parts.code).toBeLessThan(380_000)
})

it('the inlined module (for runtimes without a .wasm loader) stays under 400 kB gzipped', () => {
  expect(gz('_generated/libxml2-wasm.js')).toBeLessThan(400_000)
})
