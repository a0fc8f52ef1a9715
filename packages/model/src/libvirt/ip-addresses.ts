// How libvirt reads a numeric IP address and writes what it read: virSocketAddrParse (getaddrinfo with
// AI_NUMERICHOST, so inet_aton's and inet_pton's forms) and virSocketAddrFormat (inet_ntop). Pure text: no resolver.

/**
 * Whether getaddrinfo takes `text` as a numeric host of the family (4, 6; either when undefined): IPv4 as inet_aton reads
 * it (one to four parts, each decimal, octal or hex, the last filling the rest), IPv6 in its text forms (`::`, an
 * embedded IPv4 tail, a `%scope`).
 */
export function numericIpAddress(text: string, family: 4 | 6 | undefined): boolean {
  return (family !== 6 && ipv4Value(text) !== undefined) || (family !== 4 && ipv6Words(text) !== undefined)
}

/** IPv4 as inet_aton reads it: one to four parts, each decimal, octal or hex, the last filling the rest; its 32 bits. */
export function ipv4Value(text: string): number | undefined {
  const parts = text.split('.')
  if (parts.length > 4) return undefined
  const values: number[] = []
  for (const part of parts) {
    if (!/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(part)) return undefined
    values.push(part.length > 1 && part[0] === '0' ? (part[1] === 'x' || part[1] === 'X' ? parseInt(part.slice(2), 16) : parseInt(part, 8)) : Number(part))
  }
  const last = values[values.length - 1]!
  if (values.slice(0, -1).some((v) => v > 255) || last >= 2 ** (8 * (5 - values.length))) return undefined
  let value = 0
  for (let i = 0; i < values.length - 1; i++) value = value * 256 + values[i]!
  return value * 2 ** (8 * (5 - values.length)) + last
}


/** IPv6 in its text forms (`::`, an embedded dotted IPv4 tail, a `%scope`): its eight 16-bit words. */
export function ipv6Words(text: string): number[] | undefined {
  const percent = text.indexOf('%')
  if (percent >= 0 && percent === text.length - 1) return undefined
  const address = percent < 0 ? text : text.slice(0, percent)
  const compressed = address.indexOf('::')
  if (compressed >= 0 && address.indexOf('::', compressed + 1) >= 0) return undefined
  const side = (part: string, tail: boolean): number[] | undefined => {
    if (part === '') return []
    const groups = part.split(':')
    const out: number[] = []
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!
      if (tail && i === groups.length - 1 && g.includes('.')) {
        if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(g) || g.split('.').some((p) => Number(p) > 255 || (p.length > 1 && p[0] === '0'))) return undefined
        const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number]
        out.push(a * 256 + b, c * 256 + d)
        continue
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
      out.push(parseInt(g, 16))
    }
    return out
  }
  if (compressed < 0) { const all = side(address, true); return all?.length === 8 ? all : undefined }
  const head = side(address.slice(0, compressed), false)
  const rest = side(address.slice(compressed + 2), true)
  if (!head || !rest || head.length + rest.length > 7) return undefined
  return [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest]
}


/**
 * An IP address as libvirt writes what it read (virSocketAddrFormat, inet_ntop): IPv4 dotted in decimal (`10.1` is
 * `10.0.0.1`), IPv6 in lower case with the longest run of two or more zero words as `::` and an IPv4-mapped or -compatible
 * tail dotted; `undefined` when it does not read.
 */
export function canonicalIpAddress(text: string, family: 4 | 6 | undefined): string | undefined {
  const v4 = family === 6 ? undefined : ipv4Value(text)
  if (v4 !== undefined) return [v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255].join('.')
  const w = family === 4 ? undefined : ipv6Words(text)
  if (w === undefined) return undefined
  let best = -1
  let bestLen = 0
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) { i++; continue }
    let j = i
    while (j < 8 && w[j] === 0) j++
    if (j - i > bestLen) { best = i; bestLen = j - i }
    i = j
  }
  if (bestLen < 2) best = -1
  const dotted = best === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))
  const words = dotted ? w.slice(0, 6) : w
  let out = ''
  for (let i = 0; i < words.length; i++) {
    if (i === best) { out += '::'; i += bestLen - 1; continue }
    if (out !== '' && !out.endsWith(':')) out += ':'
    out += words[i]!.toString(16)
  }
  if (dotted) out += `${out.endsWith(':') ? '' : ':'}${w[6]! >> 8}.${w[6]! & 255}.${w[7]! >> 8}.${w[7]! & 255}`
  const scope = text.indexOf('%')
  return scope < 0 ? out : out + text.slice(scope)
}
