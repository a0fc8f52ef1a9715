import { VirtunedError, type Point } from '@virtuned/xml-core'

/** Every error code the model throws, with what to do about it. */
export const modelErrorCatalog = {
  'model-unexpected-root': 'Give a libvirt domain (`<domain>`) or one device element (`<disk>`, `<interface>`, …) as the root.',
  'model-invalid-value': 'Fix the value at this place; the message names what is allowed.',
  'model-invalid-spec': 'Fix the spec at the given path; the message says what was expected.',
  'model-value-out-of-range': 'Use a smaller value or a larger unit; the value must fit in a JavaScript safe integer of bytes.',
  'model-missing-element': 'Add the element the message names; the spec cannot be read without it.',
  'model-device-not-found': 'No device matched: check the predicate or element against the current document (devices are matched by identity, not by equal content).',
  'model-device-ambiguous': 'More than one device matched; narrow the predicate so it selects exactly one device.',
  'model-too-many-devices': 'virtuned composes, applies and plans on at most 1,024 disks, 1,024 NICs and 4,096 devices in one domain (see `deviceLimits`): split the devices over several domains.',
} as const

/** A stable error code of this package (a key of {@link modelErrorCatalog}). */
export type ModelErrorCode = keyof typeof modelErrorCatalog

/** A document that is well-formed XML but not what the model can read: wrong root, bad value, unknown unit. */
export class DomainModelError extends VirtunedError {
  override readonly code: ModelErrorCode
  /** Path to the offending node, e.g. `domain/memory/@unit` or `disks[0].target`. */
  readonly path: string

  constructor(code: ModelErrorCode, message: string, options: { path: string; place?: Point | undefined; cause?: unknown }) {
    super(code, message, { place: options.place, note: modelErrorCatalog[code], cause: options.cause })
    this.name = 'DomainModelError'
    this.code = code
    this.path = options.path
  }
}
