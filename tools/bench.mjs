#!/usr/bin/env node
// `npm run bench`: throughput and ratios, all measured in this one run on the shared corpus.
//   node tools/bench.mjs [--rounds N] [--json FILE] [--only xml|libvirt|compose|edge|schema|fleet]
// Compares the WebAssembly engine with the TypeScript reference (same results, checked here too),
// canonicalize with fast-xml-parser's parse of the same bytes and with one libxml2 `xmllint --noout`
// process over the same files, and reports cold instantiate time and the .wasm size.
// Then compose vs virtinst (each in a fresh process of its own: tools/bench/), the edge handler in
// four runtimes, and "libvirt-adapter vs virsh": round trips to a real libvirtd (tools/libvirt-sandbox, root only)
// through the adapter, one virsh process per call, and one long-lived virsh shell.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { parseArgs } from 'node:util'
import { XMLParser } from 'fast-xml-parser'

const root = resolve(new URL('..', import.meta.url).pathname)
const { values: options } = (() => {
  try {
    return parseArgs({ options: { rounds: { type: 'string', default: '7' }, json: { type: 'string' }, only: { type: 'string' } } })
  } catch (error) {
    console.error(`bench: ${error.message.split('\n')[0].replace(/\. To specify a positional.*/, '')} (usage: the header of tools/bench.mjs)`)
    process.exit(2)
  }
})()
const rounds = Number(options.rounds)
if (options.only !== undefined && !['xml', 'libvirt', 'compose', 'edge', 'schema', 'fleet', 'preview'].includes(options.only)) {
  console.error(`bench: unexpected --only ${options.only}, expected xml, libvirt, compose, edge, schema, fleet or preview`)
  process.exit(2)
}
const rows = []
let size
let corpusSummary = {}
// ---- the XML engine (`--only libvirt` skips it; the block is left unindented) --------------------
if (options.only === undefined || options.only === 'xml') {
const core = await import(join(root, 'packages/xml-core/dist/index.js'))
// libvirt's identity table lives in @virtuned/model (the one home of libvirt facts), not in the engine.
const { libvirtIdentityKeys } = await import(join(root, 'packages/model/dist/index.js'))

const corpusDir = process.env.VIRTUNED_CORPUS ?? resolve(root, '../shared/corpus')
if (!existsSync(join(corpusDir, 'domains'))) {
  console.error(`bench: corpus not found at ${corpusDir} (set VIRTUNED_CORPUS)`)
  process.exit(2)
}
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.xml') ? [join(dir, e.name)] : []))
const paths = ['domains', 'domains-out', 'generic', 'generic-out', 'hotplug'].flatMap((d) => walk(join(corpusDir, d))).sort()
const documents = paths.map((p) => new Uint8Array(readFileSync(p)))
const totalBytes = documents.reduce((n, d) => n + d.length, 0)

/**
 * Median seconds of `rounds` runs of each fn (after one warm-up run each). The fns take turns
 * within every round, so each side of a ratio runs under the same load: on a shared machine a
 * burst of other work then slows both sides, not whichever happened to be measured during it.
 */
function timeEach(...fns) {
  for (const fn of fns) fn()
  const samples = fns.map(() => [])
  for (let i = 0; i < rounds; i++) {
    fns.forEach((fn, k) => {
      const start = process.hrtime.bigint()
      fn()
      samples[k].push(Number(process.hrtime.bigint() - start) / 1e9)
    })
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)])
}

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

// fast-xml-parser configured to keep what virtuned keeps (order, attributes, comments, CDATA, whitespace).
const fxp = new XMLParser({ preserveOrder: true, ignoreAttributes: false, trimValues: false, commentPropName: '#comment', cdataPropName: '#cdata', processEntities: true, parseTagValue: false, parseAttributeValue: false, ignoreDeclaration: false, ignorePiTags: false })
const decoder = new TextDecoder('utf-8', { fatal: true })
const xmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' })
const hasXmllint = xmllint.status === 0 || xmllint.status === 1
// The four sides of the canonicalize ratios take turns (see timeEach). xmllint: one process over
// every file, start-up included, as the issue specifies.
const canonicalSides = [
  () => { for (const d of documents) reference.canonicalize(d) },
  wasm ? () => { for (const d of documents) wasm.canonicalize(d) } : undefined,
  () => { for (const d of documents) fxp.parse(decoder.decode(d)) },
  hasXmllint ? () => {
    const r = spawnSync('xmllint', ['--noout', ...paths], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`xmllint failed: ${r.stderr.slice(0, 300)}`)
  } : undefined,
]
const canonicalTimes = timeEach(...canonicalSides.filter(Boolean))
const [canonicalRef, canonicalWasm, fxpTime, xmllintTime] = canonicalSides.map((fn) => (fn ? canonicalTimes.shift() : undefined))
row('canonicalize — TS reference', totalBytes, canonicalRef)
if (wasm) row('canonicalize — WASM', totalBytes, canonicalWasm)
row('parse — fast-xml-parser 5 (preserveOrder)', totalBytes, fxpTime)
if (hasXmllint) row('parse — libxml2 xmllint --noout (one process)', totalBytes, xmllintTime)
else rows.push({ name: 'parse — libxml2 xmllint', mbps: NaN, ms: NaN, note: 'not installed: apt-get install libxml2-utils' })

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
  const keys = libvirtIdentityKeys
  const patches = op === 'applyPatch' ? pairs.map(([a, b]) => reference.diff(a, b, keys)) : []
  const runs = engines.map((engine) => {
    if (op === 'diff') return () => { for (const [a, b] of pairs) engine.diff(a, b, keys) }
    if (op === 'applyPatch') return () => { pairs.forEach(([a], i) => engine.applyPatch(a, patches[i], keys)) }
    return () => { for (const [a, b] of pairs) engine.merge(a, [{ name: 'libvirt', mode: 'fill', document: b }], keys) }
  })
  const timings = timeEach(...runs)
  engines.forEach((engine, i) => row(`${op} — ${engine.kind === 'wasm' ? 'WASM' : 'TS reference'} (${pairs.length} pairs)`, pairBytes, timings[i]))
  if (timings.length === 2) rows.push({ name: `  ratio ${op}: WASM vs TS reference`, ratio: timings[0] / timings[1] })
}

