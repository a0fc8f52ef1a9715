import { afterDeviceInfo, archNames, archNames9, attributeReads, parseDomain, deviceInfoChildOrder, deviceNames, deviceOrder, domainChildOrder, formatterChildOrders, libvirtIgnoredDoctype, libvirtXmlSyntaxError, schemaRoot } from '@virtuned/model'
import { VirtunedError, XmlSyntaxError, parseXml, rootElement, type Element, type Root } from '@virtuned/xml-core'
import { parseQemuCaps, stripMachineAliases, type QemuCaps } from './caps.ts'
import { PreviewError } from './errors.ts'
import { child, fromElement, kids, node, rankMap, toElement, type N } from './_node.ts'
import { createContext, isLibvirt9, pciAddressExplanation, type PciAddressNote, type PreviewContext } from './_context.ts'
import { deferredRefusal, rules, type PreviewRule } from './rules.ts'
import { validationErrors } from './_refusal.ts'
import { scanDomain } from './_scan.ts'
import { writeDomain } from './_write.ts'
import { readHostPciDevices, testHostPciDevices, type HostPciDevice } from './_host-pci.ts'
import type { FirmwareDescriptor } from './firmware.ts'
import { testHostQemuConf, type QemuConf } from './qemu-conf.ts'

/** One change preview made, and the libvirt rule behind it. */
export interface Explanation {
  /** Where: `domain/devices/controller[@type='usb']`. */
  readonly path: string
  /** The rule's name (see `previewRules`). */
  readonly rule: string
  /** What libvirt does and why, in a sentence. */
  readonly why: string
}

/** Something libvirt decides from the host itself, which preview leaves as written. */
export interface NotPredicted {
  readonly path: string
  readonly reason: string
}

export interface PreviewOptions {
  /** The host's QEMU capabilities: a parsed `QemuCaps` or the cache file's XML. */
  readonly qemuCaps: QemuCaps | string | Uint8Array
  /** Parse as `virsh define` does (`VIR_DOMAIN_DEF_PARSE_ABI_UPDATE`): USB models and addresses may change. */
  readonly abiUpdate?: boolean
  /** The libvirt version to reproduce (libvirt's encoding, 11003000 = 11.3.0); default the capabilities' `<selfvers>`. */
  readonly libvirtVersion?: number
  /**
   * Reproduce the host libvirt's own tests simulate (`qemuxmlconftest`): `latest` strips the machine
   * aliases from the capabilities, as those tests do; `versioned` uses them as they are.
   */
  readonly testHost?: 'latest' | 'versioned'
  /**
   * The host's QEMU firmware descriptors in libvirt's order (by file name; a user's file hides the
   * system's of the same name). Without them `<os firmware=…>` is left as written and listed in `notPredicted`.
   */
  readonly firmware?: readonly FirmwareDescriptor[]
  /**
   * The host's qemu.conf settings that change what define stores (`parseQemuConf`); `testHost`
   * implies libvirt's test host's (no security driver), which these override.
   */
  readonly qemuConf?: QemuConf
  /**
   * Keep what `virsh dumpxml --security-info` adds: graphics passwords. Left out, the result is what plain
   * `virsh dumpxml --inactive` prints, without them; `testHost` implies it (libvirt's tests format with it).
   */
  readonly securityInfo?: boolean
  /**
   * The host's architecture (libvirt's name: `x86_64`, `aarch64`…), which libvirt gives a domain whose `<os><type>`
   * names none (virArchFromHost). Default: the capabilities' arch when they show the host's KVM for an arch KVM runs
   * natively alone (x86_64, aarch64, s390x, riscv64, loongarch64); `testHost` implies x86_64, libvirt's tests' host.
   * Else a domain without an arch is given the capabilities' and that is listed in `notPredicted`.
   */
  readonly hostArch?: string
  /**
   * The host's PCI devices, which libvirt reads from sysfs at define for a domain's host devices: each device's address
   * (`0000:01:00.0`, as in /sys/bus/pci/devices/) → its IOMMU group (`iommuGroup`) and whether it is PCI Express
   * (`pcie`). Where the machine has PCIe, a host device that is not goes where conventional PCI goes; on pSeries libvirt
   * keeps host devices of different IOMMU groups on separate PHBs (adding PHBs for them). A device not listed is one
   * the host lacks (libvirt then takes it as PCIe, without a group). `testHost` implies the test host's
   * (tests/virpcimock.c). Without them, what they decide is predicted as for devices the host lacks and listed in
   * `notPredicted`. Read once per object, as plain data that does not change: give a new object for another host state.
   */
  readonly hostPciDevices?: Readonly<Record<string, HostPciDevice>>
  /**
   * The host's swtpm, which libvirt asks at define about a TPM of the `emulator` or `external` backend: the TPM versions
   * its swtpm_setup offers (`['1.2', '2.0']`, what `virsh domcapabilities` lists under `<tpm>`'s `backendVersion`), or
   * `null` when swtpm is not installed (libvirt then refuses those backends). `testHost` implies both versions. Without it,
   * such a TPM is predicted as on a host whose swtpm offers both and listed in `notPredicted`.
   */
  readonly swtpm?: readonly ('1.2' | '2.0')[] | null
  /**
   * Whether the host has QEMU's RDP server helper, which libvirt 11 looks for in libvirtd's PATH (qemu.conf's
   * `qemu_rdp_name`, default `qemu-rdp`: qemuRdpAvailable): it offers RDP graphics only then (and with QEMU's D-Bus display).
   * `testHost` implies it. Without it, an RDP display is predicted as on a host that has it and listed in `notPredicted`.
   * (libvirt 9.0 has no RDP for QEMU.)
   */
  readonly qemuRdp?: boolean
  /**
   * The host CPU's physical address bits (what `virsh capabilities` shows as `<host><cpu><maxphysaddr bits>`), which libvirt
   * holds an emulated CPU's `<maxphysaddr mode='emulate' bits>` to. Without it such a CPU is predicted as fitting and listed
   * in `notPredicted` (libvirt's test host's CPU says none: nothing is checked there).
   */
  readonly hostCpuAddressBits?: number
  /**
   * The QEMU binaries the host has, by path as `<emulator>` names them: libvirt looks the domain's up first thing after
   * parsing it (virQEMUCapsCacheLookup) and refuses one the host lacks ("Cannot check QEMU binary …: No such file or
   * directory"). Without it, an `<emulator>` other than the capabilities' is listed in `notPredicted`.
   */
  readonly hostEmulators?: readonly string[]
}

