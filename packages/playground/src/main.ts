// The playground: everything happens here, in the page — parse and validate with the model, compose
// with policies + defaults for a host and a guest OS, diff with the WebAssembly engine, explain, plan
// a hot-plug, preview what libvirt stores. The first paint is this chunk; the editor (CodeMirror),
// libvirt's schema validator, the preview (@virtuned/preview) and the host presets are chunks of their
// own, loaded when needed.
import { createTwoFilesPatch, diffLines } from 'diff'
import { assumedHost, checkHostArch, checkOsArch, checkProfileArch, defaultOsTable, deviceDefaultsLayer, getProfile, parseDomainCapabilities, profileForArch, profiles, type HostCapabilities, type OsEntry } from '@virtuned/defaults'
import { deviceFromSpec, planAttach } from '@virtuned/hotplug'
import { libvirtIdentityKeys, parseLibvirtXml, serialize, viewDomain, type LibvirtDocument } from '@virtuned/model'
import { builtinPolicies, compose, PolicyConflictError, summarizeNodes, type ComposeResult } from '@virtuned/policies'
import { VirtunedError, createEngine, type XmlChangeEngine, type XmlEngine } from '@virtuned/xml-core'
import type { SchemaProblem, SchemaValidator } from '@virtuned/schema'
import type { FirmwareDescriptor, PreviewResult, QemuCaps } from '@virtuned/preview'
// Only the URL of libxml2's module: fetched and compiled when the first document is checked.
import libxml2WasmUrl from '@virtuned/schema/libxml2.wasm?url'
import type { Editor, Problem } from './editor.ts'
import { examples } from './examples.ts'
import { hostPresets, loadPresetFirmware, qemuCapsPresets } from './presets.ts'
import { decodeState, encodeState, type HostChoice, type PageState } from './state.ts'
import { inPageTerms } from './terms.ts'

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const input = $<HTMLTextAreaElement>('input')
const status = $<HTMLDivElement>('status')
const errors = $<HTMLOListElement>('errors')
const merged = $<HTMLPreElement>('tab-merged')
const view = $<HTMLPreElement>('tab-view')
const diffTable = $<HTMLTableElement>('diff')
const explainTable = $<HTMLTableElement>('explain')
const planOut = $<HTMLPreElement>('plan')
const schemaStatus = $<HTMLDivElement>('schema')
const schemaErrors = $<HTMLOListElement>('schema-errors')
const osSelect = $<HTMLSelectElement>('os')
const osSearch = $<HTMLInputElement>('os-search')
const hostSelect = $<HTMLSelectElement>('host-preset')
const domcapsArea = $<HTMLTextAreaElement>('domcaps')
const hostSummary = $<HTMLParagraphElement>('host-summary')
const actionStatus = $<HTMLSpanElement>('action-status')
const qemuSelect = $<HTMLSelectElement>('qemucaps-preset')
const qemuArea = $<HTMLTextAreaElement>('qemucaps')
const qemuSummary = $<HTMLParagraphElement>('qemucaps-summary')
const previewTab = $<HTMLDivElement>('tab-preview')
const previewStatus = $<HTMLParagraphElement>('preview-status')

let engine: (XmlEngine & XmlChangeEngine) | undefined
let last: ComposeResult | undefined
let lastInput: string | undefined

// ---- the editor: the <textarea> until CodeMirror's chunk arrives ---------------------------------

let editor: Editor | undefined
let programmatic = false
const text = (): string => editor ? editor.text() : input.value
function setText(value: string): void {
  programmatic = true
  if (editor) editor.setText(value)
  else input.value = value
  programmatic = false
}

/** Problems shown in the editor: the XML's and the model's (from `update`), libvirt's schema's (later). */
let baseProblems: Problem[] = []
let schemaProblems: Problem[] = []
function pushProblems(): void {
  editor?.setProblems([...baseProblems, ...schemaProblems])
}

function focusAt(line: number, column: number): void {
  if (editor) { editor.focusAt(line, column); return }
  const lines = input.value.split('\n')
  let offset = 0
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1
  const before = [...(lines[line - 1] ?? '')].slice(0, Math.max(0, column - 1)).join('').length
  input.focus()
  input.setSelectionRange(offset + before, offset + before + 1)
}

let timer: ReturnType<typeof setTimeout> | undefined
function scheduleUpdate(): void {
  clearTimeout(timer)
  timer = setTimeout(update, 150)
}

async function loadEditor(): Promise<void> {
  const { createEditor } = await import('./editor.ts')
  const host = $('editor-host')
  editor = createEditor(host, { text: input.value, label: 'Domain XML', onChange: () => { if (!programmatic) scheduleUpdate() } })
  input.remove()
  editor.view.contentDOM.setAttribute('aria-describedby', 'empty-help')
  editor.view.contentDOM.id = 'input-editor'
  pushProblems()
  document.body.dataset.editor = 'ready'
}

// ---- small DOM helpers ---------------------------------------------------------------------------

function option(parent: HTMLElement, value: string, label = value): HTMLOptionElement {
  const o = document.createElement('option')
  o.value = value
  o.textContent = label
  parent.append(o)
  return o
}

function row(table: HTMLTableElement, cells: [string, string?][], className?: string): void {
  const tr = table.insertRow()
  if (className) tr.className = className
  for (const [value, cls] of cells) {
    const td = tr.insertCell()
    td.textContent = value
    if (cls) td.className = cls
  }
}

function item(list: HTMLOListElement, value: string, className?: string): HTMLLIElement {
  const li = document.createElement('li')
  li.textContent = value
  if (className) li.className = className
  list.append(li)
  return li
}

function selectedPolicies(): string[] {
  return [...document.querySelectorAll<HTMLInputElement>('#policies input:checked')].map((c) => c.value)
}

/** Line of the root element's start tag (where whole-document messages are marked). */
function rootLine(value: string): number {
  const at = value.search(/<[A-Za-z]/)
  return at < 0 ? 1 : value.slice(0, at).split('\n').length
}

// ---- the host ------------------------------------------------------------------------------------

