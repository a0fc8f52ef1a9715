// The few qemu.conf settings that change what `virsh define` stores (issue 19: `--qemu-conf`), and a
// parser for libvirt's configuration syntax (src/util/virconf.c) that keeps only those. Facts from
// libvirt's src/qemu/qemu_conf.c (which keys, which types), src/qemu/qemu_postparse.c and
// src/qemu/qemu_domain.c (where the define path reads them) and tests/qemuxmlconftest.c.
import type { Point } from '@virtuned/xml-core'
import { PreviewError } from './errors.ts'

/**
 * The host's qemu.conf as plain data: only the settings libvirt reads while it parses, post-parses,
 * validates and addresses a domain (the define path). Every other setting acts when a domain starts
 * (listen addresses, TLS certificates, user/group, cgroups, hugepage mounts, `capability_filters`…) and is ignored.
 */
export interface QemuConf {
  /**
   * `security_driver`: the security drivers, in order. The first one's model is what a `<seclabel>`
   * without `model` gets (libvirt's XML parser default, `virQEMUDriverCreateXMLConf`); `none` turns
   * such a label into `<seclabel type='none' model='none'/>`. Unset, libvirt probes the host (SELinux,
   * AppArmor or none), which preview cannot know: such labels are listed in `notPredicted`.
   */
  readonly securityDriver?: readonly string[]
  /**
   * `nographics_allow_host_audio`: a domain without graphics gets the host's audio backend
   * (`audioDriver`) instead of `<audio type='none'/>` (qemuDomainDefAddDefaultAudioBackend).
   */
  readonly nographicsAllowHostAudio?: boolean
  /** `vnc_allow_host_audio`: the same for a domain whose first graphics device is VNC. */
  readonly vncAllowHostAudio?: boolean
  /**
   * `nvram`: libvirt's legacy list of `LOADER:NVRAM` firmware pairs, which fills the NVRAM template of a
   * manually configured loader no firmware descriptor names. Not modelled: such a loader is listed in
   * `notPredicted` when the list is set.
   */
  readonly nvram?: readonly string[]
  /**
   * Not a qemu.conf key: libvirtd's `QEMU_AUDIO_DRV` environment variable, the host audio backend the two
   * `*_allow_host_audio` settings hand out (an audio type libvirt knows: `alsa`, `pulseaudio`, `sdl`…; QEMU's
   * `pa` is read as `pulseaudio`). Without it a domain that would get host audio is listed in `notPredicted`,
   * except a domain with SDL graphics: SDL always passes the host's audio through, and libvirtd started without
   * the variable adds no audio backend to it.
   */
  readonly audioDriver?: string
  /**
   * Not a qemu.conf key: libvirtd's `SDL_AUDIODRIVER` environment variable. An SDL audio backend that libvirt
   * adds gets it as `driver` (`esd`, `alsa`, `arts`, `pulseaudio`; qemuDomainDefAddDefaultAudioBackend).
   * Unset, as on libvirt's test host, the backend has no driver.
   */
  readonly sdlAudioDriver?: string
  /**
   * `spice_tls`: TLS for SPICE. Off (libvirt's default) makes define refuse a SPICE `tlsPort` on an address
   * or network listener (qemuValidateDomainDeviceDefSPICEGraphics); libvirt's test host has it on.
   */
  readonly spiceTls?: boolean
}

/** What libvirt's `qemuxmlconftest` host runs with: no security driver, SPICE TLS on (tests/testutilsqemu.c). */
export const testHostQemuConf: QemuConf = { securityDriver: ['none'], spiceTls: true }

type Value =
  | { readonly type: 'string'; readonly value: string; readonly place: Point }
  | { readonly type: 'number'; readonly value: number; readonly place: Point }
  | { readonly type: 'list'; readonly value: readonly Value[]; readonly place: Point }

/**
 * Parse qemu.conf text (libvirt's conf syntax: `key = value` per line or `;`, `#` comments, strings in
 * `"…"`, `'…'` or `"""…"""`, integers, lists `[ "a", "b", ]`) into `QemuConf`, keeping only the settings
 * listed there. Throws `PreviewError` `preview-qemu-conf-syntax` (bad syntax) or `preview-qemu-conf-value`
 * (a kept setting with a value of the wrong type), both with the line and column.
 */
export function parseQemuConf(text: string | Uint8Array): QemuConf {
  const source = typeof text === 'string' ? text : new TextDecoder('utf-8', { fatal: true }).decode(text)
  const entries = parseConf(source)
  const first = (key: string): Value | undefined => entries.find((e) => e.key === key)?.value
  const out: { -readonly [K in keyof QemuConf]: QemuConf[K] } = {}
  const drivers = first('security_driver')
  if (drivers) {
    const names = stringList('security_driver', drivers, true)
    const seen = new Set<string>()
    for (const [i, name] of names.entries()) {
      if (seen.has(name)) throw valueError(`Duplicate security driver \`${name}\` in \`security_driver\`, expected each driver once`, drivers.type === 'list' ? drivers.value[i]!.place : drivers.place)
      seen.add(name)
    }
    if (names.length > 0) out.securityDriver = names
  }
  const nogfx = first('nographics_allow_host_audio')
  if (nogfx) out.nographicsAllowHostAudio = bool('nographics_allow_host_audio', nogfx)
  const vnc = first('vnc_allow_host_audio')
  if (vnc) out.vncAllowHostAudio = bool('vnc_allow_host_audio', vnc)
  const spiceTls = first('spice_tls')
  if (spiceTls) out.spiceTls = bool('spice_tls', spiceTls)
  const nvram = first('nvram')
  if (nvram) out.nvram = stringList('nvram', nvram, false)
  return out
}

