// What a consumer gets from each published package: the tarballs `npm pack` makes, installed into a
// fresh app with `npm install --offline`, every entry imported in Node, type-checked with
// `moduleResolution` nodenext and bundler (the shipped .d.ts checked too: no skipLibCheck), and a
// page bundled by Vite under size budgets. Needs the dependencies' registry metadata in npm's cache
// (`node tools/warm-npm-cache.mjs`, a setup step that .ci/run runs): without it this fails under
// CI=true and skips elsewhere with the reason.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../../..')
const bin = (name: string) => join(root, 'node_modules', '.bin', name)

interface Manifest {
  name: string
  version: string
  private?: boolean
  license?: string
  repository?: { type?: string; url?: string; directory?: string }
  homepage?: string
  bugs?: { url?: string }
  files?: string[]
  exports?: Record<string, unknown>
  types?: string
  bin?: string | Record<string, string>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

const published = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest }))
  .filter((p) => !p.manifest.private)

/** Every file path an `exports` map can resolve to (all conditions), without the leading `./`. */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value.replace(/^\.\//, '')]
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets)
  return []
}

/** The public specifiers of a package: `name` and `name/sub` for every JS entry of its exports map. */
function entries(manifest: Manifest): string[] {
  return Object.keys(manifest.exports ?? { '.': '' })
    .filter((key) => key !== './package.json' && !/\.(wasm|json)$/.test(key))
    .map((key) => (key === '.' ? manifest.name : manifest.name + key.slice(1)))
}

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' }, maxBuffer: 64 * 1024 * 1024 })
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
}

