import { VirtunedError, type Point } from '@virtuned/xml-core'

/** Every error code of `@virtuned/policies`, with what to do about it. */
export const policyErrorCatalog = {
  'policy-invalid': 'Fix the policy file at the given line and key; the message says what was expected.',
  'policy-syntax': 'The file is not valid YAML or JSON: fix the syntax at the given line and column.',
  'policy-unknown': 'Use a built-in policy (`virtuned policies list`) or load the policy file that defines it.',
  'policy-cycle': 'Policies require each other in a circle: drop one of the `requires`.',
  'policy-bad-parameter': 'Give the parameter a value of the declared type and range (`--policy name:param=value`).',
  'policy-bad-fragment': 'The policy’s `prefer`/`require` XML must be well-formed children of `<domain>`.',
  'policy-conflict': 'Drop one of the clashing policies, change your value, or pass --force to let a policy’s requirement win over your value.',
  'policy-too-large': 'Policy, KubeVirt and OpenStack files are limited to 1 MiB (`maxPolicyBytes`): a policy is a page of YAML, not a data set. Split the file, or check it is the file you meant.',
  'policy-too-many': 'Too many of something in one policy or request: at most 256 policies per request, 64 parameters and 256 conversion steps per policy, 100 YAML alias expansions per file. Split the policy or the request.',
  'policy-not-applicable': 'The policy’s `when` does not hold for this domain: check its OS, machine and host conditions.',
} as const

export type PolicyErrorCode = keyof typeof policyErrorCatalog

/** A policy file or request that cannot be used: syntax, schema, unknown name, cycle, bad parameter. */
export class PolicyError extends VirtunedError {
  override readonly code: PolicyErrorCode
  /** The file (or `<builtin>`) and the key path in it, e.g. `parameters.ports.default`. */
  readonly file: string | undefined
  readonly path: string | undefined

  constructor(code: PolicyErrorCode, message: string, options: { file?: string; path?: string; place?: Point; cause?: unknown } = {}) {
    super(code, message, { place: options.place, note: policyErrorCatalog[code], cause: options.cause })
    this.name = 'PolicyError'
    this.code = code
    this.file = options.file
    this.path = options.path
  }
}

/** One clash between two wishes for the same value. */
export interface PolicyClash {
  /** Identity path of the value, e.g. `/domain/os/type/@machine`. */
  readonly path: string
  readonly current: string
  readonly wanted: string
  /** `user` (the domain as given), a policy name, or `conflicts` for an explicit `conflicts` entry. */
  readonly holder: string
  readonly requester: string
  readonly kind: 'require-vs-require' | 'require-vs-user' | 'declared'
}

/** Policies that cannot all hold: every clash, with path, values and policies. */
export class PolicyConflictError extends VirtunedError {
  override readonly code = 'policy-conflict' as const
  readonly clashes: readonly PolicyClash[]

  constructor(clashes: readonly PolicyClash[]) {
    const lines = clashes.map((c) => (c.kind === 'declared' ? `  ${c.requester} conflicts with ${c.holder}` : `  ${c.path}: ${c.holder} has ${JSON.stringify(c.current)}, ${c.requester} requires ${JSON.stringify(c.wanted)}`))
    super('policy-conflict', `${clashes.length} conflict${clashes.length === 1 ? '' : 's'} between policies and the domain:\n${lines.join('\n')}`, { note: policyErrorCatalog['policy-conflict'] })
    this.name = 'PolicyConflictError'
    this.clashes = clashes
  }
}
