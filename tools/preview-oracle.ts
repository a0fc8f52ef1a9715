// The live oracle of @virtuned/preview (issue 19): distinct domains composed by virtuned (every
// built-in policy mix, OSes across families, 1–4 disks, 1–3 NICs, hot-plug-ready or not) are defined
// on the sandbox libvirtd, read back with `dumpxml --inactive` and undefined; `previewDomain` given
// that daemon's own QEMU capabilities cache file must predict the same document (canonical form).
//   npx tsx --conditions=@virtuned/source tools/preview-oracle.ts [COUNT] [--corpus] [--misses]
// Needs the sandbox running (tools/libvirt-sandbox/start.sh) and root. Prints the score and the
// per-domain time of the preview vs the daemon's define + dumpxml + undefine.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { execFileSync } from 'node:child_process'
import { parseDomainCapabilities, type HostCapabilities } from '@virtuned/defaults'
import { createConnection, type LibvirtConnection } from '@virtuned/libvirt-adapter'
import { canonicalize } from '@virtuned/model'
import { compose } from '@virtuned/policies'
import { parseQemuCaps, parseQemuConf, previewDomain, type HostPciDevice, type PreviewOptions, type QemuCaps, type QemuConf } from '@virtuned/preview'
import { distinctSpecs } from './bench/compose-specs.mjs'
import { sandboxScripts } from './libvirt.ts'
import { readFirmwareDirs } from '../packages/cli/src/firmware-files.ts'
import { readHostPciDir, systemHostPciDir } from '../packages/cli/src/host-pci.ts'

/**
 * The root of the host whose libvirtd the live tools ask: '' for this machine's (tools/libvirt-sandbox, libvirt 9.0), or
 * the directory of a libvirtd run in a chroot — tools/libvirt-trixie, libvirt 11.3 — named by VIRTUNED_LIVE_ROOT. Its
 * socket, capabilities cache, qemu.conf, firmware descriptors, emulators and swtpm are read below that root; the paths
 * in the documents stay the daemon's own (/usr/bin/qemu-system-x86_64 is the chroot's to it).
 */
export const liveRoot = (): string => process.env.VIRTUNED_LIVE_ROOT ?? ''
/** The URI of that libvirtd: qemu:///system, or the chroot's socket. */
export const liveUri = (): string => liveRoot() === '' ? 'qemu:///system' : `qemu:///system?socket=${liveRoot()}/run/libvirt/libvirt-sock`

/** That libvirtd (re)started — the sandbox's start.sh, as a holder of its own unless VIRTUNED_SANDBOX_HOLDER names one, or the chroot's — and a connection to it. */
export async function startLive(): Promise<LibvirtConnection> {
  if (liveRoot() === '') execFileSync('bash', [join(sandboxScripts, 'start.sh')], { stdio: 'pipe', env: { ...process.env, VIRTUNED_SANDBOX_HOLDER: process.env.VIRTUNED_SANDBOX_HOLDER ?? '1' }, timeout: 120_000 })
  else execFileSync('bash', [new URL('./libvirt-trixie/start.sh', import.meta.url).pathname], { stdio: 'pipe', env: { ...process.env, VIRTUNED_TRIXIE_ROOT: liveRoot() }, timeout: 120_000 })
  return createConnection(liveUri())
}

/**
 * The QEMU binary libvirtd runs a guest architecture on when the domain names none (virQEMUCapsGetDefaultEmulator):
 * `qemu-system-` and the arch in QEMU's spelling (i686 is i386, 32-bit ARM is arm) when there is one — Debian ships
 * qemu-system-ppc64le as a link to ppc64, which libvirtd then names — else the target that runs it (ppc64le on ppc64).
 */
export function emulatorOf(arch: string): string {
  const named = `/usr/bin/qemu-system-${({ i686: 'i386', armv7l: 'arm', armv6l: 'arm' } as Record<string, string>)[arch] ?? arch}`
  const target = ({ ppc64le: 'ppc64' } as Record<string, string>)[arch]
  return target === undefined || existsSync(liveRoot() + named) ? named : `/usr/bin/qemu-system-${target}`
}

