import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { defineConfig } from 'vite'

// libxml2's module comes from @virtuned/schema's dist/ (its build writes it). Without it Vite would
// leave `@virtuned/schema/libxml2.wasm?url` unresolved in the bundle and the page would not start:
// refuse to build instead.
let wasm: string | undefined
try { wasm = createRequire(import.meta.url).resolve('@virtuned/schema/libxml2.wasm') } catch { /* reported below */ }
if (wasm === undefined || !existsSync(wasm)) throw new Error("@virtuned/schema's dist/libxml2.wasm is missing: build @virtuned/schema first (npx nx run @virtuned/schema:build; nx's ^build does it for this package)")

// Sources of the workspace packages directly (their `@virtuned/source` export condition), so the
// page is built from the same TypeScript the tests run; relative base, so dist/ can be served anywhere.
export default defineConfig({
  base: './',
  resolve: { conditions: ['@virtuned/source', 'browser', 'import', 'module', 'default'] },
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 4096, emptyOutDir: true },
})
