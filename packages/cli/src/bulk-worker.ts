// A bulk worker thread: takes one BulkTask at a time, answers one BulkOutcome.
import { readFileSync, statSync } from 'node:fs'
import { parentPort } from 'node:worker_threads'
import { parseDomainCapabilities } from '@virtuned/defaults'
import { canonicalize, parseLibvirtXml, serialize } from '@virtuned/model'
import { applyPolicies, compose } from '@virtuned/policies'
import { VirtunedError } from '@virtuned/xml-core'
import type { BulkOutcome, BulkTask } from './bulk.ts'
import { WriteError, afterFirstLine } from './errors.ts'
import { inputLimits } from './io.ts'
import { decodeFile, writeFileAtomic } from './files.ts'
import { osTableFor } from './osinfo-table.ts'
import { checkSchema, formatProblem } from './schema.ts'

function describe(error: unknown): string {
  if (error instanceof VirtunedError) return `${error.place ? `${error.place.line}:${error.place.column}: ` : ''}${afterFirstLine(error.message, ` [${error.code}]`)}`
  return error instanceof Error ? error.message : String(error)
}

/**
 * libvirt's schema verdict on a domain (libxml2 in WebAssembly, one validator per worker thread):
 * `undefined` when valid, else its first problem as `line:column: message [code]` (and how many more).
 */
async function relaxng(text: string, schemaDir: string | undefined): Promise<string | undefined> {
  const check = await checkSchema(text, 'domain', schemaDir)
  const first = check?.problems[0]
  if (!check || !first) return undefined
  const more = check.problems.length > 1 ? ` (and ${check.problems.length - 1} more: virtuned validate FILE lists them)` : ''
  return `${formatProblem('', first).replace(/^:/, '')}${more}`
}

async function run(task: BulkTask): Promise<BulkOutcome> {
  const { file } = task
  // Read and rewrite the file itself: the walk resolved links and checked it is inside the tree.
  const real = task.real ?? file
  let bytes: Uint8Array
  try {
    // The walk lists regular files only: their size says, before reading, whether the parser would take them.
    const size = statSync(real).size
    if (size > inputLimits.document.bytes) return { file, status: 'error', message: `larger than the limit of ${inputLimits.document.bytes} bytes for an XML document [cli-input-too-large]` }
    bytes = readFileSync(real)
  } catch (error) {
    return { file, status: 'error', message: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message }
  }
  try {
    // Strict UTF-8: a Latin-1 byte is refused with its place, and the file is left as it is.
    const text = decodeFile(file, bytes)
    const document = parseLibvirtXml(text)
    switch (task.command) {
      case 'fmt': {
        const out = serialize(document, { style: task.style ?? 'libvirt' })
        if (out === text) return { file, status: 'ok' }
        if (task.inPlace) await writeFileAtomic(real, out, { followLinks: false })
        return { file, status: 'changed' }
      }
      case 'roundtrip': {
        const first = serialize(document, { style: task.style ?? 'libvirt' })
        const again = parseLibvirtXml(first)
        const ok = canonicalize(document) === canonicalize(again) && serialize(again, { style: task.style ?? 'libvirt' }) === first
        return ok ? { file, status: 'ok' } : { file, status: 'finding', message: 'canonical form changed by the round trip' }
      }
      case 'validate': {
        if (task.noSchema || document.kind !== 'domain') return { file, status: 'ok' }
        const problem = await relaxng(text, task.schemaDir)
        return problem === undefined ? { file, status: 'ok' } : { file, status: 'finding', message: problem }
      }
      case 'apply': {
        const c = task.compose!
        const options = {
          ...(c.os === undefined ? {} : { os: c.os }),
          osTable: osTableFor(c.osinfoDb),
          ...(c.domcaps === undefined ? {} : { host: parseDomainCapabilities(c.domcaps, 'domcaps') }),
          policies: c.policies, force: c.force, convert: c.convert,
        }
        // Without --defaults: the policies and their conversions only (virt-xml --convert-to-q35 style).
        const xml = c.defaults === false ? serialize(applyPolicies(document, options).document) : compose(document, { ...options, ...(c.profile === undefined ? {} : { profile: c.profile }), ...(c.qemucaps === undefined ? {} : { qemuCaps: c.qemucaps }) }).xml
        if (xml === text) return { file, status: 'ok' }
        if (task.inPlace) await writeFileAtomic(real, xml, { followLinks: false })
        else if (task.output) await writeFileAtomic(task.output, xml, { modeFrom: real, parents: true })
        return { file, status: 'changed' }
      }
    }
  } catch (error) {
    if (error instanceof WriteError) return { file, status: 'unwritable', message: `${error.message} [${error.code}]` }
    if (!(error instanceof VirtunedError)) return { file, status: 'error', message: `internal error: ${describe(error)}` }
    return { file, status: task.command === 'validate' || task.command === 'roundtrip' ? 'finding' : 'error', message: describe(error) }
  }
}

parentPort!.on('message', (task: BulkTask) => {
  void run(task).then((outcome) => parentPort!.postMessage(outcome), (error: unknown) => parentPort!.postMessage({ file: task.file, status: 'error', message: `internal error: ${describe(error)}` }))
})
