#!/usr/bin/env node
// Build step before tsc. From the pinned devDependency libxml2-wasm (libxml2 compiled to WebAssembly
// with Emscripten, MIT) it makes:
//  - dist/libxml2.wasm: the module alone, for workerd (which only runs WebAssembly it was handed
//    compiled, as an imported `.wasm` module) and for browsers that stream-compile it;
//  - src/_generated/libxml2-wasm.ts: the same bytes as base64, so Node, Deno, Bun and bundled
//    browser code load it with no file or network access (a lazily imported chunk);
//  - src/_generated/libxml2-glue.js (+ .d.ts): Emscripten's JS glue with the inlined module
//    removed (the glue is always given a compiled module through `instantiateWasm`) and its Node
//    branch switched off, so it does the same thing in every runtime and imports nothing;
//  - src/_generated/libvirt-schemas.ts: the RelaxNG files of schemas/libvirt-11.3.0 as strings.
// The glue is patched by exact text: a new libxml2-wasm version that moves it fails here, loudly.
//
// Callbacks: libxml2 reports errors and reads included schema files through C function pointers.
// Emscripten's `addFunction` makes those by compiling a small WebAssembly module at run time, which
// workerd refuses. So the module gets its callbacks at build time instead: binaryen's wasm-merge
// adds five imports (`virtuned.onError`, …) re-exported as functions (`virtunedOnError`, …), which
// src/_libxml2.ts puts in the function table. No code is generated at run time, in any runtime.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const packageDir = join(dirname(new URL(import.meta.url).pathname), '..')
const require = createRequire(import.meta.url)
const libDir = dirname(require.resolve('libxml2-wasm/package.json'))
const version = JSON.parse(readFileSync(join(libDir, 'package.json'), 'utf8')).version
const generated = join(packageDir, 'src/_generated')
const dist = join(packageDir, 'dist')
mkdirSync(generated, { recursive: true })
mkdirSync(dist, { recursive: true })

function replaceOnce(text, from, to, what) {
  const at = text.indexOf(from)
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`libxml2-wasm ${version}: cannot patch ${what} (expected exactly one ${JSON.stringify(from.slice(0, 60))}); update scripts/build.mjs`)
  return text.slice(0, at) + to + text.slice(at + from.length)
}

// 1. The module's bytes: run the original glue once, catching what it hands to WebAssembly.
const original = WebAssembly.instantiate
let bytes
WebAssembly.instantiate = (source, imports) => {
  if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) bytes = new Uint8Array(source)
  return original(source, imports)
}
const { default: loadOriginal } = await import(join(libDir, 'lib/libxml2raw.mjs'))
await loadOriginal()
WebAssembly.instantiate = original
if (!bytes) throw new Error(`libxml2-wasm ${version}: no WebAssembly bytes seen`)
const binaryen = join(dirname(require.resolve('binaryen/package.json')), 'bin')
const work = mkdtempSync(join(tmpdir(), 'virtuned-schema-build-'))
try {
  writeFileSync(join(work, 'libxml2.wasm'), bytes)
  writeFileSync(join(work, 'callbacks.wat'), `(module
  (import "virtuned" "onError" (func $onError (param i32 i32)))
  (import "virtuned" "match" (func $match (param i32) (result i32)))
  (import "virtuned" "open" (func $open (param i32) (result i32)))
  (import "virtuned" "read" (func $read (param i32 i32 i32) (result i32)))
  (import "virtuned" "close" (func $close (param i32) (result i32)))
  (export "virtunedOnError" (func $onError))
  (export "virtunedMatch" (func $match))
  (export "virtunedOpen" (func $open))
  (export "virtunedRead" (func $read))
  (export "virtunedClose" (func $close)))
`)
  // Only what src/_libxml2.ts and the glue call stays (wasm-metadce drops XPath, XSD, C14N, the
  // serializer…): 819 kB → 622 kB, 377 kB → 316 kB gzipped. The glue reads absent exports as undefined.
  const keep = ['memory', '__indirect_function_table', '__wasm_call_ctors', 'malloc', 'free', '_emscripten_timeout',
    '_emscripten_stack_restore', '_emscripten_stack_alloc', 'emscripten_stack_get_current',
    'xmlInitParser', 'xmlNewParserCtxt', 'xmlFreeParserCtxt', 'xmlCtxtSetErrorHandler', 'xmlCtxtReadMemory', 'xmlFreeDoc',
    'xmlGetNodePath', 'xmlRegisterInputCallbacks', 'xmlRelaxNGNewDocParserCtxt', 'xmlRelaxNGSetParserStructuredErrors',
    'xmlRelaxNGParse', 'xmlRelaxNGFreeParserCtxt', 'xmlRelaxNGFree', 'xmlRelaxNGNewValidCtxt',
    'xmlRelaxNGSetValidStructuredErrors', 'xmlRelaxNGValidateDoc', 'xmlRelaxNGFreeValidCtxt',
    'virtunedOnError', 'virtunedMatch', 'virtunedOpen', 'virtunedRead', 'virtunedClose']
  const exported = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name).concat(keep.filter((k) => k.startsWith('virtuned')))
  const missing = keep.filter((k) => !exported.includes(k))
  if (missing.length > 0) throw new Error(`libxml2-wasm ${version}: the module lacks ${missing.join(', ')}; update scripts/build.mjs`)
  writeFileSync(join(work, 'graph.json'), JSON.stringify([
    { name: 'root', root: true, reaches: keep.map((k) => `export:${k}`) },
    ...[...new Set(exported)].map((name) => ({ name: `export:${name}`, export: name })),
  ]))
  for (const [tool, ...args] of [
    ['wasm-as', '-all', 'callbacks.wat', '-o', 'callbacks.wasm'],
    ['wasm-merge', '-all', 'libxml2.wasm', 'libxml2', 'callbacks.wasm', 'callbacks', '-o', 'merged.wasm'],
    ['wasm-metadce', '-all', 'merged.wasm', '-f', 'graph.json', '-o', 'small.wasm'],
  ]) {
    const result = spawnSync(process.execPath, [join(binaryen, tool), ...args], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] })
    if (result.status !== 0) throw new Error(`${tool} failed`)
  }
  bytes = readFileSync(join(work, 'small.wasm'))
} finally {
  rmSync(work, { recursive: true, force: true })
}
writeFileSync(join(dist, 'libxml2.wasm'), bytes)
writeFileSync(join(generated, 'libxml2-wasm.ts'),
  `// Generated by scripts/build.mjs from libxml2-wasm ${version}: do not edit, do not commit.\n` +
  `/** libxml2 in WebAssembly (${bytes.length} bytes), base64. */\n` +
  `export const wasmBase64: string = '${Buffer.from(bytes).toString('base64')}'\n`)

