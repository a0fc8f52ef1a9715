// Policies given as data (TypeScript, or JSON already parsed): checked by the schema. Apart from
// load.ts so that the built-in library, which is data, does not pull the YAML parser into a bundle.
import { PolicyError } from './errors.ts'
import { policySchema, type Policy, type PolicyInput } from './schema.ts'

/** A zod issue path as policy files name keys: `parameters.ports.default`, `convert[2].why`. */
export function describePath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)'
}

/** Checks a policy given as data (TypeScript or already-parsed JSON). */
export function definePolicy(input: PolicyInput | unknown, file = '<inline>'): Policy {
  const parsed = policySchema.safeParse(input)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  throw new PolicyError('policy-invalid', `${file}: ${describePath(issue.path)}: ${issue.message}`, { file, path: describePath(issue.path) })
}
