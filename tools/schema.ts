// For tests: libvirt's RelaxNG check of a domain through virt-xml-validate (Debian libvirt-clients).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const validator = existsSync('/usr/bin/virt-xml-validate') ? '/usr/bin/virt-xml-validate' : undefined
/** Why the schema tests skip here; in CI (CI=true) they must run. */
export const validatorMissing = validator ? '' : 'virt-xml-validate not installed (Debian libvirt-clients)'

/** libvirt's own schema check of a domain; returns '' when valid, else what it printed. */
export function schemaErrors(xml: string): string {
  if (!validator) throw new Error('CI must run the schema tests: install libvirt-clients (virt-xml-validate)')
  const dir = mkdtempSync(join(tmpdir(), 'virtuned-validate-'))
  try {
    const file = join(dir, 'domain.xml')
    writeFileSync(file, xml)
    try {
      execFileSync(validator, [file, 'domain'], { stdio: 'pipe', encoding: 'utf8' })
      return ''
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string }
      return `${e.stdout ?? ''}${e.stderr ?? ''}` || String(error)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export const runSchema = validator !== undefined || process.env.CI === 'true'