let hostChoice: HostChoice = { kind: 'assumed' }
/** The capabilities read from the chosen host, or the reason they cannot be read. */
let host: { readonly caps?: HostCapabilities; readonly error?: VirtunedError } = {}

async function chooseHost(choice: HostChoice): Promise<void> {
  hostChoice = choice
  hostSelect.value = choice.kind === 'preset' ? `preset:${choice.id}` : choice.kind
  domcapsArea.disabled = false
  try {
    if (choice.kind === 'assumed') host = {}
    else {
      const preset = choice.kind === 'preset' ? hostPresets.find((p) => p.id === choice.id) : undefined
      if (choice.kind === 'pasted' && choice.xml.trim() === '') throw new VirtunedError('playground-no-qemucaps', 'Nothing pasted yet', { note: 'Paste, drop or open libvirt’s QEMU capabilities file under “QEMU capabilities”, or choose one of the listed ones.' })
    if (choice.kind === 'preset' && !preset) throw new VirtunedError('playground-unknown-preset', `Unknown host preset \`${choice.id}\``, { note: 'Choose one of the listed hosts.' })
      const xml = preset ? await preset.load() : (choice as { xml: string }).xml
      if (preset) domcapsArea.value = xml
      host = { caps: parseDomainCapabilities(xml, preset ? `preset ${preset.id}` : 'your capabilities') }
    }
  } catch (error) {
    host = { error: error instanceof VirtunedError ? error : new VirtunedError('playground-bad-host', String(error)) }
  }
  describeHost()
}

function describeHost(): void {
  hostSummary.className = host.error ? 'bad' : 'muted'
  if (host.error) {
    const place = host.error.place ? `line ${host.error.place.line}, column ${host.error.place.column}: ` : ''
    hostSummary.textContent = `These capabilities cannot be read: ${place}${inPageTerms(host.error.message.replace(/^your capabilities(:\d+:\d+)?: /, ''))} [${host.error.code}]`
    return
  }
  const caps = host.caps
  if (!caps) { hostSummary.textContent = 'No capabilities chosen: the page assumes an x86_64 KVM host with common features (a domain of type qemu: a TCG one).'; return }
  const firmware = caps.enums['os/firmware']?.join(', ') || 'not listed'
  const graphics = caps.enums['devices/graphics/type']?.join(', ') || 'not listed'
  hostSummary.textContent = `${caps.virtType === 'kvm' ? 'KVM' : `${caps.virtType} (TCG emulation)`} on ${caps.arch}, machine ${caps.machine ?? 'not named'}; firmware: ${firmware}; graphics: ${graphics}; from ${caps.source}.`
}

/** The architecture a domain writes (`<os><type arch=…>`), if any. */
function writtenArch(document_: LibvirtDocument): string | undefined {
  const os = document_.root.children.find((c) => c.type === 'element' && c.name === 'os')
  const type = os?.type === 'element' ? os.children.find((c) => c.type === 'element' && c.name === 'type') : undefined
  return type?.type === 'element' ? type.attributes.arch : undefined
}

/**
 * The host and profile compose uses, chosen as the CLI chooses them with `--domcaps`: the
 * capabilities given (their architecture is the guest's; a domain written for another is refused),
 * else the assumed x86_64 host (for a domain of type qemu, the assumed host run by TCG); the OS must
 * be published for the architecture; with the profile left to the page, the latest one that covers
 * the architecture. Refusals and warnings are the CLI's, in the page's words.
 */
function hostFor(document_: LibvirtDocument, warnings: string[]): { caps?: HostCapabilities; profile?: string } {
  if (host.error) throw host.error
  let caps = host.caps
  const written = writtenArch(document_)
  const arch = caps ? checkHostArch(written, caps) : written ?? 'x86_64'
  if (!caps && arch !== 'x86_64') throw new VirtunedError('playground-host-needed', `Expected host capabilities for ${arch}: only an x86_64 host is assumed without them`, { note: `Choose a host for ${arch} under “Host”, or paste what \`virsh domcapabilities\` prints for ${arch} there.` })
  const os = osById.get(osSelect.value)
  if (os) checkOsArch(os, arch)
  let profile: string | undefined = $<HTMLSelectElement>('profile').value || undefined
  if (profile !== undefined) checkProfileArch(getProfile(profile), arch)
  else {
    const latest = getProfile()
    if (!latest.arches.includes(arch)) {
      profile = profileForArch(arch)
      if (profile === undefined) checkProfileArch(latest, arch)
      warnings.push(`Profile ${latest.id} has no rules for ${arch}: using profile ${profile} (choose another under “Defaults profile”).`)
    }
  }
  const type = document_.root.attributes.type
  if (caps === undefined && type === 'qemu') {
    warnings.push('No host capabilities chosen: assuming an x86_64 TCG host with common features (choose a host preset or paste its `virsh domcapabilities` under “Host”).')
    caps = { ...assumedHost, virtType: 'qemu', supported: { ...assumedHost.supported, 'cpu/host-model': false, 'cpu/maximum': true }, source: 'assumed (TCG)' }
  }
  if (host.caps && (type === 'kvm' || type === 'qemu') && type !== host.caps.virtType) {
    warnings.push(`The domain's type is ${type} but the host capabilities (${host.caps.source}) are for ${host.caps.virtType}: the defaults follow the capabilities; paste the capabilities libvirt gives for ${type} guests, or change the domain's type.`)
  }
  return { ...(caps ? { caps } : {}), ...(profile ? { profile } : {}) }
}

// ---- libvirt's schema, checked by libxml2 in WebAssembly (@virtuned/schema) -----------------------
// A chunk of its own and a .wasm file, both loaded when the first document is checked: the page
// works before they arrive. One validator for the page's life.

let schemaLoad: Promise<SchemaValidator> | undefined
let schemaRun = 0

