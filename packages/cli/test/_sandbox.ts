// For the CLI suites against the sandbox libvirtd (tools/libvirt-sandbox): the CLI run in-process on
// the real file system with its output captured, and one domain's lifecycle around a suite — the
// sandbox started (a holder per process), the domain undefined before and after, files removed.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { createConnection, type LibvirtConnection } from '@virtuned/libvirt-adapter'
import { run } from '../src/index.ts'
import { nodeIo } from '../src/io.ts'
import { libvirtAvailability, sandboxScripts as sandbox } from '../../../tools/libvirt.ts'

export { sandboxDir, sandboxScripts } from '../../../tools/libvirt.ts'

/** Whether the real-libvirt suites run here, and why not. */
export const availability = libvirtAvailability()

/** The CLI in-process on the real file system; stdout and stderr captured. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const real = await nodeIo()
  let out = ''
  let err = ''
  const code = await run(args, { ...real, stdout: (t) => { out += t }, stderr: (t) => { err += t } })
  return { code, out, err }
}

/**
 * Inside a `describe`: starts the sandbox (and builds its guest when `buildGuest`), connects, and
 * removes domain `name` before and after the suite, then the `files`. `connection()` is the live one.
 */
export function useSandboxDomain(name: string, options: { files?: readonly string[]; buildGuest?: boolean; uri?: string } = {}): { connection: () => LibvirtConnection } {
  const env = { ...process.env, VIRTUNED_SANDBOX_HOLDER: String(process.pid) }
  let conn: LibvirtConnection | undefined
  const cleanup = async () => {
    const domain = await conn!.lookupDomainByName(name).catch(() => undefined)
    if (domain) {
      await conn!.destroy(domain).catch(() => undefined)
      await conn!.undefine(domain).catch(() => undefined)
    }
  }
  beforeAll(async () => {
    expect(availability.reason, 'CI must run the real-libvirt tests: install with tools/libvirt-sandbox/install.sh').toBe('')
    if (options.buildGuest) execFileSync(join(sandbox, 'build-guest.sh'), { stdio: 'pipe', timeout: 300_000 })
    execFileSync('bash', [join(sandbox, 'start.sh')], { stdio: 'pipe', env, timeout: 180_000 })
    conn = await createConnection(options.uri ?? 'qemu:///system')
    await cleanup()
  }, 400_000)
  afterAll(async () => {
    try {
      if (conn) { await cleanup(); await conn.close() }
      for (const file of options.files ?? []) rmSync(file, { force: true })
    } finally {
      execFileSync('bash', [join(sandbox, 'stop.sh')], { stdio: 'pipe', env, timeout: 120_000 })
    }
  }, 120_000)
  return { connection: () => conn! }
}
