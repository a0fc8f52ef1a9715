// libvirt's RelaxNG check for `validate` and `--validate`, by libxml2 compiled to WebAssembly
// (@virtuned/schema): no xmllint needed. Which schema set answers, in this order:
//  1. `--schema-dir DIR`: that folder's `*.rng` (an error, exit 2, when it cannot be read);
//  2. the host's libvirt schemas, when `/usr/share/libvirt/schemas/<root>.rng` exists (the libvirt
//     the documents are meant for);
//  3. for a `<domain>`, the schemas shipped with virtuned (libvirt 11.3.0's).
// A device alone has no schema in libvirt: it is not checked.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createValidator, libvirtSchemaVersion, type SchemaProblem, type SchemaValidator } from '@virtuned/schema'
import { readSchemaDir, systemSchemaDir } from '@virtuned/schema/node'

export { systemSchemaDir }

/** A schema verdict and the set that gave it. */
export interface SchemaCheck {
  /** Which set answered, as printed: `/usr/share/libvirt/schemas (host libvirt)`, `libvirt 11.3.0 (shipped with virtuned)`. */
  readonly schema: string
  /** The problems, located (line, column, path) and explained; empty: valid. */
  readonly problems: readonly SchemaProblem[]
}

/** The set for a root element: its folder (undefined: the shipped one) and how it is named. `hostDir`: where the host's libvirt keeps its schemas. */
export function schemaSetFor(root: string, schemaDir: string | undefined, hostDir = systemSchemaDir): { readonly dir: string | undefined; readonly label: string } | undefined {
  if (schemaDir !== undefined) return { dir: schemaDir, label: `${schemaDir} (--schema-dir)` }
  if (existsSync(join(hostDir, `${root}.rng`))) return { dir: hostDir, label: `${hostDir} (host libvirt)` }
  if (root === 'domain') return { dir: undefined, label: `libvirt ${libvirtSchemaVersion} (shipped with virtuned)` }
  return undefined
}

// One validator per folder and start file for the process (or worker thread): libxml2 loads once,
// each schema is parsed once.
const validators = new Map<string, Promise<SchemaValidator>>()

function validatorFor(dir: string | undefined, start: string): Promise<SchemaValidator> {
  const key = `${dir ?? ''}\0${start}`
  let made = validators.get(key)
  if (!made) {
    made = dir === undefined ? createValidator({ start }) : readSchemaDir(dir).then((schemas) => createValidator({ schemas, start }))
    made.catch(() => validators.delete(key))
    validators.set(key, made)
  }
  return made
}

/**
 * libvirt's schema verdict on a document whose root element is `root`; `undefined` when no set has
 * a schema for it (a device alone, or a root the chosen folder has no `<root>.rng` for). Throws
 * `SchemaError` (exit 2) for a `--schema-dir` that cannot be read or does not form a grammar.
 */
export async function checkSchema(document: Uint8Array | string, root: string, schemaDir: string | undefined, hostDir = systemSchemaDir): Promise<SchemaCheck | undefined> {
  const set = schemaSetFor(root, schemaDir, hostDir)
  // A folder that exists but has no schema for this root (e.g. `<disk>`): nothing to check it against.
  if (!set || (set.dir !== undefined && existsSync(set.dir) && !existsSync(join(set.dir, `${root}.rng`)))) return undefined
  const validator = await validatorFor(set.dir, `${root}.rng`)
  return { schema: set.label, problems: validator.validate(document).errors }
}

/** One problem as the CLI prints it: `file:line:column: message [code]` (no column when unknown). */
export function formatProblem(file: string, problem: SchemaProblem): string {
  const place = problem.line > 0 ? `:${problem.line}${problem.column > 0 ? `:${problem.column}` : ''}` : ''
  return `${file}${place}: ${problem.message} [${problem.code}]`
}