export interface PreviewResult {
  /** The domain as `virsh dumpxml --inactive` would print it after `virsh define`. */
  readonly xml: string
  readonly document: Root
  readonly explanation: readonly Explanation[]
  readonly notPredicted: readonly NotPredicted[]
}

/**
 * Predict what libvirt stores for a domain: the defaults, implicit devices, models and addresses its
 * post-parse fills in, in its element order. Throws `PreviewError` for capabilities of another
 * architecture or an unknown machine type, and xml-core/model errors for malformed XML.
 */
export function previewDomain(domainXml: string | Uint8Array, options: PreviewOptions): PreviewResult {
  const ctx = begin(domainXml, hostOf(options), options)
  const state: RulesState = { ctx, waiting: undefined }
  for (const rule of rules) applyRule(state, rule)
  return finish(state)
}

/** One domain's outcome among several (`previewDomains`), in `Promise.allSettled`'s words. */
export type PreviewSettled =
  | { readonly status: 'fulfilled'; readonly value: PreviewResult }
  | { readonly status: 'rejected'; readonly reason: unknown }

/**
 * How many domains `previewDomains` takes through the rules together: enough that each rule's code is met again while
 * still in the processor's caches, few enough that their trees stay there too (measured on composed x86_64 domains: 16 to 64 alike).
 */
const batchSize = 16

/**
 * Predict what libvirt stores for each of several domains on one host (the same options): in their order, each
 * domain's `previewDomain` result or the error it would throw (`PreviewSettled`). The same predictions as one call
 * each, at less time per domain: the domains go through libvirt's rules a few at a time, each rule over all of them
 * before the next, so that a rule's code is met again while still in the processor's caches. Options that cannot be
 * read (capabilities that are not `<qemuCaps>`, an unknown host arch) throw, as they would for any one domain.
 */
export function previewDomains(domains: Iterable<string | Uint8Array>, options: PreviewOptions): PreviewSettled[] {
  // (one text or its bytes is an iterable too — of characters, of numbers: a call meant for previewDomain)
  if (typeof domains === 'string' || domains instanceof Uint8Array) throw new TypeError('previewDomains takes several domains (an array or another iterable of XML texts or bytes), not one: give `[xml]`, or call previewDomain')
  const host = hostOf(options)
  const out: PreviewSettled[] = []
  let batch: (RulesState | PreviewSettled)[] = []
  const run = (): void => {
    for (const rule of rules) {
      for (let i = 0; i < batch.length; i++) {
        const state = batch[i]!
        if ('status' in state) continue
        try { applyRule(state, rule) } catch (reason) { batch[i] = { status: 'rejected', reason } }
      }
    }
    for (const state of batch) {
      if ('status' in state) { out.push(state); continue }
      try { out.push({ status: 'fulfilled', value: finish(state) }) } catch (reason) { out.push({ status: 'rejected', reason }) }
    }
    batch = []
  }
  for (const xml of domains) {
    try { batch.push({ ctx: begin(xml, host, options), waiting: undefined }) } catch (reason) { batch.push({ status: 'rejected', reason }) }
    if (batch.length === batchSize) run()
  }
  if (batch.length > 0) run()
  return out
}

/** The host as the options give it: the capabilities read, the libvirt version reproduced, the IOMMU groups (checked once per call). */
interface Host { readonly caps: QemuCaps; readonly libvirtVersion: number; readonly hostPciDevices: ReadonlyMap<string, HostPciDevice> | undefined }

/** The test host's swtpm (tests/testutilsqemu.c virTPMSwtpmSetupCapsGet, its environment unset): both TPM versions. */
const testHostSwtpm: readonly ('1.2' | '2.0')[] = ['1.2', '2.0']

