// The playground: everything happens here, in the page — parse and validate with the model, compose
// with policies + defaults, diff with the WebAssembly engine, explain, plan a hot-plug.
import { diffLines } from 'diff'
import { defaultOsTable, profiles, latestProfile } from '@virtuned/defaults'
import { planAttach } from '@virtuned/hotplug'
import { libvirtIdentityKeys, parseLibvirtXml, serialize, viewDomain } from '@virtuned/model'
import { builtinPolicies, compose, PolicyConflictError, summarizeNodes, type ComposeResult } from '@virtuned/policies'
import { VirtunedError, createEngine, type XmlChangeEngine, type XmlEngine } from '@virtuned/xml-core'
import type { SchemaProblem, SchemaValidator } from '@virtuned/schema'
// Only the URL of libxml2's module: fetched and compiled when the first document is checked.
import libxml2WasmUrl from '@virtuned/schema/libxml2.wasm?url'
import { examples } from './examples.ts'

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

let engine: (XmlEngine & XmlChangeEngine) | undefined
let last: ComposeResult | undefined

function option(parent: HTMLElement, value: string, label = value): void {
  const o = document.createElement('option')
  o.value = value
  o.textContent = label
  parent.append(o)
}

function row(table: HTMLTableElement, cells: [string, string?][], className?: string): void {
  const tr = table.insertRow()
  if (className) tr.className = className
  for (const [text, cls] of cells) {
    const td = tr.insertCell()
    td.textContent = text
    if (cls) td.className = cls
  }
}

function selectedPolicies(): string[] {
  return [...document.querySelectorAll<HTMLInputElement>('#policies input:checked')].map((c) => c.value)
}

/** Put the caret at a line and column (1-based, code points) of the input. */
function caretAt(line: number, column: number): void {
  const lines = input.value.split('\n')
  let offset = 0
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1
  const before = [...(lines[line - 1] ?? '')].slice(0, Math.max(0, column - 1)).join('').length
  input.setSelectionRange(offset + before, offset + before + 1)
}

// libvirt's RelaxNG schema, checked by libxml2 in WebAssembly (@virtuned/schema): a chunk of its own
// and a .wasm file, both loaded when the first document is checked — the page works before they
// arrive. One validator for the page's life.
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
}

