// The same conformance cases in Node, Deno, Bun, workerd and Chromium, against the BUILT package
// (dist/), each runtime loading it its own way. Every runtime must give exactly Node's results,
// for the TypeScript reference and the WebAssembly engine alike.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { availability, freePort } from '../../../tools/net.ts'

const packageDir = new URL('..', import.meta.url).pathname
const repoDir = new URL('../../../', import.meta.url).pathname
const dist = join(packageDir, 'dist')
const runtimesDir = join(packageDir, 'test/runtimes')
const bin = (name: string) => join(repoDir, 'node_modules/.bin', name)

interface Result { engine: string; case: string; op: string; comments?: boolean; ok?: string; error?: unknown }


let work: string
let casesPath: string
let baseline: Result[]

beforeAll(async () => {
  expect(existsSync(join(dist, 'index.js')), 'dist/ is missing: build @virtuned/xml-core first (npm test does)').toBe(true)
  work = mkdtempSync(join(tmpdir(), 'virtuned-runtimes-'))
  const cases: { name: string; input: string }[] = []
  const fixtures = join(repoDir, 'fixtures/xml')
  for (const name of readdirSync(fixtures).sort()) {
    cases.push({ name, input: readFileSync(join(fixtures, name, 'input.xml')).toString('base64') })
  }
  // A slice of real libvirt XML too, when the corpus is here (it is read, never copied into the repo).
  const corpus = locateCorpus()
  if (corpus.dir) {
    const files = corpusFiles(corpus.dir, ['domains', 'hotplug/devices'])
    for (const file of files.filter((_, i) => i % 10 === 0)) cases.push({ name: file, input: readFileSync(join(corpus.dir, file)).toString('base64') })
  }
  casesPath = join(work, 'cases.json')
  writeFileSync(casesPath, JSON.stringify(cases))
  const { runConformance } = await import(pathToFileURL(join(runtimesDir, 'conformance.js')).href)
  baseline = await runConformance(await import(pathToFileURL(join(dist, 'index.js')).href), cases)
})

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('the same results in every runtime', () => {
  it('Node runs both engines on every case', () => {
    const engines = new Set(baseline.map((r) => r.engine))
    expect([...engines].sort()).toEqual(['getEngine', 'reference', 'wasm'])
    expect(baseline.find((r) => r.engine === 'getEngine')).toMatchObject({ kind: 'wasm' })
    // The two engines agree with each other here; each other runtime must then agree with Node.
    const byEngine = (engine: string) => baseline.filter((r) => r.engine === engine).map(({ engine: _, ...rest }) => rest)
    expect(new Set(baseline.map((r) => r.op))).toEqual(new Set(['canonicalize', 'format', 'diff+applyPatch', 'merge', 'kind']))
    expect(byEngine('wasm')).toEqual(byEngine('reference'))
  })

  for (const runtime of ['deno', 'bun'] as const) {
    const { skip, label } = availability(runtime, existsSync(bin(runtime)), `npm ci installs ${runtime} from npm`)
    it.skipIf(skip)(label, () => {
      const args = runtime === 'deno'
        ? ['run', '--no-prompt', '--allow-read', '--no-config', '--no-lock', join(runtimesDir, 'cli-runner.js'), pathToFileURL(join(dist, 'index.js')).href, casesPath]
        : [join(runtimesDir, 'cli-runner.js'), pathToFileURL(join(dist, 'index.js')).href, casesPath]
      const run = spawnSync(bin(runtime), args, {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        timeout: 60_000,
        env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NO_COLOR: '1' },
      })
      expect(run.status, run.stderr).toBe(0)
      expect(JSON.parse(run.stdout)).toEqual(baseline)
    })
  }

  {
    const { skip, label } = availability('workerd', existsSync(bin('workerd')), 'npm ci installs workerd from npm')
    it.skipIf(skip)(label, async () => {
      expect(existsSync(join(dist, 'workerd.js')), 'dist/workerd.js (the workerd export condition) is missing').toBe(true)
      const dir = join(work, 'workerd')
      mkdirSync(join(dir, 'xml-core'), { recursive: true })
      const modules = ['(name = "worker.js", esModule = embed "worker.js")', '(name = "conformance.js", esModule = embed "conformance.js")', '(name = "cases.json", json = embed "cases.json")']
      copyFileSync(join(runtimesDir, 'worker.js'), join(dir, 'worker.js'))
      copyFileSync(join(runtimesDir, 'conformance.js'), join(dir, 'conformance.js'))
      copyFileSync(casesPath, join(dir, 'cases.json'))
      for (const file of readdirSync(dist)) {
        const ext = extname(file)
        if (ext !== '.js' && ext !== '.wasm') continue
        copyFileSync(join(dist, file), join(dir, 'xml-core', file))
        modules.push(ext === '.js' ? `(name = "xml-core/${file}", esModule = embed "xml-core/${file}")` : `(name = "xml-core/${file}", wasm = embed "xml-core/${file}")`)
      }
      const port = await freePort()
      writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const w :Workerd.Worker = (
  modules = [ ${modules.join(',\n    ')} ],
  compatibilityDate = "2025-01-01",
);
`)
      const child = spawn(bin('workerd'), ['serve', join(dir, 'config.capnp')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
      try {
        const body = await fetchWhenUp(`http://127.0.0.1:${port}/`, child)
        expect(body).toEqual(baseline)
      } finally {
        child.kill('SIGKILL')
      }
    })
  }

  {
    const chromium = '/usr/bin/chromium'
    const { skip, label } = availability('Chromium (playwright-core)', existsSync(chromium), 'apt-get install chromium (.ci/run does)')
    it.skipIf(skip)(label, async () => {
      const { chromium: launcher } = await import('playwright-core')
      const server = await serve()
      const browser = await launcher.launch({
        executablePath: chromium,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      })
      try {
        const page = await browser.newPage()
        const port = (server.address() as { port: number }).port
        await page.goto(`http://127.0.0.1:${port}/page.html`)
        await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 30_000 })
        const results = await page.evaluate(() => (window as unknown as { runConformanceInPage: () => Promise<unknown> }).runConformanceInPage())
        expect(results).toEqual(baseline)
      } finally {
        await browser.close()
        server.close()
      }
    })
  }
})


async function fetchWhenUp(url: string, child: ChildProcess): Promise<unknown> {
  let log = ''
  child.stderr?.on('data', (d: Buffer) => { log += d.toString() })
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      const response = await fetch(url)
      return await response.json()
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`workerd did not answer: ${log.slice(0, 2000)}`, { cause: error })
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

/** Serves dist/, the conformance module, the page and the cases on a loopback port. */
function serve(): Promise<Server> {
  const types: Record<string, string> = { '.js': 'text/javascript', '.json': 'application/json', '.html': 'text/html', '.wasm': 'application/wasm' }
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname
    const file = path === '/cases.json' ? casesPath
      : path.startsWith('/dist/') ? join(dist, path.slice(6).replace(/\.\.+/g, ''))
      : join(runtimesDir, path.slice(1).replace(/\.\.+/g, ''))
    if (!existsSync(file)) { response.writeHead(404).end(); return }
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}
