// The policy DSL: one zod schema for YAML, JSON and TypeScript policies (also exported as JSON
// Schema for editors).
import { machineFamilies, type MachineFamily } from '@virtuned/model'
import { isXmlName } from '@virtuned/xml-core'
import { RE2JS } from 're2js'
import { z } from 'zod'

/** Longest `pattern` a string parameter may declare, in characters. */
export const maxPatternLength = 1000
/** Most parameters one policy may declare. */
export const maxParameters = 64
/** Most conversion steps one policy may declare. */
export const maxConversionSteps = 256

/**
 * A parameter's `pattern`, compiled for RE2 (re2js): matching takes time linear in the value,
 * whatever the pattern (no backtracking, so no `(a+)+` blow-up); lookarounds and backreferences,
 * which need backtracking, are refused. The whole value must match. Throws re2js's syntax error.
 */
export function compileParameterPattern(source: string): RE2JS {
  return RE2JS.compile(source)
}

const parameterPattern = z.string().max(maxPatternLength, `Expected a pattern of at most ${maxPatternLength} characters`).superRefine((source, context) => {
  try {
    compileParameterPattern(source)
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error)
    context.addIssue({ code: 'custom', message: `Unexpected pattern ${JSON.stringify(source)}: ${reason}; expected an RE2 regular expression (no lookarounds or backreferences)` })
  }
})

/** A value a policy writes: characters XML 1.0 can carry (markup characters are escaped when written). */
const xmlText = z.string().regex(/^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u, 'Expected only characters XML 1.0 allows (no control characters other than tab and line ends)')

/** An element or attribute name a policy writes: checked, since it is written into the domain as it is. */
const xmlName = z.string().refine(isXmlName, { message: "Expected an XML name such as `listen` or `xmlns:ns` (letters, digits, `-`, `.`, `_`, at most one `:` prefix; no spaces, quotes or `<>/=`)" })

const policyName = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'Expected a policy name of lower-case letters, digits and `-`, such as `hotplug-ready`')

/** A path into the domain: element names separated by `/`, each optionally with `[@attr='value']`, e.g. `devices/graphics[@type='spice']`. */
export const domainPath = z.string().regex(/^[A-Za-z_*][\w.:-]*(\[@[\w:-]+='[^']*'\])?(\/[A-Za-z_*][\w.:-]*(\[@[\w:-]+='[^']*'\])?)*$/, "Expected a path such as `devices/graphics[@type='spice']` (names separated by `/`, each with at most one `[@attr='value']`)")

const enumPair = z.tuple([z.string(), z.string()])

/**
 * A `when`: the one condition language of virtuned (`Condition` of @virtuned/defaults, checked by
 * its `check`), the same clauses the defaults' rules use.
 */
export const conditionSchema = z.strictObject({
  arch: z.array(z.string()).min(1).optional(),
  virtType: z.enum(['kvm', 'qemu']).optional(),
  /** osinfo families: `linux`, `winnt`, `freebsd`… (an unknown OS fails every `os*` clause). */
  osFamily: z.array(z.string()).min(1).optional(),
  /** osinfo short ids (`win11`, `debian11`). */
  osId: z.array(z.string()).min(1).optional(),
  /** The OS version, compared numerically: `>=10`, `<12`, `=11`. */
  osVersion: z.string().regex(/^(>=|<=|>|<|=)\d+(\.\d+)*$/, 'Expected a comparison such as `>=10` or `<12.1`').optional(),
  /** The OS has in-box drivers for every listed osinfo device (`virtio-net`, `qemu-xhci`). */
  osSupports: z.array(z.string()).min(1).optional(),
  /** A known OS without in-box drivers for any of these devices. */
  osLacks: z.array(z.string()).min(1).optional(),
  /** The OS's firmware needs: `efi-required`, `efi`, `bios`. */
  osFirmware: z.array(z.enum(['efi-required', 'efi', 'bios'])).min(1).optional(),
  /**
   * Machine family of the domain (as written, or as the defaults will set it), as libvirt tells
   * them apart with the architecture (`machineFamily` of `@virtuned/model`): `q35` (`q35`,
   * `pc-q35-*`), `i440fx` (`pc`, `pc-i440fx-*`…; `pc` is accepted for it), `arm-virt`, `pseries`,
   * `s390-ccw`…
   */
  machine: z.enum(['pc', ...machineFamilies] as unknown as [string, ...string[]]).transform((f): MachineFamily => (f === 'pc' ? 'i440fx' : f as MachineFamily)).optional(),
  /** Shorthand: the machine is (or is not) a q35 one. */
  q35: z.boolean().optional(),
  /** The domain's firmware as written. */
  firmware: z.enum(['efi', 'bios', 'unset']).optional(),
  directKernel: z.boolean().optional(),
  /** Any graphics (`true`), none (`false`), or graphics of this type (`spice`). */
  graphics: z.union([z.boolean(), z.string()]).optional(),
  /** Domain-capability enums the host must list: `{ 'devices/graphics/type': 'spice' }` (or `[path, value]` pairs). */
  hostEnum: z.union([z.record(z.string(), z.string()), z.array(enumPair)]).optional(),
  /** Like `hostEnum`, but a host that does not report the enum at all passes. */
  hostEnumIfListed: z.array(enumPair).optional(),
  /** `supported='yes'` paths of the domain capabilities: `features/vmcoreinfo`. */
  hostSupports: z.array(z.string()).optional(),
  /** Paths that must exist in the domain / must not. */
  has: z.array(domainPath).optional(),
  lacks: z.array(domainPath).optional(),
})