function valueError(message: string, place: Point): PreviewError {
  return new PreviewError('preview-qemu-conf-value', message, { place })
}

const describe = (v: Value): string => v.type === 'list' ? 'list' : v.type === 'number' ? `number \`${v.value}\`` : `string \`"${v.value}"\``

/** virConfGetValueBool: an unsigned number, 0 or 1. */
function bool(key: string, v: Value): boolean {
  if (v.type !== 'number' || (v.value !== 0 && v.value !== 1)) throw valueError(`Unexpected ${describe(v)} for \`${key}\`, expected 0 or 1`, v.place)
  return v.value === 1
}

/** virConfGetValueStringList: a list of strings (or, where libvirt allows it, one string). */
function stringList(key: string, v: Value, allowString: boolean): string[] {
  if (v.type === 'string' && allowString) return [v.value]
  if (v.type !== 'list') throw valueError(`Unexpected ${describe(v)} for \`${key}\`, expected a list of strings${allowString ? ' or a string' : ''}`, v.place)
  return v.value.map((item) => {
    if (item.type !== 'string') throw valueError(`Unexpected ${describe(item)} in \`${key}\`, expected a string`, item.place)
    return item.value
  })
}

// ---- libvirt's conf syntax (virconf.c) -------------------------------------------------------------

/** The deepest lists in lists the reader takes. */
const maxListDepth = 32

function parseConf(source: string): { key: string; value: Value }[] {
  const chars = Array.from(source) // columns count code points
  let i = 0
  let line = 1
  let column = 1
  let offset = 0 // UTF-8 bytes, as everywhere in virtuned
  const place = (): Point => ({ line, column, offset })
  const peek = (k = 0): string | undefined => chars[i + k]
  const advance = (): string => {
    const c = chars[i++]!
    const cp = c.codePointAt(0)!
    offset += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
    if (c === '\n') { line++; column = 1 } else column++
    return c
  }
  const fail = (expected: string): never => {
    const c = peek()
    const found = c === undefined ? 'end of file' : c === '\n' ? 'end of line' : `\`${c}\``
    throw new PreviewError('preview-qemu-conf-syntax', `Unexpected ${found}, expected ${expected}`, { place: place() })
  }
  const blanks = (): void => { while (peek() === ' ' || peek() === '\t' || peek() === '\r') advance() }
  const comment = (): void => { if (peek() === '#') while (peek() !== undefined && peek() !== '\n') advance() }
  // inside a list newlines and comments are allowed between values
  const gaps = (): void => { for (;;) { blanks(); comment(); if (peek() === '\n') { advance(); continue } return } }

  const value = (depth = 0): Value => {
    const at = place()
    const c = peek()
    if (c === '"' && peek(1) === '"' && peek(2) === '"') {
      advance(); advance(); advance()
      let s = ''
      while (!(peek() === '"' && peek(1) === '"' && peek(2) === '"')) { if (peek() === undefined) fail('`"""` closing the string'); s += advance() }
      advance(); advance(); advance()
      return { type: 'string', value: s, place: at }
    }
    if (c === '"' || c === '\'') {
      advance()
      let s = ''
      while (peek() !== c) { if (peek() === undefined || peek() === '\n') fail(`\`${c}\` closing the string`); s += advance() }
      advance()
      return { type: 'string', value: s, place: at }
    }
    if (c === '[') {
      // (qemu.conf's lists hold strings; lists in lists parse, but not without end: the reader recurses)
      if (depth >= maxListDepth) throw new PreviewError('preview-qemu-conf-syntax', `A list nested deeper than ${maxListDepth} levels`, { place: at })
      advance()
      const items: Value[] = []
      gaps()
      while (peek() !== ']') {
        items.push(value(depth + 1))
        gaps()
        if (peek() === ',') { advance(); gaps(); continue }
        if (peek() !== ']') fail('`,` or `]`')
      }
      advance()
      return { type: 'list', value: items, place: at }
    }
    if (c !== undefined && /[-+0-9]/.test(c)) {
      let s = advance()
      while (peek() !== undefined && /[0-9]/.test(peek()!)) s += advance()
      if (!/[0-9]/.test(s)) fail('a digit')
      return { type: 'number', value: Number(s), place: at }
    }
    return fail('a value (a "string", a number or a [list])')
  }

  const entries: { key: string; value: Value }[] = []
  for (;;) {
    blanks()
    comment()
    const c = peek()
    if (c === undefined) break
    if (c === '\n' || c === ';') { advance(); continue }
    if (!/[A-Za-z_]/.test(c)) fail('a setting name')
    let key = ''
    while (peek() !== undefined && /[A-Za-z0-9_.]/.test(peek()!)) key += advance()
    blanks()
    if (peek() !== '=') fail('`=`')
    advance()
    blanks()
    entries.push({ key, value: value() })
    blanks()
    comment()
    if (peek() !== undefined && peek() !== '\n' && peek() !== ';') fail('the end of the line')
  }
  return entries
}
