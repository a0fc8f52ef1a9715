// The built package in every runtime it promises: Node, Deno and Bun (default entry, WebAssembly
// inlined), workerd (the `workerd` entry: libxml2.wasm handed over compiled) and Chromium (lazily
// loaded chunks). Each gives libxml2's verdict on one valid and one invalid domain, located.
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from 'esbuild'
import { availability, freePort } from '../../../tools/net.ts'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { createValidator } from '../src/index.ts'

const packageDir = new URL('..', import.meta.url).pathname
const repoDir = new URL('../../../', import.meta.url).pathname
const bin = (name: string) => join(repoDir, 'node_modules/.bin', name)
const here = join(packageDir, 'test/runtimes')

interface Probe {
  cold: number
  schema: { source: string; version: string }
  valid: { valid: boolean; errors: unknown[] }
  invalid: { valid: boolean; errors: { code: string; line: number; column: number; path: string }[] }
}

function expectVerdicts(probe: Probe): void {
  expect(probe.schema).toMatchObject({ source: 'libvirt', version: '11.3.0' })
  expect(probe.valid).toEqual({ valid: true, errors: [] })
  expect(probe.invalid.valid).toBe(false)
  expect(probe.invalid.errors).toEqual(expect.arrayContaining([
    expect.objectContaining({ code: 'schema-bad-value', line: 1, column: 1, path: '/domain' }),
    expect.objectContaining({ code: 'schema-unknown-element', line: 6, column: 5, path: '/domain/devices/frobnicator' }),
    expect.objectContaining({ code: 'schema-invalid', line: 1 }),
  ]))
}

// Cold start (load the engine, parse the schema) per runtime, for the report: .reports/cold-start.md
// (not .json: tools/test.mjs reads every .json there as a Vitest report).
const cold: Record<string, number> = {}
let work: string
beforeAll(async () => {
  expect(existsSync(join(packageDir, 'dist/index.js')), 'dist/ is missing: build @virtuned/schema first (npm test does)').toBe(true)
  work = mkdtempSync(join(tmpdir(), 'virtuned-schema-runtimes-'))
  for (const file of readdirSync(here)) copyFileSync(join(here, file), join(work, file))
  const common = { bundle: true, format: 'esm' as const, target: 'es2022', logLevel: 'warning' as const, absWorkingDir: packageDir }
  // Default entry, one file: Node, Deno, Bun.
  await build({ ...common, entryPoints: [join(packageDir, 'dist/index.js')], outfile: join(work, 'default/schema.bundle.js'), platform: 'neutral', conditions: ['import', 'default'], mainFields: ['module', 'main'] })
  // workerd entry: the .wasm import stays an import, resolved by workerd's module list.
  await build({ ...common, entryPoints: [join(packageDir, 'dist/workerd.js')], outfile: join(work, 'workerd/schema.bundle.js'), platform: 'neutral', conditions: ['workerd', 'import', 'default'], mainFields: ['module', 'main'], external: ['*.wasm'] })
  copyFileSync(join(packageDir, 'dist/libxml2.wasm'), join(work, 'workerd/libxml2.wasm'))
  // Browser: code splitting, so the engine and schemas are chunks loaded when a validator is made.
  writeFileSync(join(work, 'schema.bundle.js'), `export * from ${JSON.stringify(join(packageDir, 'dist/index.js'))}\n`)
  await build({ ...common, entryPoints: [join(work, 'page.js')], outdir: join(work, 'browser'), splitting: true, platform: 'browser' })
  copyFileSync(join(work, 'page.html'), join(work, 'browser/page.html'))
  for (const dir of ['default', 'workerd']) {
    copyFileSync(join(work, 'cases.js'), join(work, dir, 'cases.js'))
    copyFileSync(join(work, dir === 'default' ? 'main.js' : 'worker.js'), join(work, dir, dir === 'default' ? 'main.js' : 'worker.js'))
  }
}, 120_000)
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
  mkdirSync(join(packageDir, '.reports'), { recursive: true })
  writeFileSync(join(packageDir, '.reports/cold-start.md'), `| runtime | cold start ms |\n|---|---:|\n${Object.entries(cold).map(([k, v]) => `| ${k} | ${v.toFixed(0)} |`).join('\n')}\n`)
})