function loadSchema(): Promise<SchemaValidator> {
  schemaLoad ??= (async () => {
    const [{ createValidator }, response] = await Promise.all([import('@virtuned/schema'), fetch(libxml2WasmUrl)])
    if (!response.ok) throw new Error(`${libxml2WasmUrl}: HTTP ${response.status}`)
    // Streaming compilation needs the server to say application/wasm; otherwise compile the bytes.
    const module = (response.headers.get('content-type') ?? '').startsWith('application/wasm')
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await response.arrayBuffer())
    return createValidator({ module })
  })()
  schemaLoad.catch(() => { schemaLoad = undefined })
  return schemaLoad
}

function clearSchema(): void {
  schemaRun++
  schemaStatus.dataset.state = ''
  schemaStatus.textContent = ''
  schemaErrors.replaceChildren()
  schemaProblems = []
}

/** Check the input (and the composed XML, if composing succeeds) against libvirt's schema, once the validator is there. */
function checkSchema(value: string, composed: () => string | undefined): void {
  const run = ++schemaRun
  schemaStatus.dataset.state = 'checking'
  schemaStatus.textContent = "libvirt's schema: loading the validator…"
  schemaErrors.replaceChildren()
  loadSchema().then((validator) => {
    if (run !== schemaRun) return // the input changed meanwhile
    const mine = validator.validate(value)
    const xml = composed()
    const theirs = xml === undefined ? undefined : validator.validate(xml)
    const name = `libvirt ${validator.schema.version ?? ''} ${validator.schema.start}`.replace('  ', ' ')
    const after = theirs === undefined ? 'nothing composed' : `the composed XML is ${theirs.valid ? 'valid' : `invalid (${theirs.errors[0]?.message ?? ''})`}`
    schemaStatus.dataset.state = mine.valid ? 'valid' : 'invalid'
    schemaStatus.dataset.composed = theirs === undefined ? '' : theirs.valid ? 'valid' : 'invalid'
    const first = mine.errors[0]
    schemaStatus.dataset.line = String(first?.line ?? '')
    schemaStatus.dataset.column = String(first?.column ?? '')
    schemaStatus.textContent = mine.valid
      ? `Schema (${name}): your XML is valid; ${after}.`
      : `Schema (${name}): your XML has ${mine.errors.length} problem${mine.errors.length === 1 ? '' : 's'}; ${after}.`
    for (const problem of mine.errors) schemaErrors.append(schemaItem(problem))
    schemaProblems = mine.errors.map((p) => ({ line: p.line, column: Math.max(1, p.column), severity: 'error', source: 'libvirt schema', message: `${p.message} [${p.code}]` }))
    pushProblems()
  }, (error: unknown) => {
    if (run !== schemaRun) return
    schemaStatus.dataset.state = 'unavailable'
    schemaStatus.textContent = `libvirt's schema could not be checked: ${String(error)}`
  })
}

function schemaItem(problem: SchemaProblem): HTMLLIElement {
  const li = document.createElement('li')
  const where = problem.column > 0 ? `line ${problem.line}, column ${problem.column}` : `line ${problem.line}`
  li.textContent = `${where}: ${problem.message} [${problem.code}]`
  li.dataset.line = String(problem.line)
  li.dataset.column = String(problem.column)
  li.dataset.code = problem.code
  li.title = problem.path
  li.tabIndex = 0
  const go = () => focusAt(problem.line, Math.max(1, problem.column))
  li.addEventListener('click', go)
  li.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go() } })
  return li
}

// ---- the Preview: the composed domain as libvirt stores it after `virsh define` ------------------
// @virtuned/preview predicts it from the host's QEMU capabilities (libvirt's cache file, `<qemuCaps>`).
// The package and the presets are chunks of their own, loaded when capabilities are first chosen.

type QemuCapsChoice = { readonly kind: 'none' } | { readonly kind: 'preset'; readonly id: string } | { readonly kind: 'pasted'; readonly xml: string }
let qemuChoice: QemuCapsChoice = { kind: 'none' }
/** The parsed capabilities (with a preset, its host's firmware descriptors), or why they cannot be used; neither while they load. */
let qemu: { readonly caps?: QemuCaps; readonly firmware?: readonly FirmwareDescriptor[]; readonly error?: unknown } = {}
let qemuRun = 0
let previewLoad: Promise<typeof import('@virtuned/preview')> | undefined
let previewed: PreviewResult | undefined
let previewRun = 0

function loadPreview(): Promise<typeof import('@virtuned/preview')> {
  previewLoad ??= import('@virtuned/preview')
  previewLoad.catch(() => { previewLoad = undefined })
  return previewLoad
}

/** A code and a message for anything the preview (or loading it) threw, in the page's words. */
function previewProblem(error: unknown): { code: string; text: string } {
  if (error instanceof VirtunedError) {
    const where = error.place ? `line ${error.place.line}, column ${error.place.column}: ` : ''
    return { code: error.code, text: `${where}${inPageTerms(error.message)} [${error.code}]${error.note ? ` — ${inPageTerms(error.note)}` : ''}` }
  }
  return { code: 'bug', text: `bug in virtuned (please report it): ${String(error)}` }
}

async function chooseQemuCaps(choice: QemuCapsChoice): Promise<void> {
  const run = ++qemuRun
  qemuChoice = choice
  qemuSelect.value = choice.kind === 'preset' ? `preset:${choice.id}` : choice.kind
  qemu = {}
  describeQemuCaps()
  if (choice.kind === 'none') return
  let result: typeof qemu
  try {
    const preset = choice.kind === 'preset' ? qemuCapsPresets.find((p) => p.id === choice.id) : undefined
    if (choice.kind === 'pasted' && choice.xml.trim() === '') throw new VirtunedError('playground-no-qemucaps', 'Nothing pasted yet', { note: 'Paste, drop or open libvirt’s QEMU capabilities file under “QEMU capabilities”, or choose one of the listed ones.' })
    if (choice.kind === 'preset' && !preset) throw new VirtunedError('playground-unknown-preset', `Unknown QEMU capabilities preset \`${choice.id}\``, { note: 'Choose one of the listed QEMU capabilities, or paste the host’s file.' })
    const [{ parseQemuCaps, isFirmwareDescriptor }, xml, firmware] = await Promise.all([loadPreview(), preset ? preset.load() : (choice as { xml: string }).xml, preset ? loadPresetFirmware() : undefined])
    const descriptors = firmware?.filter(isFirmwareDescriptor) as FirmwareDescriptor[] | undefined
    result = { caps: parseQemuCaps(xml), ...(descriptors ? { firmware: descriptors } : {}) }
  } catch (error) {
    result = { error }
  }
  if (run !== qemuRun) return // another choice meanwhile
  qemu = result
  describeQemuCaps()
}