/**
 * A domain written for another host, on the sandbox's: the domain type given (QEMU's TCG by default), the emulator of its
 * arch and a Xen HVM machine as the PC one it is to QEMU; with `anyMachine`, a versioned or vendor machine type — RHEL's
 * `pc-i440fx-rhel7.1.0` — as its family's alias (the host's newest of it), so definitions from other hosts are tried.
 * Names, UUIDs and MACs are the caller's (withIdentity).
 */
export function onSandboxHost(xml: string, arch: string, options: { type?: string; anyMachine?: boolean } = {}): string {
  let x = xml.replace(/<domain([^>]*?)\btype=(['"])[^'"]*\2/, `<domain$1type='${options.type ?? 'qemu'}'`)
  x = x.replace(/<emulator>[^<]*<\/emulator>/, `<emulator>${emulatorOf(arch)}</emulator>`)
  x = x.replace(/(<type[^>]*?)\bmachine=(['"])xenfv\2/, '$1machine=$2pc$2')
  if (options.anyMachine) {
    x = x.replace(/(<type[^>]*?)\bmachine=(['"])pc-i440fx-[^'"]*\2/, '$1machine=$2pc$2').replace(/(<type[^>]*?)\bmachine=(['"])pc-q35-[^'"]*\2/, '$1machine=$2q35$2')
      .replace(/(<type[^>]*?)\bmachine=(['"])pseries-[^'"]*\2/, '$1machine=$2pseries$2').replace(/(<type[^>]*?)\bmachine=(['"])s390-ccw-virtio-[^'"]*\2/, '$1machine=$2s390-ccw-virtio$2')
      .replace(/(<type[^>]*?)\bmachine=(['"])virt-[^'"]*\2/, '$1machine=$2virt$2')
  }
  return x
}

/** The `.xml` files of a path: the file itself, or a directory's below it in name order. */
export const xmlFilesIn = (path: string): string[] => (statSync(path).isDirectory() ? readdirSync(path).sort().flatMap((f) => xmlFilesIn(join(path, f))) : path.endsWith('.xml') ? [path] : [])

/** The domains of a file: the first `<domain>` to the last `</domain>`, or (`split`) each one (virt-install's test outputs hold two). */
export function domainsInFile(file: string, split: boolean): { name: string; xml: string }[] {
  const text = readFileSync(file, 'utf8')
  const found = split ? [...text.matchAll(/<domain\b[\s\S]*?<\/domain>/g)].map((m) => m[0]) : [/<domain\b[\s\S]*<\/domain>/.exec(text)?.[0]].filter((x): x is string => x !== undefined)
  return found.map((xml, i) => ({ name: found.length > 1 ? `${file}#${i + 1}` : file, xml }))
}

/** libvirt's QEMU capabilities cache on the live host (liveRoot). */
export const capsCacheDir = (): string => `${liveRoot()}/var/cache/libvirt/qemu/capabilities`

/** The qemu.conf the sandbox's libvirtd reads (start.sh writes it: `security_driver = "none"`). */
export function sandboxQemuConf(file = `${liveRoot()}/etc/libvirt/qemu.conf`): QemuConf {
  return parseQemuConf(readFileSync(file))
}

/**
 * The QEMU firmware descriptors the sandbox's libvirtd reads (qemuInteropFetchConfigs): a privileged daemon reads
 * /etc/qemu/firmware, then /usr/share/qemu/firmware — not root's home — the first of a file name winning.
 */
export function sandboxFirmware(dirs: readonly string[] = [`${liveRoot()}/etc/qemu/firmware`, `${liveRoot()}/usr/share/qemu/firmware`]): NonNullable<PreviewOptions['firmware']> {
  return readFirmwareDirs(dirs, false)
}

/** The host's PCI devices, as the sandbox's libvirtd reads them from sysfs (PCIe-ness and IOMMU groups place host devices). */
export const sandboxHostPci: Record<string, HostPciDevice> | undefined = readHostPciDir(systemHostPciDir, false)

/** The sandbox's host architecture by libvirt's name (this machine's: what libvirtd's virArchFromHost says). */
export const sandboxHostArch: string = ({ x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', s390x: 's390x', ppc64: 'ppc64le', riscv64: 'riscv64', loong64: 'loongarch64' } as Record<string, string>)[process.arch] ?? process.arch

/** The cache file libvirtd keeps for `emulator` (each file names its binary in `<emulator>`). */
export function cachedCaps(emulator: string, dir = capsCacheDir()): { file: string; text: string } {
  for (const name of readdirSync(dir)) {
    const text = readFileSync(join(dir, name), 'utf8')
    if (text.includes(`<emulator>${emulator}</emulator>`)) return { file: join(dir, name), text }
  }
  throw new Error(`no capabilities cache for ${emulator} in ${dir}: start the sandbox libvirtd once (tools/libvirt-sandbox/start.sh)`)
}

export interface OracleCase {
  readonly name: string
  readonly xml: string
  /** libvirt may refuse it (corpus documents written for other hosts): then it is left out, not counted. */
  readonly refusable?: boolean
}

export interface OracleResult {
  readonly name: string
  readonly exact: boolean
  /** First differing canonical line (expected | got), or the error. */
  readonly miss?: string
}

/** `count` composed domains for the sandbox host, each distinct, named `vt-oracle-N` (the sandbox's stop.sh cleans `vt-test-*`; these are undefined as they go). */
export function composedCases(count: number, host: HostCapabilities): OracleCase[] {
  const out: OracleCase[] = []
  for (const c of distinctSpecs(count, 23)) {
    const name = `vt-oracle-${out.length}`
    // TCG: the sandbox runs QEMU without KVM. libvirt makes up a UUID and MACs that are not given
    // (random: nothing can predict them), so the composed domains carry their own.
    const n = out.length
    const uuid = `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`
    const nics = c.spec.nics.map((nic, i) => ({ ...nic, mac: `52:54:00:${((n >> 8) & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}:${i.toString(16).padStart(2, '0')}` }))
    const spec = { ...c.spec, name, uuid, nics, type: 'qemu' as const }
    out.push({ name, xml: compose(spec, { os: c.os, policies: c.policies, host }).xml })
  }
  return out
}

/**
 * libvirt's test domains that the sandbox's libvirtd 9.0 does not refuse but dies on (it segfaults
 * instead of reporting the error): not accepted, so not tried. Keyed by file name, with the reason.
 * Found by defining each with `virsh define` on the sandbox (the daemon is gone after the call).
 */
export const daemonKillers: Readonly<Record<string, string>> = {
  'hostdev-scsi-vhost-rawio-invalid.xml':
    'libvirtd 9.0 segfaults in its RPC thread (libc free) on the error path of virDomainHostdevDefParseXMLSubsys right after logging "rawio is only supported for scsi host device"; libvirt refuses this file always (expected-parse-errors.txt), 11.3 with that error',
}

/** Whether an error is libvirtd's connection gone (the daemon died on a domain: it is brought back). */
export const lost = (error: unknown): boolean => (error as { code?: string }).code === 'libvirt-connection-lost' || /connection (?:to libvirtd )?(?:lost|closed)/i.test(String((error as Error)?.message))

/**
 * Whether preview refused in the daemon's words: libvirt's message without virsh's `error: ` and its error class
 * (`XML error: `, `unsupported configuration: `…) begins preview's (which may add nothing but what follows).
 */
export function sameRefusal(daemon: string, preview: string): boolean {
  const core = daemon.replace(/^[a-z ]+error: /i, '').replace(/^(XML error|internal error|unsupported configuration|invalid argument|operation failed|Requested operation is not valid|Configuration file syntax error|numerical overflow|argument unsupported|Operation not supported): /, '').trim()
  return preview.startsWith(core)
}

/**
 * libvirt's own test domains (../shared/corpus/domains) for x86_64 — the ones with that
 * architecture or none — to be tried on the daemon: `runOracle` counts only those it accepts.
 * The `daemonKillers` are left out.
 */
export function corpusCases(corpusDir: string): OracleCase[] {
  const dir = join(corpusDir, 'domains')
  return readdirSync(dir).filter((f) => f.endsWith('.xml') && !(f in daemonKillers)).sort().flatMap((f) => {
    const xml = readFileSync(join(dir, f), 'utf8')
    const arch = /<type[^>]*\barch=['"]([^'"]+)['"]/.exec(xml)?.[1]
    return arch === undefined || arch === 'x86_64' ? [{ name: f, xml, refusable: true }] : []
  })
}

/**
 * A domain given what libvirt would otherwise make up at random, so that the daemon's document can be predicted: a UUID
 * when it has none (an empty one — Vagrant writes `<uuid></uuid>` — is none to libvirt too) and no SMBIOS system UUID, a MAC address to an
 * interface written without one (52:54:00, then `n`'s and the interface's numbers) and an interface ID to an Open
 * vSwitch port written without one (as OpenNebula and TripleO write the port). `n` tells the domains of one run apart.
 */
export function withIdentity(xml: string, n: number): string {
  const uuid = `<uuid>00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}</uuid>`
  // the domain's own <uuid>, not a device's (an NVDIMM's): looked for with <devices> blanked out, the places kept
  const outsideDevices = (text: string): string => text.replace(/<devices\b[\s\S]*?<\/devices>/g, (m) => ' '.repeat(m.length))
  const empty = /<uuid\s*\/>|<uuid>\s*<\/uuid>/.exec(outsideDevices(xml))
  let x = empty ? xml.slice(0, empty.index) + uuid + xml.slice(empty.index + empty[0].length) : xml
  // (none written, libvirt takes an SMBIOS system UUID as the domain's — virSysinfoSystemParseXML —: no UUID made up then,
  // as KubeVirt writes its domains)
  const smbiosUuid = /<sysinfo\b[^>]*>[\s\S]*?<system>[\s\S]*?<entry\s+name=(['"])uuid\1\s*>\s*[^<\s]/.test(outsideDevices(x))
  if (!/<uuid>/.test(outsideDevices(x)) && !smbiosUuid) x = x.replace(/(<name>[^<]*<\/name>)/, `$1${uuid}`)
  let nic = 0
  const hex = (v: number): string => (v & 0xff).toString(16).padStart(2, '0')
  // (an interface written as one empty tag gets its MAC inside a pair of tags)
  x = x.replace(/<interface\b([^>]*?)\s*\/>/g, (_all, attributes: string) => `<interface${attributes}></interface>`)
  x = x.replace(/(<interface\b[^>]*>)([\s\S]*?<\/interface>)/g, (all, open: string, rest: string) => {
    nic++
    if (/<mac\b/.test(rest)) return all
    return `${open}<mac address='52:54:00:${hex(n >> 8)}:${hex(n)}:${hex(nic)}'/>${rest}`
  })
  let port = 0
  return x.replace(/<virtualport\s+type=(['"])openvswitch\1\s*\/>/g, () => `<virtualport type='openvswitch'><parameters interfaceid='00000000-0000-4000-8001-${n.toString(16).padStart(8, '0')}${(++port).toString(16).padStart(4, '0')}'/></virtualport>`)
}

/** How preview and the daemon agreed on one domain: the same document, refused in the same words, or which way apart. */
export type LiveOutcome = 'same' | 'apart' | 'bothRefused' | 'otherWords' | 'daemonOnly' | 'previewOnly'

/**
 * One domain defined on the daemon (read back with `dumpxml --inactive`, then undefined) and previewed with `options`:
 * the outcome, with the daemon's document or refusal and preview's. Throws when the connection is lost (`lost`).
 */
export async function compareLive(conn: LibvirtConnection, xml: string, options: PreviewOptions): Promise<{ outcome: LiveOutcome; daemon: string; preview: string }> {
  let stored: string | undefined
  let refused: string | undefined
  try {
    const domain = await conn.defineXML(xml)
    try { stored = await conn.getXMLDesc(domain, { inactive: true }) } finally { await conn.undefine(domain, { keepNvram: true }) }
  } catch (error) {
    if (lost(error)) throw error
    refused = (error as Error).message
  }
  let got: string | undefined
  let previewRefused: string | undefined
  // (the host's PCI devices and CPU address bits unless the caller gives them: the daemon reads them)
  const bits = sandboxHostCpuAddressBits()
  try { got = previewDomain(xml, { ...(sandboxHostPci !== undefined ? { hostPciDevices: sandboxHostPci } : {}), ...(bits !== undefined ? { hostCpuAddressBits: bits } : {}), swtpm: sandboxSwtpm(), qemuRdp: sandboxQemuRdp(), hostEmulators: sandboxEmulators(xml), ...options }).xml } catch (error) { previewRefused = (error as Error).message }
  const daemon = stored ?? refused ?? ''
  const preview = got ?? previewRefused ?? ''
  if (stored !== undefined && got !== undefined) return { outcome: stored === got ? 'same' : 'apart', daemon, preview }
  if (refused !== undefined && previewRefused !== undefined) return { outcome: sameRefusal(refused, previewRefused) ? 'bothRefused' : 'otherWords', daemon, preview }
  return { outcome: refused !== undefined ? 'daemonOnly' : 'previewOnly', daemon, preview }
}

function firstDifference(expected: string, got: string): string {
  const a = expected.split('\n')
  const b = got.split('\n')
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return `line ${i + 1}: ${a[i] ?? '(end)'} | ${b[i] ?? '(end)'}`
  return ''
}

/**
 * Defines, reads back and undefines each case; compares with the preview (given the host's qemu.conf
 * settings, `qemuConf`). Should libvirtd die (libvirt 9.0 segfaults on one of its own test domains, see
 * `daemonKillers`), then given `reconnect` the daemon is brought back and the case tried once more; a
 * case that kills it twice is a failed result. The restarts are counted; refusals are kept with libvirt's
 * message.
 */
export async function runOracle(conn: LibvirtConnection, cases: readonly OracleCase[], caps: QemuCaps, reconnect?: () => Promise<LibvirtConnection>, qemuConf?: QemuConf): Promise<{ results: OracleResult[]; refused: number; refusals: { name: string; reason: string }[]; restarts: number; previewMicros: number; daemonMicros: number }> {
  const results: OracleResult[] = []
  const refusals: { name: string; reason: string }[] = []
  let refused = 0
  let restarts = 0
  let previewNs = 0n
  let daemonNs = 0n
  const pretty = (xml: string) => canonicalize(xml, { comments: false }).replaceAll('><', '>\n<')
  // (the firmware descriptors the daemon reads)
  const firmware = sandboxFirmware()
  const roundTrip = async (c: OracleCase): Promise<string | undefined> => {
    let domain: Awaited<ReturnType<LibvirtConnection['defineXML']>>
    try {
      domain = await conn.defineXML(c.xml)
    } catch (error) {
      if (lost(error) || !c.refusable) throw error
      refusals.push({ name: c.name, reason: (error as Error).message })
      return undefined
    }
    try {
      return await conn.getXMLDesc(domain, { inactive: true })
    } finally {
      // (define never creates the NVRAM file: keep whatever file the domain's <nvram> names)
      await conn.undefine(domain, { keepNvram: true })
    }
  }
  for (const c of cases) {
    const t0 = process.hrtime.bigint()
    let stored: string | undefined
    try {
      stored = await roundTrip(c)
    } catch (error) {
      if (!reconnect || !lost(error)) throw error
      restarts++
      conn = await reconnect()
      try {
        stored = await roundTrip(c)
      } catch (again) {
        if (!lost(again)) throw again
        // the daemon died on this case twice: a failure of its own (daemonKillers lists known libvirt bugs)
        restarts++
        conn = await reconnect()
        results.push({ name: c.name, exact: false, miss: 'error: libvirtd died twice defining it (a libvirt bug? list it in daemonKillers with the reason)' })
        continue
      }
    }
    if (stored === undefined) { refused++; continue }
    const t1 = process.hrtime.bigint()
    let got: string
    try {
      // `virsh define` parses with ABI update (USB controller models and ports may be assigned).
      got = previewDomain(c.xml, { qemuCaps: caps, abiUpdate: true, hostArch: sandboxHostArch, firmware, qemuRdp: sandboxQemuRdp(), ...(qemuConf ? { qemuConf } : {}) }).xml
    } catch (error) {
      results.push({ name: c.name, exact: false, miss: `error: ${(error as Error).message}` })
      continue
    }
    const t2 = process.hrtime.bigint()
    daemonNs += t1 - t0
    previewNs += t2 - t1
    // byte for byte: libvirt's formatting too (attribute order, quotes, layout), not only the canonical form; a miss
    // shows the first canonical difference, or the first line apart when only the text differs
    if (stored === got) { results.push({ name: c.name, exact: true }); continue }
    const expected = pretty(stored)
    const predicted = pretty(got)
    results.push({ name: c.name, exact: false, miss: expected !== predicted ? firstDifference(expected, predicted) : `text: ${firstDifference(stored, got)}` })
  }
  const n = BigInt(Math.max(1, results.length))
  return { results, refused, refusals, restarts, previewMicros: Number(previewNs / n) / 1e3, daemonMicros: Number(daemonNs / n) / 1e3 }
}

/** The QEMU binary a domain's text names (`<emulator>`'s text, whatever attributes an edit gave it), if any. */
export function emulatorNamedIn(xml: string): string | undefined {
  return /<emulator\b[^>]*>([^<]*)<\/emulator>/.exec(xml)?.[1]
}

/**
 * The QEMU binaries of the sandbox host that a domain may name: /usr/bin's, and the one it names when that exists as
 * libvirtd sees it (a relative path from its working directory, /).
 */
export function sandboxEmulators(xml: string): string[] {
  const named = emulatorNamedIn(xml)
  const binaries = readdirSync(`${liveRoot()}/usr/bin`).filter((f) => f.startsWith('qemu-system-')).map((f) => `/usr/bin/${f}`)
  return named !== undefined && named !== '' && existsSync(liveRoot() + resolve('/', named)) ? [...binaries, named] : binaries
}

const swtpmOf = new Map<string, readonly ('1.2' | '2.0')[] | null>()

/**
 * The TPM versions the live host's swtpm offers, as libvirtd asks it (`swtpm_setup --print-capabilities`: `tpm-1.2`,
 * `tpm-2.0`), read once a host; `null` without swtpm.
 */
export function sandboxSwtpm(): readonly ('1.2' | '2.0')[] | null {
  const root = liveRoot()
  if (!swtpmOf.has(root)) {
    let found: readonly ('1.2' | '2.0')[] | null
    try {
      const { features } = JSON.parse(root === '' ? execFileSync('swtpm_setup', ['--print-capabilities'], { encoding: 'utf8', timeout: 30_000 }) : execFileSync('chroot', [root, 'swtpm_setup', '--print-capabilities'], { encoding: 'utf8', timeout: 30_000 })) as { features?: string[] }
      found = (['1.2', '2.0'] as const).filter((v) => features?.includes(`tpm-${v}`))
    } catch { found = null }
    swtpmOf.set(root, found)
  }
  return swtpmOf.get(root)!
}

/**
 * Whether the live host has QEMU's RDP server helper where libvirtd looks for it (qemuRdpAvailable: `qemu-rdp` in its
 * PATH, as a daemon started from a root shell has it).
 */
export function sandboxQemuRdp(): boolean {
  return ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((dir) => existsSync(`${liveRoot()}${dir}/qemu-rdp`))
}

const hostCpuBitsOf = new Map<string, number | undefined>()

/** The host CPU's physical address bits the live libvirtd reports (`virsh capabilities`), read once a host; none without it. */
export function sandboxHostCpuAddressBits(): number | undefined {
  const root = liveRoot()
  if (!hostCpuBitsOf.has(root)) {
    let text = ''
    try { text = execFileSync('virsh', ['-c', liveUri(), 'capabilities'], { encoding: 'utf8', timeout: 60_000 }) } catch { /* no daemon: none */ }
    const bits = /<host>[\s\S]*?<cpu>[\s\S]*?<maxphysaddr [^>]*bits='(\d+)'[\s\S]*?<\/cpu>/.exec(text)?.[1]
    hostCpuBitsOf.set(root, bits === undefined ? undefined : Number(bits))
  }
  return hostCpuBitsOf.get(root)
}

export function virshDomcaps(): string {
  return execFileSync('virsh', ['-c', liveUri(), 'domcapabilities', '--virttype', 'qemu', '--arch', 'x86_64', '--machine', 'q35'], { encoding: 'utf8', timeout: 60_000 })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv.slice(2).find((a) => /^[0-9]+$/.test(a)) ?? 200)
  const corpus = process.argv.includes('--corpus') ? corpusCases(process.env.VIRTUNED_CORPUS ?? join(new URL('..', import.meta.url).pathname, '../shared/corpus')) : []
  const host = parseDomainCapabilities(virshDomcaps(), 'libvirtd')
  const caps = parseQemuCaps(cachedCaps('/usr/bin/qemu-system-x86_64').text)
  const conn = await createConnection(liveUri())
  let current = conn
  try {
    // (libvirtd died: its start.sh brings it back — the sandbox's keeps the caller's holder)
    const { results, refused, restarts, previewMicros, daemonMicros } = await runOracle(conn, [...composedCases(count, host), ...corpus], caps, async () => (current = await startLive()), sandboxQemuConf())
    if (corpus.length > 0) console.log(`corpus: ${corpus.length} x86_64 domains tried, ${refused} refused by libvirtd; restarts of the daemon: ${restarts}`)
    const exact = results.filter((r) => r.exact).length
    console.log(`preview vs libvirtd ${caps.libvirtVersion ?? ''}: ${exact} / ${results.length} exact (${(exact * 100 / results.length).toFixed(1)} %)`)
    console.log(`per domain: preview ${previewMicros.toFixed(0)} µs, define + dumpxml --inactive + undefine ${daemonMicros.toFixed(0)} µs (${(daemonMicros / previewMicros).toFixed(0)}×)`)
    if (process.argv.includes('--misses')) {
      const byMiss = new Map<string, number>()
      for (const r of results) if (!r.exact) byMiss.set(r.miss!, (byMiss.get(r.miss!) ?? 0) + 1)
      for (const [miss, n] of [...byMiss].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${String(n).padStart(4)}  ${miss}`)
    }
  } finally {
    await current.close().catch(() => undefined)
  }
}

/**
 * Start the sandbox libvirtd (as the holder `env` names: see tools/libvirt-sandbox) and connect to it: the
 * connection, the host's domain capabilities and its x86_64 QEMU capabilities cache — what every live oracle
 * test begins with.
 */
export async function openSandbox(env: NodeJS.ProcessEnv): Promise<{ conn: LibvirtConnection; host: HostCapabilities; caps: QemuCaps }> {
  execFileSync('bash', [join(sandboxScripts, 'start.sh')], { stdio: 'pipe', env, timeout: 120_000 })
  const conn = await createConnection('qemu:///system')
  return { conn, host: parseDomainCapabilities(virshDomcaps(), 'libvirtd'), caps: parseQemuCaps(cachedCaps('/usr/bin/qemu-system-x86_64').text) }
}
