// The edge handler: every route and error in-process, then the same requests through real servers
// in Node (node:http), Deno, Bun and workerd on loopback ports: identical responses everywhere.
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler } from '../src/index.ts'
import { availability, freePort } from '../../../tools/net.ts'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { createValidator } from '@virtuned/schema'

const packageDir = new URL('..', import.meta.url).pathname
const repoDir = new URL('../../../', import.meta.url).pathname
const bundle = join(packageDir, 'dist/edge.bundle.js')
const bin = (name: string) => join(repoDir, 'node_modules/.bin', name)
const schemaWasm = createRequire(import.meta.url).resolve('@virtuned/schema/libxml2.wasm')
const engineWasm = createRequire(import.meta.url).resolve('@virtuned/xml-core/xml-core.wasm')

const spec = { name: 'edge', memory: '1GiB', vcpus: 2, disks: [{ source: { file: '/var/lib/libvirt/images/edge.qcow2' }, format: 'qcow2' }], nics: [{ type: 'network', source: 'default', mac: '52:54:00:aa:bb:cc' }] }
const live = "<domain type='kvm'><name>l</name><os><type machine='q35'>hvm</type></os><devices><controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-root-port'/><disk type='file' device='disk'><source file='/a.qcow2'/><target dev='vda' bus='virtio'/><alias name='ua-root'/><address type='pci' bus='0x01'/></disk></devices></domain>"
const i440fx = "<domain type='kvm'><name>old</name><memory unit='KiB'>1048576</memory><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>"
/** Well-formed, read by the model, refused by libvirt's RelaxNG schema (issue 20): a bad enum value on line 1, an unknown element on line 6. */
const bogus = "<domain type='bogus'>\n  <name>bogus</name>\n  <memory>1048576</memory>\n  <os><type>hvm</type></os>\n  <devices>\n    <frobnicator/>\n  </devices>\n</domain>\n"
const caps = "<domainCapabilities><path>/usr/bin/qemu</path><frobnicator/></domainCapabilities>"

/** [method, path, body or undefined, content-type]: every route, and every error status. */
const requests: [string, string, unknown, string?][] = [
  ['POST', '/v1/compose', { spec, os: 'debian11', policies: ['spice', 'hotplug-ready:ports=2'] }],
  ['POST', '/v1/compose', { spec, os: 'win11', policies: ['windows-optimized'] }],
  ['POST', '/v1/apply', { xml: i440fx, os: 'debian11', policies: ['pcie'], convert: true }],
  ['POST', '/v1/explain', { spec, os: 'fedora37' }],
  ['POST', '/v1/validate', { xml: live }],
  ['POST', '/v1/validate', { xml: '<domain><name>x</domain>' }],
  ['POST', '/v1/validate', { xml: bogus }],
  ['POST', '/v1/validate', { xml: "<disk type='file'><source file='/a.qcow2'/><target dev='vdb'/></disk>" }],
  ['POST', '/v1/validate', { xml: caps }],
  ['POST', '/v1/diff', { a: live, b: live.replace("index='2'", "index='3'") }],
  ['POST', '/v1/plan-attach', { xml: live, device: { disk: { source: { file: '/b.qcow2' } } }, seed: 'b' }],
  ['POST', '/v1/plan-attach', { xml: live, device: "<interface type='network'><source network='default'/></interface>", seed: 'n' }],
  ['POST', '/v1/plan-detach', { xml: live, disk: 'vda' }],
  ['POST', '/v1/compose', { xml: i440fx, policies: ['pcie'] }],
  ['POST', '/v1/compose', { spec, os: 'nosuchos' }],
  ['POST', '/v1/apply', { xml: '<domain><name>' }],
  ['POST', '/v1/compose', { spec, xml: live }],
  ['POST', '/v1/compose', '{not json', 'application/json'],
  ['POST', '/v1/compose', { spec }, 'text/plain'],
  ['POST', '/v1/nothing', {}],
  ['GET', '/v1/compose', undefined],
  ['POST', '/v1/validate', { xml: `<domain>${'x'.repeat(1_100_000)}</domain>` }],
  ['GET', '/v1/openapi.json', undefined],
]

