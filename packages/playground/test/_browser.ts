// The built playground (dist/) served on 127.0.0.1 and Debian's Chromium driven by playwright-core:
// what every Chromium test of the page shares. Without Chromium the tests skip with a reason, and
// fail under CI=true (.ci/run installs it).
import { createServer, type Server } from 'node:http'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { extname, join, normalize } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'

export const packageDir = new URL('..', import.meta.url).pathname
export const dist = join(packageDir, 'dist')
export const reports = join(packageDir, '.reports')
const chromium = '/usr/bin/chromium'
export const present = existsSync(chromium)
export const inCi = process.env.CI === 'true'
export const runBrowser = present || inCi
export const label = present ? '' : inCi ? ' (missing: apt-get install chromium, as .ci/run does)' : ' (skipped: Chromium not installed — apt-get install chromium)'

/** Serves dist/ (`.wasm` as application/wasm, as a static host does); anything else is a 404. */
export function serve(): Promise<{ server: Server; origin: string }> {
  const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.wasm': 'application/wasm' }
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '')
    const file = join(dist, path === '/' ? 'index.html' : path)
    if (!file.startsWith(dist) || !existsSync(file)) { res.statusCode = 404; res.end(); return }
    res.setHeader('content-type', types[extname(file)] ?? 'application/octet-stream')
    res.end(readFileSync(file))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })))
}

export async function launch(): Promise<Browser> {
  if (!present) throw new Error('CI must run the browser tests: apt-get install chromium')
  if (!existsSync(join(dist, 'index.html'))) throw new Error('dist/ is missing: build @virtuned/playground first (npm test does; or npx vite build in packages/playground)')
  const { chromium: launcher } = await import('playwright-core')
  return launcher.launch({ executablePath: chromium, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
}

/** Everything the page said was wrong: console errors, uncaught exceptions, failed or 4xx/5xx requests. */
export interface Watched {
  readonly page: Page
  readonly context: BrowserContext
  readonly problems: string[]
  readonly requests: string[]
}

export async function openPage(browser: Browser, url: string, options: { clipboard?: boolean } = {}): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true })
  if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin })
  const page = await context.newPage()
  const problems: string[] = []
  const requests: string[] = []
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`uncaught: ${String(e)}`))
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`))
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`) })
  page.on('request', (r) => requests.push(r.url()))
  await page.goto(url)
  await page.waitForFunction(() => document.title.endsWith('ready') && document.body.dataset.editor === 'ready', undefined, { timeout: 30_000 })
  return { page, context, problems, requests }
}

/** Replace the document as a paste would, and wait until the page has read it. */
export async function setDocument(page: Page, xml: string): Promise<void> {
  await page.evaluate((text) => { document.getElementById('schema')!.dataset.state = 'stale'; window.virtunedPlayground!.setText(text) }, xml)
  await page.waitForFunction(() => !['stale', 'checking'].includes(document.getElementById('schema')!.dataset.state ?? ''))
}

/** The editor's lines (1-based) that carry a lint marker of `severity` in the gutter and an underline. */
export async function markedLines(page: Page, severity: 'error' | 'warning'): Promise<{ gutter: number[]; underlined: number[] }> {
  return page.evaluate((sev) => {
    const lines = [...document.querySelectorAll('.cm-content .cm-line')]
    const lineAtY = (y: number) => {
      const i = lines.findIndex((l) => { const r = l.getBoundingClientRect(); return y >= r.top - 1 && y < r.bottom - 1 })
      return i + 1
    }
    const gutter = [...document.querySelectorAll(`.cm-lint-marker-${sev}`)].map((m) => { const r = m.getBoundingClientRect(); return lineAtY(r.top + r.height / 2) })
    const underlined = [...document.querySelectorAll(`.cm-lintRange-${sev}`)].map((m) => lines.indexOf(m.closest('.cm-line')!) + 1)
    return { gutter: [...new Set(gutter)].sort((a, b) => a - b), underlined: [...new Set(underlined)].sort((a, b) => a - b) }
  }, severity)
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string | null; nodes: string[] }[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource })
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe
    return axe.run(document, { resultTypes: ['violations'] })
  })
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }))
}

/**
 * Whether @virtuned/preview is in the first paint whatever the page does: when a package the page
 * imports statically (main.ts's value imports) depends on it — defaults does once it sizes root ports
 * from the preview. The page itself imports it only dynamically (the Preview tab).
 */
export function previewInFirstPaint(): boolean {
  const main = readFileSync(join(packageDir, 'src/main.ts'), 'utf8')
  const statics = [...main.matchAll(/^import (?!type )[^\n]* from '@virtuned\/([\w-]+)'/gm)].map((m) => m[1]!)
  if (statics.includes('preview')) return true
  return statics.some((p) => {
    const pkg = JSON.parse(readFileSync(join(packageDir, '..', p, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
    return '@virtuned/preview' in (pkg.dependencies ?? {})
  })
}