/** libvirt's version encoding (9000000 = 9.0.0). */
const versionText = (n: number): string => `${Math.floor(n / 1e6)}.${Math.floor(n / 1e3) % 1e3}.${n % 1e3}`

function describeQemuCaps(): void {
  qemuSummary.className = qemu.error ? 'bad' : 'muted'
  const notKept = qemuChoice.kind === 'pasted' ? ' A pasted file is too large for a link: “Copy link” keeps only a preset choice, so whoever opens the link chooses or pastes the capabilities again.' : ''
  if (qemuChoice.kind === 'none') qemuSummary.textContent = 'None chosen: the Preview needs them (choose one or paste the host’s file).'
  else if (qemu.error) qemuSummary.textContent = `These QEMU capabilities cannot be used: ${previewProblem(qemu.error).text}${notKept}`
  else if (!qemu.caps) qemuSummary.textContent = 'Loading the QEMU capabilities…'
  else {
    const c = qemu.caps
    const machines = (['kvm', 'tcg'] as const).filter((t) => c.machines[t].length).map((t) => `${c.machines[t].length} machine types for ${t === 'kvm' ? 'KVM' : 'TCG'}`).join(', ')
    const firmware = qemu.firmware ? ` With the same host's ${qemu.firmware.length} firmware descriptors.` : ' No firmware descriptors: UEFI loaders are not predicted.'
    qemuSummary.textContent = `QEMU ${versionText(c.qemuVersion)} for ${c.arch}${c.emulator ? ` (${c.emulator})` : ''}, libvirt ${versionText(c.libvirtVersion)}: ${machines || 'no machine types'}.${firmware}${notKept}`
  }
}

function setPreview(state: string, message: string, code?: string): void {
  previewTab.dataset.state = state
  if (code) previewTab.dataset.code = code
  else delete previewTab.dataset.code
  previewStatus.textContent = message
  $('preview-result').hidden = state !== 'ready'
}

/** Preview the composed domain with the chosen QEMU capabilities (or say what is missing). */
function runPreview(): void {
  const run = ++previewRun
  previewed = undefined
  $('preview-xml').textContent = ''
  $<HTMLTableElement>('preview-explain').replaceChildren()
  $('preview-not-predicted').replaceChildren()
  const xml = last?.xml
  if (qemuChoice.kind === 'none') {
    setPreview('needs-caps', 'The Preview shows the composed domain as libvirt stores it after `virsh define` — with the devices, models and addresses libvirt adds, and why. It needs the host’s QEMU capabilities: choose one of the project’s under “QEMU capabilities”, or paste, drop or open the host’s file (libvirt keeps one per QEMU binary in /var/cache/libvirt/qemu/capabilities/; take the one whose <emulator> runs the domain’s architecture).')
    return
  }
  if (qemu.error) { const p = previewProblem(qemu.error); setPreview('error', `These QEMU capabilities cannot be used: ${p.text}`, p.code); return }
  if (xml === undefined) { setPreview('nothing', 'Nothing composed: the Preview starts from the composed XML; fix the problems listed under your domain first.'); return }
  const { caps, firmware } = qemu
  if (!caps) { setPreview('loading', 'Loading the QEMU capabilities…'); return }
  setPreview('loading', 'Loading the preview…')
  loadPreview().then(({ previewDomain }) => {
    if (run !== previewRun) return
    let result: PreviewResult
    try {
      // `virsh define` parses with libvirt's ABI update (USB ports are assigned to new definitions).
      result = previewDomain(xml, { qemuCaps: caps, abiUpdate: true, ...(firmware ? { firmware } : {}) })
    } catch (error) {
      const p = previewProblem(error)
      setPreview('error', `The composed domain cannot be previewed with these QEMU capabilities: ${p.text}`, p.code)
      return
    }
    previewed = result
    $('preview-xml').textContent = result.xml
    const table = $<HTMLTableElement>('preview-explain')
    row(table, [['libvirt rule'], ['node'], ['why']], 'head')
    for (const e of result.explanation) row(table, [[e.rule, 'rule'], [e.path], [inPageTerms(e.why)]])
    const list = $<HTMLUListElement>('preview-not-predicted')
    for (const n of result.notPredicted) { const li = document.createElement('li'); li.textContent = `${n.path}: ${inPageTerms(n.reason)}`; list.append(li) }
    if (result.notPredicted.length === 0) { const li = document.createElement('li'); li.textContent = 'Nothing: every part of this domain is predicted.'; list.append(li) }
    setPreview('ready', `What libvirt ${versionText(caps.libvirtVersion)} stores after \`virsh define\` on this host (QEMU ${versionText(caps.qemuVersion)}, ${caps.arch}): ${result.explanation.length} change${result.explanation.length === 1 ? '' : 's'}, ${result.notPredicted.length} part${result.notPredicted.length === 1 ? '' : 's'} not predicted.`)
  }, (error: unknown) => {
    if (run !== previewRun) return
    setPreview('error', `The preview could not load: ${String(error)}`, 'load')
  })
}

// ---- compose, diff, explain ------------------------------------------------------------------------

