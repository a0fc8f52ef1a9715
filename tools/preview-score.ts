// Score @virtuned/preview on libvirt's own test pairs: every domains/NAME.xml →
// domains-out/NAME.<arch>-<qemu>[.abi-update][+variant].xml in the shared corpus, predicted with the
// capabilities file libvirt's qemuxmlconftest uses (tests/testutilsqemu.c: `latest` = the newest
// caps_<ver>_<arch>[+variant].xml with machine aliases stripped; otherwise caps_<qemu>_<arch>[+variant].xml),
// compared in canonical form.
// `--text` compares the text itself instead (libvirt's formatting: attribute order, quotes, layout), byte for byte.
//   npx tsx --conditions=@virtuned/source tools/preview-score.ts [--misses] [--filter REGEX] [--json] [--time] [--refusals] [--libvirt-version N] [--text]
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { canonicalize } from '@virtuned/model'
import { isFirmwareDescriptor, parseQemuCaps, previewDomain, type FirmwareDescriptor, type QemuCaps, type QemuConf } from '@virtuned/preview'

export interface PairResult {
  readonly output: string
  readonly input: string
  readonly group: string
  readonly exact: boolean
  /** First differing canonical line (expected vs got), or the error. */
  readonly miss?: string
}

export interface ScoreRow { readonly group: string; readonly exact: number; readonly total: number }

export interface Score {
  readonly rows: readonly ScoreRow[]
  readonly pairs: readonly PairResult[]
  readonly exact: number
  readonly total: number
  readonly skipped: readonly string[]
}

const outputName = /^(.+)\.([a-z0-9_]+)-(latest|\d+\.\d+\.\d+)(\.abi-update)?(\+[^.]+)?\.xml$/

function versionKey(v: string): number {
  const [a = 0, b = 0, c = 0] = v.split('.').map(Number)
  return a * 1_000_000 + b * 1_000 + c
}

/** The capabilities file libvirt's tests pick for an arch, qemu version (`latest` or x.y.z) and variant. */
export function capsFileFor(corpus: string, arch: string, qemu: string, variant: string): string | undefined {
  const dir = join(corpus, 'qemucaps')
  if (qemu !== 'latest') {
    const file = join(dir, `caps_${qemu}_${arch}${variant}.xml`)
    return existsSync(file) ? file : undefined
  }
  let best: { file: string; key: number } | undefined
  for (const f of readdirSync(dir)) {
    const m = /^caps_(\d+\.\d+\.\d+)_([a-z0-9_]+)(\+[^.]+)?\.xml$/.exec(f)
    if (!m || m[2] !== arch || (m[3] ?? '') !== variant) continue
    const key = versionKey(m[1]!)
    if (!best || key > best.key) best = { file: join(dir, f), key }
  }
  return best?.file
}

/**
 * The firmware descriptors libvirt's tests see (tests/qemufirmwaredata): by file name, a user's file
 * (home/user/.config) hiding /etc's hiding /usr/share's; an empty file masks the name. Symbolic links
 * were copied into the corpus as files holding the link target, which is followed here.
 */
