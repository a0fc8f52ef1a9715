// Bulk runs: `fmt`, `validate`, `roundtrip` and `apply` over directories and globs, in worker
// threads, with a progress bar on a terminal and a summary. Every write is atomic (temporary file
// + rename in the same directory), so a run killed half-way leaves each file old or new.
import { availableParallelism } from 'node:os'
import { existsSync, type Stats } from 'node:fs'
import { lstat, readdir, realpath, stat } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { Worker } from 'node:worker_threads'
import picomatch from 'picomatch'
import { OutputCollisionError, UsageError } from './errors.ts'

export type BulkCommand = 'fmt' | 'validate' | 'roundtrip' | 'apply'

/** What a worker needs to process one file; plain data (it crosses the thread boundary). */
export interface BulkTask {
  readonly command: BulkCommand
  /** The path as the user reached it (reported). */
  readonly file: string
  /** The file itself (symbolic links resolved, inside the tree): read and rewritten in place. */
  readonly real?: string
  /** Where `apply --output-dir` writes this file. */
  readonly output?: string
  readonly style?: 'libvirt' | 'preserve'
  readonly inPlace?: boolean
  readonly check?: boolean
  readonly schemaDir?: string
  readonly noSchema?: boolean
  readonly compose?: { readonly os?: string; readonly profile?: string; readonly policies: readonly string[]; readonly domcaps?: string; /** `--qemucaps`: the QEMU capabilities file's text. */ readonly qemucaps?: string; readonly force: boolean; readonly convert: boolean; /** false: the policies (and conversions) only, as `apply FILE --policy P` without --defaults. */ readonly defaults?: boolean; readonly osinfoDb?: string }
}

/**
 * `ok`: nothing to report; `changed`: a file was (or, with --check, would be) rewritten;
 * `finding`: invalid or lossy; `error`: unreadable or not libvirt XML; `unwritable`: the result
 * could not be written (permissions, a directory in the way, a full disk).
 */
export interface BulkOutcome {
  readonly file: string
  readonly status: 'ok' | 'changed' | 'finding' | 'error' | 'unwritable'
  readonly message?: string
}

/** A file a bulk run does not visit, and why (outside the tree, a loop, reached twice). */
export interface Skipped {
  readonly path: string
  readonly reason: string
}

/** One file to work on: the path it was reached by, the file itself, and its input's directory. */
export interface BulkFile {
  readonly path: string
  readonly real: string
  /** The directory of the input it came from (the directory, a file's parent, a glob's fixed part), absolute. */
  readonly base: string
}

export interface ExpandedInputs {
  /** Each file once (by device and inode), sorted by path. */
  readonly files: readonly BulkFile[]
  readonly skipped: readonly Skipped[]
}

const globCharacters = /[*?[\]{}]/

/** Whether `input` names a path that exists (a symbolic link counts, even a broken one). */
async function exists(input: string): Promise<boolean> {
  try { await lstat(input); return true } catch { return false }
}

/** `vms/**\/*.xml` → `{ base: 'vms', rest: '**\/*.xml' }`: the fixed directories before the first pattern segment. */
function splitPattern(pattern: string): { base: string; rest: string } {
  const parts = pattern.split('/')
  let i = 0
  while (i < parts.length - 1 && !globCharacters.test(parts[i]!)) i++
  const base = parts.slice(0, i).join('/')
  return { base: base === '' ? (pattern.startsWith('/') ? '/' : '.') : base, rest: parts.slice(i).join('/') }
}

const inside = (root: string, path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)

/**
 * Walks the inputs without leaving their trees: a symbolic link is followed only when its real
 * path is under the real path of the input it was found in; each file is visited once (by device
 * and inode, so a file reached by a link and by its own name counts once — its own name wins);
 * loops end at a directory already visited. Everything passed over is listed in `skipped`.
 */
class Walk {
  readonly files: BulkFile[] = []
  /** Entries found or passed over, counting those an earlier input already found. */
  found = 0
  readonly #skipped = new Map<string, Skipped>()
  readonly #seenFiles = new Map<string, string>()

