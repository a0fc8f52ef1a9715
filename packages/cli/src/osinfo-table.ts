// Which OS table the commands use: the built-in one (compiled from osinfo-db at build time), an
// installed osinfo-db when it is newer (Debian's `osinfo-db` package, /usr/share/osinfo), or the
// directory `--osinfo-db DIR` names.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defaultOsTable, type OsTable } from '@virtuned/defaults'
import { loadOsinfoDb, systemOsinfoDir } from '@virtuned/defaults/node'

/** `osinfo-db 20240701` → 20240701 (osinfo-db versions are dates); undefined when there is none. */
function versionOf(source: string): number | undefined {
  const m = /(\d{8})\s*$/.exec(source.trim())
  return m ? Number(m[1]) : undefined
}

const loaded = new Map<string, OsTable>()

/**
 * The OS table for `--osinfo-db DIR` (read, or `defaults-bad-osinfo` when it is not one), else the
 * installed database at `systemDir` when its VERSION is newer than the built-in table's, else the
 * built-in table. Reading a whole database takes a fraction of a second: once per process and directory.
 */
export function osTableFor(dir: string | undefined, systemDir: string = systemOsinfoDir): OsTable {
  if (dir !== undefined) return load(dir)
  let installed: number | undefined
  try { installed = versionOf(readFileSync(join(systemDir, 'VERSION'), 'utf8')) } catch { return defaultOsTable }
  const builtin = versionOf(defaultOsTable.source) ?? 0
  return installed !== undefined && installed > builtin ? load(systemDir) : defaultOsTable
}

function load(dir: string): OsTable {
  let table = loaded.get(dir)
  if (table === undefined) {
    table = loadOsinfoDb(dir)
    loaded.set(dir, table)
  }
  return table
}
