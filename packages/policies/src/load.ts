// Policy files (YAML or JSON) → checked policies; errors point at the file, line and key.
import { LineCounter, isNode, parseDocument } from 'yaml'
import type { z } from 'zod'
import { PolicyError } from './errors.ts'
import { policySchema, type Policy, type PolicyInput } from './schema.ts'

function describePath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)'
}

/** Checks a policy given as data (TypeScript or already-parsed JSON). */
export function definePolicy(input: PolicyInput | unknown, file = '<inline>'): Policy {
  const parsed = policySchema.safeParse(input)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  throw new PolicyError('policy-invalid', `${file}: ${describePath(issue.path)}: ${issue.message}`, { file, path: describePath(issue.path) })
}

/**
 * Reads one policy from YAML or JSON text. Errors carry the place (line, column) of the key or
 * value at fault and its path, e.g. `hotplug.yaml:7:12: parameters.ports.default: Expected number`.
 */
export function parsePolicy(text: string, file = 'policy.yaml'): Policy {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const place = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col, offset }
  }
  if (document.errors.length > 0) {
    const error = document.errors[0]!
    const at = place(error.pos[0])
    throw new PolicyError('policy-syntax', `${file}:${at.line}:${at.column}: ${error.message.split('\n')[0]}`, { file, place: at })
  }
  const parsed = policySchema.safeParse(document.toJS())
  if (parsed.success) return parsed.data
  const issue: z.core.$ZodIssue = parsed.error.issues[0]!
  // The deepest node of the path that exists in the file: the key's value, else its parent.
  let node: unknown
  for (let depth = issue.path.length; depth >= 0 && !node; depth--) {
    const candidate = document.getIn(issue.path.slice(0, depth) as (string | number)[], true)
    if (isNode(candidate)) node = candidate
  }
  const range = isNode(node) ? node.range : undefined
  const at = place(range ? range[0] : 0)
  const key = describePath(issue.path)
  throw new PolicyError('policy-invalid', `${file}:${at.line}:${at.column}: ${key}: ${issue.message}`, { file, path: key, place: at })
}