// 2. The glue, without the inlined module and without its Node-only branch.
let glue = readFileSync(join(libDir, 'lib/libxml2raw.mjs'), 'utf8')
const start = glue.indexOf("pa??=ea('")
const end = glue.indexOf("');return a((await sa(c)).instance)")
if (start < 0 || end < start) throw new Error(`libxml2-wasm ${version}: cannot find the inlined module; update scripts/build.mjs`)
glue = glue.slice(0, start) + "pa??=ea('" + glue.slice(end)
glue = replaceOnce(glue, 'h=globalThis.process?.versions?.node&&"renderer"!=globalThis.process?.type', 'h=!1', 'the Node.js detection')
glue = replaceOnce(glue, 'await ((m)=>import(m))("node:module")', '({})', 'the import of node:module (dead code once h is false)')
if (/import\(/.test(glue)) throw new Error(`libxml2-wasm ${version}: the glue still imports something; update scripts/build.mjs`)
writeFileSync(join(generated, 'libxml2-glue.js'),
  `// Generated by scripts/build.mjs from libxml2-wasm ${version} (lib/libxml2raw.mjs, MIT; libxml2, MIT):\n` +
  `// Emscripten's glue, inlined module removed, Node.js branch off. Do not edit, do not commit.\n` + glue)
writeFileSync(join(generated, 'libxml2-glue.d.ts'),
  `// Generated by scripts/build.mjs: the part of Emscripten's module factory that src/_libxml2.ts uses.\n` +
  `declare const loadModule: (options: Record<string, unknown>) => Promise<Record<string, unknown>>\n` +
  `export default loadModule\n`)

// 3. libvirt's schemas as data.
const schemaDir = join(packageDir, 'schemas/libvirt-11.3.0')
const files = Object.fromEntries(readdirSync(schemaDir).filter((name) => name.endsWith('.rng')).sort().map((name) => [name, readFileSync(join(schemaDir, name), 'utf8')]))
writeFileSync(join(generated, 'libvirt-schemas.ts'),
  `// Generated by scripts/build.mjs from schemas/libvirt-11.3.0 (libvirt v11.3.0, src/conf/schemas, LGPL-2.1-or-later): do not edit, do not commit.\n` +
  `/** libvirt 11.3.0's RelaxNG schema files, by file name. */\n` +
  `export const libvirtSchemaFiles: Readonly<Record<string, string>> = ${JSON.stringify(files, null, 1)}\n`)

// dist/ mirrors src/_generated for the .js glue (tsc copies no .js), and carries the licences.
mkdirSync(join(dist, '_generated'), { recursive: true })
copyFileSync(join(generated, 'libxml2-glue.js'), join(dist, '_generated/libxml2-glue.js'))
copyFileSync(join(generated, 'libxml2-glue.d.ts'), join(dist, '_generated/libxml2-glue.d.ts'))
copyFileSync(join(libDir, 'LICENSE'), join(dist, 'LICENSE.libxml2-wasm'))
copyFileSync(join(libDir, 'LICENSE.libxml2'), join(dist, 'LICENSE.libxml2'))
console.log(`schema: libxml2-wasm ${version}, dist/libxml2.wasm ${bytes.length} bytes, ${Object.keys(files).length} schema files`)