function showError(error: unknown, value: string): void {
  status.className = 'bad'
  errors.replaceChildren()
  delete status.dataset.line
  delete status.dataset.column
  if (error instanceof PolicyConflictError) {
    status.textContent = `Conflict [${error.code}]: ${error.clashes.length} clash(es)`
    for (const c of error.clashes) item(errors, c.kind === 'declared' ? `${c.requester} conflicts with ${c.holder}` : `${c.path}: ${c.holder} has "${c.current}", ${c.requester} requires "${c.wanted}"`)
    if (error.note) item(errors, `hint: ${inPageTerms(error.note)}`)
    baseProblems = [{ line: rootLine(value), column: 1, severity: 'error', source: 'virtuned', message: `${inPageTerms(error.message)} [${error.code}]` }]
  } else if (error instanceof VirtunedError) {
    const where = error.place ? `line ${error.place.line}, column ${error.place.column}: ` : ''
    const message = inPageTerms(error.message)
    status.textContent = `${where}${message} [${error.code}]`
    status.dataset.line = String(error.place?.line ?? '')
    status.dataset.column = String(error.place?.column ?? '')
    if (error.note) item(errors, `hint: ${inPageTerms(error.note)}`)
    const source = error.code.startsWith('xml-') ? 'XML' : 'virtuned'
    baseProblems = [{ line: error.place?.line ?? rootLine(value), column: error.place?.column ?? 1, severity: 'error', source, message: `${message} [${error.code}]${error.note ? ` — ${inPageTerms(error.note)}` : ''}` }]
    // Put the caret where the error is (the textarea only: the editor marks it without moving the caret).
    if (error.place && !editor) focusAt(error.place.line, error.place.column)
  } else {
    status.textContent = `bug in virtuned (please report it): ${String(error)}`
    baseProblems = []
  }
  pushProblems()
  last = undefined
  merged.textContent = ''
  view.textContent = ''
  diffTable.replaceChildren()
  explainTable.replaceChildren()
  describeOs()
  runPreview()
}

function update(): void {
  clearTimeout(timer)
  const value = text()
  lastInput = value
  document.body.classList.toggle('empty', value.trim() === '')
  saveState()
  if (value.trim() === '') {
    clearSchema()
    status.className = ''
    status.textContent = 'Nothing to check yet: paste or drop a domain, or choose an example.'
    errors.replaceChildren()
    baseProblems = []
    pushProblems()
    last = undefined
    for (const e of [merged, view]) e.textContent = ''
    for (const t of [diffTable, explainTable]) t.replaceChildren()
    describeOs()
    runPreview()
    return
  }
  let checking = false
  let composed: string | undefined
  try {
    const document_ = parseLibvirtXml(value)
    if (document_.kind !== 'domain') throw new VirtunedError('playground-not-a-domain', `A <${document_.root.name}> device: paste a whole <domain> to compose it`, { note: 'Device snippets are validated but not composed; libvirt has no schema for a device alone.' })
    // The model reads it: now libvirt's schema, whether or not it composes (the verdict comes later).
    checkSchema(value, () => composed)
    checking = true
    view.textContent = JSON.stringify(viewDomain(document_), null, 2)
    const warnings: string[] = []
    const { caps, profile } = hostFor(document_, warnings)
    const os = osSelect.value
    const result = compose(document_, {
      ...(os ? { os } : {}),
      ...(caps ? { host: caps } : {}),
      ...(profile ? { profile } : {}),
      policies: selectedPolicies(),
      convert: $<HTMLInputElement>('convert').checked,
      force: $<HTMLInputElement>('force').checked,
    })
    last = result
    composed = result.xml
    status.className = 'ok'
    status.textContent = `Read: ${viewDomain(document_).name ?? '(no name)'}; composed with profile ${result.profile}${result.os ? ` for ${result.os.name}` : ''}${result.policies.applied.length ? ` and ${result.policies.applied.join(', ')}` : ''}${caps ? ` on ${caps.source}` : ''}.`
    delete status.dataset.line
    delete status.dataset.column
    errors.replaceChildren()
    const all = [...warnings, ...result.warnings].map(inPageTerms)
    for (const w of all) item(errors, w, 'warning')
    baseProblems = all.map((w) => ({ line: rootLine(value), column: 1, severity: 'warning', source: 'virtuned', message: w }))
    pushProblems()
    merged.textContent = result.xml
    renderDiff(serialize(document_), result.xml)
    renderExplain(result)
    describeOs()
    runPreview()
  } catch (error) {
    if (!checking) clearSchema()
    showError(error, value)
  }
}

let diffBefore = ''
function renderDiff(before: string, after: string): void {
  diffBefore = before
  diffTable.replaceChildren()
  row(diffTable, [['#', 'num'], ['your domain'], ['#', 'num'], ['composed']], 'head')
  let left = 0
  let right = 0
  for (const part of diffLines(before, after)) {
    for (const line of part.value.replace(/\n$/, '').split('\n')) {
      if (part.added) row(diffTable, [['', 'num'], ['', ''], [String(++right), 'num'], [line, 'add']], 'added')
      else if (part.removed) row(diffTable, [[String(++left), 'num'], [line, 'del'], ['', 'num'], ['', '']], 'removed')
      else row(diffTable, [[String(++left), 'num'], [line], [String(++right), 'num'], [line]])
    }
  }
  // The WebAssembly engine's identity-keyed patch: how many changes, for the status line.
  if (engine) {
    const patch = engine.diff(before, after, libvirtIdentityKeys)
    diffTable.dataset.ops = String(patch.ops.length)
  }
}

/** The explanation as rows: who, which node, why. */
function explanationRows(result: ComposeResult): { who: string; node: string; why: string; kind: string }[] {
  const rows: { who: string; node: string; why: string; kind: string }[] = []
  for (const n of summarizeNodes(result.policies.explanation, (x) => x.policy)) rows.push({ who: `policy ${n.policy}`, node: n.path, why: inPageTerms(builtinPolicies[n.policy]?.description ?? ''), kind: 'policy' })
  for (const d of summarizeNodes(result.defaults, (x) => x.rule)) rows.push({ who: `default ${d.rule}${d.guestVisible ? '' : ' (host-only)'}`, node: d.path, why: inPageTerms(d.why), kind: 'default' })
  for (const c of result.policies.conversions) rows.push({ who: `convert ${c.policy}${c.guestVisible ? ' (guest-visible)' : ''}`, node: `${c.op.op} ${c.op.path}`, why: inPageTerms(c.why), kind: 'conversion' })
  const users = result.origins.filter((o) => o.source === 'user').length
  rows.push({ who: 'user', node: `${users} nodes of your XML`, why: 'kept as written: defaults only fill what is unset', kind: 'user' })
  return rows
}