interface Answer { status: number; type: string; body: unknown }

async function answer(response: Response): Promise<Answer> {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!
  const text = await response.text()
  return { status: response.status, type, body: type.endsWith('json') ? JSON.parse(text) : text }
}

function request(base: string, [method, path, body, type]: (typeof requests)[number]): Request {
  const init: RequestInit = { method, headers: { 'content-type': type ?? 'application/json' } }
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
  return new Request(base + path, init)
}

let baseline: Answer[]

// The in-process answers every runtime must give back.
beforeAll(async () => {
  const handler = createHandler()
  baseline = []
  for (const r of requests) baseline.push(await answer(await handler(request('http://edge.test', r))))
})

describe('the handler in-process', () => {
  it('answers every route with JSON', () => {
    const ok = baseline.filter((a) => a.status === 200)
    expect(ok).toHaveLength(14)
    expect((baseline[0]!.body as { xml: string }).xml).toContain("<graphics type='spice'")
    expect((baseline[2]!.body as { xml: string }).xml).toContain("machine='q35'")
    expect(baseline[5]!.body).toMatchObject({ ok: false, errors: [{ code: 'xml-mismatched-tag', place: { line: 1, column: 16 } }] })
    expect(baseline[10]!.body).toMatchObject({ ok: true, kind: 'disk', target: 'vdb' })
    expect(baseline[12]!.body).toMatchObject({ ok: true, alias: 'ua-root' })
  })

  it("checks domains against libvirt's RelaxNG schema: valid, and invalid with each problem at its line", () => {
    expect(baseline[4]!.body).toEqual({ ok: true, kind: 'domain', root: 'domain', name: 'l', schema: { checked: true, schema: 'libvirt 11.3.0 domain.rng', valid: true, errors: [] } })
    const bogusAnswer = baseline[6]!.body as { ok: boolean; schema: { valid: boolean; errors: { code: string; line: number; column: number; path: string; message: string }[] } }
    expect(bogusAnswer).toMatchObject({ ok: false, kind: 'domain', name: 'bogus', schema: { checked: true, valid: false } })
    expect(bogusAnswer.schema.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'schema-bad-value', line: 1, column: 1, path: '/domain', message: expect.stringContaining('`bogus`') }),
      expect.objectContaining({ code: 'schema-unknown-element', line: 6, column: 5, path: '/domain/devices/frobnicator', expected: expect.arrayContaining(['disk', 'interface']) }),
    ]))
    // A device alone has no schema in libvirt's set: said, not guessed.
    expect(baseline[7]!.body).toMatchObject({ ok: true, kind: 'device', root: 'disk', schema: { checked: false, reason: expect.stringContaining('device') } })
    // `virsh domcapabilities` output is checked against domaincaps.rng.
    expect(baseline[8]!.body).toMatchObject({ ok: false, kind: 'domainCapabilities', schema: { checked: true, schema: 'libvirt 11.3.0 domaincaps.rng', valid: false } })
    expect((baseline[8]!.body as { schema: { errors: unknown[] } }).schema.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'schema-unknown-element', path: '/domainCapabilities/frobnicator', line: 1, column: 47 }),
    ]))
  })

  it('gives RFC 9457 problems with the library codes', () => {
    const statuses = baseline.slice(13).map((a) => [a.status, a.type, (a.body as { code?: string }).code])
    expect(statuses).toEqual([
      [409, 'application/problem+json', 'policy-conflict'],
      [422, 'application/problem+json', 'defaults-unknown-os'],
      [422, 'application/problem+json', expect.stringMatching(/^xml-/)],
      [400, 'application/problem+json', 'bad-request'],
      [400, 'application/problem+json', 'bad-json'],
      [415, 'application/problem+json', 'unsupported-media-type'],
      [404, 'application/problem+json', 'not-found'],
      [405, 'application/problem+json', 'method-not-allowed'],
      [413, 'application/problem+json', 'payload-too-large'],
      [200, 'application/json', undefined],
    ])
    expect((baseline[15]!.body as { code: string; place: unknown }).code).toMatch(/^xml-/)
    expect(baseline[15]!.body).toHaveProperty('place.line', 1)
    for (const a of baseline.slice(13, -1)) expect(a.body).toMatchObject({ type: expect.stringMatching(/^https:\/\/virtuned.dev\/problems\//), title: expect.any(String), status: a.status, detail: expect.any(String) })
  })

  it('serves an OpenAPI 3.1 document generated from the zod schemas', () => {
    const doc = baseline.at(-1)!.body as { openapi: string; paths: Record<string, { post?: { requestBody: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } } }> }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths).sort()).toEqual(['/v1/apply', '/v1/compose', '/v1/diff', '/v1/explain', '/v1/openapi.json', '/v1/plan-attach', '/v1/plan-detach', '/v1/preview', '/v1/validate'])
    expect(doc.paths['/v1/apply']!.post!.requestBody.content['application/json']!.schema.properties).toHaveProperty('policies')
    expect((doc.paths['/v1/validate']!.post as unknown as { summary: string }).summary).toMatch(/RelaxNG schema as libxml2 judges it/)
  })
})


