import { VirtunedError, type Point } from '@virtuned/xml-core'

/** Every error code of `@virtuned/defaults`, with what to do about it. */
export const defaultsErrorCatalog = {
  'defaults-unknown-os': 'Give a libosinfo short id (`debian11`, `win11`) or URI (`http://debian.org/debian/11`); `virtuned defaults os` lists them.',
  'defaults-bad-osinfo': 'Point at an osinfo-db directory (Debian package `osinfo-db`, `/usr/share/osinfo`) whose files are well-formed libosinfo XML.',
  'defaults-bad-domcaps': 'Give domain capabilities XML as printed by `virsh domcapabilities` (root `<domainCapabilities>`).',
  'defaults-unknown-profile': 'Use one of the profiles `virtuned defaults list` prints, e.g. `2026.11`.',
  'defaults-not-a-domain': 'Give a libvirt domain (`<domain>`) document.',
  'defaults-arch-mismatch': 'Give the domain capabilities of the guest\'s architecture (`virsh domcapabilities --arch ARCH`), or write the architecture the capabilities are for.',
  'defaults-os-not-for-arch': 'Pick an OS release published for that architecture (`virtuned defaults os` lists each OS\'s architectures), or another architecture.',
  'defaults-profile-not-for-arch': 'Use a profile whose rules cover the architecture (`virtuned defaults list` names each profile\'s architectures; aarch64, s390x and ppc64le: `--profile 2026.12`).',
} as const

export type DefaultsErrorCode = keyof typeof defaultsErrorCatalog

/** Input the defaults cannot work with: unknown OS or profile, unreadable osinfo-db or domain capabilities. */
export class DefaultsError extends VirtunedError {
  override readonly code: DefaultsErrorCode
  /** The file, or the path in the input, the error is about. */
  readonly path: string | undefined

  constructor(code: DefaultsErrorCode, message: string, options: { path?: string; place?: Point; cause?: unknown } = {}) {
    super(code, message, { place: options.place, note: defaultsErrorCatalog[code], cause: options.cause })
    this.name = 'DefaultsError'
    this.code = code
    this.path = options.path
  }
}
