/// <reference types="node" />
// `@virtuned/schema/node`: reading a schema set from a folder, for command-line tools on a host
// (the package itself reads no files: it runs in browsers and edge runtimes too).
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SchemaError } from './errors.ts'

/** Where Debian, Fedora and libvirt's own install put libvirt's schemas. */
export const systemSchemaDir = '/usr/share/libvirt/schemas'

/**
 * Every `*.rng` file of a folder, by file name, as `createValidator({ schemas })` takes them.
 * Throws `SchemaError` `schema-dir-unreadable` when the folder cannot be read or holds no `.rng`.
 */
export async function readSchemaDir(dir: string): Promise<Record<string, Uint8Array>> {
  let names: string[]
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.rng')).sort()
  } catch (error) {
    throw new SchemaError('schema-dir-unreadable', `Cannot read the schema folder ${dir}: ${(error as Error).message}`, { cause: error })
  }
  if (names.length === 0) throw new SchemaError('schema-dir-unreadable', `The schema folder ${dir} holds no .rng file.`)
  const files: Record<string, Uint8Array> = {}
  for (const name of names) files[name] = new Uint8Array(await readFile(join(dir, name)))
  return files
}