if (canonicalWasm) {
  rows.push({ name: '  ratio canonicalize: WASM vs TS reference', ratio: canonicalRef / canonicalWasm })
  rows.push({ name: '  ratio canonicalize (WASM) vs fast-xml-parser parse', ratio: fxpTime / canonicalWasm })
  if (xmllintTime) rows.push({ name: '  ratio canonicalize (WASM) vs xmllint', ratio: xmllintTime / canonicalWasm })
}

// xml-core's TypeScript parseXml and toXml, on every product path (compose, preview, CLI, edge,
// hot-plug), taking turns with fast-xml-parser's parse of the same strings. toXml writes the
// parsed trees in libvirt's layout; its MB/s counts the input bytes.
{
  const strings = documents.map((d) => decoder.decode(d))
  const trees = strings.map((s) => core.parseXml(s, { positions: false }))
  const [withPositions, withoutPositions, serialize, fxpStrings] = timeEach(
    () => { for (const s of strings) core.parseXml(s) },
    () => { for (const s of strings) core.parseXml(s, { positions: false }) },
    () => { for (const t of trees) core.toXml(t) },
    () => { for (const s of strings) fxp.parse(s) },
  )
  row('parseXml — TS, with positions', totalBytes, withPositions)
  row('parseXml — TS, positions: false', totalBytes, withoutPositions)
  row('toXml — TS, libvirt layout (of those trees)', totalBytes, serialize)
  rows.push({ name: '  ratio parseXml (with positions) vs fast-xml-parser parse', ratio: fxpStrings / withPositions })
}

// Cold instantiate and size of the WebAssembly module.
const wasmPath = join(root, 'packages/xml-core/build/xml-core.wasm')
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

console.log(`virtuned bench — ${documents.length} corpus documents, ${(totalBytes / 1e6).toFixed(2)} MB; median of ${rounds} rounds, the sides of each ratio taking turns; node ${process.version}\n`)
console.log('| measurement | MB/s | ms per corpus pass |')
console.log('|---|---:|---:|')
for (const r of rows) {
  if ('ratio' in r) console.log(`| ${r.name} | **${r.ratio.toFixed(2)}×** | |`)
  else console.log(`| ${r.name} | ${Number.isNaN(r.mbps) ? '—' : r.mbps.toFixed(1)} | ${Number.isNaN(r.ms) ? r.note : r.ms.toFixed(1)} |`)
}
if (size) console.log(`\n.wasm: ${size.raw} bytes raw, ${size.gzip} bytes gzipped; cold compile + instantiate + first call: ${size.coldMs.toFixed(2)} ms (median of 11 fresh processes)`)
corpusSummary = { documents: documents.length, totalBytes }
}

const composeResult = options.only === undefined || options.only === 'compose' ? await benchCompose() : undefined
const previewResult = options.only === undefined || options.only === 'preview' ? benchPreview() : undefined
const edgeResult = options.only === undefined || options.only === 'edge' ? await benchEdge() : undefined
const schemaResult = options.only === undefined || options.only === 'schema' ? await benchSchema() : undefined
const libvirt = options.only === undefined || options.only === 'libvirt' ? await benchLibvirt() : undefined
const fleet = options.only === undefined || options.only === 'fleet' ? await benchFleet() : undefined
if (options.json) writeFileSync(options.json, JSON.stringify({ rows, size, ...corpusSummary, compose: composeResult, preview: previewResult, edge: edgeResult, schema: schemaResult, libvirt, fleet }, null, 2))

// ---- the edge handler in four runtimes -----------------------------------------------------------

/**
 * The edge handler (packages/edge/dist/edge.bundle.js) served by Node (node:http), Deno, Bun and
 * workerd on loopback: cold start (spawn → first /v1/compose answered, median of 3), per-request
 * latency (200 sequential POST /v1/compose), and a 10 s autocannon load on the Node server.
 */