/** Waits until the server answers; returns what it has printed so far, and goes on collecting. */
async function untilUp(base: string, child: ChildProcess, name: string): Promise<() => string> {
  let log = ''
  child.stdout?.on('data', (d: Buffer) => { log += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { log += d.toString() })
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      await fetch(base + '/v1/openapi.json')
      return () => log
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} did not answer: ${log.slice(0, 2000)}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}


describe('the same responses from real servers', () => {
  let work: string
  beforeAll(() => {
    expect(existsSync(bundle), 'dist/edge.bundle.js is missing: build @virtuned/edge first (npm test does)').toBe(true)
    work = mkdtempSync(join(tmpdir(), 'virtuned-edge-'))
  })
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  const servers: [string, string, (port: number) => ChildProcess][] = [
    ['node', process.execPath, (port) => spawn(process.execPath, [join(packageDir, 'test/servers/serve.js'), pathToFileURL(bundle).href, String(port), pathToFileURL(join(packageDir, 'dist/node.js')).href], { stdio: ['ignore', 'pipe', 'pipe'] })],
    ['deno', bin('deno'), (port) => spawn(bin('deno'), ['run', '--no-prompt', '--allow-net=127.0.0.1', '--allow-read', '--no-config', '--no-lock', join(packageDir, 'test/servers/serve.js'), pathToFileURL(bundle).href, String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } })],
    ['bun', bin('bun'), (port) => spawn(bin('bun'), [join(packageDir, 'test/servers/serve.js'), pathToFileURL(bundle).href, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] })],
    ['workerd', bin('workerd'), (port) => {
      const dir = mkdtempSync(join(work, 'workerd-'))
      copyFileSync(bundle, join(dir, 'edge.bundle.js'))
      copyFileSync(join(packageDir, 'test/servers/worker.js'), join(dir, 'worker.js'))
      // libxml2 for the schema check: workerd only runs WebAssembly it compiled from a listed module.
      copyFileSync(schemaWasm, join(dir, 'libxml2.wasm'))
      copyFileSync(engineWasm, join(dir, 'xml-core.wasm'))
      writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const w :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js"), (name = "edge.bundle.js", esModule = embed "edge.bundle.js"), (name = "libxml2.wasm", wasm = embed "libxml2.wasm"), (name = "xml-core.wasm", wasm = embed "xml-core.wasm") ],
  compatibilityDate = "2025-01-01",
);
`)
      return spawn(bin('workerd'), ['serve', join(dir, 'config.capnp')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    }],
  ]

  // Issue 20's proof at the edge: libxml2's verdict through workerd's /v1/validate equals Node's (which
  // packages/schema/test/corpus.test.ts ties to native xmllint) on every document of the corpus
  // (domains, domains-out, generic, generic-out) and on some given an unknown device — each located by line.
  const corpus = locateCorpus()
  const workerd = availability('workerd', existsSync(bin('workerd')), 'npm ci installs workerd from npm')
  it.skipIf(workerd.skip || corpus.dir === undefined)(`workerd gives libxml2's verdicts on libvirt's corpus through /v1/validate, located by line — ${corpus.reason || workerd.label}`, async () => {
    const dir = corpus.dir!
    const all = corpusFiles(dir, ['domains', 'domains-out', 'generic', 'generic-out'])
    const picked = all.map((f) => ({ file: f, xml: readFileSync(join(dir, f), 'utf8') }))
    const mutated = picked.filter((d, i) => i % 6 === 0 && /<devices>/.test(d.xml)).map((d) => ({ file: `${d.file} + <frobnicator/>`, xml: d.xml.replace('<devices>', '<devices><frobnicator/>') }))
    const documents = [...picked, ...mutated]
    const validator = await createValidator()
    const port = await freePort()
    const spawned = performance.now()
    const child = servers.find(([name]) => name === 'workerd')![2](port)
    const base = `http://127.0.0.1:${port}`
    let checked = 0
    let invalid = 0
    try {
      await untilUp(base, child, 'workerd')
      // Cold-start budget (issue 20): spawn → the first schema verdict answered, libxml2 instantiated
      // and libvirt's schemas parsed once for the isolate. Measured 321–549 ms (README); the ceiling
      // catches a regression of several times, not noise. `npm run bench` has the figure.
      const first = await fetch(`${base}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ xml: documents[0]!.xml }) })
      expect(first.status).toBe(200)
      expect((await first.json() as { schema?: { checked: boolean } }).schema?.checked).toBe(true)
      const coldStart = performance.now() - spawned
      expect(coldStart, `workerd cold start to the first schema verdict: ${coldStart.toFixed(0)} ms`).toBeLessThan(3000)
      for (const { file, xml } of documents) {
        const response = await fetch(`${base}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ xml }) })
        const body = await response.json() as { schema?: { checked: boolean; valid: boolean; errors: { line: number; code: string }[] } }
        if (!body.schema?.checked) continue // the model refuses it (e.g. a root it does not read): no schema verdict to compare
        const expected = validator.validate(xml)
        expect(body.schema.valid, file).toBe(expected.valid)
        // The first 100 (the handler's maxErrors).
        expect(body.schema.errors.map((e) => [e.line, e.code]), file).toEqual(expected.errors.slice(0, 100).map((e) => [e.line, e.code]))
        if (!expected.valid) expect(body.schema.errors[0]!.line, file).toBeGreaterThan(0)
        checked++
        if (!expected.valid) invalid++
      }
    } finally {
      child.kill('SIGKILL')
    }
    console.log(`workerd /v1/validate on the corpus: ${checked} documents checked (${invalid} invalid: libvirt's own and ${mutated.length} with an unknown device), the same verdicts and lines as Node`)
    expect(checked).toBeGreaterThan(1000)
    expect(invalid).toBeGreaterThan(mutated.length)
  }, 180_000)

  for (const [name, executable, start] of servers) {
    const { skip, label } = availability(name, existsSync(executable), `npm ci installs ${name} from npm`)
    it.skipIf(skip)(label, async () => {
      const port = await freePort()
      const child = start(port)
      const base = `http://127.0.0.1:${port}`
      try {
        const log = await untilUp(base, child, name)
        const answers: Answer[] = []
        for (const r of requests) answers.push(await answer(await fetch(request(base, r))))
        expect(answers).toEqual(baseline)
        // Every runtime merges and diffs with the WebAssembly engine (workerd through engineModule).
        await new Promise((r) => setTimeout(r, 200))
        expect(log()).not.toMatch(/WebAssembly is not allowed/)
      } finally {
        child.kill('SIGKILL')
      }
    }, 60_000)
  }
})
