// The values a RelaxNG pattern allows for an attribute or a text, as far as the explanation needs
// them: listed values (`<value>`) and the XML Schema data types libvirt's schemas use with their
// facets. `accepts` answers true, false, or undefined when it cannot tell (a type or facet not
// handled here): a finding is only made on a sure `false`, so libxml2 stays the judge.

/** One alternative of a value pattern. */
export type ValueAlternative =
  | { readonly kind: 'value'; readonly value: string; readonly collapse: boolean }
  | { readonly kind: 'data'; readonly type: string; readonly params: readonly (readonly [string, string])[] }

const collapse = (value: string): string => value.replace(/[\t\n\r ]+/g, ' ').trim()

/** Integer types of XML Schema, with their bounds. */
const integers: Readonly<Record<string, readonly [bigint | undefined, bigint | undefined]>> = {
  integer: [undefined, undefined],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  short: [-(2n ** 15n), 2n ** 15n - 1n],
  byte: [-128n, 127n],
  nonNegativeInteger: [0n, undefined],
  positiveInteger: [1n, undefined],
  nonPositiveInteger: [undefined, 0n],
  negativeInteger: [undefined, -1n],
  unsignedLong: [0n, 2n ** 64n - 1n],
  unsignedInt: [0n, 2n ** 32n - 1n],
  unsignedShort: [0n, 2n ** 16n - 1n],
  unsignedByte: [0n, 255n],
}
const strings = new Set(['string', 'token', 'normalizedString'])

const patterns = new Map<string, RegExp | undefined>()
/** An XML Schema regular expression as a JS one, or undefined when JS would read it differently. */
function regex(pattern: string): RegExp | undefined {
  if (patterns.has(pattern)) return patterns.get(pattern)
  let compiled: RegExp | undefined
  // XSD's \i \c, class subtraction and its implicit anchoring; ^ and $ are plain characters in XSD.
  if (!/\\[icIC]|-\[|[\^$]/.test(pattern.replace(/\[\^/g, '['))) {
    try { compiled = new RegExp(`^(?:${pattern})$`, 'u') } catch { compiled = undefined }
  }
  patterns.set(pattern, compiled)
  return compiled
}

function acceptsOne(alternative: ValueAlternative, raw: string): boolean | undefined {
  if (alternative.kind === 'value') return alternative.collapse ? collapse(raw) === collapse(alternative.value) : raw === alternative.value
  const { type, params } = alternative
  const isInteger = type in integers
  if (!isInteger && !strings.has(type)) return undefined
  const value = type === 'string' ? raw : type === 'normalizedString' ? raw.replace(/[\t\n\r]/g, ' ') : collapse(raw)
  let number: bigint | undefined
  if (isInteger) {
    if (!/^[+-]?[0-9]+$/.test(value)) return false
    number = BigInt(value)
    const [min, max] = integers[type]!
    if ((min !== undefined && number < min) || (max !== undefined && number > max)) return false
  }
  for (const [name, facet] of params) {
    if (name === 'pattern') {
      // XSD's \d, \w, \s and . differ from JS's beyond ASCII: only ASCII values are judged by them.
      if (/[^\x00-\x7f]/.test(value) && /\\|\./.test(facet)) return undefined
      const re = regex(facet)
      if (!re) return undefined
      if (!re.test(value)) return false
    } else if (isInteger && /^(min|max)(In|Ex)clusive$/.test(name) && /^[+-]?[0-9]+$/.test(facet.trim())) {
      const bound = BigInt(facet.trim())
      const ok = name === 'minInclusive' ? number! >= bound : name === 'maxInclusive' ? number! <= bound : name === 'minExclusive' ? number! > bound : number! < bound
      if (!ok) return false
    } else if (!isInteger && /^(length|minLength|maxLength)$/.test(name) && /^[0-9]+$/.test(facet.trim())) {
      const length = [...value].length
      const n = Number(facet.trim())
      if (name === 'length' ? length !== n : name === 'minLength' ? length < n : length > n) return false
    } else {
      return undefined
    }
  }
  return true
}

/** Whether one of the alternatives takes the value: false only when every one surely refuses it. */
export function accepts(alternatives: readonly ValueAlternative[], value: string): boolean | undefined {
  let unsure = false
  for (const alternative of alternatives) {
    const answer = acceptsOne(alternative, value)
    if (answer === true) return true
    if (answer === undefined) unsure = true
  }
  return unsure ? undefined : false
}

/** What to tell a person: listed values as they are, data types in words. */
export function describe(alternatives: readonly ValueAlternative[]): string[] {
  const listed = [...new Set(alternatives.flatMap((a) => (a.kind === 'value' ? [a.value] : [])))].sort()
  const out: string[] = []
  for (const alternative of alternatives) {
    if (alternative.kind === 'value') continue
    const facets = alternative.params.map(([name, value]) => (name === 'pattern' ? `matching ${value}` : `${name} ${value}`))
    const min = alternative.params.find(([n]) => n === 'minInclusive')?.[1]
    const max = alternative.params.find(([n]) => n === 'maxInclusive')?.[1]
    const words = min !== undefined && max !== undefined && alternative.params.length === 2
      ? `${alternative.type} from ${min} to ${max}`
      : [alternative.type, ...facets].join(' ')
    out.push(`(${words})`)
  }
  return [...listed, ...new Set(out)]
}
