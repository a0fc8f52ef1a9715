#!/usr/bin/env node
// `npm run bench`: throughput and ratios, all measured in this one run on the shared corpus.
//   node tools/bench.mjs [--rounds N] [--json FILE]
// Compares the WebAssembly engine with the TypeScript reference (same results, checked here too),
// canonicalize with fast-xml-parser's parse of the same bytes and with one libxml2 `xmllint --noout`
// process over the same files, and reports cold instantiate time and the .wasm size.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { parseArgs } from 'node:util'
import { XMLParser } from 'fast-xml-parser'

const root = resolve(new URL('..', import.meta.url).pathname)
const { values: options } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, json: { type: 'string' } } })
const rounds = Number(options.rounds)
const core = await import(join(root, 'packages/xml-core/dist/index.js'))

const corpusDir = process.env.VIRTUNED_CORPUS ?? resolve(root, '../shared/corpus')
if (!existsSync(join(corpusDir, 'domains'))) {
  console.error(`bench: corpus not found at ${corpusDir} (set VIRTUNED_CORPUS)`)
  process.exit(2)
}
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.xml') ? [join(dir, e.name)] : []))
const paths = ['domains', 'domains-out', 'generic', 'generic-out', 'hotplug'].flatMap((d) => walk(join(corpusDir, d))).sort()
const documents = paths.map((p) => new Uint8Array(readFileSync(p)))
const totalBytes = documents.reduce((n, d) => n + d.length, 0)

/** Median seconds of `rounds` runs of fn (after one warm-up run). */
function time(fn) {
  fn()
  const samples = []
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint()
    fn()
    samples.push(Number(process.hrtime.bigint() - start) / 1e9)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)]
}

const rows = []
const mbps = (bytes, seconds) => bytes / seconds / 1e6
function row(name, bytes, seconds, note = '') {
  rows.push({ name, mbps: mbps(bytes, seconds), ms: seconds * 1e3, note })
}

const reference = core.createReferenceEngine()
const wasm = typeof core.createEngine === 'function' ? await core.createEngine() : undefined

// Identical results are a precondition of comparing speeds.
if (wasm) {
  for (let i = 0; i < documents.length; i++) {
    const a = reference.canonicalize(documents[i])
    const b = wasm.canonicalize(documents[i])
    if (a.length !== b.length || a.some((x, j) => x !== b[j])) throw new Error(`bench: engines disagree on ${paths[i]}`)
  }
}

const canonicalRef = time(() => { for (const d of documents) reference.canonicalize(d) })
row('canonicalize — TS reference', totalBytes, canonicalRef)
let canonicalWasm
if (wasm) {
  canonicalWasm = time(() => { for (const d of documents) wasm.canonicalize(d) })
  row('canonicalize — WASM', totalBytes, canonicalWasm)
}

// fast-xml-parser configured to keep what virtuned keeps (order, attributes, comments, CDATA, whitespace).
const fxp = new XMLParser({ preserveOrder: true, ignoreAttributes: false, trimValues: false, commentPropName: '#comment', cdataPropName: '#cdata', processEntities: true, parseTagValue: false, parseAttributeValue: false, ignoreDeclaration: false, ignorePiTags: false })
const decoder = new TextDecoder('utf-8', { fatal: true })
const fxpTime = time(() => { for (const d of documents) fxp.parse(decoder.decode(d)) })
row('parse — fast-xml-parser 5 (preserveOrder)', totalBytes, fxpTime)

let xmllintTime
const xmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' })
if (xmllint.status === 0 || xmllint.status === 1) {
  // One process over every file: start-up included, as the issue specifies.
  xmllintTime = time(() => {
    const r = spawnSync('xmllint', ['--noout', ...paths], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`xmllint failed: ${r.stderr.slice(0, 300)}`)
  })
  row('parse — libxml2 xmllint --noout (one process)', totalBytes, xmllintTime)
} else {
  rows.push({ name: 'parse — libxml2 xmllint', mbps: NaN, ms: NaN, note: 'not installed: apt-get install libxml2-utils' })
}