function renderExplain(result: ComposeResult): void {
  explainTable.replaceChildren()
  row(explainTable, [['who'], ['node'], ['why']], 'head')
  for (const r of explanationRows(result)) row(explainTable, [[r.who, 'src'], [r.node], [r.why]], r.kind)
}

function plan(): void {
  if (!last) { planOut.textContent = 'Compose a valid domain first.'; return }
  const disk = $<HTMLInputElement>('plan-disk').value
  const device = deviceFromSpec({ disk: { source: { file: disk }, format: 'qcow2' } })
  // The device's defaults for the chosen host and OS, as the composed domain records them.
  const caps = host.caps
  const layer = deviceDefaultsLayer(last.xml, device, { ...(caps ? { host: caps } : {}) })
  const result = planAttach(last.xml, device, { seed: disk, ...(layer ? { layers: [layer] } : {}) })
  planOut.textContent = result.ok
    ? `${result.xml}\n<!-- alias ${result.alias}; target ${result.target}; the guest sees ${result.guestId} -->`
    : result.problems.map((p) => `${p.code}: ${inPageTerms(p.message)}${p.policy ? ` (the ${p.policy} policy prevents this)` : ''}`).join('\n')
  planOut.dataset.ok = String(result.ok)
}

// ---- the guest OS picker -------------------------------------------------------------------------

/** The vendor of an osinfo entry: the domain of its id (`http://microsoft.com/win/11` → microsoft.com). */
function vendorOf(entry: OsEntry): string {
  return /^https?:\/\/([^/]+)/.exec(entry.id)?.[1] ?? ''
}

const osEntries = [...defaultOsTable.entries].sort((a, b) => (b.released ?? '').localeCompare(a.released ?? '') || a.name.localeCompare(b.name))
const osById = new Map(defaultOsTable.entries.map((e) => [e.shortId, e]))

function fillOsList(): void {
  const wanted = osSearch.value.trim().toLowerCase().split(/\s+/).filter(Boolean)
  const current = osSelect.value
  osSelect.replaceChildren()
  option(osSelect, '', '(no OS: generic defaults)')
  let shown = 0
  for (const e of osEntries) {
    const hay = `${e.name} ${e.shortId} ${e.id} ${vendorOf(e)} ${e.distro}`.toLowerCase()
    if (e.shortId !== current && !wanted.every((w) => hay.includes(w))) continue
    option(osSelect, e.shortId, `${e.name} (${e.shortId})`)
    shown++
  }
  osSelect.value = current
  osSelect.setAttribute('aria-description', `${shown} operating systems match`)
}

const deviceWords: Readonly<Record<string, string>> = { 'virtio1.0-block': 'virtio disks', 'virtio-block': 'virtio disks', 'virtio1.0-net': 'virtio network', 'virtio-net': 'virtio network', 'qemu-xhci': 'USB 3 (qemu-xhci)', q35: 'the q35 machine', 'virtio1.0-gpu': 'virtio GPU', qxl: 'QXL video', 'virtio1.0-rng': 'virtio RNG', 'virtio-rng': 'virtio RNG' }

function describeOs(): void {
  const box = $('os-facts')
  box.replaceChildren()
  const entry = osById.get(osSelect.value)
  const facts = document.createElement('p')
  if (!entry) {
    facts.textContent = 'No guest OS: the defaults that depend on the OS (drivers, firmware, clock) stay off.'
    box.append(facts)
  } else {
    const drivers = [...new Set(entry.devices.map((d) => deviceWords[d]).filter((d): d is string => d !== undefined))]
    const memory = entry.recRam ? `; recommended memory ${Math.round(entry.recRam / 2 ** 20)} MiB` : ''
    facts.textContent = `${entry.name} — ${vendorOf(entry)}${entry.released ? `, released ${entry.released}` : ''}${entry.eol ? `, end of life ${entry.eol}` : ''}. Firmware: ${entry.firmware === 'efi-required' ? 'UEFI only' : entry.firmware === 'efi' ? 'UEFI or BIOS' : 'BIOS'}; in-box drivers: ${drivers.join(', ') || 'no virtio'}${entry.installableDrivers.length ? `; installable: ${entry.installableDrivers.length} drivers (virtio-win)` : ''}${memory}${entry.arches?.length ? `; published for ${entry.arches.join(', ')}` : ''}.`
    box.append(facts)
  }
  if (last) {
    const applied = last.rules.filter((r) => r.applied).map((r) => r.rule)
    const skipped = last.rules.filter((r) => !r.applied && r.because && !/already set|nothing to/.test(r.because))
    const p = document.createElement('p')
    p.className = 'muted'
    p.textContent = `For this domain the defaults apply ${applied.length} rule${applied.length === 1 ? '' : 's'}: ${applied.join(', ') || 'none'}.${skipped.length ? ` Not applied: ${skipped.slice(0, 6).map((r) => `${r.rule} (${inPageTerms(r.because!)})`).join('; ')}${skipped.length > 6 ? '…' : ''}` : ''}`
    box.append(p)
  }
}

// ---- views, copy, download, share ----------------------------------------------------------------

interface ResultView {
  readonly id: string
  readonly label: string
  /** The view's name in a sentence ("Copy the composed XML"). */
  readonly noun: string
  /** What Copy and Download take from this view, and the file name Download gives it. */
  readonly file: string
  readonly type: string
  readonly text: () => string | undefined
}

/** The result views, in tab order. A new view (a preview, say) is one entry here and one panel in index.html. */
const views: readonly ResultView[] = [
  { id: 'merged', label: 'Composed XML', noun: 'composed XML', file: 'domain.xml', type: 'application/xml', text: () => last?.xml },
  { id: 'diff', label: 'Diff', noun: 'diff', file: 'domain.diff', type: 'text/x-diff', text: () => last && createTwoFilesPatch('your-domain.xml', 'composed-domain.xml', diffBefore, last.xml) },
  { id: 'explain', label: 'Explanation', noun: 'explanation', file: 'explanation.txt', type: 'text/plain', text: () => last && explanationRows(last).map((r) => `${r.who}\t${r.node}\t${r.why}`).join('\n') + '\n' },
  { id: 'view', label: 'Abstract view', noun: 'abstract view', file: 'domain.json', type: 'application/json', text: () => (last ? view.textContent ?? undefined : undefined) },
  { id: 'preview', label: 'Preview', noun: 'previewed XML', file: 'domain-defined.xml', type: 'application/xml', text: () => previewed?.xml },
]
let activeView = views[0]!