export function loadFirmware(corpus: string): FirmwareDescriptor[] {
  const dirs = ['home/user/.config/qemu/firmware', 'etc/qemu/firmware', 'usr/share/qemu/firmware'].map((d) => join(corpus, 'firmware', d))
  const chosen = new Map<string, string>()
  for (const dir of dirs) {
    if (!existsSync(dir)) continue
    for (const f of readdirSync(dir)) if (f.endsWith('.json') && !chosen.has(f)) chosen.set(f, join(dir, f))
  }
  const out: FirmwareDescriptor[] = []
  for (const name of [...chosen.keys()].sort()) {
    let file = chosen.get(name)!
    let text = readFileSync(file, 'utf8')
    if (/^[^{\s][^\n]*\.json$/.test(text.trim())) { file = join(file, '..', text.trim()); text = readFileSync(file, 'utf8') }
    if (text.trim() === '') continue
    let json: unknown
    try { json = JSON.parse(text) } catch { continue }
    if (isFirmwareDescriptor(json)) out.push({ ...json, name })
  }
  return out
}

/**
 * The host's swtpm as qemuxmlconftest gives it to the parse-error tests it runs with TEST_TPM_ENV_VAR set (its mocked
 * virTPMSwtpmSetupCapsGet offers the versions the variable names; unset, both): those inputs are stored under the
 * default host and refused under this one.
 */
const testSwtpmByRefusedInput: Readonly<Record<string, readonly ('1.2' | '2.0')[]>> = {
  'domains/tpm-emulator.xml': ['2.0'],
  'domains/tpm-emulator-tpm2.xml': ['1.2'],
}

/**
 * The inputs libvirt's tests refuse, each with the configuration it refuses it under (`domains/x.xml x86_64-latest`; a
 * refusal under no test's capabilities — the schema's, the generic tests' — by its input alone): a pair of that input is
 * skipped when stored under the same configuration, not under another (a caps variant: `+hvf`).
 */
function refusedInputs(corpus: string): Set<string> {
  const out = new Set<string>()
  const file = join(corpus, 'expected-parse-errors.txt')
  if (!existsSync(file)) return out
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue
    const [path, kind, scope, config] = line.split('\t')
    if (kind === 'parse' && scope === 'always' && path && testSwtpmByRefusedInput[path] === undefined) out.add(/^[a-z0-9_]+-/.test(config ?? '') ? `${path} ${config}` : path)
  }
  return out
}

function firstDifference(expected: string, got: string): string {
  const e = expected.replace(/></g, '>\n<').split('\n')
  const g = got.replace(/></g, '>\n<').split('\n')
  for (let i = 0; i < Math.max(e.length, g.length); i++) {
    if (e[i] !== g[i]) return `expected ${e[i] ?? '(end)'}\n      got ${g[i] ?? '(end)'}`
  }
  return ''
}

/**
 * The qemu.conf settings (and libvirtd environment) libvirt's qemuxmlconftest.c sets around single tests:
 * host audio with `QEMU_AUDIO_DRV=alsa`; SDL graphics with `QEMU_AUDIO_DRV=sdl` and `SDL_AUDIODRIVER=esd`.
 */
const testQemuConf: Record<string, QemuConf> = {
  'audio-default-sdl': { audioDriver: 'sdl', sdlAudioDriver: 'esd' },
  'audio-default-nographics': { nographicsAllowHostAudio: true, audioDriver: 'alsa' },
  'audio-default-vnc': { vncAllowHostAudio: true, audioDriver: 'alsa' },
}

/**
 * What qemuxmlconftest changes in the capabilities for one test (libvirt 11.3's tests/qemuxmlconftest.c; applied by
 * tests/testutilsqemu.c after the file is loaded): `ARG_QEMU_CAPS` sets flags (`add`), `ARG_QEMU_CAPS_DEL` clears them
 * (`del`; the names are virQEMUCaps' strings: QEMU_CAPS_PIIX3_USB_UHCI is `piix3-usb-uhci`), `ARG_GIC` replaces the GIC
 * versions with 2, 3 or both, each kernel and emulated (testQemuCapsSetGIC; GIC_NONE keeps the file's). By output file;
 * a test run with several GIC settings into one output (FLAG_ALLOW_DUPLICATE_OUTPUT) is scored with the first, GIC_NONE.
 */
