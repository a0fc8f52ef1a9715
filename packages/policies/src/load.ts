// Policy files (YAML or JSON) → checked policies; errors point at the file, line and key.
import { LineCounter, isNode, parseDocument, visit, type Document } from 'yaml'
import type { z } from 'zod'
import { PolicyError } from './errors.ts'
import { describePath } from './define.ts'
import { policySchema, type Policy } from './schema.ts'

export { definePolicy } from './define.ts'

/** Largest policy, KubeVirt preference or OpenStack properties file, in UTF-8 bytes (1 MiB). */
export const maxPolicyBytes = 1024 * 1024

/**
 * Most alias expansions (`*name`) one file may make while it is turned into data: what the `yaml`
 * package allows by default, named here so that a billion-laughs file is `policy-too-many`.
 */
export const maxYamlAliases = 100

/**
 * Refuses text over {@link maxPolicyBytes} before any parsing (`policy-too-large`): a 50 MB
 * policy took 1.87 GB to parse. Counts UTF-8 bytes, stopping as soon as the limit is passed.
 */
export function checkPolicySize(text: string, file: string): void {
  let bytes = text.length
  if (bytes <= maxPolicyBytes / 3) return
  if (bytes <= maxPolicyBytes) {
    bytes = 0
    for (let i = 0; i < text.length && bytes <= maxPolicyBytes; i++) {
      const c = text.charCodeAt(i)
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3
    }
    if (bytes <= maxPolicyBytes) return
  }
  throw new PolicyError('policy-too-large', `${file}: larger than the limit of ${maxPolicyBytes} bytes (1 MiB)`, { file, place: { line: 1, column: 1, offset: 0 } })
}

/**
 * A parsed YAML document as data. The `yaml` package throws a plain ReferenceError when aliases
 * expand more than {@link maxYamlAliases} times (a billion-laughs file): that becomes a typed
 * `policy-too-many` at the first alias.
 */
export function yamlToData(document: Document.Parsed, file: string, lineCounter: LineCounter): unknown {
  try {
    return document.toJS({ maxAliasCount: maxYamlAliases })
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error
    let offset = 0
    visit(document, { Alias(_, node) { offset = node.range?.[0] ?? 0; return visit.BREAK } })
    const { line, col } = lineCounter.linePos(offset)
    throw new PolicyError('policy-too-many', `${file}:${line}:${col}: aliases expand more than ${maxYamlAliases} times (${error.message}); write the values out, or use fewer aliases`, { file, place: { line, column: col, offset }, cause: error })
  }
}

/**
 * Reads one policy from YAML or JSON text. Errors carry the place (line, column) of the key or
 * value at fault and its path, e.g. `hotplug.yaml:7:12: parameters.ports.default: Expected number`.
 */
export function parsePolicy(text: string, file = 'policy.yaml'): Policy {
  if (typeof text !== 'string') throw new PolicyError('policy-syntax', `${file}: expected the file's text`, { file })
  checkPolicySize(text, file)
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
  const parsed = policySchema.safeParse(yamlToData(document, file, lineCounter))
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
