import { VirtunedError } from '@virtuned/xml-core'

/** Every error code identify throws, with what to do about it. */
export const identifyErrorCatalog = {
  'identify-invalid-alias': "A user alias is `ua-` followed by letters, digits, `_` or `-` (libvirt's rule since 3.9.0).",
  'identify-alias-taken': 'Aliases are unique within a domain: choose another name, or let virtuned generate one.',
  'identify-invalid-serial': 'A disk serial is 1–20 characters (virtio-blk and IDE/SATA; 36 on SCSI) of letters, digits, `_`, `-` and `.`.',
  'identify-not-a-device': 'Give a device element (`<disk>`, `<interface>`, …) from under `<devices>`.',
} as const

export type IdentifyErrorCode = keyof typeof identifyErrorCatalog

/** A name or value that breaks libvirt's or QEMU's rules for device identity. */
export class IdentityError extends VirtunedError {
  override readonly code: IdentifyErrorCode
  constructor(code: IdentifyErrorCode, message: string) {
    super(code, message, { note: identifyErrorCatalog[code] })
    this.name = 'IdentityError'
    this.code = code
  }
}