const testCapsChanges: Readonly<Record<string, { readonly add?: readonly string[]; readonly del?: readonly string[]; readonly gic?: readonly number[] }>> = {
  'chardev-backends-json.x86_64-9.1.0.xml': { add: ['chardev.json'] },
  'chardev-backends-json.x86_64-latest.xml': { add: ['chardev.json'] },
  'usb-controller-default-unavailable-i440fx.x86_64-latest.xml': { del: ['piix3-usb-uhci'] },
  'usb-controller-default-unavailable-q35.x86_64-latest.xml': { del: ['piix3-usb-uhci'] },
  'usb-controller-automatic-unavailable-q35.x86_64-latest.xml': { del: ['qemu-xhci', 'nec-usb-xhci', 'ich9-usb-ehci1'] },
  'usb-controller-default-unavailable-pseries.ppc64-latest.xml': { del: ['nec-usb-xhci', 'pci-ohci', 'qemu-xhci'] },
  'usb-controller-default-fallback-versatilepb-aarch64.aarch64-latest.xml': { del: ['piix3-usb-uhci'] },
  'usb-controller-default-unavailable-versatilepb-aarch64.aarch64-latest.xml': { del: ['piix3-usb-uhci', 'pci-ohci'] },
  'usb-controller-default-fallback-versatilepb-armv7l.armv7l-latest.xml': { del: ['piix3-usb-uhci'] },
  'usb-controller-default-unavailable-versatilepb-armv7l.armv7l-latest.xml': { del: ['piix3-usb-uhci', 'pci-ohci'] },
  'usb-controller-default-fallback-realview.aarch64-latest.xml': { del: ['piix3-usb-uhci'] },
  'usb-controller-default-unavailable-realview.aarch64-latest.xml': { del: ['piix3-usb-uhci', 'pci-ohci'] },
  'usb-controller-default-fallback-nousb.aarch64-latest.xml': { del: ['piix3-usb-uhci'] },
  'usb-controller-default-unavailable-nousb.aarch64-latest.xml': { del: ['piix3-usb-uhci', 'pci-ohci'] },
  'usb-controller-default-fallback-g3beige.ppc64-latest.xml': { del: ['nec-usb-xhci', 'qemu-xhci'] },
  'usb-controller-default-unavailable-g3beige.ppc64-latest.xml': { del: ['nec-usb-xhci', 'pci-ohci', 'qemu-xhci'] },
  'usb-controller-default-fallback-mac99.ppc64-latest.xml': { del: ['nec-usb-xhci', 'qemu-xhci'] },
  'usb-controller-default-unavailable-mac99.ppc64-latest.xml': { del: ['nec-usb-xhci', 'pci-ohci', 'qemu-xhci'] },
  'usb-controller-default-fallback-mac99ppc.ppc-latest.xml': { del: ['nec-usb-xhci', 'qemu-xhci', 'piix3-usb-uhci'] },
  'usb-controller-default-unavailable-mac99ppc.ppc-latest.xml': { del: ['nec-usb-xhci', 'pci-ohci', 'qemu-xhci', 'piix3-usb-uhci'] },
  'usb-controller-default-fallback-powernv9.ppc64-latest.xml': { del: ['nec-usb-xhci', 'qemu-xhci'] },
  'usb-controller-default-unavailable-powernv9.ppc64-latest.xml': { del: ['nec-usb-xhci', 'pci-ohci', 'qemu-xhci'] },
  'usb-controller-nec-xhci-unavailable.x86_64-latest.xml': { del: ['nec-usb-xhci'] },
  'aarch64-gic-none-v2.aarch64-latest.xml': { gic: [2] },
  'aarch64-gic-none-v3.aarch64-latest.xml': { gic: [3] },
  'aarch64-gic-none-both.aarch64-latest.xml': { gic: [2, 3] },
  'aarch64-gic-none-tcg.aarch64-latest.xml': { gic: [2, 3], del: ['kvm'] },
  'aarch64-gic-default-v2.aarch64-latest.xml': { gic: [2] },
  'aarch64-gic-default-v3.aarch64-latest.xml': { gic: [3] },
  'aarch64-gic-default-both.aarch64-latest.xml': { gic: [2, 3] },
  'launch-security-sev-direct.x86_64-latest.xml': { add: ['sev-guest'] },
  'launch-security-sev-snp.x86_64-latest.xml': { add: ['sev-snp-guest'] },
}

