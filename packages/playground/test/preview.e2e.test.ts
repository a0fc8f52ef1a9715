// Issue 19's Preview tab in Debian's Chromium: the composed domain as libvirt stores it after
// `virsh define`, predicted in the page by @virtuned/preview from the host's QEMU capabilities (a
// preset the project copied from its libvirt sandbox's cache, or a file pasted, dropped or opened).
// The tab's XML, explanation and "not predicted" list must equal previewDomain run here in Node on
// the same composed XML with the same capabilities file; bad capabilities show preview's own error;
// the package and the presets load only when chosen; axe-core and the console stay clean.
import { mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Server } from 'node:http'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseQemuCaps, previewDomain, PreviewError, type FirmwareDescriptor } from '@virtuned/preview'
import { inPageTerms } from '../src/terms.ts'
import { axeViolations, dist, label, launch, openPage, packageDir, previewInFirstPaint, reports, runBrowser, serve, type Watched } from './_browser.ts'

const qemuCapsFile = (arch: string) => readFileSync(join(packageDir, 'src/presets/qemucaps', `${arch}.xml`), 'utf8')
/** The sandbox's firmware descriptors, which the page gives preview with a preset (not with a pasted file). */
const presetFirmware = (JSON.parse(readFileSync(join(packageDir, 'src/presets/qemucaps/firmware.json'), 'utf8')) as { descriptors: FirmwareDescriptor[] }).descriptors
const presetArches = readdirSync(join(packageDir, 'src/presets/qemucaps')).filter((f) => f.endsWith('.xml')).map((f) => f.replace(/\.xml$/, '')).sort()

