// Where tests find ../shared/corpus (libvirt's own test XML, read-only, never copied).
// In CI (CI=true) a missing corpus is a failure; elsewhere tests skip with a one-line reason.
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

const defaultDir = resolve(new URL('.', import.meta.url).pathname, '../../shared/corpus')

/** The corpus folder, or `undefined` (with `reason`) when it is missing outside CI. Throws in CI. */
export function locateCorpus(): { dir: string | undefined; reason: string } {
  const dir = process.env.VIRTUNED_CORPUS ?? defaultDir
  if (existsSync(join(dir, 'domains'))) return { dir, reason: '' }
  const reason = `corpus not found at ${dir} (set VIRTUNED_CORPUS)`
  if (process.env.CI === 'true') throw new Error(`${reason}: CI must run the corpus tests`)
  return { dir: undefined, reason }
}

/** Every `*.xml` file under the given corpus subfolders (recursively), sorted, as paths relative to the corpus. */
export function corpusFiles(dir: string, folders: readonly string[]): string[] {
  const out: string[] = []
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      const path = join(relative, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.xml')) out.push(path)
    }
  }
  for (const folder of folders) if (existsSync(join(dir, folder))) walk(folder)
  return out.sort()
}
