// For the real-libvirt tests: where the sandbox is (tools/libvirt-sandbox), and whether this machine
// can run it. In CI (CI=true) the suites must run (and fail when libvirtd cannot start); elsewhere
// they skip with the one-line reason.
import { existsSync } from 'node:fs'

/** The sandbox scripts (start.sh, stop.sh, build-guest.sh, guest-template.xml). */
export const sandboxScripts = new URL('./libvirt-sandbox/', import.meta.url).pathname
/** Where the sandbox keeps its configs, logs and the tests' images. */
export const sandboxDir = process.env.VIRTUNED_SANDBOX_DIR ?? '/run/virtuned-sandbox'

/**
 * Why the real-libvirt tests cannot run here ('' when they can), and whether they run: always in CI.
 * `extra` adds needs of one suite, e.g. `[['/usr/bin/virt-install', 'virt-install not installed (Debian virtinst)']]`.
 */
export function libvirtAvailability(extra: readonly (readonly [string, string])[] = []): { reason: string; run: boolean } {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const installed = existsSync('/usr/sbin/libvirtd') && existsSync('/usr/bin/qemu-system-x86_64')
  const missing = extra.find(([path]) => !existsSync(path))
  const reason = !isRoot ? 'not root' : !installed ? 'libvirt/QEMU not installed (tools/libvirt-sandbox/install.sh)' : missing ? missing[1] : ''
  return { reason, run: reason === '' || process.env.CI === 'true' }
}

/** libvirt 11.3's daemon in a chroot (tools/libvirt-trixie), beside the sandbox's 9.0. */
export const trixieScripts = new URL('./libvirt-trixie/', import.meta.url).pathname
export const trixieRoot = process.env.VIRTUNED_TRIXIE_ROOT ?? '/opt/virtuned/libvirt-trixie'

/** Why the libvirt 11.3 tests cannot run here ('' when they can), and whether they run: always in CI. */
export function trixieAvailability(): { reason: string; run: boolean } {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const reason = !isRoot ? 'not root' : !existsSync(`${trixieRoot}/usr/sbin/libvirtd`) ? `no libvirt 11.3 chroot at ${trixieRoot} (tools/libvirt-trixie/install.sh)` : ''
  return { reason, run: reason === '' || process.env.CI === 'true' }
}
