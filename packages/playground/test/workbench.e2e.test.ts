// Issue 23 in Debian's Chromium: the page as a tool people keep open. The editor marks problems at
// their lines; a host's domain capabilities change the composed XML exactly as the CLI's --domcaps
// does with the same file; a shared link restores the same state in a fresh page; axe-core finds no
// serious or critical accessibility violation in any view; the console stays clean; messages speak
// of the page's controls, not CLI flags; the first paint stays under its size budget with the editor
// and the validator loaded later. Screenshots of each view go to .reports/ (git-ignored).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Server } from 'node:http'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateCorpus } from '../../../tools/corpus.ts'
import { examples } from '../src/examples.ts'
import { axeViolations, dist, label, launch, markedLines, openPage, packageDir, previewInFirstPaint, reports, runBrowser, serve, setDocument, type Watched } from './_browser.ts'

const corpus = locateCorpus()
const cliBin = join(packageDir, '../cli/bin/virtuned.js')
const cliBuilt = existsSync(join(packageDir, '../cli/dist/main.js'))

/** The composed XML the CLI gives for a domain, a guest OS, a profile and (optionally) a capabilities file. */
function cliCompose(xml: string, options: { os: string; profile?: string; policies: readonly string[]; domcaps?: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'virtuned-playground-'))
  try {
    writeFileSync(join(dir, 'domain.xml'), xml)
    const args = [cliBin, 'apply', join(dir, 'domain.xml'), '--defaults', '--os', options.os, ...(options.profile ? ['--profile', options.profile] : []), ...options.policies.flatMap((p) => ['--policy', p])]
    if (options.domcaps !== undefined) { writeFileSync(join(dir, 'domcaps.xml'), options.domcaps); args.push('--domcaps', join(dir, 'domcaps.xml')) }
    try {
      return execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (error) {
      // A dist/ of the CLI or of a package it imports is missing (being rebuilt?): say how to fix it.
      if (String((error as { stderr?: unknown }).stderr).includes('ERR_MODULE_NOT_FOUND')) throw new Error('The CLI cannot load: build it with `npx nx run @virtuned/cli:build --output-style=static`', { cause: error })
      throw error
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(reports, { recursive: true })
  await page.screenshot({ path: join(reports, `playground-${name}.png`), fullPage: true })
}

async function composed(page: Page): Promise<string> {
  return (await page.textContent('#tab-merged')) ?? ''
}

describe.skipIf(!runBrowser)(`the playground as a tool (issue 23) in Chromium${label}`, () => {
  let server: Server
  let origin: string
  let browser: Browser
  let main: Watched
  const pages: Watched[] = []

  beforeAll(async () => {
    ;({ server, origin } = await serve())
    browser = await launch()
    main = await openPage(browser, origin, { clipboard: true })
    pages.push(main)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    server?.close()
  })

  it('keeps the first paint under its budget of gzipped JS (below); the editor and the validator come later', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8')
    // The first paint: the entry script and every chunk index.html preloads with it.
    const firstPaint = [...html.matchAll(/<(?:script type="module"[^>]*|link rel="modulepreload"[^>]*) (?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!)
    expect(firstPaint.length).toBeGreaterThan(0)
    const code = firstPaint.map((f) => readFileSync(join(dist, f)))
    const gzip = code.reduce((sum, c) => sum + gzipSync(c).length, 0)
    // Measured 2026-12-03: 231 kB in the morning, 199 kB at 13:18 with the Preview tab's page code (2 kB of it; the compose machinery: model, defaults with the OS table,
    // policies with re2js and yaml, xml-core with its inlined WebAssembly, diff). Raise only in the
    // commit that needs it, saying why. Raised to 275 kB at 21:30 (263 kB measured): @virtuned/preview rides in
    // with defaults (which sizes root ports from a preview, synchronously), and preview now carries libvirt's
    // refusals as data — some 200 rows with libvirt's words, ~25 kB gzipped. Raised to 290 kB on 2026-12-04
    // (278.6 kB measured): preview's 50-odd checks of domains as clients edit them (found against libvirtd 9.0),
    // with libvirt's words, and the QEMU capability table. Raised to 300 kB on 2026-12-05 (293.2 kB measured: 291.5 kB in the CI
    // rehearsal before the enumerations): model's table of libvirt's typed attribute reads (some 250 attributes by element, enumerations
    // with their names) and preview's checks of what libvirt's parser reads and drops. Raised to 310 kB on 2026-12-05 (303.6 kB
    // measured): model's table of what libvirt 9.0's and 11.3's schemas take where (802 elements by grandparent and parent, 209 attribute sets,
    // 6.3 kB gzipped), which tells preview what `virsh define` drops. Raised to 320 kB on 2026-12-05 (310.9 kB measured in the CI
    // rehearsal): preview's rules the search edits found that evening — PCI controller options, drive addresses, host device
    // address types, the QEMU namespace, reads under a condition — and model's `childrenByType` and the schema table's
    // text marks (preview rides in with defaults, which sizes root ports from a preview synchronously). Raised to 330 kB on
    // 2026-12-05 (324.5 kB measured in the CI rehearsal at 10:10): model's table of the order libvirt writes attributes in
    // (203 elements, 3.9 kB gzipped: preview's text is libvirt's byte for byte) and preview's checks of that session —
    // VLANs, RNG and bandwidth parsing, input and audio reads by type, paths libvirt cleans. Raised to 345 kB on 2026-12-05
    // (337.0 kB measured in the CI rehearsal at 23:13): preview's ~80 reads and checks of XML written elsewhere (libvirt's other
    // test suites, virt-manager's and oVirt's test domains, the odd-value search edit) — cache and memory bandwidth
    // allocations (_resctrl.ts), storage source checks, IP addresses in libvirt's form, virtual ports, encryption engines.
    // Raised to 360 kB on 2026-12-06 (349.0 kB measured in the CI rehearsal at 06:48): preview's ~150 checks of libvirt's
    // parser and validation that session found by listing libvirt's messages preview lacked (vhost-user disks, I/O limit
    // groups, host device and storage sources, TPM backends, timers, clock adjustments, virtiofs, SEV…), with their words.
    // Raised to 375 kB on 2026-12-06 (361.8 kB measured in the CI rehearsal at 17:03): the ~200 checks and reads the probes
    // of libvirt 9.0's checks found that afternoon (model's qemuDeviceFlags, serial targets, sPAPR VIO registers, video
    // sizes, virtual ports, validation steps; preview's device-by-device validation of interfaces, filesystems, memory
    // devices and displays, the parsers' reads of host devices, NICs, displays and filesystems).
    // Raised to 390 kB on 2026-12-06 (376.0 kB measured in a local build at 23:48, 377.2 kB at 00:35 with the s390x and pSeries rounds; 374.4 kB before that night's merges): the
    // checks and reads two more rounds of probes on libvirtd 9.0 found — audio backends read in their parser's order, sound
    // cards, smartcards, USB redirection filters, attributes read by local name (model's attributesReadByLocalName,
    // deviceRepeatedReadParts), and PCI placement on PCI Express machines (controllers on missing buses, indexes up to 1023,
    // ARM boards without PCI).
    // Raised to 400 kB on 2026-12-07 (391.5 kB measured in a local build at 12:30; 388.6 kB in the CI rehearsal the
    // morning before): what libvirt reads of the host at define as preview's data (the host's PCI devices — PCIe-ness,
    // pSeries isolation groups on the PCI address search —, its swtpm, the host CPU's address bits) and the checks three
    // probe rounds found (Hyper-V and KVM features, disk I/O limits and their order, a NIC's driver offloads, port
    // forwards, libvirt 11's bandwidth limits), with libvirt's words.
    // Raised to 410 kB on 2026-12-07 (400.6 kB measured in a local build at 21:21; 398.6 kB that afternoon): the checks
    // three more probe rounds on libvirtd 9.0 found (PCI controllers and their topology, drive addresses and the disk
    // controllers they imply, USB end to end), with libvirt's words, and preview's and xml-core's typed errors for
    // arguments of another type (preview-bad-argument, xml-not-text).
    expect(gzip).toBeLessThan(410_000)
    const all = Buffer.concat(code).toString('utf8')
    // Not in the first paint: CodeMirror (its lint panel's class), the validator, libxml2's glue, the
    // schemas, @virtuned/preview (an error code of its) and the QEMU capabilities presets (an element).
    // (@virtuned/preview only while no package of the first paint depends on it: see previewInFirstPaint.)
    const lazy = ['cm-panel-lint', 'schema-unknown-element', 'xmlRelaxNGValidateDoc', 'domaincommon.rng', '<qemuctime>', ...(previewInFirstPaint() ? [] : ['preview-not-qemucaps'])]
    expect(lazy.filter((m) => all.includes(m))).toEqual([])
    // …but in chunks of their own, which the page fetched after it was ready.
    const assets = readdirSync(join(dist, 'assets'))
    const editorChunk = assets.find((f) => /\.js$/.test(f) && readFileSync(join(dist, 'assets', f), 'utf8').includes('cm-panel-lint'))
    expect(editorChunk).toBeDefined()
    expect(main.requests.some((u) => u.endsWith(`/assets/${editorChunk!}`))).toBe(true)
  })

  it('marks a well-formedness error in the editor at its line, in the gutter and in the problems panel', async () => {
    const { page } = main
    await page.selectOption('#example', 'Broken XML (see the error place)')
    await page.waitForFunction(() => document.getElementById('status')!.className === 'bad')
    await page.waitForSelector('.cm-lint-marker-error')
    expect(await markedLines(page, 'error')).toEqual({ gutter: [7], underlined: [7] })
    const panel = await page.$$eval('.cm-panel-lint li', (items) => items.map((li) => li.textContent ?? ''))
    expect(panel).toEqual([expect.stringMatching(/Unexpected `<\/disk>`, expected `<\/source>` \[xml-mismatched-tag\]/)])
    await shot(page, 'xml-error')
  })

  it("marks libvirt's schema errors in the editor at their lines (1 and 6 of the schema-invalid example)", async () => {
    const { page } = main
    await page.selectOption('#example', "Schema-invalid domain (see libvirt's schema errors)")
    await page.waitForFunction(() => document.getElementById('schema')!.dataset.state === 'invalid')
    await page.waitForFunction(() => document.querySelectorAll('.cm-lint-marker-error').length >= 2)
    const lines = await markedLines(page, 'error')
    expect(lines.gutter).toEqual([1, 6])
    expect(lines.underlined).toEqual([1, 6])
    const panel = await page.$$eval('.cm-panel-lint li', (items) => items.map((li) => li.textContent ?? ''))
    expect(panel.some((t) => /Unknown element `<frobnicator>` in `<devices>`.*\[schema-unknown-element\]/.test(t))).toBe(true)
    // The well-formedness marker of the previous document is gone.
    expect(panel.some((t) => t.includes('xml-mismatched-tag'))).toBe(false)
    await shot(page, 'schema-errors')
  })

  it("completes elements and attribute values from libvirt's schema as you type", async () => {
    const { page } = main
    await setDocument(page, "<domain type='kvm'>\n  <name>c</name>\n  <devices>\n    \n  </devices>\n</domain>\n")
    await page.click('.cm-content .cm-line:nth-child(4)')
    await page.keyboard.press('End')
    await page.keyboard.type('<gra')
    await page.waitForFunction(() => [...document.querySelectorAll('.cm-tooltip-autocomplete li')].some((li) => (li.textContent ?? '').startsWith('graphics')))
    const offered = await page.$$eval('.cm-tooltip-autocomplete li', (lis) => lis.map((li) => li.textContent ?? ''))
    expect(offered.some((o) => o.startsWith('graphics'))).toBe(true)
    // CodeMirror ignores Enter for `interactionDelay` (75 ms) after a completion list opens, so that fast typing
    // does not accept by accident: an Enter sooner becomes a newline (this test failed 2 runs in 3 that way)
    await page.waitForTimeout(200)
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => (document.querySelector('.cm-content')?.textContent ?? '').includes('<graphics'))
    await page.keyboard.type('/>')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.type(' type="s')
    await page.waitForFunction(() => [...document.querySelectorAll('.cm-tooltip-autocomplete li')].some((li) => li.textContent === '"spice"'))
    const values = await page.$$eval('.cm-tooltip-autocomplete li', (lis) => lis.map((li) => li.textContent ?? ''))
    // libvirt's graphics types that match `s` (CodeMirror matches fuzzily: `dbus`, `desktop`…); not `vnc`.
    expect(values).toEqual(expect.arrayContaining(['"sdl"', '"spice"']))
    expect(values).not.toContain('"vnc"')
    await shot(page, 'completion')
    await page.keyboard.press('Escape')
  })

  it.skipIf(corpus.dir === undefined && process.env.CI !== 'true')(`composes with pasted domain capabilities exactly as the CLI's --domcaps does with the same file ${corpus.reason}`, async () => {
    expect(corpus.dir, 'the corpus is needed under CI').toBeDefined()
    expect(cliBuilt, 'build the CLI first: npx nx run @virtuned/cli:build --output-style=static').toBe(true)
    const { page } = main
    await page.selectOption('#example', 'Debian web server (bare)')
    await page.selectOption('#host-preset', 'assumed')
    await page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').startsWith('Read: web-01'))
    const assumed = await composed(page)
    // A TCG host: its CPU is `maximum`, not the assumed KVM host's `host-model`.
    const domcaps = readFileSync(join(corpus.dir!, 'domcaps', 'qemu_10.0.0-tcg.x86_64.xml'), 'utf8')
    // Pasted, as a user does (page.fill of 30 kB takes Playwright 14 s).
    await page.evaluate((text) => navigator.clipboard.writeText(text), domcaps)
    await page.fill('#domcaps', '')
    await page.focus('#domcaps')
    await page.keyboard.press('Control+V')
    await page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').includes('on your capabilities'))
    expect(await page.inputValue('#host-preset')).toBe('pasted')
    expect(await page.textContent('#host-summary')).toMatch(/^qemu \(TCG emulation\) on x86_64, machine pc-i440fx-10\.0;/)
    const withHost = await composed(page)
    const xml = await page.evaluate(() => window.virtunedPlayground!.text())
    const cli = cliCompose(xml, { os: 'debian11', policies: [], domcaps })
    expect(withHost).not.toBe(assumed) // the host changed the result…
    expect(withHost.trimEnd()).toBe(cli.trimEnd()) // …exactly as --domcaps does
    expect(cliCompose(xml, { os: 'debian11', policies: [] }).trimEnd()).toBe(assumed.trimEnd())
    await shot(page, 'host-pasted')
  })

  it.skipIf(!cliBuilt && process.env.CI !== 'true')('composes with each host preset (x86_64, aarch64, s390x) as the CLI does with the preset file', async () => {
    expect(cliBuilt, 'build the CLI first: npx nx run @virtuned/cli:build --output-style=static').toBe(true)
    const { page } = main
    // A domain that writes no architecture: it takes the host's, as with --domcaps.
    await page.selectOption('#example', 'Debian guest for any architecture (choose an ARM or IBM Z host)')
    const presets = readdirSync(join(packageDir, 'src/presets')).filter((f) => f.endsWith('.xml'))
    expect(presets.length).toBeGreaterThanOrEqual(5)
    const results = new Map<string, string>()
    for (const file of presets) {
      const id = file.replace(/\.xml$/, '')
      await page.selectOption('#host-preset', `preset:${id}`)
      await page.waitForFunction((p) => (document.getElementById('status')!.textContent ?? '').includes(`on preset ${p}`) || document.getElementById('status')!.className === 'bad', id)
      expect(await page.getAttribute('#status', 'class'), `${id}: ${await page.textContent('#status')}`).toBe('ok')
      const xml = await page.evaluate(() => window.virtunedPlayground!.text())
      const cli = cliCompose(xml, { os: 'debian11', policies: [], domcaps: readFileSync(join(packageDir, 'src/presets', file), 'utf8') })
      expect((await composed(page)).trimEnd(), id).toBe(cli.trimEnd())
      results.set(id, cli)
    }
    // Each architecture and virt type its own domain; the two TCG x86_64 hosts alike (the defaults
    // choose q35 whatever the host's default machine).
    expect(new Set(results.values()).size).toBe(4)
    expect(results.get('tcg-q35')).toBe(results.get('tcg-i440fx'))
    expect(results.get('kvm-q35')).toContain("<cpu mode='host-model'")
    expect(results.get('tcg-q35')).toContain("<cpu mode='maximum'")
    expect(results.get('tcg-aarch64-virt')).toContain("<type arch='aarch64' machine='virt")
    expect(results.get('tcg-s390x')).toContain("<type arch='s390x' machine='s390-ccw-virtio")
    await shot(page, 'host-aarch64')
  })

  it('refuses, in its own words, what the CLI refuses: another architecture than the host\'s, an OS not published for it, a non-x86_64 guest without a host', async () => {
    const { page } = main
    await page.selectOption('#host-preset', 'preset:tcg-aarch64-virt')
    await page.selectOption('#example', 'Debian web server (bare)') // writes arch='x86_64'
    await page.waitForFunction(() => document.getElementById('status')!.className === 'bad')
    expect(await page.textContent('#status')).toMatch(/^Unexpected architecture `x86_64` with domain capabilities for aarch64 \(preset tcg-aarch64-virt\) \[defaults-arch-mismatch\]/)
    await page.selectOption('#example', 'Windows 11 desktop (bare)')
    await setDocument(page, (examples['Windows 11 desktop (bare)']!.xml).replace(" arch='x86_64'", ''))
    await page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').includes('defaults-os-not-for-arch'))
    await page.selectOption('#host-preset', 'assumed')
    await setDocument(page, (examples['Debian web server (bare)']!.xml).replace("arch='x86_64'", "arch='aarch64'"))
    expect(await page.textContent('#status')).toMatch(/^Expected host capabilities for aarch64: only an x86_64 host is assumed without them \[playground-host-needed\]/)
    expect(await page.textContent('#errors')).toContain('hint: Choose a host for aarch64 under “Host”')
  })

  it('takes a domain and capabilities dropped or opened as files', async () => {
    const { page } = main
    const drop = async (selector: string, name: string, text: string) => {
      const transfer = await page.evaluateHandle(([n, t]) => { const dt = new DataTransfer(); dt.items.add(new File([t!], n!, { type: 'text/xml' })); return dt }, [name, text])
      await page.dispatchEvent(selector, 'drop', { dataTransfer: transfer })
    }
    const dropped = (examples['Debian web server (bare)']!.xml).replace('web-01', 'dropped-01')
    await drop('.cm-content', 'dropped.xml', dropped)
    await page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').startsWith('Read: dropped-01'))
    expect(await page.evaluate(() => window.virtunedPlayground!.text())).toBe(dropped) // replaced, not inserted
    await drop('#domcaps', 'caps.xml', readFileSync(join(packageDir, 'src/presets/tcg-q35.xml'), 'utf8'))
    await page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').includes('on your capabilities'))
    expect(await page.inputValue('#host-preset')).toBe('pasted')
    await page.setInputFiles('#open-file', { name: 'opened.xml', mimeType: 'text/xml', buffer: Buffer.from(dropped.replace('dropped-01', 'opened-01')) })
    await page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').startsWith('Read: opened-01'))
    await page.setInputFiles('#domcaps-file', { name: 'kvm.xml', mimeType: 'text/xml', buffer: readFileSync(join(packageDir, 'src/presets/kvm-q35.xml')) })
    await page.waitForFunction(() => (document.getElementById('host-summary')!.textContent ?? '').startsWith('KVM on x86_64'))
    await page.selectOption('#host-preset', 'assumed')
  })

  it('finds an OS by name, id or vendor and says what the defaults do for it', async () => {
    const { page } = main
    await page.selectOption('#example', 'Debian web server (bare)')
    await page.fill('#os-search', 'redhat.com 9.')
    const found = await page.$$eval('#os option', (os) => os.map((o) => (o as HTMLOptionElement).value))
    expect(found).toEqual(expect.arrayContaining(['rhel9.0', 'rhel9.1']))
    expect(found).toContain('debian11') // the current choice stays listed
    expect(found.filter((v) => v.startsWith('win'))).toEqual([])
    await page.selectOption('#os', 'rhel9.0')
    await page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').includes('for Red Hat Enterprise Linux 9.0'))
    const facts = await page.textContent('#os-facts')
    expect(facts).toMatch(/^Red Hat Enterprise Linux 9\.0 — redhat\.com, released 2022-/)
    expect(facts).toMatch(/For this domain the defaults apply \d+ rules: .*virtio/)
    await page.fill('#os-search', '')
    await shot(page, 'os-picker')
  })

  it('restores the same state from a shared link in a fresh page', async () => {
    const { page } = main
    await page.selectOption('#example', 'Windows 11 desktop (bare)')
    await page.check('#policies input[value=spice]')
    await page.selectOption('#host-preset', 'preset:tcg-q35')
    await page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').includes('on preset tcg-q35'))
    await page.click('#tab-button-diff')
    await page.evaluate(() => { document.getElementById('action-status')!.textContent = '' })
    await page.click('#share')
    await page.waitForFunction(() => (document.getElementById('action-status')!.textContent ?? '').startsWith('Link copied'))
    const link = await page.evaluate(() => navigator.clipboard.readText())
    expect(link).toBe(page.url())
    expect(link).toMatch(/#s=[A-Za-z0-9_-]+$/)
    const snapshot = (p: Page) => p.evaluate(() => ({
      text: window.virtunedPlayground!.text(),
      os: (document.getElementById('os') as HTMLSelectElement).value,
      host: (document.getElementById('host-preset') as HTMLSelectElement).value,
      policies: [...document.querySelectorAll<HTMLInputElement>('#policies input:checked')].map((c) => c.value),
      tab: document.querySelector('[role=tab][aria-selected=true]')?.id,
      composed: document.getElementById('tab-merged')!.textContent,
      status: document.getElementById('status')!.textContent,
    }))
    const before = await snapshot(page)
    const fresh = await openPage(browser, link)
    pages.push(fresh)
    await fresh.page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').includes('on preset tcg-q35'))
    const after = await snapshot(fresh.page)
    expect(after).toEqual(before)
    expect(after.policies).toContain('spice')
    expect(after.tab).toBe('tab-button-diff')
    await fresh.context.close()
    await page.uncheck('#policies input[value=spice]')
  })

  it('opens a broken link with an example and says why, instead of a half-restored state', async () => {
    const fresh = await openPage(browser, `${origin}#s=bm90LWRlZmxhdGVk`)
    pages.push(fresh)
    await fresh.page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').startsWith('Read: web-01'))
    expect(await fresh.page.textContent('#action-status')).toBe('This link’s saved state cannot be read (it may have been cut short when copied): the page starts with an example instead.')
    await fresh.context.close()
  })

  it('downloads and copies the composed XML, the diff and the explanation', async () => {
    const { page } = main
    await page.selectOption('#example', 'Debian web server (bare)')
    await page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').startsWith('Read: web-01'))
    await page.click('#tab-button-merged')
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')])
    expect(download.suggestedFilename()).toBe('domain.xml')
    expect(readFileSync((await download.path())!, 'utf8')).toBe(await composed(page))
    await page.click('#tab-button-diff')
    await page.click('#copy')
    await page.waitForFunction(() => (document.getElementById('action-status')!.textContent ?? '').startsWith('Copied the diff'))
    const diff = await page.evaluate(() => navigator.clipboard.readText())
    expect(diff).toMatch(/^={60,}\n--- your-domain\.xml\n\+\+\+ composed-domain\.xml\n/)
    expect(diff).toContain("+    <rng model='virtio'>")
    await page.click('#tab-button-explain')
    const [explanation] = await Promise.all([page.waitForEvent('download'), page.click('#download')])
    expect(explanation.suggestedFilename()).toBe('explanation.txt')
    expect(readFileSync((await explanation.path())!, 'utf8')).toMatch(/^default [\w-]+.*\t\/domain\//m)
  })

  it('can be driven by keyboard: the views are tabs that arrow keys move between', async () => {
    const { page } = main
    await page.focus('#tab-button-merged')
    await page.click('#tab-button-merged')
    await page.keyboard.press('ArrowRight')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-button-diff')
    expect(await page.getAttribute('#tab-button-diff', 'aria-selected')).toBe('true')
    expect(await page.isVisible('#tab-diff')).toBe(true)
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-button-preview') // the last tab
    await page.keyboard.press('ArrowLeft')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-button-view')
  })

  it('says everything in its own terms, never with CLI flags (assumed host, forced override, conflicts, bad capabilities)', async () => {
    const { page } = main
    const flags = async () => (await page.evaluate(() => document.body.innerText + [...document.querySelectorAll('[title]')].map((e) => e.getAttribute('title')).join('\n'))).match(/(^|[\s(`])--[a-z][\w-]*/gm) ?? []
    await page.selectOption('#host-preset', 'assumed')
    // A BIOS domain with the secure-boot policy: a conflict, whose hint names the page's checkbox…
    const bios = (examples['Debian web server (bare)']!.xml).replace('<os>', "<os firmware='bios'>")
    await setDocument(page, bios)
    await page.check('#policies input[value=secure-boot]')
    await page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').startsWith('Conflict'))
    expect(await page.textContent('#errors')).toContain('hint: Drop one of the clashing policies, change your value, or tick “let policies override my values” to let')
    expect(await flags()).toEqual([])
    // …and, ticked, the override and the assumed host are said in the page's words.
    await page.check('#force')
    await page.waitForFunction(() => document.getElementById('status')!.className === 'ok')
    expect(await page.textContent('#errors')).toMatch(/Policies override my values: `secure-boot` replaced your \/domain\/os\/@firmware "bios"\./)
    expect(await page.textContent('#errors')).toMatch(/No domain capabilities given: .*\(choose a host preset or paste its `virsh domcapabilities` under “Host”\)/)
    expect(await flags()).toEqual([])
    // virtuned's warnings are the editor's too: a warning marker on the root element's line.
    await page.waitForSelector('.cm-lint-marker-warning')
    expect((await markedLines(page, 'warning')).gutter).toEqual([1])
    const panel = await page.$$eval('.cm-panel-lint li', (items) => items.map((li) => li.textContent ?? ''))
    expect(panel.some((t) => t.startsWith('Policies override my values: `secure-boot` replaced your'))).toBe(true)
    await page.fill('#domcaps', '<domainCapabilities><arch>x86_64</arch>')
    await page.waitForFunction(() => document.getElementById('host-summary')!.className === 'bad')
    expect(await page.textContent('#host-summary')).toMatch(/^These capabilities cannot be read: line 1, column \d+: .*\[defaults-bad-domcaps\]$/)
    expect(await flags()).toEqual([])
    await page.uncheck('#force')
    await page.uncheck('#policies input[value=secure-boot]')
    await page.selectOption('#host-preset', 'assumed')
  })

  it('shows help when the document is empty', async () => {
    const { page } = main
    await setDocument(page, '')
    expect(await page.isVisible('#empty-help')).toBe(true)
    expect(await page.textContent('#status')).toBe('Nothing to check yet: paste or drop a domain, or choose an example.')
    await shot(page, 'empty')
    await page.selectOption('#example', 'Debian web server (bare)')
    expect(await page.isVisible('#empty-help')).toBe(false)
  })

  it('has no serious or critical accessibility violations (axe-core) in any view', async () => {
    const { page } = main
    await page.selectOption('#example', 'Debian web server (bare)')
    await page.waitForFunction(() => document.getElementById('schema')!.dataset.state === 'invalid')
    const found: Record<string, unknown[]> = {}
    for (const tab of ['merged', 'diff', 'explain', 'view', 'preview']) {
      await page.click(`#tab-button-${tab}`)
      found[tab] = await axeViolations(page)
      await shot(page, `view-${tab}`)
    }
    await page.selectOption('#example', 'Broken XML (see the error place)')
    await page.waitForSelector('.cm-lint-marker-error')
    found['with errors'] = await axeViolations(page)
    expect(found).toEqual({ merged: [], diff: [], explain: [], view: [], preview: [], 'with errors': [] })
  })

  it('kept the console clean: no errors, warnings, failed requests or 404s, and no request beyond its own files', () => {
    expect(pages.flatMap((p) => p.problems)).toEqual([])
    expect(pages.flatMap((p) => p.requests).filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([])
  })
})
