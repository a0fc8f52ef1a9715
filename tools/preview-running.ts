// Preview on the document a user saves from a running guest (issue 19): domains composed by virtuned are defined
// on the sandbox libvirtd and started (TCG; their disks made empty with qemu-img under a scratch directory, NICs on
// user networking, 256 MiB), `virsh dumpxml` prints them while they run (aliases, pty paths, the graphics port, the
// dynamic labels, the domain id…), and they are destroyed and undefined. That live document is then defined again
// and read back with `dumpxml --inactive`; previewDomain given the same document must predict it — or both refuse.
//   npx tsx --conditions=@virtuned/source tools/preview-running.ts [COUNT] [--skip N] [--keep DIR]
// Needs root, qemu-img and the sandbox running (tools/libvirt-sandbox/start.sh). Slow: each guest starts.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toolArgs } from './args.ts'
import { parseDomainCapabilities } from '@virtuned/defaults'
import { canonicalize } from '@virtuned/model'
import { parseQemuCaps, previewDomain } from '@virtuned/preview'
import { cachedCaps, composedCases, sandboxHostArch, sandboxQemuConf, virshDomcaps } from './preview-oracle.ts'

const { values, positionals } = toolArgs('preview-running', { allowPositionals: true, options: { skip: { type: 'string' }, keep: { type: 'string' } } })
const count = Number(positionals[0] ?? 10)
const skip = Number(values.skip ?? 0)
const virsh = (...args: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8' })
const lines = (xml: string) => canonicalize(xml, { comments: false }).replaceAll('><', '>\n<').split('\n')

const host = parseDomainCapabilities(virshDomcaps(), 'libvirtd')
const qemuCaps = parseQemuCaps(cachedCaps('/usr/bin/qemu-system-x86_64').text)
const qemuConf = sandboxQemuConf()
const scratch = mkdtempSync(join(tmpdir(), 'vt-running-'))
if (values.keep) mkdirSync(values.keep, { recursive: true })
let same = 0
let bothRefused = 0
let notStarted = 0
const apart: string[] = []
try {
  for (const c of composedCases(skip + count, host).slice(skip)) {
    // what a guest needs to start here: small memory, disks that exist, user networking (the sandbox has no network)
    let xml = c.xml.replace(/<memory unit='KiB'>\d+<\/memory>/, "<memory unit='KiB'>262144</memory>").replace(/<currentMemory[^<]*<\/currentMemory>/, '')
    xml = xml.replace(/<interface type='network'>([\s\S]*?)<source network='[^']*'\/>/g, "<interface type='user'>$1")
    xml = xml.replaceAll('/var/lib/libvirt/images/', `${scratch}/`)
    for (const m of xml.matchAll(/<source file='([^']+)'/g)) {
      if (!existsSync(m[1]!)) execFileSync('qemu-img', ['create', '-q', '-f', m[1]!.endsWith('.qcow2') ? 'qcow2' : 'raw', m[1]!, '64M'])
    }
    const name = /<name>([^<]*)<\/name>/.exec(xml)![1]!
    const input = join(scratch, `${name}.xml`)
    writeFileSync(input, xml)
    if (virsh('define', input).status !== 0) { notStarted++; continue }
    const started = virsh('start', name)
    if (started.status !== 0) {
      // (QEMU under TCG refuses some Hyper-V enlightenments the composed Windows guests ask for)
      notStarted++
      virsh('undefine', '--nvram', name)
      continue
    }
    const live = virsh('dumpxml', name).stdout
    virsh('destroy', name)
    virsh('undefine', '--nvram', name)
    const liveFile = join(scratch, `${name}.live.xml`)
    writeFileSync(liveFile, live)
    const defined = virsh('define', liveFile)
    let stored: string | undefined
    if (defined.status === 0) {
      stored = virsh('dumpxml', '--inactive', name).stdout
      virsh('undefine', '--nvram', name)
    }
    let predicted: string | undefined
    let refusal: string | undefined
    try { predicted = previewDomain(live, { qemuCaps, abiUpdate: true, qemuConf, hostArch: sandboxHostArch }).xml } catch (error) { refusal = (error as Error).message }
    if (stored === undefined && predicted === undefined) { bothRefused++; continue }
    const a = stored === undefined ? [] : lines(stored)
    const b = predicted === undefined ? [] : lines(predicted)
    const at = stored === undefined || predicted === undefined ? -1 : a.findIndex((l, i) => l !== b[i])
    if (stored !== undefined && predicted !== undefined && at < 0 && a.length === b.length) { same++; continue }
    apart.push(`${name}: ${stored === undefined ? `libvirt refuses (${defined.stderr.trim()}), preview takes` : predicted === undefined ? `libvirt takes, preview refuses: ${refusal}` : `${a[at] ?? ''} | ${b[at] ?? ''}`}`)
    if (values.keep) writeFileSync(join(values.keep, `${name}.live.xml`), live)
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
console.log(`running guests' XML defined again: ${same} the same, ${bothRefused} refused by both, ${apart.length} apart (${notStarted} did not start)`)
for (const line of apart) console.log(`  ${line}`)
process.exitCode = apart.length === 0 ? 0 : 1