/** The capabilities as qemuxmlconftest gives them to one test (testCapsChanges), the file's own when it changes none. */
export function testCaps(caps: QemuCaps, output: string): QemuCaps {
  const change = testCapsChanges[output]
  if (change === undefined) return caps
  const flags = new Set(caps.flags)
  for (const flag of change.add ?? []) flags.add(flag)
  for (const flag of change.del ?? []) flags.delete(flag)
  return { ...caps, flags, gic: change.gic === undefined ? caps.gic : change.gic.map((version) => ({ version, kernel: true, emulated: true })) }
}

/** A capabilities file read once per run; a file preview cannot read throws again for every pair that uses it. */
function readCaps(cache: Map<string, QemuCaps | Error>, file: string): QemuCaps {
  let caps = cache.get(file)
  if (!caps) {
    try { caps = parseQemuCaps(readFileSync(file)) } catch (error) { caps = error instanceof Error ? error : new Error(String(error)) }
    cache.set(file, caps)
  }
  if (caps instanceof Error) throw caps
  return caps
}

/** Run preview on every pair of the corpus and count canonical-form matches per arch × variant. */
export function scorePreview(corpus: string, options: { filter?: RegExp; libvirtVersion?: number; text?: boolean } = {}): Score {
  const form = (xml: string | Uint8Array): string => (options.text ? (typeof xml === 'string' ? xml : new TextDecoder().decode(xml)) : canonicalize(xml, { comments: false }))
  const refused = refusedInputs(corpus)
  const firmware = loadFirmware(corpus)
  const capsCache = new Map<string, QemuCaps | Error>()
  const pairs: PairResult[] = []
  const skipped: string[] = []
  for (const output of readdirSync(join(corpus, 'domains-out')).sort()) {
    const m = outputName.exec(output)
    if (!m) continue
    const [, name, arch, qemu, abi, variant = ''] = m
    const input = `domains/${name}.xml`
    if (options.filter && !options.filter.test(output)) continue
    if (!existsSync(join(corpus, input))) { skipped.push(`${output}: no input ${input}`); continue }
    if (refused.has(input) || refused.has(`${input} ${arch}-${qemu}${variant}`)) { skipped.push(`${output}: libvirt refuses ${input}`); continue }
    const group = `${arch}-${qemu === 'latest' ? 'latest' : 'versioned'}${abi ?? ''}${variant}`
    const capsFile = capsFileFor(corpus, arch!, qemu!, variant)
    if (!capsFile) { skipped.push(`${output}: no capabilities file`); continue }
    const expected = form(readFileSync(join(corpus, 'domains-out', output)))
    let got: string
    try {
      // (a capabilities file preview cannot read, or anything preview throws, is this pair's miss: the run goes on)
      const caps = testCaps(readCaps(capsCache, capsFile), output)
      got = form(previewDomain(readFileSync(join(corpus, input)), {
        qemuCaps: caps, abiUpdate: abi !== undefined, testHost: qemu === 'latest' ? 'latest' : 'versioned', firmware,
        ...(options.libvirtVersion !== undefined ? { libvirtVersion: options.libvirtVersion } : {}),
        ...(testQemuConf[name!] ? { qemuConf: testQemuConf[name!] } : {}),
      }).xml)
    } catch (error) {
      pairs.push({ output, input, group, exact: false, miss: `error ${(error as { code?: string }).code ?? `untyped ${(error as Error)?.name ?? typeof error}`} ${(error as Error)?.message ?? String(error)}` })
      continue
    }
    const exact = got === expected
    pairs.push(exact ? { output, input, group, exact } : { output, input, group, exact, miss: firstDifference(expected, got) })
  }
  const byGroup = new Map<string, { exact: number; total: number }>()
  for (const p of pairs) {
    const row = byGroup.get(p.group) ?? { exact: 0, total: 0 }
    row.total++
    if (p.exact) row.exact++
    byGroup.set(p.group, row)
  }
  const rows = [...byGroup].map(([group, r]) => ({ group, ...r })).sort((a, b) => b.total - a.total || a.group.localeCompare(b.group))
  const exact = pairs.filter((p) => p.exact).length
  return { rows, pairs, exact, total: pairs.length, skipped }
}

