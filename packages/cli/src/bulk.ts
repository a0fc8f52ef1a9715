// Bulk runs: `fmt`, `validate`, `roundtrip` and `apply` over directories and globs, in worker
// threads, with a progress bar on a terminal and a summary. Every write is atomic (temporary file
// + rename in the same directory), so a run killed half-way leaves each file old or new.
import { availableParallelism } from 'node:os'
import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Worker } from 'node:worker_threads'
import { glob } from 'tinyglobby'
import { UsageError } from './errors.ts'

export type BulkCommand = 'fmt' | 'validate' | 'roundtrip' | 'apply'

/** What a worker needs to process one file; plain data (it crosses the thread boundary). */
export interface BulkTask {
  readonly command: BulkCommand
  readonly file: string
  readonly style?: 'libvirt' | 'preserve'
  readonly inPlace?: boolean
  readonly check?: boolean
  readonly outputDir?: string
  readonly schemaDir?: string
  readonly noSchema?: boolean
  readonly compose?: { readonly os?: string; readonly profile?: string; readonly policies: readonly string[]; readonly domcaps?: string; readonly force: boolean; readonly convert: boolean }
}

/** `ok`: nothing to report; `changed`: a file was (or, with --check, would be) rewritten; `finding`: invalid or lossy; `error`: unreadable or not libvirt XML. */
export interface BulkOutcome {
  readonly file: string
  readonly status: 'ok' | 'changed' | 'finding' | 'error'
  readonly message?: string
}

/** Files named, files under directories (`*.xml`, recursively), and glob matches, sorted, each once. */
export async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const out = new Set<string>()
  for (const input of inputs) {
    if (/[*?[\]{}]/.test(input)) {
      const matches = await glob(input, { onlyFiles: true, absolute: false })
      if (matches.length === 0) throw new UsageError(`No files match \`${input}\``, 'Check the pattern; quote it so the shell does not expand it first.')
      for (const m of matches) out.add(m)
      continue
    }
    let isDirectory = false
    try { isDirectory = (await stat(input)).isDirectory() } catch { /* a missing file is reported by its task */ }
    if (isDirectory) {
      const matches = await glob('**/*.xml', { cwd: input, onlyFiles: true })
      for (const m of matches) out.add(`${input.replace(/\/$/, '')}/${m}`)
    } else out.add(input)
  }
  return [...out].sort()
}

/** Whether a command line asks for a bulk run: a directory, a glob, or several files for fmt/apply. */
export async function isBulk(inputs: readonly string[]): Promise<boolean> {
  if (inputs.length > 1) return true
  const input = inputs[0]
  if (input === undefined || input === '-') return false
  if (/[*?[\]{}]/.test(input)) return true
  try { return (await stat(input)).isDirectory() } catch { return false }
}

function progressBar(done: number, total: number): string {
  const width = 30
  const filled = total === 0 ? width : Math.round((done / total) * width)
  return `\r[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} files`
}

/**
 * Runs the tasks on `workers` threads (default: the CPUs, at most 8). Outcomes come back in task
 * order. `progress` is called on a terminal only.
 */
export async function runBulk(tasks: readonly BulkTask[], options: { workers?: number; progress?: (line: string) => void } = {}): Promise<BulkOutcome[]> {
  const count = Math.max(1, Math.min(options.workers ?? Math.min(availableParallelism(), 8), tasks.length))
  const outcomes: BulkOutcome[] = new Array(tasks.length)
  let next = 0
  let done = 0
  // Next to this module once built; from the sources (tests), the built worker in dist/.
  const beside = new URL('./bulk-worker.js', import.meta.url)
  const workerUrl = existsSync(beside) ? beside : new URL('../dist/bulk-worker.js', import.meta.url)
  await Promise.all(Array.from({ length: count }, () => new Promise<void>((resolve, reject) => {
    const worker = new Worker(workerUrl)
    let current = -1
    const feed = () => {
      if (next >= tasks.length) { void worker.terminate().then(() => resolve()); return }
      current = next++
      worker.postMessage(tasks[current])
    }
    worker.on('message', (outcome: BulkOutcome) => {
      outcomes[current] = outcome
      done++
      options.progress?.(progressBar(done, tasks.length))
      feed()
    })
    worker.on('error', reject)
    feed()
  })))
  return outcomes
}

/** One line per file that needs attention, then `N files: …` counts. */
export function summary(outcomes: readonly BulkOutcome[], command: BulkCommand): { lines: string[]; exit: number } {
  const lines: string[] = []
  const counts = { ok: 0, changed: 0, finding: 0, error: 0 }
  for (const o of outcomes) {
    counts[o.status]++
    if (o.status !== 'ok') lines.push(`${o.status === 'changed' ? 'changed' : o.status === 'finding' ? 'FAIL' : 'error'} ${o.file}${o.message ? `: ${o.message}` : ''}`)
  }
  const what = command === 'validate' ? `${counts.ok} valid, ${counts.finding} invalid` : command === 'roundtrip' ? `${counts.ok} passed, ${counts.finding} failed` : `${counts.changed} changed, ${counts.ok} unchanged`
  lines.push(`${outcomes.length} files: ${what}, ${counts.error} not readable as libvirt XML`)
  return { lines, exit: counts.error > 0 ? 2 : counts.finding > 0 ? 1 : 0 }
}
