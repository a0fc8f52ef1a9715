// Bulk runs through the built binary: directories and globs, worker threads, one summary, and
// atomic writes — a run killed half-way leaves every file either as it was or fully rewritten.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseLibvirtXml, serialize } from '@virtuned/model'

const bin = new URL('../bin/virtuned.js', import.meta.url).pathname
const built = existsSync(new URL('../dist/bulk-worker.js', import.meta.url))
const fixtures = new URL('../../../fixtures/xml/', import.meta.url).pathname

/** Well-formed inputs of the xml fixtures, written in layouts fmt changes. */
function inputs(): string[] {
  return readdirSync(fixtures).filter((d) => existsSync(join(fixtures, d, 'output.xml'))).map((d) => readFileSync(join(fixtures, d, 'input.xml'), 'utf8')).filter((x) => {
    try { return parseLibvirtXml(x).kind !== undefined } catch { return false }
  })
}

describe.skipIf(!built && process.env.CI !== 'true')(`bulk runs${built ? '' : ' (skipped: build @virtuned/cli first)'}`, () => {
  let dir: string
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'virtuned-bulk-')) })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('formats a directory in place in worker threads and prints one summary', () => {
    const work = join(dir, 'fmt')
    mkdirSync(join(work, 'sub'), { recursive: true })
    const sources = inputs()
    sources.forEach((x, i) => writeFileSync(join(work, i % 2 ? 'sub' : '', `d${i}.xml`), x))
    writeFileSync(join(work, 'broken.xml'), '<domain><name>x</domain>')
    const check = spawnSync(process.execPath, [bin, 'fmt', '--check', work], { encoding: 'utf8' })
    expect(check.status).toBe(2)
    const changed = check.stdout.split('\n').filter((l) => l.startsWith('changed ')).length
    expect(changed).toBeGreaterThan(0)
    expect(check.stdout).toContain(`${sources.length + 1} files: ${changed} changed, ${sources.length - changed} unchanged, 1 not readable as libvirt XML`)
    const run = spawnSync(process.execPath, [bin, 'fmt', '--in-place', '--jobs', '2', work], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    sources.forEach((x, i) => expect(readFileSync(join(work, i % 2 ? 'sub' : '', `d${i}.xml`), 'utf8')).toBe(serialize(parseLibvirtXml(x))))
    const again = spawnSync(process.execPath, [bin, 'fmt', '--check', `${work}/**/d*.xml`], { encoding: 'utf8' })
    expect(again.stdout).toContain(`${sources.length} files: 0 changed, ${sources.length} unchanged, 0 not readable`)
    expect(again.status).toBe(0)
  })

  it('applies defaults to a directory into --output-dir', () => {
    const work = join(dir, 'apply')
    const out = join(dir, 'apply-out')
    mkdirSync(work, { recursive: true })
    mkdirSync(out, { recursive: true })
    for (let i = 0; i < 6; i++) writeFileSync(join(work, `g${i}.xml`), `<domain type='kvm'><name>g${i}</name><memory unit='GiB'>1</memory><os><type arch='x86_64'>hvm</type></os><devices/></domain>`)
    const run = spawnSync(process.execPath, [bin, 'apply', work, '--defaults', '--os', 'fedora37', '--policy', 'headless', '--output-dir', out], { encoding: 'utf8' })
    expect(run.stdout).toContain('6 files: 6 changed, 0 unchanged, 0 not readable')
    expect(run.status).toBe(0)
    expect(readFileSync(join(out, 'g3.xml'), 'utf8')).toContain("<serial type='pty'>")
  })

  it('a run killed half-way leaves each file old or new, never partial', async () => {
    const work = join(dir, 'kill')
    mkdirSync(work, { recursive: true })
    const sources = inputs()
    // Large enough that the run is still writing when it is killed.
    const big = (x: string, i: number) => x.replace('</name>', `</name><description>${'padding '.repeat(20_000)}${i}</description>`)
    const originals = new Map<string, string>()
    for (let i = 0; i < 240; i++) {
      const text = big(sources[i % sources.length]!, i)
      let formatted: string
      try { formatted = serialize(parseLibvirtXml(text)) } catch { continue }
      if (formatted === text) continue
      writeFileSync(join(work, `k${i}.xml`), text)
      originals.set(`k${i}.xml`, text)
    }
    const inode = (name: string) => statSync(join(work, name)).ino
    const before = new Map([...originals.keys()].map((name) => [name, inode(name)]))
    const child = spawn(process.execPath, [bin, 'fmt', '--in-place', '--jobs', '2', work], { stdio: 'ignore' })
    // Kill as soon as the first files have been replaced (a rename gives the path a new inode).
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline && [...before].filter(([name, ino]) => inode(name) !== ino).length < 3) await new Promise((r) => setTimeout(r, 5))
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    let rewritten = 0
    for (const [name, text] of originals) {
      const now = readFileSync(join(work, name), 'utf8')
      const formatted = serialize(parseLibvirtXml(text))
      expect(now === text || now === formatted, `${name} is neither the original nor the formatted file`).toBe(true)
      if (now === formatted) rewritten++
    }
    // Killed in the middle: some files were done and some were not (else the test proves nothing).
    console.log(`bulk kill test: ${rewritten} of ${originals.size} files rewritten before SIGKILL, none partial`)
    expect(rewritten).toBeGreaterThan(0)
    expect(rewritten).toBeLessThan(originals.size)
  }, 60_000)
})
