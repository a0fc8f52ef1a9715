// Native libxml2 (`xmllint`, Debian libxml2-utils) as the oracle: one process for many files.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { availability } from '../../../tools/net.ts'

const present = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).error === undefined
export const xmllint = availability('native xmllint', present, 'apt-get install libxml2-utils')

export const shippedSchemas = new URL('../schemas/libvirt-11.3.0/', import.meta.url).pathname

/** The shipped schema files as `schemas` for createValidator. */
export function schemaFiles(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.rng')).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))
}

export interface NativeVerdict {
  readonly valid: boolean
  /** Lines xmllint names for this file ("file:LINE: element x: Relax-NG validity error : …"). */
  readonly lines: readonly number[]
}

/** `xmllint --noout --relaxng <schema> files…` once; the verdict per file, by path. */
export function nativeVerdicts(schema: string, files: readonly string[]): Map<string, NativeVerdict> {
  const result = spawnSync('xmllint', ['--noout', '--relaxng', schema, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const verdicts = new Map<string, NativeVerdict>()
  const lines = new Map<string, number[]>()
  for (const line of result.stderr.split('\n')) {
    for (const file of [line.match(/^(.*) validates$/)?.[1], line.match(/^(.*) fails to validate$/)?.[1]]) {
      if (file !== undefined) verdicts.set(file, { valid: line.endsWith(' validates'), lines: lines.get(file) ?? [] })
    }
    const located = line.match(/^(.*?):(\d+): /)
    if (located) lines.set(located[1]!, [...(lines.get(located[1]!) ?? []), Number(located[2])])
  }
  // A file that is not well-formed gets parser errors and no "validates"/"fails" line at all.
  for (const file of files) if (!verdicts.has(file)) verdicts.set(file, { valid: false, lines: lines.get(file) ?? [] })
  return verdicts
}

/** Native verdicts for documents held in memory (written to a temporary folder). */
export function nativeVerdictsOf(schema: string, documents: readonly string[], encoding: BufferEncoding = 'utf8'): NativeVerdict[] {
  const dir = mkdtempSync(join(tmpdir(), 'virtuned-schema-'))
  try {
    const files = documents.map((text, i) => {
      const file = join(dir, `${i}.xml`)
      writeFileSync(file, text, encoding)
      return file
    })
    const verdicts = nativeVerdicts(schema, files)
    return files.map((f) => verdicts.get(f)!)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
