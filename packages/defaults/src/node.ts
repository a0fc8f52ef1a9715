// Node-only: reading an installed osinfo-db from disk. Everything else in the package runs in
// browsers and edge runtimes on the compact table compiled at build time.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { DefaultsError } from './errors.ts'
import { compileOsTable, parseOsinfoXml, type OsTable, type OsinfoRecord } from './osinfo.ts'

/** Where Debian's `osinfo-db` package installs the database. */
export const systemOsinfoDir = '/usr/share/osinfo'

function xmlFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...xmlFiles(path))
    else if (name.endsWith('.xml')) out.push(path)
  }
  return out
}

/**
 * Reads every OS of an osinfo-db directory (`<dir>/os/**.xml`) and compiles the table.
 * @throws DefaultsError `defaults-bad-osinfo` when the directory has no `os/` or a file is not osinfo XML.
 */
export function loadOsinfoDb(dir: string = systemOsinfoDir): OsTable {
  const osDir = join(dir, 'os')
  let files: string[]
  try {
    files = xmlFiles(osDir)
  } catch (error) {
    throw new DefaultsError('defaults-bad-osinfo', `${osDir}: cannot read the osinfo-db directory (${(error as Error).message})`, { path: osDir, cause: error })
  }
  if (files.length === 0) throw new DefaultsError('defaults-bad-osinfo', `${osDir}: no OS files found`, { path: osDir })
  const records: OsinfoRecord[] = []
  for (const file of files) records.push(...parseOsinfoXml(readFileSync(file), file))
  let version = 'unknown'
  try { version = readFileSync(join(dir, 'VERSION'), 'utf8').trim() } catch { /* older databases have no VERSION */ }
  return compileOsTable(records, `osinfo-db ${version}`)
}