async function benchEdge() {
  const title = 'edge handler: cold start, latency, load'
  const edgeDir = join(root, 'packages/edge')
  const bundle = join(edgeDir, 'dist/edge.bundle.js')
  if (!existsSync(bundle)) {
    console.log(`\n${title}: skipped (packages not built: npx nx run-many -t build)`)
    return { skipped: 'not built' }
  }
  const { pathToFileURL } = await import('node:url')
  const { mkdtempSync, copyFileSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const net = await import('node:net')
  const bin = (name) => join(root, 'node_modules/.bin', name)
  const freePort = () => new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) }) })
  const serveJs = join(edgeDir, 'test/servers/serve.js')
  const work = mkdtempSync(join(tmpdir(), 'virtuned-edge-bench-'))
  const body = JSON.stringify({ spec: { name: 'bench', memory: '2GiB', vcpus: 2, disks: [{ source: { file: '/var/lib/libvirt/images/b.qcow2' }, format: 'qcow2' }], nics: [{ type: 'user' }] }, os: 'debian11', policies: ['spice'] })
  const post = (port) => fetch(`http://127.0.0.1:${port}/v1/compose`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (r) => { await r.arrayBuffer(); if (r.status !== 200) throw new Error(`status ${r.status}`) })
  const runtimes = {
    node: (port) => spawn(process.execPath, [serveJs, pathToFileURL(bundle).href, String(port), pathToFileURL(join(edgeDir, 'dist/node.js')).href], { stdio: 'ignore' }),
    deno: (port) => spawn(bin('deno'), ['run', '--no-prompt', '--allow-net=127.0.0.1', '--allow-read', '--no-config', '--no-lock', serveJs, pathToFileURL(bundle).href, String(port)], { stdio: 'ignore', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' } }),
    bun: (port) => spawn(bin('bun'), [serveJs, pathToFileURL(bundle).href, String(port)], { stdio: 'ignore' }),
    workerd: (port) => {
      const dir = mkdtempSync(join(work, 'w-'))
      copyFileSync(bundle, join(dir, 'edge.bundle.js'))
      copyFileSync(join(edgeDir, 'test/servers/worker.js'), join(dir, 'worker.js'))
      // worker.js imports libxml2 (the schema check of /v1/validate) and xml-core's engine as wasm modules.
      copyFileSync(join(root, 'packages/schema/dist/libxml2.wasm'), join(dir, 'libxml2.wasm'))
      copyFileSync(join(root, 'packages/xml-core/dist/xml-core.wasm'), join(dir, 'xml-core.wasm'))
      writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";\nconst config :Workerd.Config = ( services = [ (name = "main", worker = .w) ], sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ] );\nconst w :Workerd.Worker = ( modules = [ (name = "worker.js", esModule = embed "worker.js"), (name = "edge.bundle.js", esModule = embed "edge.bundle.js"), (name = "libxml2.wasm", wasm = embed "libxml2.wasm"), (name = "xml-core.wasm", wasm = embed "xml-core.wasm") ], compatibilityDate = "2025-01-01" );\n`)
      return spawn(bin('workerd'), ['serve', join(dir, 'config.capnp')], { cwd: dir, stdio: 'ignore' })
    },
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const p99 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]
  const results = {}
  for (const [name, start] of Object.entries(runtimes)) {
    if (name !== 'node' && !existsSync(bin(name))) { results[name] = { skipped: 'not installed' }; continue }
    const colds = []
    let latencies = []
    for (let round = 0; round < 3; round++) {
      const port = await freePort()
      const t0 = performance.now()
      const child = start(port)
      try {
        for (;;) {
          try { await post(port); break } catch { if (performance.now() - t0 > 30_000) throw new Error(`${name} did not start`); await new Promise((r) => setTimeout(r, 10)) }
        }
        colds.push(performance.now() - t0)
        if (round === 0) {
          for (let i = 0; i < 20; i++) await post(port)
          latencies = []
          for (let i = 0; i < 200; i++) { const t = performance.now(); await post(port); latencies.push((performance.now() - t) * 1000) }
        }
      } finally {
        child.kill('SIGKILL')
      }
    }
    results[name] = { coldMs: median(colds), p50us: median(latencies), p99us: p99(latencies) }
  }
  // In-process, for reference: the handler without HTTP.
  const { createHandler } = await import(bundle)
  const handler = createHandler()
  const inproc = []
  for (let i = 0; i < 220; i++) {
    const t = performance.now()
    const r = await handler(new Request('http://x/v1/compose', { method: 'POST', headers: { 'content-type': 'application/json' }, body }))
    await r.arrayBuffer()
    if (i >= 20) inproc.push((performance.now() - t) * 1000)
  }
  // Load: autocannon, 10 connections for 10 s, against the Node server.
  let load
  try {
    const autocannon = (await import('autocannon')).default
    const port = await freePort()
    const child = runtimes.node(port)
    try {
      for (let i = 0; ; i++) { try { await post(port); break } catch { if (i > 3000) throw new Error('node did not start'); await new Promise((r) => setTimeout(r, 10)) } }
      const r = await autocannon({ url: `http://127.0.0.1:${port}/v1/compose`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 10, duration: 10 })
      load = { requests: r.requests.total, perSecond: r.requests.average, p50ms: r.latency.p50, p99ms: r.latency.p99, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx }
    } finally {
      child.kill('SIGKILL')
    }
  } catch (error) {
    load = { skipped: String(error) }
  }
  rmSync(work, { recursive: true, force: true })
  console.log(`\n${title} — POST /v1/compose of a 1-disk, 1-NIC SPICE domain (policies + defaults)\n`)
  console.log('| runtime | cold start (spawn → first answer), ms | p50 µs | p99 µs |')
  console.log('|---|---:|---:|---:|')
  for (const [name, r] of Object.entries(results)) console.log(r.skipped ? `| ${name} | ${r.skipped} | | |` : `| ${name} | ${r.coldMs.toFixed(0)} | ${r.p50us.toFixed(0)} | ${r.p99us.toFixed(0)} |`)
  console.log(`| in-process handler (no HTTP) | | ${median(inproc).toFixed(0)} | ${p99(inproc).toFixed(0)} |`)
  if (load.skipped) console.log(`\nload: skipped (${load.skipped})`)
  else console.log(`\nload (autocannon, 10 connections, 10 s, Node server): ${load.requests} requests, ${load.perSecond.toFixed(0)} req/s, p50 ${load.p50ms} ms, p99 ${load.p99ms} ms, errors ${load.errors}, timeouts ${load.timeouts}, non-2xx ${load.non2xx}`)
  return { runtimes: results, inProcess: { p50us: median(inproc), p99us: p99(inproc) }, load }
}

// ---- composing a domain: virtuned vs virtinst --------------------------------------------------

/**
 * Complete domains through policies and defaults, every call a different spec, µs per domain,
 * against virtinst (Debian's virt-manager library) building the same specs in one Python process:
 * Guest + devices, set_defaults(), get_xml(), on the test:///default connection (no daemon needed;
 * osinfo and domcaps caches warm in both, as in a long-running app).
 */
async function benchCompose() {
  const title = 'compose distinct domains: virtuned vs virtinst'
  const dist = join(root, 'packages/policies/dist/index.js')
  if (!existsSync(dist)) {
    console.log(`\n${title}: skipped (packages not built: npx nx run-many -t build)`)
    return { skipped: 'not built' }
  }
  // One list of distinct specs for both sides (tools/bench/compose-specs.mjs): every call composes
  // a domain no earlier call composed.
  const perRound = 500
  const specsFile = join(root, '.reports', 'compose-specs.json')
  mkdirSync(dirname(specsFile), { recursive: true })
  const { distinctSpecs } = await import(join(root, 'tools/bench/compose-specs.mjs'))
  const cases = distinctSpecs(rounds * perRound + 20000)
  writeFileSync(specsFile, JSON.stringify(cases))
  // Each side in a fresh process of its own (the XML sections above leave a large heap behind), the two
  // taking turns three times: this VM's speed drifts by ±20 % over minutes, and a drift between one
  // side's run and the other's moved the ratio more than any change did. Each side's figure is the
  // median of its three runs; the ratio is theirs over ours.
  const turns = 3
  const virtinstCount = 200
  let reason = ''
  if (!existsSync('/usr/share/virt-manager/virtinst') || !existsSync('/usr/bin/python3')) reason = 'virtinst not installed (Debian virtinst)'
  const imageDir = join(root, '.reports')
  for (let d = 0; d < 4; d++) writeFileSync(join(imageDir, `bench-${d}.qcow2`), '')
  const oursRuns = []
  const theirsRuns = []
  for (let turn = 0; turn < turns; turn++) {
    const mine = spawnSync(process.execPath, [join(root, 'tools/bench/virtuned-compose.mjs'), dist, specsFile, String(rounds)], { encoding: 'utf8', timeout: 300_000 })
    if (mine.status !== 0) throw new Error(`bench: tools/bench/virtuned-compose.mjs failed: ${(mine.stderr || '').trim()}`)
    oursRuns.push(JSON.parse(mine.stdout.trim().split('\n').pop()))
    if (reason) continue
    const run = spawnSync('/usr/bin/python3', [join(root, 'tools/bench/virtinst-compose.py'), 'test:///default', specsFile, String(virtinstCount), imageDir], { encoding: 'utf8', timeout: 300_000 })
    if (run.status === 0) theirsRuns.push(JSON.parse(run.stdout.trim().split('\n').pop()))
    else reason = `virtinst failed: ${(run.stderr || '').trim().split('\n').pop()}`
  }
  const middle = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const ours = { ...oursRuns[0], distinct: middle(oursRuns.map((r) => r.distinct)), early: middle(oursRuns.map((r) => r.early)), runs: oursRuns.map((r) => ({ distinct: r.distinct, early: r.early })) }
  const theirs = !reason && theirsRuns.length === turns ? { distinct: middle(theirsRuns.map((r) => r.distinct)), count: virtinstCount, runs: theirsRuns.map((r) => r.distinct) } : undefined
  console.log(`\n${title} — µs per complete domain, every call a different spec (OS, policies, 1–4 disks, 1–3 NICs, memory, vCPUs); virtuned: median of ${rounds} rounds of ${perRound} once ${ours.steadyWarmUp} distinct specs were composed (steady state; V8 still optimizes for the first ~10,000), and in brackets the same right after ${ours.earlyWarmUp}; virtinst: mean of ${virtinstCount} after 200 warm-up calls; each side the median of ${turns} runs, the two sides taking turns\n`)
  console.log('| workload | virtuned | virtinst (in-process, test:///default) | virtinst ÷ virtuned |')
  console.log('|---|---:|---:|---:|')
  console.log(`| distinct specs | ${ours.distinct.toFixed(0)} (${ours.early.toFixed(0)}) | ${theirs ? theirs.distinct.toFixed(0) : '—'} | ${theirs ? `**${(theirs.distinct / ours.distinct).toFixed(0)}×** (${(theirs.distinct / ours.early).toFixed(0)}×)` : reason} |`)
  console.log(`\nthe ${turns} turns (virtuned µs / virtinst µs): ${oursRuns.map((r, i) => `${r.distinct.toFixed(0)} / ${theirsRuns[i] ? theirsRuns[i].distinct.toFixed(0) : '—'}`).join(', ')}`)
  return { virtuned: ours, virtinst: theirs, skipped: reason || undefined }
}

// ---- preview vs the daemon ------------------------------------------------------------------------

/** previewDomain per domain (and previewDomains per domain of a group) vs define + dumpxml --inactive + undefine on the sandbox libvirtd (tools/bench/preview.ts). */
function benchPreview() {
  const title = 'preview a domain vs libvirtd define + dumpxml --inactive + undefine'
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isRoot || !existsSync('/usr/sbin/libvirtd')) {
    console.log(`\n${title}: skipped (${!isRoot ? 'not root' : 'libvirt not installed: tools/libvirt-sandbox/install.sh'})`)
    return { skipped: 'no libvirtd' }
  }
  const env = { ...process.env, VIRTUNED_SANDBOX_HOLDER: String(process.pid) }
  execFileSync('bash', [join(root, 'tools/libvirt-sandbox/start.sh')], { stdio: 'pipe', env, timeout: 120_000 })
  try {
    const run = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'tools/bench/preview.ts')], { encoding: 'utf8', timeout: 600_000 })
    if (run.status !== 0) throw new Error(`bench: tools/bench/preview.ts failed: ${(run.stderr || '').trim()}`)
    const r = JSON.parse(run.stdout.trim().split('\n').pop())
    console.log(`\n${title} — x86_64 domains composed by virtuned, each distinct; preview: median of ${r.previewCalls} single calls once ${r.steadyWarmUp} distinct domains were previewed (steady state), and in brackets the same right after ${r.earlyWarmUp}; daemon: median of ${r.daemonCalls} round trips on the sandbox libvirtd\n`)
    console.log('| preview | define + dumpxml + undefine | ratio |')
    console.log('|---:|---:|---:|')
    console.log(`| ${r.previewMicros.toFixed(0)} µs (${r.earlyMicros.toFixed(0)} µs) | ${r.daemonMicros.toFixed(0)} µs | **${r.ratio.toFixed(0)}×** (${r.earlyRatio.toFixed(0)}×) |`)
    console.log(`\npreviewDomains on groups of ${r.batchGroup} distinct domains (a host's or a fleet's, taken through libvirt's rules together): per domain, median of ${r.batchGroups} groups none of the calls above saw — ${r.batchMicros.toFixed(0)} µs, **${r.batchRatio.toFixed(0)}×** the daemon round trip`)
    console.log(`\nthe floor of this design — preview's reader on the same inputs and its writer on the documents it predicted, no rule run: ${r.readMicros.toFixed(0)} + ${r.writeMicros.toFixed(0)} = ${r.floorMicros.toFixed(0)} µs, at most **${r.floorRatio.toFixed(0)}×** the daemon round trip`)
    return r
  } finally {
    execFileSync('bash', [join(root, 'tools/libvirt-sandbox/stop.sh')], { stdio: 'pipe', env, timeout: 120_000 })
  }
}