/** The test host's PCI devices, read once. */
let testHostPci: ReadonlyMap<string, HostPciDevice> | undefined

function hostOf(options: PreviewOptions): Host {
  checkOptions(options)
  let caps = typeof options.qemuCaps === 'string' || options.qemuCaps instanceof Uint8Array ? parseQemuCaps(options.qemuCaps) : options.qemuCaps
  if (options.testHost === 'latest') caps = stripMachineAliases(caps)
  const libvirtVersion = options.libvirtVersion ?? caps.libvirtVersion
  if (options.hostArch !== undefined && !(libvirtVersion < 11000000 ? archNames9 : archNames).has(options.hostArch)) throw new PreviewError('preview-unknown-host-arch', `Unknown host architecture \`${options.hostArch}\``)
  const swtpm = options.swtpm
  const bits = options.hostCpuAddressBits
  if (options.hostEmulators !== undefined && (!Array.isArray(options.hostEmulators) || options.hostEmulators.some((e) => typeof e !== 'string'))) throw new PreviewError('preview-bad-host-emulators', `Unexpected hostEmulators \`${JSON.stringify(options.hostEmulators)}\`: expected the paths of the host's QEMU binaries`)
  if (bits !== undefined && (!Number.isSafeInteger(bits) || bits < 0)) throw new PreviewError('preview-bad-host-cpu', `Unexpected hostCpuAddressBits \`${String(bits)}\`: expected an integer from 0`)
  if (swtpm !== undefined && swtpm !== null && (!Array.isArray(swtpm) || swtpm.some((v) => v !== '1.2' && v !== '2.0'))) throw new PreviewError('preview-bad-swtpm', `Unexpected swtpm \`${JSON.stringify(swtpm)}\`: expected the TPM versions the host's swtpm offers ('1.2', '2.0'), or null without swtpm`)
  const hostPciDevices = options.hostPciDevices !== undefined ? readHostPciDevices(options.hostPciDevices)
    : options.testHost !== undefined ? (testHostPci ??= readHostPciDevices(testHostPciDevices)) : undefined
  return { caps, libvirtVersion, hostPciDevices }
}

