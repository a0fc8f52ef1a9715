// getEngine() in Debian's Chromium under a Content-Security-Policy: without 'wasm-unsafe-eval' the
// page may not compile WebAssembly, and getEngine() must fall back to the TypeScript reference with
// one warning (and the same results); with it, the WebAssembly engine. xml-core is bundled for the
// browser with esbuild, as an app's bundler would. Without Chromium the tests skip with a reason,
// and fail under CI=true (.ci/run installs it).
import { createServer, type Server } from 'node:http'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const chromium = '/usr/bin/chromium'
const present = existsSync(chromium)
const inCi = process.env.CI === 'true'
const label = present ? '' : inCi ? ' (missing: apt-get install chromium, as .ci/run does)' : ' (skipped: Chromium not installed — apt-get install chromium)'

const page = `<!doctype html><meta charset="utf-8"><title>engine</title><script type="module" src="/engine.js"></script>`
// What the page does: the engine getEngine() picked, a merge and a canonical form through it.
const script = `
import { getEngine } from '@virtuned/xml-core'
const engine = getEngine()
const merged = engine.merge('<domain><name>a</name></domain>', [{ name: 'l', mode: 'fill', document: '<domain><memory>1</memory></domain>' }], { rules: [] })
window.result = { kind: engine.kind, again: getEngine() === engine, merged: new TextDecoder().decode(merged.document), canonical: new TextDecoder().decode(engine.canonicalize("<a  b='1'/>")) }
`

describe.skipIf(!present && !inCi)(`getEngine() in Chromium under a Content-Security-Policy${label}`, () => {
  let server: Server
  let origin: string
  let browser: import('playwright-core').Browser
  let bundle: string

  beforeAll(async () => {
    if (!present) throw new Error('CI must run the browser tests: apt-get install chromium')
    const { build } = await import('esbuild')
    const out = await build({ stdin: { contents: script, resolveDir: new URL('.', import.meta.url).pathname, loader: 'js' }, bundle: true, format: 'esm', write: false, platform: 'browser', conditions: ['@virtuned/source'] })
    bundle = out.outputFiles[0]!.text
    server = createServer((req, res) => {
      const csp = new URL(req.url ?? '/', 'http://x').searchParams.get('csp') ?? ''
      if (req.url?.startsWith('/engine.js')) { res.setHeader('content-type', 'text/javascript'); res.end(bundle); return }
      res.setHeader('content-type', 'text/html')
      if (csp) res.setHeader('content-security-policy', csp)
      res.end(page)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const { chromium: launcher } = await import('playwright-core')
    browser = await launcher.launch({ executablePath: chromium, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    server?.close()
  })

  async function open(csp: string) {
    const tab = await browser.newPage()
    const console: { type: string; text: string }[] = []
    tab.on('console', (m) => console.push({ type: m.type(), text: m.text() }))
    const errors: string[] = []
    tab.on('pageerror', (e) => errors.push(String(e)))
    await tab.goto(`${origin}/?csp=${encodeURIComponent(csp)}`)
    await tab.waitForFunction(() => (window as { result?: unknown }).result !== undefined || document.title === 'failed', undefined, { timeout: 30_000 })
    const result = await tab.evaluate(() => (window as unknown as { result: { kind: string; again: boolean; merged: string; canonical: string } }).result)
    await tab.close()
    return { result, console, errors }
  }

  const expected = { again: true, merged: '<domain>\n  <name>a</name>\n  <memory>1</memory>\n</domain>\n', canonical: '<a b="1"/>' }

  it("falls back to the reference, with one warning, where the policy has no 'wasm-unsafe-eval'", async () => {
    const { result, console, errors } = await open("default-src 'none'; script-src 'self'")
    expect(errors).toEqual([])
    expect(result).toEqual({ kind: 'reference', ...expected })
    const warnings = console.filter((m) => m.type === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.text).toMatch(/^virtuned: WebAssembly is not allowed here .*'wasm-unsafe-eval'/)
  })

  it("is the WebAssembly engine where the policy allows 'wasm-unsafe-eval'", async () => {
    const { result, console, errors } = await open("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'")
    expect(errors).toEqual([])
    expect(result).toEqual({ kind: 'wasm', ...expected })
    expect(console.filter((m) => m.type === 'warning' || m.type === 'error')).toEqual([])
  })

  it('is the WebAssembly engine on a page without a policy', async () => {
    const { result } = await open('')
    expect(result.kind).toBe('wasm')
  })
})