/** Check the input (and the composed XML, if composing succeeds) against libvirt's schema, once the validator is there. */
function checkSchema(text: string, composed: () => string | undefined): void {
  const run = ++schemaRun
  schemaStatus.dataset.state = 'checking'
  schemaStatus.textContent = "libvirt's schema: loading the validator…"
  schemaErrors.replaceChildren()
  loadSchema().then((validator) => {
    if (run !== schemaRun) return // the input changed meanwhile
    const mine = validator.validate(text)
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
  li.addEventListener('click', () => { input.focus(); caretAt(problem.line, Math.max(1, problem.column)) })
  return li
}

function showError(error: unknown): void {
  status.className = 'bad'
  errors.replaceChildren()
  if (error instanceof PolicyConflictError) {
    status.textContent = `Conflict [${error.code}]: ${error.clashes.length} clash(es)`
    for (const c of error.clashes) {
      const li = document.createElement('li')
      li.textContent = c.kind === 'declared' ? `${c.requester} conflicts with ${c.holder}` : `${c.path}: ${c.holder} has "${c.current}", ${c.requester} requires "${c.wanted}"`
      errors.append(li)
    }
  } else if (error instanceof VirtunedError) {
    const where = error.place ? `line ${error.place.line}, column ${error.place.column}: ` : ''
    status.textContent = `${where}${error.message} [${error.code}]`
    status.dataset.line = String(error.place?.line ?? '')
    status.dataset.column = String(error.place?.column ?? '')
    if (error.note) {
      const li = document.createElement('li')
      li.textContent = `hint: ${error.note}`
      errors.append(li)
    }
    // Put the caret where the error is.
    if (error.place) caretAt(error.place.line, error.place.column)
  } else {
    status.textContent = `internal error: ${String(error)}`
  }
  merged.textContent = ''
  view.textContent = ''
  diffTable.replaceChildren()
  explainTable.replaceChildren()
}

function update(): void {
  const text = input.value
  let checking = false
  let composed: string | undefined
  try {
    const document_ = parseLibvirtXml(text)
    if (document_.kind !== 'domain') throw new VirtunedError('playground-not-a-domain', `A <${document_.root.name}> device: paste a whole <domain> to compose it`, { note: 'Device snippets are validated but not composed; libvirt has no schema for a device alone.' })
    // The model reads it: now libvirt's schema, whether or not it composes (the verdict comes later).
    checkSchema(text, () => composed)
    checking = true
    view.textContent = JSON.stringify(viewDomain(document_), null, 2)
    const os = $<HTMLInputElement>('os').value.trim()
    const result = compose(document_, {
      ...(os ? { os } : {}),
      profile: $<HTMLSelectElement>('profile').value,
      policies: selectedPolicies(),
      convert: $<HTMLInputElement>('convert').checked,
      force: $<HTMLInputElement>('force').checked,
    })
    last = result
    composed = result.xml
    status.className = 'ok'
    // Read by the model and composed; libvirt's schema verdict comes below (#schema), when it is in.
    status.textContent = `Read: ${viewDomain(document_).name ?? '(no name)'}; composed with profile ${result.profile}${result.os ? ` for ${result.os.name}` : ''}${result.policies.applied.length ? ` and ${result.policies.applied.join(', ')}` : ''}.`
    delete status.dataset.line
    errors.replaceChildren()
    for (const w of result.warnings) {
      const li = document.createElement('li')
      li.className = 'muted'
      li.textContent = w
      errors.append(li)
    }
    merged.textContent = result.xml
    renderDiff(serialize(document_), result.xml)
    renderExplain(result)
  } catch (error) {
    if (!checking) clearSchema()
    showError(error)
  }
}

function renderDiff(before: string, after: string): void {
  diffTable.replaceChildren()
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

function renderExplain(result: ComposeResult): void {
  explainTable.replaceChildren()
  row(explainTable, [['who'], ['node'], ['why']], 'head')
  for (const n of summarizeNodes(result.policies.explanation, (x) => x.policy)) row(explainTable, [[`policy ${n.policy}`, 'src'], [n.path], [builtinPolicies[n.policy]?.description ?? '']], 'policy')
  for (const d of summarizeNodes(result.defaults, (x) => x.rule)) row(explainTable, [[`default ${d.rule}${d.guestVisible ? '' : ' (host-only)'}`, 'src'], [d.path], [d.why]], 'default')
  for (const c of result.policies.conversions) row(explainTable, [[`convert ${c.policy}${c.guestVisible ? ' (guest-visible)' : ''}`, 'src'], [`${c.op.op} ${c.op.path}`], [c.why]], 'conversion')
  const users = result.origins.filter((o) => o.source === 'user').length
  row(explainTable, [['user', 'src'], [`${users} nodes of your XML`], ['kept as written: defaults only fill what is unset']], 'user')
}

function plan(): void {
  if (!last) { planOut.textContent = 'Compose a valid domain first.'; return }
  const result = planAttach(last.xml, { disk: { source: { file: $<HTMLInputElement>('plan-disk').value }, format: 'qcow2' } }, { seed: $<HTMLInputElement>('plan-disk').value })
  planOut.textContent = result.ok
    ? `${result.xml}\n<!-- alias ${result.alias}; target ${result.target}; the guest sees ${result.guestId} -->`
    : result.problems.map((p) => `${p.code}: ${p.message}${p.policy ? ` (the ${p.policy} policy prevents this)` : ''}`).join('\n')
  planOut.dataset.ok = String(result.ok)
}

function setup(): void {
  const exampleSelect = $<HTMLSelectElement>('example')
  for (const name of Object.keys(examples)) option(exampleSelect, name)
  exampleSelect.addEventListener('change', () => { input.value = examples[exampleSelect.value]!.xml; $<HTMLInputElement>('os').value = examples[exampleSelect.value]!.os; update() })
  const profileSelect = $<HTMLSelectElement>('profile')
  for (const p of Object.values(profiles)) option(profileSelect, p.id, `${p.id}${p.released ? '' : ' (preview)'}`)
  profileSelect.value = latestProfile
  const osList = $<HTMLDataListElement>('os-list')
  for (const e of defaultOsTable.entries) if (/^(win|debian|fedora|rhel|ubuntu|alpinelinux|opensuse|freebsd|centos|rocky)/.test(e.shortId)) option(osList, e.shortId, e.name)
  const box = $<HTMLDivElement>('policies')
  for (const p of Object.values(builtinPolicies)) {
    const label = document.createElement('label')
    label.title = p.description
    const check = document.createElement('input')
    check.type = 'checkbox'
    check.value = p.name
    check.addEventListener('change', update)
    label.append(check, ` ${p.name}`)
    box.append(label)
  }
  for (const id of ['os', 'profile', 'convert', 'force']) $(id).addEventListener('change', update)
  let timer: ReturnType<typeof setTimeout> | undefined
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(update, 150) })
  input.addEventListener('dragover', (e) => { e.preventDefault(); input.classList.add('dragging') })
  input.addEventListener('dragleave', () => input.classList.remove('dragging'))
  input.addEventListener('drop', (e) => {
    e.preventDefault()
    input.classList.remove('dragging')
    const file = e.dataTransfer?.files[0]
    if (file) void file.text().then((t) => { input.value = t; update() })
  })
  $('plan-button').addEventListener('click', plan)
  for (const button of document.querySelectorAll<HTMLButtonElement>('.tabs button')) {
    button.addEventListener('click', () => {
      for (const b of document.querySelectorAll('.tabs button')) b.classList.toggle('active', b === button)
      for (const t of document.querySelectorAll('.tab')) t.classList.toggle('hidden', t.id !== `tab-${button.dataset.tab}`)
    })
  }
  const first = Object.keys(examples)[0]!
  input.value = examples[first]!.xml
  $<HTMLInputElement>('os').value = examples[first]!.os
}

setup()
createEngine().then((e) => {
  engine = e
  $('engine').textContent = `(xml-core engine: ${e.kind})`
  update()
  document.title = 'virtuned playground — ready'
}, (error: unknown) => {
  $('engine').textContent = `(WebAssembly unavailable: ${String(error)})`
  update()
  document.title = 'virtuned playground — ready'
})