function selectView(id: string, focus = false): void {
  activeView = views.find((v) => v.id === id) ?? views[0]!
  for (const b of document.querySelectorAll<HTMLButtonElement>('.tabs [role=tab]')) {
    const on = b.dataset.tab === activeView.id
    b.classList.toggle('active', on)
    b.setAttribute('aria-selected', String(on))
    b.tabIndex = on ? 0 : -1
    if (on && focus) b.focus()
  }
  for (const t of document.querySelectorAll('.tab')) t.classList.toggle('hidden', t.id !== `tab-${activeView.id}`)
  $('copy').textContent = `Copy ${activeView.noun}`
  $('download').textContent = `Download ${activeView.noun}`
  saveState()
}

function setupViews(): void {
  const list = document.querySelector<HTMLDivElement>('.tabs')!
  for (const [i, v] of views.entries()) {
    const b = document.createElement('button')
    b.type = 'button'
    b.id = `tab-button-${v.id}`
    b.dataset.tab = v.id
    b.setAttribute('role', 'tab')
    b.setAttribute('aria-controls', `tab-${v.id}`)
    b.textContent = v.label
    b.addEventListener('click', () => selectView(v.id))
    b.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
      if (step) { e.preventDefault(); selectView(views[(i + step + views.length) % views.length]!.id, true) }
    })
    list.append(b)
    $(`tab-${v.id}`).setAttribute('aria-labelledby', b.id)
  }
  const say = (message: string) => { actionStatus.textContent = message }
  $('copy').addEventListener('click', () => {
    const value = activeView.text()
    if (value === undefined) { say(activeView.id === 'preview' ? 'Nothing to copy yet: the Preview needs a composed domain and QEMU capabilities.' : 'Nothing to copy yet: compose a domain first.'); return }
    navigator.clipboard.writeText(value).then(() => say(`Copied the ${activeView.noun}.`), (e: unknown) => say(`The browser refused to copy: ${String(e)}`))
  })
  $('download').addEventListener('click', () => {
    const value = activeView.text()
    if (value === undefined) { say(activeView.id === 'preview' ? 'Nothing to download yet: the Preview needs a composed domain and QEMU capabilities.' : 'Nothing to download yet: compose a domain first.'); return }
    const a = document.createElement('a')
    a.href = URL.createObjectURL(new Blob([value], { type: activeView.type }))
    a.download = activeView.file
    a.click()
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
    say(`Downloaded ${activeView.file}.`)
  })
  $('share').addEventListener('click', () => {
    void writeState().then(() => navigator.clipboard.writeText(location.href)).then(
      () => say('Link copied: it holds the domain and every choice (nothing is stored anywhere else).'),
      (e: unknown) => say(`The link is in the address bar; the browser refused to copy it: ${String(e)}`))
  })
}

// ---- state in the URL ----------------------------------------------------------------------------

function currentState(): PageState {
  return {
    xml: lastInput ?? text(),
    os: osSelect.value,
    profile: $<HTMLSelectElement>('profile').value,
    policies: selectedPolicies(),
    convert: $<HTMLInputElement>('convert').checked,
    force: $<HTMLInputElement>('force').checked,
    host: hostChoice,
    tab: activeView.id,
    disk: $<HTMLInputElement>('plan-disk').value,
    // A pasted file is not kept (too large for a link; the page says so): only a preset's name.
    qemuCaps: qemuChoice.kind === 'preset' ? qemuChoice.id : '',
  }
}

let restoring = true
let written: Promise<void> = Promise.resolve()
/** Write the state into the URL (the fragment: never sent to a server); resolves when it is there. */
function writeState(): Promise<void> {
  const state = currentState()
  written = written.then(async () => {
    const hash = await encodeState(state)
    if (location.hash !== hash) history.replaceState(null, '', hash)
    document.body.dataset.saved = String(Number(document.body.dataset.saved ?? 0) + 1)
  })
  return written
}
function saveState(): void {
  if (!restoring) void writeState()
}

async function restoreState(state: PageState): Promise<void> {
  setText(state.xml)
  osSearch.value = ''
  fillOsList()
  osSelect.value = osById.has(state.os) ? state.os : ''
  const profile = $<HTMLSelectElement>('profile')
  profile.value = Object.hasOwn(profiles, state.profile) ? state.profile : ''
  for (const c of document.querySelectorAll<HTMLInputElement>('#policies input')) c.checked = state.policies.includes(c.value)
  $<HTMLInputElement>('convert').checked = state.convert
  $<HTMLInputElement>('force').checked = state.force
  $<HTMLInputElement>('plan-disk').value = state.disk
  if (state.host.kind === 'pasted') domcapsArea.value = state.host.xml
  await chooseHost(state.host)
  await chooseQemuCaps(state.qemuCaps ? { kind: 'preset', id: state.qemuCaps } : { kind: 'none' })
  selectView(state.tab)
}

// ---- setup ---------------------------------------------------------------------------------------

function readFile(file: File, then: (value: string) => void): void {
  file.text().then(then, (e: unknown) => { actionStatus.textContent = `The file could not be read: ${String(e)}` })
}

