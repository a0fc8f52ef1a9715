// A bulk worker thread: takes one BulkTask at a time, answers one BulkOutcome.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { parentPort } from 'node:worker_threads'
import { parseDomainCapabilities } from '@virtuned/defaults'
import { canonicalize, parseLibvirtXml, serialize } from '@virtuned/model'
import { compose } from '@virtuned/policies'
import { VirtunedError } from '@virtuned/xml-core'
import type { BulkOutcome, BulkTask } from './bulk.ts'

/** Temporary file in the same directory, then rename: the target is old or new, never partial. */
function writeAtomic(path: string, content: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`)
  try {
    writeFileSync(temp, content, { flag: 'wx' })
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}

function describe(error: unknown): string {
  if (error instanceof VirtunedError) return `${error.place ? `${error.place.line}:${error.place.column}: ` : ''}${error.message} [${error.code}]`
  return error instanceof Error ? error.message : String(error)
}

function relaxng(file: string, schemaDir: string): string | undefined {
  const schema = join(schemaDir, 'domain.rng')
  if (!existsSync(schema)) return undefined
  try {
    execFileSync('xmllint', ['--noout', '--relaxng', schema, file], { stdio: 'pipe', encoding: 'utf8' })
    return ''
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '')
    return stderr.split('\n').find((l) => /: (element|Relax-NG)/.test(l) && !l.endsWith('fails to validate'))?.replace(`${file}:`, 'line ') ?? stderr.trim()
  }
}

function run(task: BulkTask): BulkOutcome {
  const { file } = task
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    return { file, status: 'error', message: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message }
  }
  try {
    const document = parseLibvirtXml(text)
    switch (task.command) {
      case 'fmt': {
        const out = serialize(document, { style: task.style ?? 'libvirt' })
        if (out === text) return { file, status: 'ok' }
        if (task.inPlace) writeAtomic(file, out)
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
        const problem = relaxng(file, task.schemaDir ?? '/usr/share/libvirt/schemas')
        if (problem === undefined) return { file, status: 'ok', message: 'schema not installed: well-formedness only' }
        return problem === '' ? { file, status: 'ok' } : { file, status: 'finding', message: problem }
      }
      case 'apply': {
        const c = task.compose!
        const result = compose(document, {
          ...(c.os === undefined ? {} : { os: c.os }),
          ...(c.profile === undefined ? {} : { profile: c.profile }),
          ...(c.domcaps === undefined ? {} : { host: parseDomainCapabilities(c.domcaps, 'domcaps') }),
          policies: c.policies, force: c.force, convert: c.convert,
        })
        if (result.xml === text) return { file, status: 'ok' }
        if (task.inPlace) writeAtomic(file, result.xml)
        else if (task.outputDir) writeAtomic(join(task.outputDir, basename(file)), result.xml)
        return { file, status: 'changed' }
      }
    }
  } catch (error) {
    if (!(error instanceof VirtunedError)) return { file, status: 'error', message: `internal error: ${describe(error)}` }
    return { file, status: task.command === 'validate' || task.command === 'roundtrip' ? 'finding' : 'error', message: describe(error) }
  }
}

parentPort!.on('message', (task: BulkTask) => parentPort!.postMessage(run(task)))