// ---- libvirt-adapter vs virsh -------------------------------------------------------------------

/**
 * Round-trip latency to a real libvirtd (the sandbox, one running TCG guest): getXMLDesc, and a disk
 * attached (live) then detached until it is gone, through (1) the adapter on one connection, (2) one
 * `virsh` process per call, (3) one long-lived `virsh` shell fed commands on stdin, each followed by
 * an `echo` marker that ends its output. Median µs per operation and ratios, all from this run.
 */
async function benchLibvirt() {
  const title = 'libvirt-adapter vs virsh'
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const adapterDist = join(root, 'packages/libvirt-adapter/dist/index.js')
  const reason = !isRoot ? 'not root'
    : !existsSync('/usr/sbin/libvirtd') || !existsSync('/usr/bin/virsh') || !existsSync('/usr/bin/qemu-system-x86_64') ? 'libvirt/QEMU not installed (tools/libvirt-sandbox/install.sh)'
      : !existsSync(adapterDist) ? 'the adapter is not built (npx nx run @virtuned/libvirt-adapter:build)' : ''
  if (reason) {
    console.log(`\n${title}: skipped (${reason})`)
    return { skipped: reason }
  }
  const { createConnection } = await import(adapterDist)
  const sandbox = join(root, 'tools/libvirt-sandbox')
  const dir = process.env.VIRTUNED_SANDBOX_DIR ?? '/run/virtuned-sandbox'
  const name = 'vt-test-bench'
  const alias = 'ua-bench-disk'
  const uri = 'qemu:///system'
  const virshArgs = ['-c', uri]
  const samples = { xml: 200, xmlProcess: 40, hotplug: 15 }

  execFileSync(join(sandbox, 'build-guest.sh'), { stdio: 'pipe', timeout: 300_000 })
  execFileSync(join(sandbox, 'start.sh'), { stdio: 'pipe', timeout: 180_000 })
  let conn
  let shell
  const virsh = (...args) => execFileSync('virsh', [...virshArgs, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })
  const removeDomain = () => {
    for (const args of [['destroy', name], ['undefine', name]]) {
      try { virsh(...args) } catch { /* not there */ }
    }
  }
  try {
    removeDomain()
    const log = join(dir, `${name}.log`)
    writeFileSync(log, '')
    const ports = Array.from({ length: 4 }, (_, i) => `<controller type='pci' index='${i + 1}' model='pcie-root-port'/>`).join('')
    const domainXml = readFileSync(join(sandbox, 'guest-template.xml'), 'utf8')
      .replace('@NAME@', name).replaceAll('@GUEST@', join(sandbox, '.guest')).replace('@LOG@', log).replace('@PORTS@', ports)
    conn = await createConnection(uri)
    const domain = await conn.create(await conn.defineXML(domainXml, { validate: true }))
    const deadline = Date.now() + 90_000
    while (!readFileSync(log, 'utf8').includes('VIRTUNED-GUEST-READY')) {
      if (Date.now() > deadline) throw new Error(`bench: ${name} did not boot within 90 s`)
      await new Promise((r) => setTimeout(r, 100))
    }
    const image = join(dir, 'vt-bench-disk.qcow2')
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '64M'])
    const diskXml = `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${image}'/><target dev='vdb' bus='virtio'/><alias name='${alias}'/></disk>`
    const diskFile = join(dir, 'vt-bench-disk.xml')
    writeFileSync(diskFile, diskXml)
    shell = virshShell(virshArgs)

    /** Median µs of n sequential runs of fn (after one warm-up). */
    const measure = async (n, fn) => {
      await fn()
      const times = []
      for (let i = 0; i < n; i++) {
        const start = process.hrtime.bigint()
        await fn()
        times.push(Number(process.hrtime.bigint() - start) / 1e3)
      }
      times.sort((a, b) => a - b)
      return times[Math.floor(times.length / 2)]
    }
    const check = (ok, what) => { if (!ok) throw new Error(`bench: ${what}`) }
    const results = {}

    // getXMLDesc / dumpxml.
    results.xml = {
      adapter: await measure(samples.xml, async () => check((await conn.getXMLDesc(domain)).includes(`<name>${name}</name>`), 'adapter getXMLDesc')),
      process: await measure(samples.xmlProcess, () => check(virsh('dumpxml', name).includes(`<name>${name}</name>`), 'virsh dumpxml')),
      shell: await measure(samples.xml, async () => check((await shell.run(`dumpxml ${name}`)).includes(`<name>${name}</name>`), 'virsh shell dumpxml')),
    }
    // 100 concurrent getXMLDesc on one connection: µs per call.
    {
      const start = process.hrtime.bigint()
      const all = await Promise.all(Array.from({ length: 100 }, () => conn.getXMLDesc(domain)))
      check(all.every((x) => x === all[0]), 'concurrent getXMLDesc')
      results.xmlConcurrent = Number(process.hrtime.bigint() - start) / 1e3 / 100
    }

    // Attach (live), then detach by alias until the device is gone: the adapter waits for libvirt's
    // device-removed event; virsh users poll dumpxml until the alias has left the live XML.
    const attach = {}
    const detach = {}
    const both = {}
    const cycle = async (method, doAttach, doDetach) => {
      const a = []
      const d = []
      const ad = []
      for (let i = 0; i <= samples.hotplug; i++) {
        let start = process.hrtime.bigint()
        await doAttach()
        const attached = Number(process.hrtime.bigint() - start) / 1e3
        start = process.hrtime.bigint()
        await doDetach()
        const detached = Number(process.hrtime.bigint() - start) / 1e3
        if (i > 0) { a.push(attached); d.push(detached); ad.push(attached + detached) }
      }
      const median = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]
      attach[method] = median(a)
      detach[method] = median(d)
      both[method] = median(ad)
    }
    await cycle('adapter', () => conn.attachDevice(domain, diskXml, { live: true }), async () => {
      const result = await conn.detachAndWait(domain, alias, { timeoutMs: 20_000 })
      check(result.ok && result.verified, `adapter detach: ${result.outcome}`)
    })
    await cycle('process', () => virsh('attach-device', name, diskFile, '--live'), async () => {
      virsh('detach-device-alias', name, alias, '--live')
      while (virsh('dumpxml', name).includes(`'${alias}'`)) { /* poll */ }
    })
    await cycle('shell', async () => check(!(await shell.run(`attach-device ${name} ${diskFile} --live`)).includes('error'), 'virsh shell attach'), async () => {
      await shell.run(`detach-device-alias ${name} ${alias} --live`)
      while ((await shell.run(`dumpxml ${name}`)).includes(`'${alias}'`)) { /* poll */ }
    })
    results.attach = attach
    results.detach = detach
    results.cycle = both
    check(shell.errors.length === 0, `virsh shell said: ${shell.errors.join(' ')}`)

    const us = (x) => (x >= 1e4 ? x.toFixed(0) : x.toFixed(1))
    const ratio = (x, y) => `**${(x / y).toFixed(1)}×**`
    console.log(`\n${title} — guest ${name} (q35, TCG) on libvirt ${virsh('version').match(/Using library: libvirt ([\d.]+)/)?.[1] ?? '?'}; median µs per operation (getXMLDesc ${samples.xml} / virsh process ${samples.xmlProcess} samples, hot-plug ${samples.hotplug} cycles)\n`)
    console.log('| operation | adapter | virsh, process per call | virsh shell, one process | process ÷ adapter | shell ÷ adapter |')
    console.log('|---|---:|---:|---:|---:|---:|')
    for (const [label, r] of [['getXMLDesc / dumpxml', results.xml], ['attach disk (live)', attach], ['detach by alias until gone', detach], ['attach + detach, whole cycle', both]]) {
      console.log(`| ${label} | ${us(r.adapter)} | ${us(r.process)} | ${us(r.shell)} | ${ratio(r.process, r.adapter)} | ${ratio(r.shell, r.adapter)} |`)
    }
    console.log(`| getXMLDesc, 100 concurrent on one connection (per call) | ${us(results.xmlConcurrent)} | | | | |`)
    console.log('\n"Until gone": the adapter waits for libvirt\'s device-removed event; virsh polls dumpxml. libvirt drops the device from the live XML before it finishes the removal (backend cleanup in the same domain job) and sends the event after, so polling sees "gone" earlier and the next attach waits for that job: compare whole cycles.')
    return results
  } finally {
    await shell?.close()
    await conn?.close().catch(() => undefined)
    removeDomain()
    rmSync(join(dir, 'vt-bench-disk.qcow2'), { force: true })
    execFileSync(join(sandbox, 'stop.sh'), { stdio: 'pipe', timeout: 60_000 })
  }
}