async function setup(): Promise<void> {
  setupViews()
  const exampleSelect = $<HTMLSelectElement>('example')
  for (const name of Object.keys(examples)) option(exampleSelect, name)
  exampleSelect.addEventListener('change', () => {
    const example = examples[exampleSelect.value]
    if (!example) return
    setText(example.xml)
    osSearch.value = ''
    fillOsList()
    osSelect.value = example.os
    update()
  })
  $<HTMLInputElement>('open-file').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0]
    if (file) readFile(file, (value) => { setText(value); update() })
  })
  const profileSelect = $<HTMLSelectElement>('profile')
  option(profileSelect, '', 'the latest for the guest’s architecture')
  for (const p of Object.values(profiles)) option(profileSelect, p.id, `${p.id}${p.released ? '' : ' (preview)'} — ${p.arches.join(', ')}`)
  profileSelect.value = ''
  osSearch.addEventListener('input', fillOsList)
  osSelect.addEventListener('change', update)
  const box = $<HTMLDivElement>('policies')
  for (const p of Object.values(builtinPolicies)) {
    const label = document.createElement('label')
    label.title = inPageTerms(p.description)
    const check = document.createElement('input')
    check.type = 'checkbox'
    check.value = p.name
    check.addEventListener('change', update)
    label.append(check, ` ${p.name}`)
    box.append(label)
  }
  for (const id of ['profile', 'convert', 'force']) $(id).addEventListener('change', update)
  $('plan-disk').addEventListener('change', () => saveState())
  input.addEventListener('input', scheduleUpdate)
  // Dropping a file replaces the document (the editor does the same once it is there).
  const host_ = $('editor-host')
  host_.addEventListener('dragover', (e) => { e.preventDefault(); host_.classList.add('dragging') })
  host_.addEventListener('dragleave', () => host_.classList.remove('dragging'))
  host_.addEventListener('drop', (e) => {
    const file = e.dataTransfer?.files[0]
    host_.classList.remove('dragging')
    if (!file) return
    e.preventDefault()
    e.stopPropagation()
    readFile(file, (value) => { setText(value); update() })
  }, true)
  // The host: a preset, the assumed host, or capabilities pasted, dropped or opened.
  option(hostSelect, 'assumed', 'None chosen (assume a common KVM host)')
  for (const p of hostPresets) option(hostSelect, `preset:${p.id}`, p.label)
  option(hostSelect, 'pasted', 'Pasted or dropped capabilities')
  const usePasted = (xml: string) => { domcapsArea.value = xml; void chooseHost({ kind: 'pasted', xml }).then(update) }
  hostSelect.addEventListener('change', () => {
    const v = hostSelect.value
    const choice: HostChoice = v.startsWith('preset:') ? { kind: 'preset', id: v.slice('preset:'.length) } : v === 'pasted' ? { kind: 'pasted', xml: domcapsArea.value } : { kind: 'assumed' }
    void chooseHost(choice).then(update)
  })
  let hostTimer: ReturnType<typeof setTimeout> | undefined
  domcapsArea.addEventListener('input', () => { clearTimeout(hostTimer); hostTimer = setTimeout(() => usePasted(domcapsArea.value), 250) })
  domcapsArea.addEventListener('dragover', (e) => e.preventDefault())
  domcapsArea.addEventListener('drop', (e) => {
    const file = e.dataTransfer?.files[0]
    if (!file) return
    e.preventDefault()
    readFile(file, usePasted)
  })
  $<HTMLInputElement>('domcaps-file').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0]
    if (file) readFile(file, usePasted)
  })
  $('plan-button').addEventListener('click', plan)
  // The Preview's QEMU capabilities: a preset, none, or a file pasted, dropped or opened.
  option(qemuSelect, 'none', 'None chosen')
  for (const p of qemuCapsPresets) option(qemuSelect, `preset:${p.id}`, p.label)
  option(qemuSelect, 'pasted', 'Pasted or dropped file')
  const useQemuPasted = (xml: string) => { qemuArea.value = xml; void chooseQemuCaps({ kind: 'pasted', xml }).then(() => { runPreview(); saveState() }) }
  qemuSelect.addEventListener('change', () => {
    const v = qemuSelect.value
    const choice: QemuCapsChoice = v.startsWith('preset:') ? { kind: 'preset', id: v.slice('preset:'.length) } : v === 'pasted' ? { kind: 'pasted', xml: qemuArea.value } : { kind: 'none' }
    void chooseQemuCaps(choice).then(() => { runPreview(); saveState() })
    runPreview()
  })
  let qemuTimer: ReturnType<typeof setTimeout> | undefined
  qemuArea.addEventListener('input', () => { clearTimeout(qemuTimer); qemuTimer = setTimeout(() => useQemuPasted(qemuArea.value), 250) })
  qemuArea.addEventListener('dragover', (e) => e.preventDefault())
  qemuArea.addEventListener('drop', (e) => {
    const file = e.dataTransfer?.files[0]
    if (!file) return
    e.preventDefault()
    readFile(file, useQemuPasted)
  })
  $<HTMLInputElement>('qemucaps-file').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0]
    if (file) readFile(file, useQemuPasted)
  })

  // A shared link's state, else the first example.
  let state: PageState | undefined
  try {
    state = await decodeState(location.hash)
  } catch (error) {
    actionStatus.textContent = (error as Error).message
  }
  if (state) await restoreState(state)
  else {
    const first = Object.keys(examples)[0]!
    exampleSelect.value = first
    setText(examples[first]!.xml)
    fillOsList()
    osSelect.value = examples[first]!.os
    await chooseHost({ kind: 'assumed' })
    await chooseQemuCaps({ kind: 'none' })
    selectView('merged')
  }
  restoring = false
}

// For automation (the Chromium tests, an embedding page): the document's text, set and read as a
// user would paste it, and the caret.
declare global {
  interface Window { virtunedPlayground?: { setText(value: string): void; text(): string; caret(): { line: number; column: number } | undefined } }
}
window.virtunedPlayground = { setText: (value) => { setText(value); update() }, text, caret: () => editor?.caret() }

void setup().then(async () => {
  try {
    engine = await createEngine()
    $('engine').textContent = `(xml-core engine: ${engine.kind})`
  } catch (error) {
    $('engine').textContent = `(WebAssembly unavailable: ${String(error)})`
  }
  update()
  document.title = 'virtuned playground — ready'
  // The editor after the first paint and the first result.
  loadEditor().catch((error: unknown) => { actionStatus.textContent = `The editor could not load (${String(error)}): the plain text box stays.` })
})