export function formatTable(score: Score): string {
  const pct = (e: number, t: number): string => (t === 0 ? '-' : `${((100 * e) / t).toFixed(1)} %`)
  const lines = ['| arch × variant | exact | total | % |', '|---|---:|---:|---:|']
  for (const r of score.rows) lines.push(`| ${r.group} | ${r.exact} | ${r.total} | ${pct(r.exact, r.total)} |`)
  const x86 = score.rows.filter((r) => r.group.startsWith('x86_64'))
  const xe = x86.reduce((s, r) => s + r.exact, 0)
  const xt = x86.reduce((s, r) => s + r.total, 0)
  lines.push(`| **x86_64, all** | ${xe} | ${xt} | ${pct(xe, xt)} |`)
  lines.push(`| **all** | ${score.exact} | ${score.total} | ${pct(score.exact, score.total)} |`)
  return lines.join('\n')
}

/** One of libvirt's deliberately refused test domains, and what preview made of it. */
export interface RefusalResult {
  readonly input: string
  readonly config: string
  /** libvirt's words, from its expected `.err` file (expected-parse-errors.txt). */
  readonly libvirt: string
  /** `same`: preview refuses with libvirt's words; `other`: preview refuses, with other words; `predicted`: preview predicts a domain. */
  readonly outcome: 'same' | 'other' | 'predicted'
  readonly preview: string
}

/** libvirt's error text without the error-class prefix virsh and the .err files put in front of it. */
export function coreMessage(message: string): string {
  return message.replace(/^[a-z ]+error: /i, '').replace(/^(XML error|internal error|unsupported configuration|invalid argument|operation failed|Operation not supported|Requested operation is not valid|Configuration file syntax error): /, '').trim()
}

/**
 * Every domain libvirt's own tests expect it to refuse with an arch's newest capabilities
 * (expected-parse-errors.txt: kind `parse`, scope `always`, config `<arch>-latest`), previewed on that
 * host as libvirt's tests simulate it: does preview refuse it too, and in libvirt's words?
 */
