import { defineConfig } from 'vite'

// Sources of the workspace packages directly (their `@virtuned/source` export condition), so the
// page is built from the same TypeScript the tests run; relative base, so dist/ can be served anywhere.
export default defineConfig({
  base: './',
  resolve: { conditions: ['@virtuned/source', 'browser', 'import', 'module', 'default'] },
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 4096, emptyOutDir: true },
})