/** What the Preview tab shows: its state, the XML, the explanation's rows and the "not predicted" list. */
async function previewTab(page: Page): Promise<{ state: string; code: string | undefined; status: string; xml: string; explanation: string[][]; notPredicted: string[] }> {
  return page.evaluate(() => {
    const tab = document.getElementById('tab-preview')!
    return {
      state: tab.dataset.state ?? '',
      code: tab.dataset.code,
      status: document.getElementById('preview-status')!.textContent ?? '',
      xml: document.getElementById('preview-xml')!.textContent ?? '',
      explanation: [...document.querySelectorAll('#preview-explain tr:not(.head)')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      notPredicted: [...document.querySelectorAll('#preview-not-predicted li')].map((li) => li.textContent ?? ''),
    }
  })
}

/** Wait until the Preview has settled (not loading) after the composed XML or the capabilities changed. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !['', 'loading'].includes(document.getElementById('tab-preview')!.dataset.state ?? ''))
}

/** The same preview computed in Node: the rows and list the tab should show. */
function expected(composedXml: string, arch: string, options: { pasted?: boolean } = {}): { xml: string; explanation: string[][]; notPredicted: string[] } {
  // As the page calls it: `virsh define` parses with the ABI update; a preset comes with its host's firmware descriptors.
  const result = previewDomain(composedXml, { qemuCaps: qemuCapsFile(arch), abiUpdate: true, ...(options.pasted ? {} : { firmware: presetFirmware }) })
  return {
    xml: result.xml,
    // In the page's words (test/terms.test.ts): preview's texts with its API options named as the page's.
    explanation: result.explanation.map((e) => [e.rule, e.path, inPageTerms(e.why)]),
    notPredicted: result.notPredicted.length ? result.notPredicted.map((n) => `${n.path}: ${inPageTerms(n.reason)}`) : ['Nothing: every part of this domain is predicted.'],
  }
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(reports, { recursive: true })
  await page.screenshot({ path: join(reports, `playground-${name}.png`), fullPage: true })
}

describe.skipIf(!runBrowser)(`the playground's Preview tab (issue 19) in Chromium${label}`, () => {
  let server: Server
  let origin: string
  let browser: Browser
  let main: Watched
  const pages: Watched[] = []
  /** The chunk holding @virtuned/preview and those of the QEMU capabilities presets, by content. */
  const chunks = () => {
    const assets = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'))
    const holding = (marker: string) => assets.filter((f) => readFileSync(join(dist, 'assets', f), 'utf8').includes(marker))
    return { preview: holding('preview-not-qemucaps'), qemuCaps: holding('<qemuctime>') }
  }

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

  it('has presets made from the sandbox libvirtd’s own cache files, each saying how', () => {
    expect(presetArches).toContain('x86_64')
    for (const arch of presetArches) {
      const xml = qemuCapsFile(arch)
      expect(xml).toMatch(/^<!-- virtuned playground QEMU capabilities preset `[\w]+`: libvirt's QEMU capabilities cache for \/usr\/bin\/qemu-system-\w+\n/)
      expect(xml).toContain('by packages/playground/scripts/qemucaps-presets.mjs')
      expect(parseQemuCaps(xml).arch).toBe(arch)
    }
  })

  it('says what it needs without QEMU capabilities, and loads neither the preview nor a preset until they are chosen', async () => {
    const { page, requests } = main
    await page.selectOption('#example', 'Debian web server (bare)')
    await page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').startsWith('Read: web-01'))
    await page.click('#tab-button-preview')
    await settled(page)
    const tab = await previewTab(page)
    expect(tab.state).toBe('needs-caps')
    expect(tab.status).toMatch(/^The Preview shows the composed domain as libvirt stores it after `virsh define`.*choose one of the project’s under “QEMU capabilities”, or paste, drop or open the host’s file \(libvirt keeps one per QEMU binary in \/var\/cache\/libvirt\/qemu\/capabilities\//)
    expect(tab.status).not.toMatch(/--[a-z]/) // the page's words, no CLI option
    expect(await page.isVisible('#preview-xml')).toBe(false)
    const { preview, qemuCaps } = chunks()
    expect(preview).toHaveLength(1)
    expect(qemuCaps.length).toBe(presetArches.length)
    expect(requests.filter((u) => qemuCaps.some((c) => u.endsWith(`/assets/${c}`)))).toEqual([])
    // The page imports @virtuned/preview only when capabilities are chosen; it is a chunk of its own
    // unless a package of the first paint depends on it (then it is in the entry, and counted in the budget).
    const html = readFileSync(join(dist, 'index.html'), 'utf8')
    const entry = /<script type="module"[^>]* src="\.\/assets\/([^"]+)"/.exec(html)![1]!
    if (previewInFirstPaint()) expect(preview).toEqual([entry])
    else expect(requests.filter((u) => preview.some((c) => u.endsWith(`/assets/${c}`)))).toEqual([])
    await page.click('#download')
    expect(await page.textContent('#action-status')).toBe('Nothing to download yet: the Preview needs a composed domain and QEMU capabilities.')
    await shot(page, 'preview-needs-caps')
    expect(await axeViolations(page)).toEqual([])
  })

  const cases = [
    { name: 'x86_64, KVM q35 with the spice policy (Windows 11)', example: 'Windows 11 desktop (bare)', host: 'preset:kvm-q35', policies: ['spice'], arch: 'x86_64', status: 'on preset kvm-q35' },
    { name: 'x86_64, the assumed host (Debian)', example: 'Debian web server (bare)', host: 'assumed', policies: [], arch: 'x86_64', status: 'Read: web-01' },
    { name: 'aarch64 virt under TCG', example: 'Debian guest for any architecture (choose an ARM or IBM Z host)', host: 'preset:tcg-aarch64-virt', policies: [], arch: 'aarch64', status: 'on preset tcg-aarch64-virt' },
    { name: 's390x under TCG', example: 'Debian guest for any architecture (choose an ARM or IBM Z host)', host: 'preset:tcg-s390x', policies: [], arch: 's390x', status: 'on preset tcg-s390x' },
  ]
  for (const c of cases) {
    it(`shows exactly what previewDomain gives in Node for the composed XML and the same preset file: ${c.name}`, async (context) => {
      if (!presetArches.includes(c.arch)) context.skip(`no ${c.arch} preset (the sandbox had not probed qemu-system-${c.arch})`)
      const { page, requests } = main
      await page.selectOption('#host-preset', c.host)
      await page.selectOption('#example', c.example)
      for (const p of c.policies) await page.check(`#policies input[value=${p}]`)
      await page.selectOption('#qemucaps-preset', `preset:${c.arch}`)
      await page.waitForFunction((s) => document.getElementById('status')!.className === 'ok' && (document.getElementById('status')!.textContent ?? '').includes(s), c.status)
      await page.click('#tab-button-preview')
      await page.waitForFunction(() => document.getElementById('tab-preview')!.dataset.state === 'ready')
      const composedXml = (await page.textContent('#tab-merged')) ?? ''
      expect(composedXml).toMatch(/^<domain /)
      const want = expected(composedXml, c.arch)
      const tab = await previewTab(page)
      expect(tab.xml).toBe(want.xml)
      expect(tab.explanation).toEqual(want.explanation)
      expect(tab.notPredicted).toEqual(want.notPredicted)
      expect(tab.explanation.length).toBeGreaterThan(0) // libvirt always adds something to a composed domain
      // UEFI (Windows 11 requires it): the presets are the sandbox's libvirt 9.0, which selects the firmware when the
      // domain starts, not at define — the definition keeps the request as written (seen on that daemon)
      if (c.example.startsWith('Windows')) { expect(tab.xml).toContain("<os firmware='efi'>"); expect(tab.xml).not.toContain('<loader') }
      expect(tab.status).toMatch(new RegExp(`^What libvirt 9\\.0\\.0 stores after \`virsh define\` on this host \\(QEMU 7\\.2\\.\\d+, ${c.arch}\\): ${want.explanation.length} changes?, `))
      expect(await page.textContent('#qemucaps-summary')).toMatch(new RegExp(`^QEMU 7\\.2\\.\\d+ for ${c.arch} \\(/usr/bin/qemu-system-${c.arch}\\), libvirt 9\\.0\\.0: .* With the same host's ${presetFirmware.length} firmware descriptors\\.$`))
      // The preset came as a chunk of its own, when chosen.
      expect(requests.some((u) => chunks().qemuCaps.some((f) => u.endsWith(`/assets/${f}`)))).toBe(true)
      // Copy and Download take the previewed XML.
      expect(await page.textContent('#download')).toBe('Download previewed XML')
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')])
      expect(download.suggestedFilename()).toBe('domain-defined.xml')
      expect(readFileSync((await download.path())!, 'utf8')).toBe(want.xml)
      await page.click('#copy')
      await page.waitForFunction(() => (document.getElementById('action-status')!.textContent ?? '').startsWith('Copied the previewed XML'))
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(want.xml)
      await shot(page, `preview-${c.arch}${c.policies.length ? '-' + c.policies.join('-') : ''}`)
      for (const p of c.policies) await page.uncheck(`#policies input[value=${p}]`)
    })
  }

  it('follows the composed domain as it changes (a tick of a policy is previewed again)', async () => {
    const { page } = main
    await page.selectOption('#host-preset', 'assumed')
    await page.selectOption('#qemucaps-preset', 'preset:x86_64')
    await page.selectOption('#example', 'Debian web server (bare)')
    await page.waitForFunction(() => document.getElementById('tab-preview')!.dataset.state === 'ready')
    const before = (await previewTab(page)).xml
    await page.check('#policies input[value=vnc]')
    await page.waitForFunction((b) => document.getElementById('tab-preview')!.dataset.state === 'ready' && document.getElementById('preview-xml')!.textContent !== b, before)
    const composedXml = (await page.textContent('#tab-merged')) ?? ''
    expect(composedXml).toContain("<graphics type='vnc'")
    expect((await previewTab(page)).xml).toBe(expected(composedXml, 'x86_64').xml)
    await page.uncheck('#policies input[value=vnc]')
  })

  it('shows preview-not-qemucaps for a pasted file that is not <qemuCaps> (a domcapabilities document), with preview’s message', async () => {
    const { page } = main
    await page.selectOption('#example', 'Debian web server (bare)')
    const domcaps = readFileSync(join(packageDir, 'src/presets/tcg-q35.xml'), 'utf8')
    await page.fill('#qemucaps', domcaps)
    await page.waitForFunction(() => document.getElementById('tab-preview')!.dataset.state === 'error')
    expect(await page.inputValue('#qemucaps-preset')).toBe('pasted')
    const tab = await previewTab(page)
    expect(tab.code).toBe('preview-not-qemucaps')
    let thrown: unknown
    try { parseQemuCaps(domcaps) } catch (error) { thrown = error }
    expect(thrown).toBeInstanceOf(PreviewError)
    const error = thrown as PreviewError
    expect(error.code).toBe('preview-not-qemucaps')
    expect(tab.status).toBe(`These QEMU capabilities cannot be used: line ${error.place!.line}, column ${error.place!.column}: ${error.message} [preview-not-qemucaps] — ${error.note!}`)
    expect(tab.xml).toBe('')
    expect(await page.isVisible('#preview-xml')).toBe(false)
    expect(await page.getAttribute('#qemucaps-summary', 'class')).toBe('bad')
    expect(await page.textContent('#qemucaps-summary')).toContain('[preview-not-qemucaps]')
    await shot(page, 'preview-not-qemucaps')
    expect(await axeViolations(page)).toEqual([])
  })

  it('shows preview-arch-mismatch for capabilities of another architecture than the domain', async (context) => {
    const other = presetArches.find((a) => a !== 'x86_64')
    if (!other) context.skip('only an x86_64 preset')
    const { page } = main
    await page.selectOption('#host-preset', 'assumed')
    await page.selectOption('#example', 'Debian web server (bare)')
    await page.selectOption('#qemucaps-preset', `preset:${other!}`)
    await page.waitForFunction(() => document.getElementById('tab-preview')!.dataset.state === 'error')
    const tab = await previewTab(page)
    expect(tab.code).toBe('preview-arch-mismatch')
    let thrown: unknown
    try { previewDomain((await page.textContent('#tab-merged'))!, { qemuCaps: qemuCapsFile(other!), abiUpdate: true }) } catch (error) { thrown = error }
    expect((thrown as PreviewError).code).toBe('preview-arch-mismatch')
    expect(tab.status).toContain(`${(thrown as PreviewError).message} [preview-arch-mismatch]`)
    expect(tab.status).toMatch(/^The composed domain cannot be previewed with these QEMU capabilities: /)
  })

  it('takes a dropped or opened capabilities file, and says a pasted one is not kept in a link', async () => {
    const { page } = main
    await page.selectOption('#example', 'Debian web server (bare)')
    await page.selectOption('#qemucaps-preset', 'none')
    await page.waitForFunction(() => document.getElementById('tab-preview')!.dataset.state === 'needs-caps')
    const transfer = await page.evaluateHandle((text) => { const dt = new DataTransfer(); dt.items.add(new File([text], 'caps.xml', { type: 'text/xml' })); return dt }, qemuCapsFile('x86_64'))
    await page.dispatchEvent('#qemucaps', 'drop', { dataTransfer: transfer })
    await page.waitForFunction(() => document.getElementById('tab-preview')!.dataset.state === 'ready')
    expect(await page.inputValue('#qemucaps-preset')).toBe('pasted')
    expect(await previewTab(page)).toMatchObject(expected((await page.textContent('#tab-merged'))!, 'x86_64', { pasted: true }))
    expect(await page.textContent('#qemucaps-summary')).toMatch(/No firmware descriptors: UEFI loaders are not predicted\. A pasted file is too large for a link: “Copy link” keeps only a preset choice/)
    await page.fill('#qemucaps', '')
    await page.waitForFunction(() => document.getElementById('tab-preview')!.dataset.code === 'playground-no-qemucaps')
    await page.setInputFiles('#qemucaps-file', { name: 'opened.xml', mimeType: 'text/xml', buffer: Buffer.from(qemuCapsFile('x86_64')) })
    await page.waitForFunction(() => document.getElementById('tab-preview')!.dataset.state === 'ready')
    expect(await page.inputValue('#qemucaps')).toBe(qemuCapsFile('x86_64'))
    // In a shared link the pasted file is not kept: the fresh page has no QEMU capabilities.
    await page.evaluate(() => { document.getElementById('action-status')!.textContent = '' })
    await page.click('#share')
    await page.waitForFunction(() => (document.getElementById('action-status')!.textContent ?? '').startsWith('Link copied'))
    const fresh = await openPage(browser, page.url())
    pages.push(fresh)
    await settled(fresh.page)
    expect(await fresh.page.inputValue('#qemucaps-preset')).toBe('none')
    expect((await previewTab(fresh.page)).state).toBe('needs-caps')
    await fresh.context.close()
  })

  it('restores a preset choice and the Preview tab from a shared link in a fresh page', async () => {
    const { page } = main
    await page.selectOption('#host-preset', 'preset:kvm-q35')
    await page.selectOption('#example', 'Windows 11 desktop (bare)')
    await page.selectOption('#qemucaps-preset', 'preset:x86_64')
    await page.click('#tab-button-preview')
    await page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').includes('on preset kvm-q35') && document.getElementById('tab-preview')!.dataset.state === 'ready')
    // An earlier test's "Link copied" must not answer for this copy: clear it first.
    await page.evaluate(() => { document.getElementById('action-status')!.textContent = '' })
    await page.click('#share')
    await page.waitForFunction(() => (document.getElementById('action-status')!.textContent ?? '').startsWith('Link copied'))
    const link = await page.evaluate(() => navigator.clipboard.readText())
    const before = await previewTab(page)
    const fresh = await openPage(browser, link)
    pages.push(fresh)
    await fresh.page.waitForFunction(() => document.getElementById('tab-preview')!.dataset.state === 'ready', undefined, { polling: 100, timeout: 30_000 })
    expect(await fresh.page.inputValue('#qemucaps-preset')).toBe('preset:x86_64')
    expect(await fresh.page.getAttribute('#tab-button-preview', 'aria-selected')).toBe('true')
    expect(await previewTab(fresh.page)).toEqual(before)
    expect(await axeViolations(fresh.page)).toEqual([])
    await fresh.context.close()
    await page.selectOption('#host-preset', 'assumed')
  })

  it('kept the console clean: no errors, warnings, failed requests or 404s', () => {
    expect(pages.flatMap((p) => p.problems)).toEqual([])
    expect(pages.flatMap((p) => p.requests).filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([])
  })
})