export function scoreRefusals(corpus: string, options: { libvirtVersion?: number } = {}): RefusalResult[] {
  const file = join(corpus, 'expected-parse-errors.txt')
  if (!existsSync(file)) return []
  const firmware = loadFirmware(corpus)
  const capsCache = new Map<string, QemuCaps | Error>()
  const out: RefusalResult[] = []
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue
    const [input, kind, scope, config, message] = line.split('\t')
    const arch = /^([a-z0-9_]+)-latest$/.exec(config ?? '')?.[1]
    if (kind !== 'parse' || scope !== 'always' || !arch || !input?.startsWith('domains/') || message === undefined) continue
    const capsFile = capsFileFor(corpus, arch, 'latest', '')
    if (!capsFile) continue
    let preview = ''
    let release = options.libvirtVersion
    try { const caps = readCaps(capsCache, capsFile); release ??= caps.libvirtVersion; previewDomain(readFileSync(join(corpus, input)), { qemuCaps: caps, testHost: 'latest', firmware, ...(options.libvirtVersion !== undefined ? { libvirtVersion: options.libvirtVersion } : {}), ...(testSwtpmByRefusedInput[input] !== undefined ? { swtpm: testSwtpmByRefusedInput[input] } : {}) }) } catch (e) { preview = (e as Error).message || String(e) }
    // (libvirt's tests read each domain from its file, which names it in a malformed document's message; virsh define
    // sends the text, which libvirt 9.0 names `(domain_definition)` and 11 `at line N` — preview's frame, model's
    // libvirtXmlSyntaxError)
    const expected = coreMessage(message).replace(/^ABS_SRCDIR\/\S+?\.xml:(\d+): /, (release ?? 0) >= 11_000_000 ? 'at line $1: ' : '(domain_definition):$1: ')
    const outcome = preview === '' ? 'predicted' : preview.startsWith(expected) ? 'same' : 'other'
    out.push({ input, config: config!, libvirt: message, outcome, preview })
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { toolArgs } = await import('./args.ts')
  const { values } = toolArgs('preview-score', { options: { misses: { type: 'boolean' }, filter: { type: 'string' }, json: { type: 'boolean' }, time: { type: 'boolean' }, refusals: { type: 'boolean' }, 'libvirt-version': { type: 'string' }, text: { type: 'boolean' } } })
  const { locateCorpus } = await import('./corpus.ts')
  const { dir, reason } = locateCorpus()
  if (!dir) { console.error(`preview-score: ${reason}`); process.exit(2) }
  // (--libvirt-version 9000000: reproduce another release than the capabilities say, for a suite of that release)
  const version = values['libvirt-version'] ? { libvirtVersion: Number(values['libvirt-version']) } : {}
  const score = scorePreview(dir, { ...(values.filter ? { filter: new RegExp(values.filter) } : {}), ...version, ...(values.text ? { text: true } : {}) })
  if (values.json) console.log(JSON.stringify({ rows: score.rows, exact: score.exact, total: score.total, skipped: score.skipped }, null, 2))
  else {
    console.log(formatTable(score))
    if (score.skipped.length) console.log(`\nskipped ${score.skipped.length}: ${score.skipped.join('; ')}`)
    if (values.misses) for (const p of score.pairs) if (!p.exact) console.log(`\n${p.output}\n      ${p.miss}`)
  }
  if (values.refusals) {
    // libvirt's deliberately refused test domains: refused by preview in libvirt's words, in other words, or predicted
    const results = scoreRefusals(dir, version)
    const count = (o: RefusalResult['outcome']): number => results.filter((r) => r.outcome === o).length
    console.log(`\nlibvirt's refused test domains (<arch>-latest): ${results.length}; preview refuses ${count('same')} in libvirt's words, ${count('other')} in other words, predicts ${count('predicted')}`)
    if (values.misses) for (const r of results) if (r.outcome !== 'same') console.log(`${r.outcome.toUpperCase()} ${r.input} [${r.config}] | ${r.libvirt.slice(0, 120)} | ${r.preview.slice(0, 100)}`)
  }
  if (values.time) {
    // previewDomain alone (parse, rules, serialize) per x86_64-latest input, best of 7 rounds each
    const caps = parseQemuCaps(readFileSync(capsFileFor(dir, 'x86_64', 'latest', '')!))
    const firmware = loadFirmware(dir)
    const inputs = readdirSync(join(dir, 'domains-out')).filter((f) => f.endsWith('.x86_64-latest.xml'))
      .map((f) => join(dir, 'domains', f.replace('.x86_64-latest.xml', '.xml'))).filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8'))
    const best = inputs.map(() => Infinity)
    for (let round = 0; round < 7; round++) {
      inputs.forEach((xml, i) => {
        const t = performance.now()
        try { previewDomain(xml, { qemuCaps: caps, testHost: 'latest', firmware }) } catch { /* refused inputs count too */ }
        best[i] = Math.min(best[i]!, performance.now() - t)
      })
    }
    const sorted = best.sort((a, b) => a - b)
    const us = (q: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]! * 1000).toFixed(0)
    console.log(`\npreviewDomain per x86_64 domain (${inputs.length} inputs, best of 7): median ${us(0.5)} µs, p90 ${us(0.9)} µs, max ${us(1)} µs`)
  }
}