/** One `virsh` process in interactive mode; `run(command)` resolves with that command's output. */
function virshShell(args) {
  const child = spawn('virsh', ['-q', ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
  let buffer = ''
  let serial = 0
  let waiting
  const errors = []
  const settle = () => {
    if (!waiting) return
    // The marker as echo prints it, not as virsh echoes the command line back ("virsh # echo …").
    const match = waiting.pattern.exec(buffer)
    if (!match) return
    const output = buffer.slice(0, match.index)
    buffer = buffer.slice(match.index + match[0].length)
    const { resolve } = waiting
    waiting = undefined
    resolve(output)
  }
  child.stdout.setEncoding('utf8').on('data', (chunk) => { buffer += chunk; settle() })
  child.stderr.setEncoding('utf8').on('data', (chunk) => { errors.push(chunk.trim()) })
  const exited = new Promise((resolve) => child.once('exit', (code) => {
    waiting?.reject(new Error(`virsh shell exited (${code}) during \`${waiting.command}\``))
    waiting = undefined
    resolve(code)
  }))
  return {
    errors,
    run(command) {
      const marker = `__virtuned_${++serial}__`
      return new Promise((resolve, reject) => {
        waiting = { pattern: new RegExp(`(?<!echo )${marker}`), command, resolve, reject }
        child.stdin.write(`${command}\necho ${marker}\n`)
        settle()
      })
    },
    async close() {
      child.stdin.end('quit\n')
      await exited
    },
  }
}

// ---- RelaxNG: @virtuned/schema (libxml2 in WebAssembly) vs native xmllint ------------------------

/**
 * libvirt's domain.rng (the 11.3.0 set shipped in packages/schema, the corpus's own) over the
 * corpus's domain documents: documents per second in one Node process (schema parsed once) and in
 * one native `xmllint --noout --relaxng` process over every file (start-up and schema parse
 * included, as the issue specifies); cold start (fresh process: load, parse the schema, validate one
 * document) for both; bytes.
 */
async function benchSchema() {
  const title = 'RelaxNG (domain.rng): @virtuned/schema (libxml2 WASM) vs native xmllint'
  const schemaDist = join(root, 'packages/schema/dist/index.js')
  const corpusDir = process.env.VIRTUNED_CORPUS ?? resolve(root, '../shared/corpus')
  if (!existsSync(schemaDist) || !existsSync(join(corpusDir, 'domains'))) {
    console.log(`\n${title}: skipped (${existsSync(schemaDist) ? 'corpus not found' : 'packages/schema not built'})`)
    return { skipped: true }
  }
  const rng = join(root, 'packages/schema/schemas/libvirt-11.3.0/domain.rng')
  const files = ['domains', 'domains-out', 'generic', 'generic-out'].flatMap((d) => readdirSync(join(corpusDir, d)).filter((f) => f.endsWith('.xml')).map((f) => join(corpusDir, d, f))).sort()
  const docs = files.map((f) => new Uint8Array(readFileSync(f)))
  const median = (samples) => samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]
  const timeIt = (fn) => { fn(); const s = []; for (let i = 0; i < rounds; i++) { const t = performance.now(); fn(); s.push(performance.now() - t) } return median(s) }
  const { createValidator } = await import(schemaDist)
  const validator = await createValidator()
  let invalid = 0
  const wasmMs = timeIt(() => { invalid = 0; for (const d of docs) if (!validator.validate(d).valid) invalid++ })
  const result = { documents: docs.length, invalid, wasm: { ms: wasmMs, docsPerSecond: docs.length / wasmMs * 1e3 } }
  const hasXmllint = spawnSync('xmllint', ['--version']).status !== null
  if (hasXmllint) {
    const nativeMs = timeIt(() => { spawnSync('xmllint', ['--noout', '--relaxng', rng, ...files], { encoding: 'utf8', maxBuffer: 64 << 20 }) })
    result.native = { ms: nativeMs, docsPerSecond: docs.length / nativeMs * 1e3 }
    result.ratio = wasmMs / nativeMs
    const cold = []
    for (let i = 0; i < 5; i++) { const t = performance.now(); spawnSync('xmllint', ['--noout', '--relaxng', rng, files[0]]); cold.push(performance.now() - t) }
    result.native.coldMs = median(cold)
  }
  const probe = `const t = performance.now(); const { createValidator } = await import(${JSON.stringify(schemaDist)});
const v = await createValidator(); v.validate(${JSON.stringify(new TextDecoder().decode(docs[0]))}); console.log(performance.now() - t)`
  const cold = []
  for (let i = 0; i < 5; i++) cold.push(Number(spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' }).stdout.trim()))
  result.wasm.coldMs = median(cold)
  const wasmFile = readFileSync(join(root, 'packages/schema/dist/libxml2.wasm'))
  const schemasFile = readFileSync(join(root, 'packages/schema/dist/_generated/libvirt-schemas.js'))
  result.bytes = { wasm: wasmFile.length, wasmGzip: gzipSync(wasmFile, { level: 9 }).length, schemasGzip: gzipSync(schemasFile, { level: 9 }).length }
  console.log(`\n${title} — ${docs.length} documents (${invalid} invalid), median of ${rounds}`)
  console.log('| | docs/s | ms per corpus pass | cold start ms |')
  console.log('|---|---:|---:|---:|')
  console.log(`| @virtuned/schema (Node ${process.version}, one process, schema parsed once) | ${result.wasm.docsPerSecond.toFixed(0)} | ${wasmMs.toFixed(1)} | ${result.wasm.coldMs.toFixed(1)} |`)
  if (result.native) {
    console.log(`| native xmllint (one process over every file) | ${result.native.docsPerSecond.toFixed(0)} | ${result.native.ms.toFixed(1)} | ${result.native.coldMs.toFixed(1)} |`)
    console.log(`| ratio WASM / native time | **${result.ratio.toFixed(2)}×** | | |`)
  }
  console.log(`libxml2.wasm ${result.bytes.wasm} bytes, ${result.bytes.wasmGzip} gzipped; libvirt 11.3.0 schemas ${result.bytes.schemasGzip} gzipped`)
  return result
}

// ---- fleet: many hosts over qemu+tls and qemu+ssh -------------------------------------------------

/**
 * One operation (connect, getHostname, close) on many "hosts" — the sandbox libvirtd reached as N
 * hosts over qemu+tls and over qemu+ssh — through the adapter's runOnHosts (16 at a time) and through
 * a loop of `virsh -c URI hostname`, one process per host as a script over a hosts list would do.
 * Hosts per second for the whole run, and p50/p99 per host.
 */
async function benchFleet() {
  const title = 'fleet: runOnHosts vs a virsh loop'
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const adapterDist = join(root, 'packages/libvirt-adapter/dist/index.js')
  const reason = !isRoot ? 'not root'
    : !existsSync('/usr/sbin/libvirtd') || !existsSync('/usr/bin/virsh') ? 'libvirt not installed (tools/libvirt-sandbox/install.sh)'
      : !existsSync('/usr/sbin/sshd') || !existsSync('/usr/bin/openssl') ? 'openssh-server/openssl not installed (tools/libvirt-sandbox/install.sh)'
        : !existsSync(adapterDist) ? 'the adapter is not built (npx nx run @virtuned/libvirt-adapter:build)' : ''
  if (reason) {
    console.log(`\n${title}: skipped (${reason})`)
    return { skipped: reason }
  }
  const { runOnHosts } = await import(adapterDist)
  const sandbox = join(root, 'tools/libvirt-sandbox')
  const dir = process.env.VIRTUNED_SANDBOX_DIR ?? '/run/virtuned-sandbox'
  execFileSync(join(sandbox, 'start.sh'), { stdio: 'pipe', timeout: 180_000 })
  try {
    if (!existsSync(join(dir, 'pki/client/cacert.pem')) || !existsSync(join(dir, 'sshd.pid'))) throw new Error('bench: the sandbox has no TLS listener or sshd (a libvirtd started by an older start.sh is running)')
    const transports = {
      tls: { uri: `qemu+tls://127.0.0.1/system?pkipath=${join(dir, 'pki/client')}`, virshUri: `qemu+tls://127.0.0.1/system?pkipath=${join(dir, 'pki/client')}`, hosts: 64 },
      ssh: { uri: `qemu+ssh://root@127.0.0.1:2222/system?keyfile=${join(dir, 'ssh/id_ed25519')}&known_hosts=${join(dir, 'ssh/known_hosts')}`, virshUri: `qemu+ssh://root@127.0.0.1:2222/system?keyfile=${join(dir, 'ssh/id_ed25519')}&no_verify=1`, hosts: 16 },
    }
    const percentile = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] }
    const results = {}
    for (const [name, t] of Object.entries(transports)) {
      const hosts = Array.from({ length: t.hosts }, (_, i) => ({ name: `${name}-${i}`, uri: t.uri }))
      let start = performance.now()
      const outcomes = await runOnHosts(hosts, (conn) => conn.getHostname(), { concurrency: 16 })
      const fleetMs = performance.now() - start
      const failed = outcomes.filter((o) => !o.ok)
      if (failed.length) throw new Error(`bench: ${failed.length} hosts failed: ${failed[0].error.code} ${failed[0].error.message}`)
      const perHost = []
      start = performance.now()
      for (let i = 0; i < t.hosts; i++) {
        const one = performance.now()
        execFileSync('virsh', ['-c', t.virshUri, 'hostname'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })
        perHost.push(performance.now() - one)
      }
      const loopMs = performance.now() - start
      results[name] = {
        hosts: t.hosts,
        fleet: { hostsPerSecond: t.hosts / (fleetMs / 1000), p50Ms: percentile(outcomes.map((o) => o.ms), 50), p99Ms: percentile(outcomes.map((o) => o.ms), 99) },
        virshLoop: { hostsPerSecond: t.hosts / (loopMs / 1000), p50Ms: percentile(perHost, 50), p99Ms: percentile(perHost, 99) },
      }
    }
    results.fakes = await fakeFleet(runOnHosts, percentile)
    console.log(`\n${title} — connect + getHostname + close per host; runOnHosts 16 at a time (fakes: 32), virsh one process per host in a loop. tls/ssh: the sandbox libvirtd as N hosts; fakes: ${results.fakes.hosts} fake libvirtd servers on loopback TCP (test/fake-libvirtd.ts), ${results.fakes.slow} answering after ${results.fakes.slowMs} ms, ${results.fakes.dropping} closing mid-call\n`)
    console.log('| transport | hosts | runOnHosts hosts/s | virsh loop hosts/s | runOnHosts ÷ loop | p50 / p99 per host, runOnHosts | p50 / p99 per host, virsh |')
    console.log('|---|---:|---:|---:|---:|---:|---:|')
    for (const [name, r] of Object.entries(results)) {
      console.log(`| ${name} | ${r.hosts} | ${r.fleet.hostsPerSecond.toFixed(1)} | ${r.virshLoop.hostsPerSecond.toFixed(1)} | **${(r.fleet.hostsPerSecond / r.virshLoop.hostsPerSecond).toFixed(1)}×** | ${r.fleet.p50Ms.toFixed(0)} / ${r.fleet.p99Ms.toFixed(0)} ms | ${r.virshLoop.p50Ms.toFixed(0)} / ${r.virshLoop.p99Ms.toFixed(0)} ms |`)
    }
    console.log(`\nFakes: runOnHosts ${results.fakes.fleet.ok} ok, failed ${JSON.stringify(results.fakes.fleet.failed)}; virsh loop ${results.fakes.virshLoop.ok} ok, ${results.fakes.virshLoop.failedCount} failed; file descriptors of the bench process before/after runOnHosts ${results.fakes.fds.before}/${results.fakes.fds.after}, RSS growth ${results.fakes.rssGrowthMiB.toFixed(1)} MiB.`)
    console.log('Per-host times of runOnHosts include the contention of 16 hosts at once on this 2-core machine (one libvirtd and one sshd serve them all).')
    return results
  } finally {
    execFileSync(join(sandbox, 'stop.sh'), { stdio: 'pipe', timeout: 60_000 })
  }
}

/** The fleet row on fake hosts: 200 fake libvirtd servers in a child process (tools/bench/fake-fleet.ts). */
async function fakeFleet(runOnHosts, percentile) {
  const slowMs = 200
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'tools/bench/fake-fleet.ts'), '200', String(slowMs)], { stdio: ['pipe', 'pipe', 'inherit'] })
  try {
    const info = await new Promise((resolve, reject) => {
      let text = ''
      child.stdout.on('data', (chunk) => {
        text += chunk
        if (text.includes('\n')) resolve(JSON.parse(text.split('\n')[0]))
      })
      child.once('exit', (code) => reject(new Error(`bench: fake-fleet exited with ${code}`)))
    })
    const hosts = info.ports.map((port, i) => ({ name: `fake-${i}`, uri: `qemu+tcp://127.0.0.1:${port}/system` }))
    const fdCount = () => readdirSync('/proc/self/fd').length
    const fdsBefore = fdCount()
    const rssBefore = process.memoryUsage().rss
    let start = performance.now()
    const outcomes = await runOnHosts(hosts, (conn) => conn.getHostname(), { concurrency: 32, keepalive: false })
    const fleetMs = performance.now() - start
    const rssGrowthMiB = (process.memoryUsage().rss - rssBefore) / 1024 / 1024
    await new Promise((r) => setTimeout(r, 200))
    const fdsAfter = fdCount()
    const failed = {}
    for (const o of outcomes) if (!o.ok) failed[o.error.code] = (failed[o.error.code] ?? 0) + 1
    const perHost = []
    let virshOk = 0
    start = performance.now()
    for (const host of hosts) {
      const one = performance.now()
      try {
        execFileSync('virsh', ['-c', host.uri, 'hostname'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })
        virshOk++
      } catch {
        // the fakes that close mid-call
      }
      perHost.push(performance.now() - one)
    }
    const loopMs = performance.now() - start
    return {
      hosts: hosts.length, slow: info.slow.length, slowMs, dropping: info.dropping.length,
      fleet: { hostsPerSecond: hosts.length / (fleetMs / 1000), p50Ms: percentile(outcomes.map((o) => o.ms), 50), p99Ms: percentile(outcomes.map((o) => o.ms), 99), ok: outcomes.filter((o) => o.ok).length, failed },
      virshLoop: { hostsPerSecond: hosts.length / (loopMs / 1000), p50Ms: percentile(perHost, 50), p99Ms: percentile(perHost, 99), ok: virshOk, failedCount: hosts.length - virshOk },
      fds: { before: fdsBefore, after: fdsAfter },
      rssGrowthMiB,
    }
  } finally {
    child.stdin.end()
    await new Promise((r) => { if (child.exitCode !== null) r(); else child.once('exit', r) })
  }
}
