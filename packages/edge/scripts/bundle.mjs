// One self-contained ESM file of the handler (dist/edge.bundle.js) for runtimes that do not resolve
// node_modules the way Node does (workerd), and for the runtime tests and benchmark.
import { writeFileSync } from 'node:fs'
import { build } from 'esbuild'

await build({
  entryPoints: [new URL('../dist/index.js', import.meta.url).pathname],
  outfile: new URL('../dist/edge.bundle.js', import.meta.url).pathname,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  // Not the `workerd` condition: xml-core's workerd entry imports a .wasm module, and the handler
  // never instantiates the WebAssembly engine (it uses the TypeScript reference functions).
  conditions: ['import', 'default'],
  target: 'es2022',
  minify: false,
  legalComments: 'eof',
  logLevel: 'warning',
})

// The bundle exports what dist/index.js exports: its types are the package's own.
writeFileSync(new URL('../dist/edge.bundle.d.ts', import.meta.url), "// The types of edge.bundle.js, which bundles dist/index.js.\nexport * from './index.js'\n")
