// The page's state in its URL: JSON, deflated with the browser's CompressionStream ('deflate-raw',
// no library) and written base64url after `#s=`, so a composed domain and its choices travel as a
// link and never reach a server (the fragment is not sent).

/** Where the host's capabilities come from: none (the assumed host), a preset, or a pasted document. */
export type HostChoice = { readonly kind: 'assumed' } | { readonly kind: 'preset'; readonly id: string } | { readonly kind: 'pasted'; readonly xml: string }

export interface PageState {
  readonly xml: string
  readonly os: string
  readonly profile: string
  readonly policies: readonly string[]
  readonly convert: boolean
  readonly force: boolean
  readonly host: HostChoice
  readonly tab: string
  readonly disk: string
  /**
   * The Preview's QEMU capabilities: a preset's name, or '' for none. A pasted file (about 200 kB)
   * is too large for a link: it is not kept, and the page says so.
   */
  readonly qemuCaps: string
}

const prefix = '#s='

async function pipe(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream))
  return new Uint8Array(await out.arrayBuffer())
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** The URL fragment (`#s=…`) for a state. */
export async function encodeState(state: PageState): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify({ v: 1, ...state }))
  return prefix + toBase64Url(await pipe(json, new CompressionStream('deflate-raw')))
}

/** Thrown when a link's state cannot be read (cut short, edited, or from another page). */
export class BadLinkError extends Error {
  readonly code = 'playground-bad-link'
}

const isString = (v: unknown): v is string => typeof v === 'string'

/** The state in a URL fragment, `undefined` when there is none. @throws BadLinkError */
export async function decodeState(hash: string): Promise<PageState | undefined> {
  if (!hash.startsWith(prefix)) return undefined
  let value: Record<string, unknown>
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await pipe(fromBase64Url(hash.slice(prefix.length)), new DecompressionStream('deflate-raw')))) as Record<string, unknown>
  } catch (error) {
    throw new BadLinkError('This link’s saved state cannot be read (it may have been cut short when copied): the page starts with an example instead.', { cause: error })
  }
  const host = value.host as Record<string, unknown> | undefined
  const hostChoice: HostChoice | undefined = host?.kind === 'assumed' ? { kind: 'assumed' }
    : host?.kind === 'preset' && isString(host.id) ? { kind: 'preset', id: host.id }
    : host?.kind === 'pasted' && isString(host.xml) ? { kind: 'pasted', xml: host.xml }
    : undefined
  if (value.v !== 1 || !isString(value.xml) || !isString(value.os) || !isString(value.profile) || !Array.isArray(value.policies) || !value.policies.every(isString)
    || typeof value.convert !== 'boolean' || typeof value.force !== 'boolean' || hostChoice === undefined || !isString(value.tab) || !isString(value.disk)
    || (value.qemuCaps !== undefined && !isString(value.qemuCaps))) {
    throw new BadLinkError('This link’s saved state is not one this page wrote: the page starts with an example instead.')
  }
  return { xml: value.xml, os: value.os, profile: value.profile, policies: value.policies, convert: value.convert, force: value.force, host: hostChoice, tab: value.tab, disk: value.disk,
    // Links written before the Preview existed have no QEMU capabilities: none.
    qemuCaps: isString(value.qemuCaps) ? value.qemuCaps : '' }
}
