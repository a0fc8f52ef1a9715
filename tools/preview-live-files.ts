// Domain XML written elsewhere — by other tools, other drivers' converters, libvirt's other test suites — defined on the
// sandbox libvirtd beside @virtuned/preview (issue 19): each `<domain>` of the files and directories given is retargeted
// to the sandbox's host (QEMU's TCG, or the domain type `--type` names; the host's emulator for the domain's arch; a
// name of its own, and a UUID when it has none — libvirt would make up a random one), defined, read back with `dumpxml --inactive` and undefined; preview, given the daemon's own
// capabilities cache for that emulator, the sandbox's qemu.conf and its firmware descriptors, must print the same document byte for byte, or
// refuse in the daemon's words.
//   npx tsx --conditions=@virtuned/source tools/preview-live-files.ts PATH... [--arch A,B] [--type kvm] [--split] [--any-machine] [--keep DIR]
// --arch: the domain arches tried (default x86_64,i686; a domain naming none is x86_64; an arch without a capabilities
// cache on the host is skipped); --split: every <domain> of a file (virt-install's test outputs hold two); --keep: the
// inputs apart or refused by one side only, with both documents; --any-machine: versioned and vendor machine types
// (`pc-i440fx-rhel7.1.0`, `pseries-rhel8.2.0`) become their family's alias, so definitions from other hosts are tried. Needs root and the sandbox running; a daemon that dies
// on a domain is brought back (tools/libvirt-sandbox/start.sh) and counted. With VIRTUNED_LIVE_ROOT=/opt/virtuned/libvirt-trixie,
// the daemon asked is libvirt 11.3's in that chroot (tools/libvirt-trixie), with its host's capabilities, qemu.conf and firmware. Exits 1 when any domain is apart or refused
// by one side or in other words.
import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { createConnection } from '@virtuned/libvirt-adapter'
import { parseQemuCaps, type QemuCaps } from '@virtuned/preview'
import { cachedCaps, compareLive, emulatorOf, liveUri, lost, startLive, domainsInFile, onSandboxHost, sandboxFirmware, sandboxHostArch, sandboxQemuConf, withIdentity, xmlFilesIn } from './preview-oracle.ts'
import { toolArgs } from './args.ts'

const { values, positionals } = toolArgs('preview-live-files', {
  allowPositionals: true,
  options: { arch: { type: 'string', default: 'x86_64,i686' }, type: { type: 'string', default: 'qemu' }, split: { type: 'boolean', default: false }, keep: { type: 'string' }, 'any-machine': { type: 'boolean', default: false } },
})
if (positionals.length === 0) {
  console.error('preview-live-files: give the domain XML files or directories to try (see the header)')
  process.exit(2)
}
const arches = new Set(values.arch.split(','))
const qemuConf = sandboxQemuConf()
// (the firmware descriptors the daemon reads, for <os firmware> and manual loaders)
const firmware = sandboxFirmware()
const capsByEmulator = new Map<string, QemuCaps | undefined>()
function capsOf(emulator: string): QemuCaps | undefined {
  if (!capsByEmulator.has(emulator)) {
    let caps: QemuCaps | undefined
    try { caps = parseQemuCaps(cachedCaps(emulator).text) } catch { caps = undefined }
    capsByEmulator.set(emulator, caps)
  }
  return capsByEmulator.get(emulator)
}

const archOf = (xml: string): string => /<type[^>]*\barch=['"]([^'"]+)['"]/.exec(xml)?.[1] ?? 'x86_64'

/** This run's own range of numbers for the identities withIdentity makes up (its UUIDs take them whole). */
const runOffset = (process.pid % 0x10000) * 0x1000000

/** The domain on the sandbox's host: onSandboxHost, a name and identities of its own; `undefined` when its arch is not tried. */
function retarget(xml: string, n: number): string | undefined {
  const arch = archOf(xml)
  if (!arches.has(arch) || capsOf(emulatorOf(arch)) === undefined) return undefined
  let x = onSandboxHost(xml, arch, { type: values.type, anyMachine: values['any-machine'] })
  // (a name and a made-up UUID of this run's own: two runs at once on the one daemon must not define over each other's domains)
  x = x.replace(/<name>[^<]*<\/name>/, `<name>vt-live-${process.pid}-${n}</name>`)
  // (what libvirt would make up at random — a UUID, MAC addresses, Open vSwitch interface IDs — given: withIdentity)
  return withIdentity(x, runOffset + n)
}


const tally = { same: 0, apart: 0, bothRefused: 0, otherWords: 0, daemonOnly: 0, previewOnly: 0, skipped: 0, died: 0 }
const keep = (name: string, files: Record<string, string>): void => {
  if (!values.keep) return
  mkdirSync(values.keep, { recursive: true })
  const base = basename(name).replace('#', '-')
  for (const [suffix, text] of Object.entries(files)) writeFileSync(join(values.keep, base + suffix), text)
}
let conn = await createConnection(liveUri())
let n = 0
try {
  for (const { name, xml: written } of positionals.flatMap(xmlFilesIn).flatMap((f) => domainsInFile(f, values.split))) {
    const xml = retarget(written, n++)
    if (xml === undefined) { tally.skipped++; continue }
    let found: Awaited<ReturnType<typeof compareLive>>
    try {
      found = await compareLive(conn, xml, { qemuCaps: capsOf(emulatorOf(archOf(xml)))!, abiUpdate: true, qemuConf, firmware, hostArch: sandboxHostArch })
    } catch (error) {
      if (!lost(error)) throw error
      tally.died++; console.log(`DIED ${name} (libvirtd brought back)`); conn = await startLive(); continue
    }
    const { outcome, daemon, preview } = found
    tally[outcome]++
    if (outcome === 'same' || outcome === 'bothRefused') continue
    if (outcome === 'apart') {
      const a = daemon.split('\n')
      const b = preview.split('\n')
      let i = 0
      while (a[i] === b[i]) i++
      console.log(`APART ${name}: line ${i + 1}: ${a[i]} | ${b[i]}`)
      keep(name, { '': xml, '.daemon': daemon, '.preview': preview })
    } else if (outcome === 'otherWords') {
      console.log(`WORDS ${name}:\n   daemon: ${daemon}\n  preview: ${preview}`)
    } else if (outcome === 'daemonOnly') {
      console.log(`DAEMON-ONLY ${name}: ${daemon}`)
      keep(name, { '': xml, '.preview': preview })
    } else {
      console.log(`PREVIEW-ONLY ${name}: ${preview}`)
      keep(name, { '': xml, '.daemon': daemon })
    }
  }
} finally {
  await conn.close().catch(() => undefined)
}
console.log(JSON.stringify(tally))
process.exit(tally.apart + tally.otherWords + tally.daemonOnly + tally.previewOnly > 0 ? 1 : 0)