describe('command-line runtimes', () => {
  const runtimes: [string, string, string[]][] = [
    ['node', process.execPath, []],
    ['deno', bin('deno'), ['run', '--no-prompt', '--no-config', '--no-lock']],
    ['bun', bin('bun'), []],
  ]
  for (const [name, executable, args] of runtimes) {
    const { skip, label } = availability(name, existsSync(executable), `npm ci installs ${name} from npm`)
    it.skipIf(skip)(label, () => {
      const result = spawnSync(executable, [...args, join(work, 'default/main.js')], { encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' }, timeout: 60_000 })
      expect(result.status, result.stderr).toBe(0)
      const probe = JSON.parse(result.stdout) as Probe
      expectVerdicts(probe)
      cold[name] = probe.cold
    }, 60_000)
  }
})

describe('workerd', () => {
  const { skip, label } = availability('workerd', existsSync(bin('workerd')), 'npm ci installs workerd from npm')
  it.skipIf(skip)(`${label}: the workerd entry validates with an imported, precompiled module`, async () => {
    const port = await freePort()
    const dir = join(work, 'workerd')
    writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const w :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "schema.bundle.js", esModule = embed "schema.bundle.js"),
    (name = "cases.js", esModule = embed "cases.js"),
    (name = "libxml2.wasm", wasm = embed "libxml2.wasm"),
  ],
  compatibilityDate = "2025-01-01",
);
`)
    const child = spawn(bin('workerd'), ['serve', join(dir, 'config.capnp')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    child.stderr.on('data', (d: Buffer) => { log += d.toString() })
    try {
      const base = `http://127.0.0.1:${port}`
      let up = false
      for (let i = 0; i < 300 && !up; i++) {
        try { up = (await fetch(`${base}/ping`)).ok } catch { await new Promise((r) => setTimeout(r, 100)) }
      }
      expect(up, log).toBe(true)
      // Cold, as a client sees it: the first request that needs the validator (workerd's own clock
      // stands still while JavaScript runs, so the in-worker figure is not used).
      const started = performance.now()
      expect(await (await fetch(`${base}/ready`)).json()).toEqual({ valid: true, errors: [] })
      const coldMs = performance.now() - started
      const probe = await (await fetch(base)).json() as Probe
      probe.cold = coldMs
      expectVerdicts(probe)
      // Not a timing test: a bound that only catches a hang or a load per request gone wrong.
      expect(probe.cold).toBeLessThan(10_000)
      cold.workerd = probe.cold
      // Later requests reuse the isolate's validator.
      const again = await (await fetch(base, { method: 'POST', body: "<domain type='kvm'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><disk type='file'><target/></disk></devices></domain>" })).json() as Probe['invalid']
      expect(again.valid).toBe(false)
      expect(again.errors[0]).toMatchObject({ code: 'schema-missing-attribute', line: 1, column: 104, path: '/domain/devices/disk/target', expected: ['dev'] })
    } finally {
      child.kill('SIGKILL')
    }
  }, 60_000)
})

describe('Chromium', () => {
  const chromium = '/usr/bin/chromium'
  const { skip, label } = availability('Chromium', existsSync(chromium), 'apt-get install chromium, as .ci/run does')
  it.skipIf(skip)(`${label}: validates in the page, the engine and schemas loaded lazily`, async () => {
    const types: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html' }
    const served: string[] = []
    const server: Server = createServer((req, res) => {
      const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1)
      const file = join(work, 'browser', name)
      if (!/^[\w.-]+$/.test(name) || !existsSync(file)) { res.statusCode = 404; res.end(); return }
      served.push(name)
      res.setHeader('content-type', types[extname(file)] ?? 'application/octet-stream')
      res.end(readFileSync(file))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { chromium: launcher } = await import('playwright-core')
    const browser = await launcher.launch({ executablePath: chromium, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
    try {
      const page = await browser.newPage()
      await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/page.html`)
      await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 30_000 })
      const before = served.length
      const probe = await page.evaluate(() => (globalThis as unknown as { probe: () => Promise<unknown> }).probe()) as Probe
      expectVerdicts(probe)
      cold.chromium = probe.cold
      // The page was ready before the engine came: the chunks arrived only when asked for.
      expect(served.length).toBeGreaterThan(before)
      // Issue 20's proof in Chromium: the same verdicts, lines and codes as Node (which corpus.test.ts
      // holds to native xmllint) on every document of the corpus.
      const corpus = locateCorpus()
      if (corpus.dir !== undefined) {
        const files = corpusFiles(corpus.dir, ['domains', 'domains-out', 'generic', 'generic-out'])
        const documents = files.map((f) => readFileSync(join(corpus.dir!, f), 'utf8'))
        const inPage = await page.evaluate((docs) => (globalThis as unknown as { verdicts: (d: string[]) => Promise<unknown> }).verdicts(docs), documents) as [boolean, [number, string][]][]
        const validator = await createValidator()
        const differing = files.filter((f, i) => { const r = validator.validate(documents[i]!); return JSON.stringify([r.valid, r.errors.map((e) => [e.line, e.code])]) !== JSON.stringify(inPage[i]) })
        expect(differing).toEqual([])
        expect(files.length).toBeGreaterThan(1000)
        expect(inPage.filter(([valid]) => !valid).length).toBeGreaterThan(0)
      }
    } finally {
      await browser.close()
      server.close()
    }
  }, 60_000)
})