let work = ''
let app = ''
const packed = new Map<string, { file: string; files: string[] }>()
let installError = ''

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'virtuned-consumer-'))
  for (const { dir, manifest } of published) {
    const result = run('npm', ['pack', '--json', '--pack-destination', work], dir)
    if (result.status !== 0) throw new Error(`npm pack ${manifest.name} failed: ${result.stderr}`)
    const [info] = JSON.parse(result.stdout) as { filename: string; files: { path: string }[] }[]
    packed.set(manifest.name, { file: join(work, info!.filename), files: info!.files.map((f) => f.path) })
  }
  app = join(work, 'app')
  mkdirSync(app)
  const dependencies: Record<string, string> = { zod: '^4.0.0', '@types/node': '^20.19.0' }
  for (const [name, { file }] of packed) dependencies[name] = `file:${file}`
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true, type: 'module', dependencies }, null, 2))
  const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app)
  if (install.status !== 0) installError = (install.stderr.split('\n').find((l) => l.includes('ENOTCACHED') || l.includes('error')) ?? install.stderr).trim()
}, 300_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('published tarballs', () => {
  it.each(published.map((p) => [p.manifest.name, p] as const))('%s ships its licence, readme, changelog and every file its manifest points at', (name, { manifest }) => {
    const { files } = packed.get(name)!
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']))
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toContain('GNU LESSER GENERAL PUBLIC LICENSE')
    expect(manifest.license).toBe('LGPL-2.1-or-later')
    const targets = [...exportTargets(manifest.exports), ...(manifest.types ? [manifest.types] : []), ...Object.values(typeof manifest.bin === 'string' ? { bin: manifest.bin } : (manifest.bin ?? {}))]
    const missing = targets.map((t) => t.replace(/^\.\//, '')).filter((t) => !files.includes(t))
    expect(missing, `${name}: exports/types/bin point at files the tarball lacks`).toEqual([])
  })

  it.each(published.map((p) => [p.manifest.name, p] as const))('%s says where its source, home page and issue tracker are', (name, { dir, manifest }) => {
    expect(manifest.repository?.url, `${name}: repository.url`).toMatch(/^git\+https:\/\//)
    expect(manifest.repository?.directory, `${name}: repository.directory`).toBe(relative(root, dir))
    expect(manifest.homepage, `${name}: homepage`).toMatch(/^https:\/\//)
    expect(manifest.bugs?.url, `${name}: bugs.url`).toMatch(/^https:\/\//)
  })

  it.each(published.map((p) => [p.manifest.name, p] as const))('%s declares zod as a range (an app on another zod 4 dedupes)', (name, { manifest }) => {
    for (const deps of [manifest.dependencies ?? {}, manifest.peerDependencies ?? {}]) {
      if (deps.zod !== undefined) expect(deps.zod, `${name}: zod pinned exactly`).toMatch(/^\^4\./)
    }
  })

  it('identify depends on model exactly when it imports it (the one identity table lives in model)', () => {
    const identify = published.find((p) => p.manifest.name === '@virtuned/identify')!
    const imports = readdirSync(join(root, 'packages/identify/src')).some((f) => readFileSync(join(root, 'packages/identify/src', f), 'utf8').includes("from '@virtuned/model'"))
    expect(imports).toBe(true)
    expect(Object.keys(identify.manifest.dependencies ?? {})).toContain('@virtuned/model')
    expect(Object.keys(identify.manifest.devDependencies ?? {})).not.toContain('@virtuned/model')
  })
})

describe('installed into a fresh app', () => {
  const ready = () => {
    if (!installError) return true
    if (process.env.CI === 'true') throw new Error(`npm install --offline failed: ${installError} (run node tools/warm-npm-cache.mjs in setup)`)
    return false
  }

  it('installs offline, with one copy of zod', (context) => {
    if (!ready()) return context.skip(`npm cache lacks registry metadata: run \`node tools/warm-npm-cache.mjs\` once (${installError})`)
    const zods = walk(join(app, 'node_modules')).filter((f) => f.endsWith('/zod/package.json') && !f.includes('/zod/v'))
    expect(zods.map((f) => relative(app, f))).toEqual(['node_modules/zod/package.json'])
  })

  it('every source map resolves: its sources are shipped or embedded', (context) => {
    if (!ready()) return context.skip('npm cache lacks registry metadata')
    const broken: string[] = []
    for (const name of packed.keys()) {
      const dir = join(app, 'node_modules', name)
      for (const map of walk(dir).filter((f) => f.endsWith('.map'))) {
        const data = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[]; sourceRoot?: string }
        data.sources.forEach((source, i) => {
          if (data.sourcesContent?.[i] != null) return
          if (!existsSync(resolve(dirname(map), data.sourceRoot ?? '', source))) broken.push(`${relative(app, map)} → ${source}`)
        })
      }
    }
    expect(broken.slice(0, 10), `${broken.length} unresolved source map sources`).toEqual([])
  })

  it('imports every entry of every package in Node, and the CLI runs', (context) => {
    if (!ready()) return context.skip('npm cache lacks registry metadata')
    const specifiers = published.flatMap((p) => entries(p.manifest))
    const script = `for (const s of ${JSON.stringify(specifiers)}) { const m = await import(s); if (Object.keys(m).length === 0) throw new Error(s + ' exports nothing') }\nconsole.log('ok')`
    const imported = run(process.execPath, ['--input-type=module', '-e', script], app)
    expect(imported.stderr).toBe('')
    expect(imported.stdout.trim()).toBe('ok')
    const cli = run(join(app, 'node_modules', '.bin', 'virtuned'), ['--version'], app)
    expect(cli.status, cli.stderr).toBe(0)
    expect(cli.stdout).toMatch(/^virtuned \d+\.\d+\.\d+/)
  })

  it.for(['nodenext', 'bundler'] as const)('type-checks every entry with moduleResolution %s, shipped .d.ts included', (resolution, context) => {
    if (!ready()) return context.skip('npm cache lacks registry metadata')
    const specifiers = published.flatMap((p) => entries(p.manifest))
    writeFileSync(join(app, 'check.ts'), specifiers.map((s, i) => `import * as m${i} from '${s}'`).join('\n') + `\nexport const all = [${specifiers.map((_, i) => `m${i}`).join(', ')}]\n`)
    const compilerOptions = {
      strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', lib: ['ES2022', 'DOM'], types: ['node'],
      ...(resolution === 'nodenext' ? { module: 'nodenext', moduleResolution: 'nodenext' } : { module: 'esnext', moduleResolution: 'bundler' }),
    }
    writeFileSync(join(app, `tsconfig.${resolution}.json`), JSON.stringify({ compilerOptions, files: ['check.ts'] }))
    const tsc = run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', `tsconfig.${resolution}.json`], app)
    expect(tsc.stdout + tsc.stderr).toBe('')
    expect(tsc.status).toBe(0)
  })

  it('bundles a browser page with Vite under its size budgets', (context) => {
    if (!ready()) return context.skip('npm cache lacks registry metadata')
    const page = join(app, 'page')
    mkdirSync(page, { recursive: true })
    writeFileSync(join(page, 'index.html'), '<!doctype html><html><body><pre id="out"></pre><script type="module" src="./main.js"></script></body></html>')
    // Every browser package used for real, so nothing is shaken out of the measured bundle.
    writeFileSync(join(page, 'main.js'), [
      `import { createEngine } from '@virtuned/xml-core'`,
      `import { libvirtIdentityKeys, parseDomain, viewDomain } from '@virtuned/model'`,
      `import { compose } from '@virtuned/policies'`,
      `import { planAttach } from '@virtuned/hotplug'`,
      `import { matchDevices } from '@virtuned/identify'`,
      `const r = compose("<domain type='kvm'><name>web</name><memory unit='GiB'>2</memory><vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><source file='/x.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>", { os: 'debian11', policies: ['spice'] })`,
      `const engine = await createEngine()`,
      `const patch = engine.diff(r.xml, r.xml, libvirtIdentityKeys)`,
      `const plan = planAttach(r.xml, "<disk type='file' device='disk'><source file='/y.qcow2'/></disk>")`,
      `const m = matchDevices(parseDomain(r.xml), parseDomain(r.xml))`,
      `document.getElementById('out').textContent = JSON.stringify([viewDomain(parseDomain(r.xml)).name, patch.ops.length, plan.ok, m.pairs.length])`,
    ].join('\n'))
    const built = run(process.execPath, [bin('vite'), 'build', page, '--outDir', join(page, 'dist'), '--emptyOutDir', '--logLevel', 'warn'], app)
    expect(built.status, built.stderr).toBe(0)
    const assets = walk(join(page, 'dist', 'assets'))
    const gz = (ext: string) => assets.filter((f) => f.endsWith(ext)).reduce((n, f) => n + gzipSync(readFileSync(f)).byteLength, 0)
    const js = gz('.js'), wasm = gz('.wasm'), raw = assets.reduce((n, f) => n + statSync(f).size, 0)
    // Ceilings (gzip bytes), raised only in the commit that needs it; measured 2026-12-03 in the closing note.
    expect({ js: js <= JS_BUDGET, raw: raw <= RAW_BUDGET }, `js ${js} B gz (budget ${JS_BUDGET}), wasm ${wasm} B gz, all assets ${raw} B`).toEqual({ js: true, raw: true })
  })
})

/** Gzipped JS of the page above: policies + defaults (with the osinfo table) + model + xml-core (WASM inlined) + hotplug + identify + zod. */
const JS_BUDGET = 400_000
/** All emitted assets, uncompressed. */
const RAW_BUDGET = 2_500_000