export type PolicyCondition = z.output<typeof conditionSchema>

const parameterSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('integer'), default: z.number().int(), min: z.number().int().optional(), max: z.number().int().optional(), description: z.string() }),
  z.strictObject({ type: z.literal('boolean'), default: z.boolean(), description: z.string() }),
  z.strictObject({ type: z.literal('string'), default: z.string(), pattern: parameterPattern.optional(), description: z.string() }),
])

export type ParameterSpec = z.output<typeof parameterSchema>

const parameterRef = z.string().regex(/^\$\{[a-z][a-zA-Z0-9]*\}$/, 'Expected a parameter reference such as `${ports}`')
const intOrRef = z.union([z.number().int().min(0), parameterRef])
const boolOrRef = z.union([z.boolean(), parameterRef])

/** Choices a policy hands to the defaults' device-level rules. */
export const defaultsChoicesSchema = z.strictObject({
  spareRootPorts: intOrRef.optional(),
  migratable: boolOrRef.optional(),
  diskBus: z.enum(['virtio', 'sata', 'scsi', 'ide']).optional(),
  nicModel: z.enum(['virtio', 'e1000e', 'e1000', 'rtl8139']).optional(),
  videoModel: z.enum(['virtio', 'vga', 'qxl', 'bochs']).optional(),
  multiqueue: boolOrRef.optional(),
  diskIothread: boolOrRef.optional(),
})

const why = z.string().min(1)

/** A machine family a policy needs: one QEMU has an unversioned machine type for (`machineForFamily`). */
const machineFamily = z.enum(['q35', 'i440fx', 'microvm', 'isapc', 'xenfv', 'arm-virt', 'riscv-virt', 'loongarch-virt', 'pseries', 's390-ccw'])

const conversionStep = z.union([
  z.strictObject({ remove: domainPath, why, guestVisible: z.boolean().default(true) }),
  z.strictObject({ set: z.strictObject({ path: domainPath, attribute: xmlName, value: xmlText }), why, guestVisible: z.boolean().default(true) }),
  z.strictObject({ replace: z.strictObject({ path: domainPath, xml: z.string().min(1) }), why, guestVisible: z.boolean().default(true) }),
  z.strictObject({ retarget: z.strictObject({ from: z.enum(['ide', 'sata', 'scsi', 'virtio', 'usb']), to: z.enum(['sata', 'scsi', 'virtio', 'usb']) }), why, guestVisible: z.boolean().default(true) }),
  z.strictObject({ machine: machineFamily, why, guestVisible: z.boolean().default(true) }),
], { error: 'Expected a conversion step: `{ remove: PATH }`, `{ set: { path, attribute, value } }`, `{ replace: { path, xml } }`, `{ retarget: { from, to } }` or `{ machine: FAMILY }`, each with `why`' })

export type ConversionStep = z.output<typeof conversionStep>

export const policySchema = z.strictObject({
  name: policyName,
  description: z.string().min(1, 'Expected a description of what the policy is for'),
  /** Bumped when the policy's effect changes. */
  version: z.number().int().min(1),
  requires: z.array(policyName).default([]),
  conflicts: z.array(policyName).default([]),
  parameters: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'Expected a parameter name such as `ports`'), parameterSchema)
    .refine((p) => Object.keys(p).length <= maxParameters, { message: `Expected at most ${maxParameters} parameters` }).default({}),
  /** The policy applies only where this holds; elsewhere it is skipped (and `explain` says why). */
  when: conditionSchema.optional(),
  /** Children of `<domain>` to fill where unset (`${param}` substituted, XML-escaped). */
  prefer: z.string().optional(),
  /** Children of `<domain>` that must hold: a different value is a conflict. */
  require: z.string().optional(),
  /**
   * The machine family the policy needs (`q35` for `pcie`): a domain without a machine gets the
   * family's machine (`q35`), one already of the family keeps its own (`pc-q35-7.2`: the version
   * is the guest's ABI), any other is a conflict — or, with `convert`, converted.
   */
  machine: machineFamily.optional(),
  /** Choices for the defaults (root-port spares, device models). */
  defaults: defaultsChoicesSchema.optional(),
  /** Elements the policy cannot live with (`devices/graphics[@type='spice']` for `vnc`): present, they are a conflict, or with `convert` they are converted away. */
  refuses: z.array(domainPath).default([]),
  /** With `convert`, what turns a domain that contradicts the policy into one that follows it. */
  convert: z.array(conversionStep).max(maxConversionSteps, `Expected at most ${maxConversionSteps} conversion steps`).optional(),
})

export type Policy = z.output<typeof policySchema>
export type PolicyInput = z.input<typeof policySchema>

/** The schema as JSON Schema (draft 2020-12), for editors validating policy files. */
export const policyJsonSchema: Readonly<Record<string, unknown>> = /* @__PURE__ */ z.toJSONSchema(policySchema, { io: 'input' }) as Record<string, unknown>