  /** What was passed over, each path once (overlapping inputs walk some directories twice). */
  get skipped(): Skipped[] { return [...this.#skipped.values()] }

  skip(path: string, reason: string): void {
    this.found++
    if (!this.#skipped.has(path)) this.#skipped.set(path, { path, reason })
  }

  add(path: string, real: string, info: Stats | undefined, base: string): void {
    this.found++
    if (info !== undefined) {
      if (!info.isFile()) { this.found--; this.skip(path, 'not a regular file'); return }
      const key = `${info.dev}:${info.ino}`
      const first = this.#seenFiles.get(key)
      // The same path named twice (`vms vms/a.xml`) is not worth a line; another name for the file is.
      if (first !== undefined) { if (first !== path) this.skip(path, `the same file as ${first}`); return }
      this.#seenFiles.set(key, path)
    }
    this.files.push({ path, real, base })
  }

  /**
   * All files under `display` (real path `real`) that `match` accepts (path relative to the
   * walk's start, `/`-separated), at most `depth` levels down. Regular entries are walked first
   * and symbolic links after them, so a file's own name wins over a link to it.
   */
  async tree(root: { display: string; real: string }, match: (rel: string) => boolean, options: { depth: number; dot: boolean }): Promise<void> {
    const links: { display: string; rel: string; depth: number }[] = []
    const base = resolve(root.display)
    // Per walk: a second input over the same directories finds its files again (they count once).
    const seenDirs = new Set<string>()
    const walkDir = async (display: string, real: string, rel: string, depth: number): Promise<void> => {
      if (seenDirs.has(real)) return
      seenDirs.add(real)
      let entries
      try {
        entries = await readdir(display, { withFileTypes: true })
      } catch (error) {
        this.skip(display, `cannot read the directory: ${(error as Error).message}`)
        return
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      for (const entry of entries) {
        if (!options.dot && entry.name.startsWith('.')) continue
        const path = display === '.' ? entry.name : join(display, entry.name)
        const entryRel = rel === '' ? entry.name : `${rel}/${entry.name}`
        if (entry.isSymbolicLink()) links.push({ display: path, rel: entryRel, depth })
        else if (entry.isDirectory()) { if (depth > 0) await walkDir(path, join(real, entry.name), entryRel, depth - 1) }
        else if (entry.isFile() && match(entryRel)) this.add(path, join(real, entry.name), await stat(path).catch(() => undefined), base)
      }
    }
    await walkDir(root.display, root.real, '', options.depth)
    // Links after the regular entries; a linked directory adds its own links to the queue.
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!
      let real: string
      let info: Stats
      try {
        real = await realpath(link.display)
        info = await stat(real)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ELOOP' || code === 'ENOENT') this.skip(link.display, code === 'ELOOP' ? 'a symbolic link loop' : 'a broken symbolic link')
        else this.skip(link.display, (error as Error).message)
        continue
      }
      if (info.isDirectory()) {
        if (link.depth === 0) continue
        if (!inside(root.real, real)) { this.skip(link.display, `a link to ${real}, outside ${root.display}`); continue }
        if (seenDirs.has(real)) { this.skip(link.display, `a link to a directory already visited (${real})`); continue }
        await walkDir(link.display, real, link.rel, link.depth - 1)
      } else if (match(link.rel)) {
        if (!inside(root.real, real)) { this.skip(link.display, `a link to ${real}, outside ${root.display}`); continue }
        this.add(link.display, real, info, base)
      }
    }
  }
}

/**
 * Files named, files under directories (`*.xml`, recursively, not hidden ones), and glob
 * matches — each file once, never outside the tree it was found in. A path that exists is that
 * path, even with `[`, `*` or `{` in its name; a name with glob characters is a pattern only when
 * no such path exists, or always with `glob: true` (`--glob`).
 */
export async function expandInputs(inputs: readonly string[], options: { glob?: boolean } = {}): Promise<ExpandedInputs> {
  const walk = new Walk()
  for (const input of inputs) {
    const pattern = globCharacters.test(input) && (options.glob === true || !(await exists(input)))
    if (pattern) {
      const { base, rest } = splitPattern(input)
      let real: string
      try { real = await realpath(base) } catch { real = '' }
      const before = walk.found
      if (real !== '') {
        // A pattern is a pattern: the regular expression only (picomatch's matcher also accepts a name
        // equal to the pattern text), and `[1]` a character class, not also the literal `[1]`.
        const matcher = picomatch.makeRe(rest, { dot: /(^|\/)\./.test(rest), literalBrackets: false })
        const isMatch = (rel: string) => matcher.test(rel)
        await walk.tree({ display: base, real }, isMatch, { depth: rest.includes('**') ? Number.POSITIVE_INFINITY : rest.split('/').length - 1, dot: /(^|\/)\./.test(rest) })
      }
      if (walk.found === before) throw new UsageError(`No files match \`${input}\``, 'Check the pattern; quote it so the shell does not expand it first.')
      continue
    }
    let info: Stats | undefined
    try { info = await stat(input) } catch { /* missing or a broken link: reported by its task */ }
    if (info?.isDirectory()) {
      const display = input.length > 1 ? input.replace(/\/+$/, '') : input
      await walk.tree({ display, real: await realpath(input) }, (rel) => rel.endsWith('.xml'), { depth: Number.POSITIVE_INFINITY, dot: false })
    } else {
      // A file named on the command line is that file, wherever a link in its name points.
      const real = info ? await realpath(input) : resolve(input)
      walk.add(input, real, info, resolve(dirname(input)))
    }
  }
  const files = [...walk.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return { files, skipped: walk.skipped }
}

/**
 * Where `--output-dir` writes each file: its path relative to the common directory of the inputs,
 * under `outputDir` (`vms/a/x.xml` and `vms/b/x.xml` from `vms` → `OUT/a/x.xml`, `OUT/b/x.xml`).
 * Two files for one output, or an output that is one of the inputs, is refused before anything is written.
 */
export function outputPaths(files: readonly BulkFile[], outputDir: string): string[] {
  const bases = files.map((f) => f.base)
  let common = bases[0] ?? resolve('.')
  for (const b of bases) while (!inside(common, b)) common = dirname(common)
  const targets = new Map<string, string>()
  const reals = new Map(files.map((f) => [f.real, f.path]))
  return files.map((f) => {
    const target = join(outputDir, relative(common, resolve(f.path)))
    const first = targets.get(resolve(target))
    if (first !== undefined) throw new OutputCollisionError(target, first, f.path)
    targets.set(resolve(target), f.path)
    const input = reals.get(resolve(target))
    if (input !== undefined) throw new OutputCollisionError(target, input, f.path)
    return target
  })
}

/**
 * The number of worker threads: `--jobs N`, at most the CPU count unless `force` (more threads
 * than CPUs only add memory: 256 took 6.9 GB and 39 s where 8 took 1.8 s); by default the CPUs,
 * at most 8. `notice` says when a request was lowered.
 */
export function jobCount(requested: string | undefined, force: boolean, cpus = availableParallelism()): { workers: number; notice?: string } {
  if (requested === undefined) return { workers: Math.min(cpus, 8) }
  const count = Number(requested)
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`Unexpected --jobs \`${requested}\`, expected a whole number ≥ 1`)
  if (count > cpus && !force) return { workers: cpus, notice: `virtuned: --jobs ${count} lowered to ${cpus}, the number of CPUs (--jobs-force to use ${count})` }
  return { workers: count }
}

/** Whether a command line asks for a bulk run: a directory, a glob, or several files for fmt/apply. */
export async function isBulk(inputs: readonly string[], options: { glob?: boolean } = {}): Promise<boolean> {
  if (inputs.length > 1) return true
  const input = inputs[0]
  if (input === undefined || input === '-') return false
  if (globCharacters.test(input) && (options.glob === true || !(await exists(input)))) return true
  try { return (await stat(input)).isDirectory() } catch { return false }
}

function progressBar(done: number, total: number): string {
  const width = 30
  const filled = total === 0 ? width : Math.round((done / total) * width)
  return `\r[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} files`
}

/**
 * Runs the tasks on `workers` threads (default: the CPUs, at most 8; see {@link jobCount}).
 * Outcomes come back in task order. `progress` is called on a terminal only.
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

/** One line per file that needs attention and per file skipped, then `N files: …` counts. */
export function summary(outcomes: readonly BulkOutcome[], command: BulkCommand, skipped: readonly Skipped[] = []): { lines: string[]; exit: number } {
  const lines: string[] = []
  const counts = { ok: 0, changed: 0, finding: 0, error: 0, unwritable: 0 }
  const label = { changed: 'changed', finding: 'FAIL', error: 'error', unwritable: 'error' } as const
  for (const o of outcomes) {
    counts[o.status]++
    if (o.status !== 'ok') lines.push(`${label[o.status]} ${o.file}${o.message ? `: ${o.message}` : ''}`)
  }
  for (const s of skipped) lines.push(`skipped ${s.path}: ${s.reason}`)
  const what = command === 'validate' ? `${counts.ok} valid, ${counts.finding} invalid` : command === 'roundtrip' ? `${counts.ok} passed, ${counts.finding} failed` : `${counts.changed} changed, ${counts.ok} unchanged`
  const writes = command === 'fmt' || command === 'apply' ? `, ${counts.unwritable} not written` : ''
  lines.push(`${outcomes.length} files: ${what}, ${counts.error} not readable as libvirt XML${writes}${skipped.length ? `; ${skipped.length} skipped` : ''}`)
  return { lines, exit: counts.error > 0 || counts.unwritable > 0 ? 2 : counts.finding > 0 ? 1 : 0 }
}