// Diff, patch and merge over corpus pairs, when the engine has them.
const pairs = []
{
  const outDir = join(corpusDir, 'domains-out')
  const outs = readdirSync(outDir)
  for (const name of readdirSync(join(corpusDir, 'domains'))) {
    const base = name.slice(0, -4)
    const out = outs.find((o) => o.startsWith(base + '.') && o.split('.').length === base.split('.').length + 2)
    if (out) pairs.push([readFileSync(join(corpusDir, 'domains', name)), readFileSync(join(outDir, out))].map((b) => new Uint8Array(b)))
  }
}
const pairBytes = pairs.reduce((n, [a, b]) => n + a.length + b.length, 0)
for (const op of ['diff', 'applyPatch', 'merge']) {
  const engines = [reference, wasm].filter((e) => e && typeof e[op] === 'function')
  if (engines.length === 0) continue
  const keys = core.libvirtIdentityKeys
  const timings = []
  for (const engine of engines) {
    let run
    if (op === 'diff') run = () => { for (const [a, b] of pairs) engine.diff(a, b, keys) }
    else if (op === 'applyPatch') {
      const patches = pairs.map(([a, b]) => reference.diff(a, b, keys))
      run = () => { pairs.forEach(([a], i) => engine.applyPatch(a, patches[i], keys)) }
    } else run = () => { for (const [a, b] of pairs) engine.merge(a, [{ name: 'libvirt', mode: 'fill', document: b }], keys) }
    const seconds = time(run)
    timings.push(seconds)
    row(`${op} — ${engine.kind === 'wasm' ? 'WASM' : 'TS reference'} (${pairs.length} pairs)`, pairBytes, seconds)
  }
  if (timings.length === 2) rows.push({ name: `  ratio ${op}: WASM vs TS reference`, ratio: timings[0] / timings[1] })
}

if (canonicalWasm) {
  rows.push({ name: '  ratio canonicalize: WASM vs TS reference', ratio: canonicalRef / canonicalWasm })
  rows.push({ name: '  ratio canonicalize (WASM) vs fast-xml-parser parse', ratio: fxpTime / canonicalWasm })
  if (xmllintTime) rows.push({ name: '  ratio canonicalize (WASM) vs xmllint', ratio: xmllintTime / canonicalWasm })
}

// Cold instantiate and size of the WebAssembly module.
const wasmPath = join(root, 'packages/xml-core/build/xml-core.wasm')
let size
if (existsSync(wasmPath)) {
  const bytes = new Uint8Array(readFileSync(wasmPath))
  size = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
  // Truly cold: a fresh Node process per sample (V8 caches compiled modules within a process).
  const probe = `const { createEngine } = await import(${JSON.stringify(join(root, 'packages/xml-core/dist/index.js'))});
const bytes = new Uint8Array((await import('node:fs')).readFileSync(${JSON.stringify(wasmPath)}));
const start = performance.now(); const engine = await createEngine({ module: bytes }); engine.canonicalize('<a/>');
console.log(performance.now() - start)`
  const samples = []
  for (let i = 0; i < 11; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' })
    samples.push(Number(r.stdout.trim()))
  }
  samples.sort((a, b) => a - b)
  size.coldMs = samples[5]
}

console.log(`virtuned bench — ${documents.length} corpus documents, ${(totalBytes / 1e6).toFixed(2)} MB; median of ${rounds} rounds; node ${process.version}\n`)
console.log('| measurement | MB/s | ms per corpus pass |')
console.log('|---|---:|---:|')
for (const r of rows) {
  if ('ratio' in r) console.log(`| ${r.name} | **${r.ratio.toFixed(2)}×** | |`)
  else console.log(`| ${r.name} | ${Number.isNaN(r.mbps) ? '—' : r.mbps.toFixed(1)} | ${Number.isNaN(r.ms) ? r.note : r.ms.toFixed(1)} |`)
}
if (size) console.log(`\n.wasm: ${size.raw} bytes raw, ${size.gzip} bytes gzipped; cold compile + instantiate + first call: ${size.coldMs.toFixed(2)} ms (median of 11 fresh processes)`)
if (options.json) writeFileSync(options.json, JSON.stringify({ rows, size, documents: documents.length, totalBytes }, null, 2))