/** What a value is, in a message (`null`, `an array`, `a number`…). */
const kindOfValue = (value: unknown): string => (value === null || value === undefined ? String(value) : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object'
  : `${typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? `\`${String(value).slice(0, 40)}\`, ` : ''}${/^[aeiou]/.test(typeof value) ? 'an' : 'a'} ${typeof value}`)

/**
 * The options as the types say, for callers in JavaScript (and JSON read elsewhere): anything else is `preview-bad-argument`
 * naming the option, never a TypeError from deep inside or an option silently ignored. The ones with codes of their own
 * (hostArch, hostPciDevices, swtpm, hostCpuAddressBits, hostEmulators) are checked where they are read.
 */
function checkOptions(options: PreviewOptions): void {
  const bad = (what: string, value: unknown, expected: string): PreviewError => new PreviewError('preview-bad-argument', `Unexpected ${what} (${kindOfValue(value)}): expected ${expected}`)
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw bad('options', options, 'an object with `qemuCaps`, the host\'s QEMU capabilities')
  const caps: unknown = options.qemuCaps
  if (typeof caps !== 'string' && !(caps instanceof Uint8Array)) {
    const parsed = caps as Partial<QemuCaps> | null | undefined
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.arch !== 'string' || typeof parsed.libvirtVersion !== 'number' || !(parsed.flags instanceof Set) || typeof parsed.machines !== 'object' || parsed.machines === null) {
      throw bad('qemuCaps', caps, "libvirt's QEMU capabilities cache file (`<qemuCaps>`, its text or bytes) or what parseQemuCaps returned")
    }
  }
  const version = options.libvirtVersion
  if (version !== undefined && (!Number.isSafeInteger(version) || version < 0)) throw bad('libvirtVersion', version, "libvirt's version as libvirt encodes it, an integer (11003000 = 11.3.0)")
  if (options.testHost !== undefined && options.testHost !== 'latest' && options.testHost !== 'versioned') throw bad('testHost', options.testHost, "'latest' or 'versioned'")
  for (const name of ['abiUpdate', 'securityInfo', 'qemuRdp'] as const) if (options[name] !== undefined && typeof options[name] !== 'boolean') throw bad(name, options[name], 'true or false')
  if (options.firmware !== undefined && !Array.isArray(options.firmware)) throw bad('firmware', options.firmware, "a list of QEMU firmware descriptors (each as isFirmwareDescriptor takes it, with its file name)")
  if (options.qemuConf !== undefined && (typeof options.qemuConf !== 'object' || options.qemuConf === null || Array.isArray(options.qemuConf))) throw bad('qemuConf', options.qemuConf, "qemu.conf's settings (parseQemuConf's result)")
}

/** A domain read, ready for the rules. */
function begin(domainXml: string | Uint8Array, host: Host, options: PreviewOptions): PreviewContext {
  const { caps, libvirtVersion, hostPciDevices } = host
  if (typeof domainXml !== 'string' && !(domainXml instanceof Uint8Array)) throw new PreviewError('preview-bad-argument', `Unexpected domain (${kindOfValue(domainXml)}): expected its XML, a string or its bytes (a Uint8Array)`)
  // (an XML declaration libxml2 refuses, xml-core may take: `<?xml ?>`)
  if (declarationToCheck(domainXml)) { const refused = inLibvirtWords(domainXml, libvirtVersion); if (refused) throw refused }
  // the plain XML composed domains are made of goes the fast path; the rest (and every error) through xml-core
  const scanned = scanDomain(domainXml, schemaRoot(libvirtVersion))
  let domain: N
  let rootElement: Element
  const strayText: string[] = []
  if (scanned) {
    domain = scanned.domain
    rootElement = { type: 'element', name: 'domain', attributes: scanned.rootAttributes, children: [] }
  } else {
    // (libvirt takes the document as a C string — virsh's file, the API's argument, the wire's string alike —: it ends at
    // its first NUL; the fast path takes none)
    const nul = typeof domainXml === 'string' ? domainXml.indexOf('\0') : domainXml.indexOf(0)
    if (nul !== -1) return begin(typeof domainXml === 'string' ? domainXml.slice(0, nul) : domainXml.subarray(0, nul), host, options)
    rootElement = parseSlowly(domainXml, libvirtVersion)
    domain = fromElement(rootElement, strayText)
  }
  const ctx = createContext(domain, caps, {
    abiUpdate: options.abiUpdate ?? false,
    libvirtVersion,
    schemaKnown: scanned?.known ?? false,
    // (a text that never says `xmlns` or `xml:` has no element or attribute in a namespace: hideNamespaced has nothing to do)
    namespaceFree: typeof domainXml === 'string' && !scanned?.known && !domainXml.includes('xmlns') && !domainXml.includes('xml:'),
    testHost: options.testHost,
    rootElement,
    firmware: options.firmware,
    qemuConf: options.testHost ? { ...testHostQemuConf, ...options.qemuConf } : options.qemuConf,
    securityInfo: options.securityInfo ?? options.testHost !== undefined,
    hostArch: options.hostArch ?? (options.testHost !== undefined ? 'x86_64' : undefined),
    hostPciDevices,
    hostCpuAddressBits: options.hostCpuAddressBits,
    hostEmulators: options.hostEmulators === undefined ? undefined : new Set(options.hostEmulators),
    swtpm: options.swtpm !== undefined ? options.swtpm : options.testHost !== undefined ? testHostSwtpm : undefined,
    // (tests/testutilsqemu.c mocks qemuRdpAvailable: the helper is there)
    qemuRdp: options.qemuRdp ?? (options.testHost !== undefined ? true : undefined),
  })
  for (const path of strayText) ctx.explain(path, 'unread', 'Text beside child elements: libvirt reads it only where it reads the element\'s own text (then all the text below, in document order); elsewhere it is dropped.')
  // (preview reproduces two releases: another is read as the nearer one below or above 11.0, which may differ from it)
  const release = Math.floor(libvirtVersion / 1000)
  if (release !== 9000 && release !== 11003) {
    const named = `${Math.floor(libvirtVersion / 1_000_000)}.${Math.floor(libvirtVersion / 1000) % 1000}.${libvirtVersion % 1000}`
    ctx.skip('domain', `libvirt ${named}: preview reproduces libvirt 9.0 and 11.3 and reads this release as ${libvirtVersion < 11_000_000 ? '9.0' : '11.3'}; where ${named} differs from it (checks and defaults added or changed between releases) the prediction may differ.`)
  }
  return ctx
}

/**
 * libvirt's refusal of a document libxml2 does not read (model's libvirtXmlSyntaxError: bytes that are not UTF-8
 * too), as a PreviewError; else undefined.
 */
function inLibvirtWords(domainXml: string | Uint8Array, libvirtVersion: number): PreviewError | undefined {
  const words = libvirtXmlSyntaxError(domainXml, undefined, libvirtVersion)
  return words && new PreviewError('preview-malformed-xml', words.message, { place: { line: words.line, column: words.column, offset: words.offset } })
}

/** The plain XML declaration libxml2 and xml-core both take. */
const plainDeclaration = /^\ufeff?<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(['"])1\.0\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(['"])(?:UTF-8|utf-8)\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(['"])(?:yes|no)\3)?[ \t\r\n]*\?>/

/** Whether the document opens with an XML declaration other than the plain one (bytes: read as text first). */
function declarationToCheck(domainXml: string | Uint8Array): boolean {
  if (typeof domainXml === 'string') {
    // (most documents open with their root: a look at the first character)
    const first = domainXml.charCodeAt(0)
    if ((first !== 0x3c || !domainXml.startsWith('<?xml')) && (first !== 0xfeff || !domainXml.startsWith('\ufeff<?xml'))) return false
    return !plainDeclaration.test(domainXml.slice(0, 256))
  }
  // (bytes: `<?` first, after a byte order mark or not, before anything is decoded)
  const at = domainXml[0] === 0xef && domainXml[1] === 0xbb && domainXml[2] === 0xbf ? 3 : 0
  if (domainXml[at] !== 0x3c || domainXml[at + 1] !== 0x3f) return false
  const head = new TextDecoder().decode(domainXml.subarray(0, 256))
  return (head.startsWith('<?xml') || head.startsWith('\ufeff<?xml')) && !plainDeclaration.test(head)
}

/**
 * A domain the fast path does not read, read by xml-core. What libvirt's XML reader (libxml2) refuses is refused in
 * libvirt's words — libxml2's first fatal error, the line it stopped on and the pointer (model's libvirtXmlSyntaxError),
 * as `virsh define` prints them: malformed XML, and a document nested deeper than libxml2's 256 open elements. What that
 * reader does not follow (a DOCTYPE with an internal subset: entities preview does not expand) and xml-core's own
 * limits keep xml-core's error; so does a text with a lone surrogate, which no client sends as it is. A DOCTYPE without
 * an internal subset, which libvirt ignores, is read as blanks.
 */
function parseSlowly(domainXml: string | Uint8Array, libvirtVersion: number): Element {
  let root: Element
  try {
    root = parseDomain(domainXml).root
  } catch (error) {
    if (error instanceof XmlSyntaxError && error.code !== 'xml-too-large') {
      const refused = inLibvirtWords(domainXml, libvirtVersion)
      if (refused) throw refused
      // (a document type declaration without an internal subset changes nothing libvirt reads: read as blanks)
      const without = error.code === 'xml-doctype-refused' ? withoutIgnoredDoctype(domainXml) : undefined
      if (without !== undefined) return parseSlowly(without, libvirtVersion)
      throw error
    }
    // (libvirt compares the root's local name: virXMLParseHelper, "expecting root element of 'domain', not 'network'")
    if (!(error instanceof VirtunedError && error.code === 'model-unexpected-root' && 'path' in error && typeof error.path === 'string')) throw error
    const local = error.path.slice(error.path.indexOf(':') + 1)
    if (local !== 'domain') throw new PreviewError('preview-invalid-value', `expecting root element of 'domain', not '${local}'`, { path: '', place: error.place })
    // (a prefixed <x:domain> it reads on — its XPath reads children in no namespace, the root's own attributes without a
    // prefix — and stores as <domain> (libvirtd 9.0))
    root = { ...rootElement(parseXml(domainXml))!, name: 'domain' }
  }
  // (libxml2 stops at the 258th element open at once: the fast path gives such a document here)
  const depth = (e: Element): number => { let most = 0; for (const c of e.children) if (c.type === 'element') most = Math.max(most, depth(c)); return most + 1 }
  if (depth(root) > 257) { const refused = inLibvirtWords(domainXml, libvirtVersion); if (refused) throw refused }
  return root
}

const strictUtf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true })

/** The document with its type declaration as blanks (lines and columns kept), where libvirt ignores it (model's libvirtIgnoredDoctype). */
function withoutIgnoredDoctype(domainXml: string | Uint8Array): string | undefined {
  let text: string
  try { text = typeof domainXml === 'string' ? domainXml : strictUtf8.decode(domainXml) } catch { return undefined }
  const span = libvirtIgnoredDoctype(text)
  return span && text.slice(0, span.start) + text.slice(span.start, span.end).replace(/[^\n]/g, ' ') + text.slice(span.end)
}

/** The result of a domain every rule has run on (or the validation refusal that waited for them). */
function finish({ ctx, waiting }: RulesState): PreviewResult {
  if (waiting) throw waiting
  const domain = ctx.domain
  orderDomain(domain)
  // the xml-core tree and the explanation's words only when asked for: most callers read the text
  const result: Record<string | symbol, unknown> = { xml: writeDomain(domain, isLibvirt9(ctx)) }
  Object.defineProperty(result, unread, { value: { domain, notes: ctx.explanation, document: undefined, explanation: undefined } satisfies Unread })
  Object.defineProperties(result, readWhenAsked)
  result.notPredicted = ctx.notPredicted
  return result as unknown as PreviewResult
}

/**
 * virDomainRNGDefFormat: an EGD backend is written open and closed around its character device's source, on lines of
 * its own even with no source to write (`<rng>` stands at depth 2: its backend closes at 6 spaces); a built-in one is
 * an empty element, whatever was written in it.
 */
function rngBackendAsStored(backend: N | undefined): void {
  if (backend?.attrs.model === 'egd' && backend.children.length === 0) backend.text = '\n      '
  else if (backend?.attrs.model === 'builtin') { backend.children = []; backend.text = undefined }
}

/** A domain on its way through the rules: its context, and a validation refusal found that waits for the post-parse rules. */
interface RulesState { readonly ctx: PreviewContext; waiting: PreviewError | undefined }

/**
 * One rule, in the rules' order, with libvirt's order of refusals: a refusal its validation makes (found by the table's
 * validation rows) waits until the post-parse rules have run — their own refusals (addresses, USB ports…) come first
 * in libvirt, which validates a definition only after its post-parse. Preview's own limits, a check libvirt makes
 * while validating, or anything else a rule throws past a validation refusal gives that refusal (`finish` throws it
 * once every rule has run).
 */
function applyRule(state: RulesState, rule: PreviewRule): void {
  if (state.waiting === undefined) {
    rule.apply(state.ctx)
    state.waiting = deferredRefusal(state.ctx)
    return
  }
  try {
    rule.apply(state.ctx)
  } catch (error) {
    if (error instanceof PreviewError && error.code !== 'preview-limit' && !validationErrors.has(error)) throw error
    throw state.waiting
  }
}

/** What a result builds only when it is read. */
interface Unread {
  readonly domain: N
  readonly notes: readonly (Explanation | PciAddressNote)[]
  document: Root | undefined
  explanation: readonly Explanation[] | undefined
}
const unread = Symbol('unread')
type WithUnread = { readonly [unread]: Unread }

// `document` and `explanation`: getters every result shares, reading the result's own unread parts. Why not
// getters in the result's literal: those are new closures per call that hold the domain tree, and V8 puts the
// literal's accessor pair in the old generation, so every preview's tree outlived the minor GCs until a full
// one (measured on 2,000 distinct domains with `--trace-gc-nvp`: ~1.8 MB copied per scavenge, 4 ms pauses,
// vs ~0.1 MB and 0.55 ms now).
const readWhenAsked: PropertyDescriptorMap = {
  document: { enumerable: true, configurable: true, get(this: WithUnread): Root { const u = this[unread]; return (u.document ??= { type: 'root', children: [toElement(u.domain)] }) } },
  explanation: { enumerable: true, configurable: true, get(this: WithUnread): readonly Explanation[] { const u = this[unread]; return (u.explanation ??= u.notes.map(inWords)) } },
}

/** An explanation in words (a PCI address's is kept as its parts until read). */
const inWords = (e: Explanation | PciAddressNote): Explanation => ('rule' in e ? e : pciAddressExplanation(e))

/** Children in `order`, stably; a name not in it stays after the one before it. Most are in order already: then nothing moves. */
function sortBy(n: N | undefined, order: readonly string[] | undefined): void {
  if (!n || n.raw || !order) return
  const ranks = rankMap(order)
  const children = n.children
  // (read in order first, without making anything: the ranks are only kept when something moves)
  let last = -1
  let previous = -Infinity
  let sorted = true
  for (let i = 0; i < children.length && sorted; i++) {
    const r = ranks.get(children[i]!.name)
    if (r !== undefined) last = r
    const rank = r !== undefined ? r : last + 0.5
    if (rank < previous) sorted = false
    previous = rank
  }
  if (sorted) return
  last = -1
  const ranked: { c: N; rank: number; i: number }[] = []
  for (let i = 0; i < children.length; i++) {
    const c = children[i]!
    const r = ranks.get(c.name)
    if (r !== undefined) last = r
    ranked.push({ c, rank: r !== undefined ? r : last + 0.5, i })
  }
  n.children = ranked.sort((a, b) => a.rank - b.rank || a.i - b.i).map((x) => x.c)
}

// The orders libvirt's formatter writes children in: model's formatterChildOrders, by path below <domain>.
const orders = formatterChildOrders
const hostdevInterfaceChildOrder = orders["devices/interface[@type='hostdev']"]!
const diskChildOrder = orders['devices/disk']!
const diskSourceChildOrder = orders['devices/disk/source']!
const sshDiskSourceChildOrder = orders["devices/disk/source[@protocol='ssh']"]!
const diskDriverOrder = orders['devices/disk/driver']!
const backingStoreChildOrder = orders['devices/disk/backingStore']!
// (each looked up once: the formatter's order runs on every domain)
const osOrder = orders.os, nvramSourceOrder = orders['os/nvram/source'], numatuneOrder = orders.numatune, memoryBackingOrder = orders.memoryBacking
const cpuOrder = orders.cpu, numaOrder = orders['cpu/numa'], memtuneOrder = orders.memtune, blkiotuneOrder = orders.blkiotune
const blkiotuneDeviceOrder = orders['blkiotune/device'], cputuneOrder = orders.cputune, iotuneOrder = orders['devices/disk/iotune']
const fsBinaryOrder = orders['devices/filesystem/binary'], memorySourceOrder = orders['devices/memory/source'], memoryTargetOrder = orders['devices/memory/target']
const hostdevSourceOrder = orders['devices/hostdev/source'], hostdevInterfaceSourceOrder = orders["devices/interface[@type='hostdev']/source"]
const cellOrder = orders['cpu/numa/cell'], cellCacheOrder = orders['cpu/numa/cell/cache'], resourceOrder = orders.resource, launchSecurityOrder = orders.launchSecurity
const throttleGroupOrder = orders['throttlegroups/throttlegroup']
const tpmBackendOrder = orders['devices/tpm/backend'], videoModelOrder = orders['devices/video/model'], rngBackendOrder = orders['devices/rng/backend']
const netSourceOrder = orders['devices/interface/source'], bandwidthOrder = orders['devices/interface/bandwidth'], netDriverOrder = orders['devices/interface/driver']
/** A character device's own order, its qemu-vdagent source's and any other source's, by device name. */
const chardevOrders: ReadonlyMap<string, readonly [own: readonly string[] | undefined, vdagentSource: readonly string[] | undefined, source: readonly string[] | undefined]> = new Map(
  deviceNames.chrKinds.map((name) => [name, [orders[`devices/${name}`], orders[`devices/${name}[@type='qemu-vdagent']/source`], orders[`devices/${name}/source`]]]),
)
/** The device information that closes every device, then what some devices write after it. */
const infoTail = deviceInfoChildOrder
/** The orders of the devices' own children, by device name. */
const deviceChildOrders: ReadonlyMap<string, readonly string[]> = new Map(Object.entries(orders).filter(([path]) => /^devices\/[A-Za-z]+$/.test(path)).map(([path, order]) => [path.slice('devices/'.length), order]))
const infoTails: ReadonlyMap<string, readonly string[]> = new Map(Object.entries(afterDeviceInfo).map(([name, after]) => [name, [...deviceInfoChildOrder, ...after]]))

/** virDomainGraphicsSpiceChannelName in its order. */
const spiceChannelNames: readonly string[] = ['main', 'display', 'inputs', 'cursor', 'playback', 'record', 'smartcard', 'usbredir']

/**
 * A SPICE display's channels as libvirt stores them: one mode per channel name (the last written), `any` being none,
 * written in the names' order (virDomainGraphicsDefParseXMLSpice, virDomainGraphicsDefFormat; oVirt writes inputs
 * before display, libvirtd 9.0 writes them back the other way).
 */
function spiceChannelsAsStored(graphics: N): void {
  const channels = graphics.children.filter((c) => c.name === 'channel')
  if (channels.length === 0) return
  const mode = new Map<string, string>()
  for (const c of channels) if (c.attrs.name !== undefined && c.attrs.mode !== undefined) mode.set(c.attrs.name, c.attrs.mode)
  const stored = spiceChannelNames.flatMap((name) => { const m = mode.get(name); return m === undefined || m === 'any' ? [] : [node('channel', { name, mode: m })] })
  const at = graphics.children.indexOf(channels[0]!)
  const rest = graphics.children.filter((c) => c.name !== 'channel')
  graphics.children = [...rest.slice(0, at), ...stored, ...rest.slice(at)]
}

/** The `name` children of `n` in `compare`'s order (stably, among themselves: the others keep their places). */
function sortNamed(n: N | undefined, name: string, compare: (a: N, b: N) => number): void {
  if (!n) return
  const list = n.children.filter((c) => c.name === name)
  if (list.length < 2) return
  const sorted = list.map((c, i) => ({ c, i })).sort((a, b) => compare(a.c, b.c) || a.i - b.i).map((x) => x.c)
  if (sorted.every((c, i) => c === list[i])) return
  let k = 0
  n.children = n.children.map((c) => (c.name === name ? sorted[k++]! : c))
}

/** The `name` children of `n` by a number each has. */
const sortByNumber = (n: N | undefined, name: string, rank: (c: N) => number): void => sortNamed(n, name, (a, b) => rank(a) - rank(b))

/** A network filter's parameters by name: libvirt keeps them in a hash table and writes them sorted (virNWFilterFormatParamAttributes). */
const sortFilterParameters = (filterref: N | undefined): void => sortNamed(filterref, 'parameter', (a, b) => {
  const x = a.attrs.name ?? ''
  const y = b.attrs.name ?? ''
  return x < y ? -1 : x > y ? 1 : 0
})

/** A disk's <source> and <backingStore> chain (virDomainDiskSourceFormat, virDomainDiskBackingStoreFormat). */
function sortNested(n: N): void {
  if (n.name === 'source') sortBy(n, n.attrs.protocol === 'ssh' ? sshDiskSourceChildOrder : diskSourceChildOrder)
  if (n.name === 'backingStore') { sortBy(n, backingStoreChildOrder); for (const c of n.children) sortNested(c) }
}

/** virPerfEvent in its order: the names model's attributeReads reads. */
const perfEvents: readonly string[] = attributeReads.get('perf/event')?.find((r) => r[0] === 'name')?.[2]?.values ?? []
/** The key wrapping ciphers in virDomainKeyWrapCipherName's order, the order virDomainKeyWrapDefFormat writes them (aes, then dea; probe h37-keywrap). */
const keywrapCiphers: readonly string[] = attributeReads.get('keywrap/cipher')?.find((r) => r[0] === 'name')?.[2]?.values ?? []

function orderDomain(domain: N): void {
  sortBy(domain, domainChildOrder)
  // the driver's namespace elements (qemu:commandline…) close the domain, after <seclabel> (libvirtd 9.0)
  const children = domain.children
  let firstPrefixed = -1
  for (let i = 0; i < children.length; i++) if (children[i]!.name.includes(':')) { firstPrefixed = i; break }
  if (firstPrefixed >= 0 && children.slice(firstPrefixed).some((c) => !c.name.includes(':'))) {
    domain.children = [...children.filter((c) => !c.name.includes(':')), ...children.filter((c) => c.name.includes(':'))]
  }
  sortBy(child(domain, 'os'), osOrder)
  sortBy(child(child(child(domain, 'os'), 'nvram'), 'source'), nvramSourceOrder)
  sortBy(child(domain, 'numatune'), numatuneOrder)
  sortBy(child(domain, 'memoryBacking'), memoryBackingOrder)
  const cpu = child(domain, 'cpu')
  sortBy(cpu, cpuOrder)
  sortBy(child(cpu, 'numa'), numaOrder)
  for (const cell of kids(child(cpu, 'numa'), 'cell')) {
    sortBy(cell, cellOrder)
    for (const cache of kids(cell, 'cache')) sortBy(cache, cellCacheOrder)
  }
  sortBy(child(domain, 'resource'), resourceOrder)
  sortBy(child(domain, 'launchSecurity'), launchSecurityOrder)
  for (const group of kids(child(domain, 'throttlegroups'), 'throttlegroup')) sortBy(group, throttleGroupOrder)
  sortByNumber(child(domain, 'keywrap'), 'cipher', (c) => keywrapCiphers.indexOf(c.attrs.name ?? ''))
  sortBy(child(domain, 'memtune'), memtuneOrder)
  const blkiotune = child(domain, 'blkiotune')
  sortBy(blkiotune, blkiotuneOrder)
  for (const device of kids(blkiotune, 'device')) sortBy(device, blkiotuneDeviceOrder)
  // perf events are kept one per name and written in virPerfEvent's order (a name written twice is refused)
  const perf = child(domain, 'perf')
  if (perf) perf.children = perf.children.map((c, i) => ({ c, i, r: perfEvents.indexOf(c.attrs.name ?? '') })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.c)
  sortBy(child(domain, 'cputune'), cputuneOrder)
  // pinnings libvirt keeps on each vCPU and I/O thread, and memory bindings on each NUMA cell: written in the vCPUs'
  // order, the I/O thread ids' order and the cells' order, whatever the order written (libvirtd 9.0)
  const iothreadIds = kids(child(domain, 'iothreadids'), 'iothread').map((t) => Number(t.attrs.id))
  sortByNumber(child(domain, 'cputune'), 'vcpupin', (p) => Number(p.attrs.vcpu))
  sortByNumber(child(domain, 'cputune'), 'iothreadpin', (p) => (iothreadIds.length > 0 ? iothreadIds.indexOf(Number(p.attrs.iothread)) : Number(p.attrs.iothread)))
  sortByNumber(child(domain, 'numatune'), 'memnode', (m) => Number(m.attrs.cellid))
  sortBy(child(domain, 'devices'), deviceOrder)
  for (const d of kids(child(domain, 'devices'))) {
    if (d.raw) continue
    if (d.name === 'disk') { sortBy(d, diskChildOrder); for (const c of d.children) sortNested(c); sortBy(child(d, 'iotune'), iotuneOrder); sortBy(child(d, 'driver'), diskDriverOrder); continue }
    const chardev = chardevOrders.get(d.name)
    if (chardev !== undefined) {
      sortBy(d, chardev[0])
      if (d.attrs.type === 'qemu-vdagent') sortBy(child(d, 'source'), chardev[1])
      else for (const source of kids(d, 'source')) sortBy(source, chardev[2])
      continue
    }
    if (d.name === 'rng') { rngBackendAsStored(child(d, 'backend')); sortBy(child(d, 'backend'), rngBackendOrder) }
    if (d.name === 'tpm') sortBy(child(d, 'backend'), tpmBackendOrder)
    if (d.name === 'video') sortBy(child(d, 'model'), videoModelOrder)
    const order = d.name === 'interface' && d.attrs.type === 'hostdev' ? hostdevInterfaceChildOrder : deviceChildOrders.get(d.name)
    if (order) sortBy(d, order)
    if (d.name === 'graphics' && d.attrs.type === 'spice') spiceChannelsAsStored(d)
    if (d.name === 'filesystem') sortBy(child(d, 'binary'), fsBinaryOrder)
    if (d.name === 'memory') {
      sortBy(child(d, 'source'), memorySourceOrder)
      sortBy(child(d, 'target'), memoryTargetOrder)
    }
    if (d.name === 'hostdev') sortBy(child(d, 'source'), hostdevSourceOrder)
    if (d.name === 'interface') {
      sortBy(child(d, 'source'), d.attrs.type === 'hostdev' ? hostdevInterfaceSourceOrder : netSourceOrder)
      sortFilterParameters(child(d, 'filterref'))
      sortBy(child(d, 'bandwidth'), bandwidthOrder)
      sortBy(child(d, 'driver'), netDriverOrder)
    }
    // the device info (alias, address) closes every device; memballoon, vsock and sound write <driver> after it
    const tail = infoTails.get(d.name) ?? infoTail
    let previous = -1
    let sorted = true
    const children = d.children
    for (let i = 0; i < children.length; i++) { const r = tail.indexOf(children[i]!.name); if (r < previous) { sorted = false; break } previous = r }
    if (!sorted) {
      const rankOf = (c: N): number => tail.indexOf(c.name)
      d.children = children.map((c, i) => ({ c, i })).sort((a, b) => rankOf(a.c) - rankOf(b.c) || a.i - b.i).map((x) => x.c)
    }
  }
}


export { PreviewError }
export type { PreviewContext }
