// `virtuned preview`: what libvirt will store for a domain (`virsh dumpxml --inactive` after
// `virsh define`), predicted by @virtuned/preview from the host's QEMU capabilities cache file.
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { VirtunedError } from '@virtuned/xml-core'
import { archNames } from '@virtuned/model'
import { parseQemuCaps, parseQemuConf, previewDomains, type PreviewResult, type QemuConf } from '@virtuned/preview'
import type { CommandContext } from './compose-commands.ts'
import { UsageError, aboutFile, printable } from './errors.ts'
import { readFirmwareDirs, systemFirmwareDirs } from './firmware-files.ts'
import { readHostPciDir, systemHostPciDir } from './host-pci.ts'

export const previewHelp = `virtuned preview DOMAIN.xml... --qemucaps FILE [--abi-update] [--security-info] [--libvirt-test-host latest|versioned] [--host-arch ARCH]
                 [--firmware-dir DIR]... [--qemu-conf FILE] [--host-pci DIR] [--swtpm VERSIONS|none] [--qemu-rdp yes|no] [--host-cpu-bits N] [--host-emulator PATH]... [--explain] [--json] [-o FILE | --output-dir DIR]

The domain as libvirt stores it after \`virsh define\` (what \`virsh dumpxml --inactive\` prints):
the controllers, devices, models, CPU and addresses libvirt's post-parse adds, in its order and
layout — predicted without a libvirtd, from the host's QEMU capabilities cache file (a host keeps
one per emulator in /var/cache/libvirt/qemu/capabilities/). \`-\` reads the domain from stdin.

  --qemucaps FILE       the host's QEMU capabilities (\`<qemuCaps>\`)
  --abi-update          parse as \`virsh define\` does (USB controller models and addresses may change)
  --security-info       keep graphics passwords, as \`virsh dumpxml --security-info\` does
  --libvirt-test-host   reproduce the host libvirt's qemuxmlconftest simulates (\`latest\`: machine aliases stripped)
  --host-arch ARCH      the host's architecture (\`x86_64\`, \`aarch64\`…), which libvirt gives a domain naming none
                        (default: the capabilities' when they show the host's KVM, else not predicted)
  --firmware-dir DIR    QEMU firmware descriptors for \`<os firmware='efi'>\` (repeatable, first wins; default
                        libvirt's: ~/.config/qemu/firmware, /etc/qemu/firmware, /usr/share/qemu/firmware)
  --qemu-conf FILE      the host's qemu.conf (e.g. /etc/libvirt/qemu.conf): its settings that act on define
                        (security_driver, nographics_allow_host_audio, vnc_allow_host_audio, nvram, spice_tls)
  --host-pci DIR        the host's PCI devices, laid out as /sys/bus/pci/devices (the default, when it exists): whether
                        each is PCI Express and its IOMMU group, which place host devices (pSeries: a PHB per group)
  --swtpm VERSIONS      the TPM versions the host's swtpm offers (\`1.2,2.0\`, \`2.0\`; \`none\` without swtpm), which
                        libvirt checks an emulated TPM against (\`virsh domcapabilities\` lists them under <tpm>)
  --qemu-rdp yes|no     whether the host has QEMU's RDP server helper (qemu-rdp in libvirtd's PATH), without which
                        libvirt 11 offers no RDP graphics
  --host-cpu-bits N     the host CPU's physical address bits (\`virsh capabilities\`: <maxphysaddr bits>), which
                        libvirt holds an emulated CPU's <maxphysaddr mode='emulate' bits> to
  --host-emulator PATH  a QEMU binary the host has (repeatable): given, a domain naming another <emulator> is refused
                        as libvirt refuses it (\`ls /usr/bin/qemu-system-*\` on the host, and any other it runs)
  --explain             each node libvirt adds or changes, with the libvirt rule (on stderr, or stdout with -o)
  --json                { xml, explanation, notPredicted } (an array for several files)
  -o FILE               write the XML there (one domain); --output-dir DIR writes DIR/NAME.xml per input
`

/** How many files are read and previewed together (their texts and trees held at once). */
const filesPerRound = 64

export async function previewCommand(context: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { qemucaps: { type: 'string' }, 'firmware-dir': { type: 'string', multiple: true }, 'qemu-conf': { type: 'string' }, 'host-pci': { type: 'string' }, swtpm: { type: 'string' }, 'qemu-rdp': { type: 'string' }, 'host-cpu-bits': { type: 'string' }, 'host-emulator': { type: 'string', multiple: true }, 'abi-update': { type: 'boolean' }, 'security-info': { type: 'boolean' }, 'libvirt-test-host': { type: 'string' }, 'host-arch': { type: 'string' }, explain: { type: 'boolean' }, json: { type: 'boolean' }, output: { type: 'string', short: 'o' }, 'output-dir': { type: 'string' } },
  })
  if (positionals.length === 0) throw new UsageError('Expected at least one DOMAIN.xml (or - for stdin)', 'Example: virtuned preview vm.xml --qemucaps /var/cache/libvirt/qemu/capabilities/<hash>.xml')
  if (values.qemucaps === undefined) throw new UsageError('Expected --qemucaps FILE: the host\'s QEMU capabilities cache', 'A host keeps one per emulator in /var/cache/libvirt/qemu/capabilities/ (the file naming your emulator in <emulator>).')
  const testHost = values['libvirt-test-host']
  if (testHost !== undefined && testHost !== 'latest' && testHost !== 'versioned') throw new UsageError(`Unexpected --libvirt-test-host \`${testHost}\`, expected latest or versioned`)
  const hostArch = values['host-arch']
  if (hostArch !== undefined && !archNames.has(hostArch)) throw new UsageError(`Unexpected --host-arch \`${hostArch}\`, expected an architecture by libvirt's name`, 'e.g. x86_64, aarch64, s390x, ppc64le (what `uname -m` says on the host)')
  if (positionals.length > 1 && values.output !== undefined) throw new UsageError('-o FILE is for one domain; write several with --output-dir DIR')
  if (positionals.length > 1 && values['output-dir'] === undefined && !values.json) throw new UsageError('Previewing several domains needs --output-dir DIR (or --json)')
  if (values.output !== undefined && values['output-dir'] !== undefined) throw new UsageError('Give -o FILE or --output-dir DIR, not both')
  // Read and checked once; a file that is not <qemuCaps> is refused before any domain is read.
  const capsText = await context.read(values.qemucaps, 'document')
  const qemuCaps = aboutFile(values.qemucaps, () => parseQemuCaps(capsText))
  const firmwareDirs = values['firmware-dir']
  const firmware = readFirmwareDirs(firmwareDirs ?? systemFirmwareDirs(), firmwareDirs !== undefined)
  const qemuConf = await qemuConfOption(context, values['qemu-conf'])
  // (the test host has its own: libvirt's tests' PCI devices, which preview knows)
  const swtpm = swtpmOption(values.swtpm)
  const qemuRdp = values['qemu-rdp']
  if (qemuRdp !== undefined && qemuRdp !== 'yes' && qemuRdp !== 'no') throw new UsageError(`Unexpected --qemu-rdp \`${qemuRdp}\`, expected yes or no`, 'Whether the host has QEMU\'s RDP server helper: `command -v qemu-rdp` (or qemu.conf\'s qemu_rdp_name) on the host.')
  const cpuBits = values['host-cpu-bits']
  if (cpuBits !== undefined && !/^\d{1,3}$/.test(cpuBits)) throw new UsageError(`Unexpected --host-cpu-bits \`${cpuBits}\`, expected a number of bits`, 'What `virsh capabilities` shows on the host as <host><cpu><maxphysaddr bits>, e.g. --host-cpu-bits 46.')
  const hostPciDevices = testHost !== undefined && values['host-pci'] === undefined ? undefined : readHostPciDir(values['host-pci'] ?? systemHostPciDir, values['host-pci'] !== undefined)
  const options = { qemuCaps, firmware, ...(qemuConf ? { qemuConf } : {}), ...(values['abi-update'] ? { abiUpdate: true } : {}), ...(values['security-info'] ? { securityInfo: true } : {}), ...(testHost ? { testHost: testHost as 'latest' | 'versioned' } : {}), ...(hostArch !== undefined ? { hostArch } : {}), ...(hostPciDevices !== undefined ? { hostPciDevices } : {}), ...(swtpm !== undefined ? { swtpm } : {}), ...(qemuRdp !== undefined ? { qemuRdp: qemuRdp === 'yes' } : {}), ...(cpuBits !== undefined ? { hostCpuAddressBits: Number(cpuBits) } : {}), ...(values['host-emulator'] !== undefined ? { hostEmulators: values['host-emulator'] } : {}) }
  const outputs = new Map<string, string>()
  const results: { file: string; result?: PreviewResult; error?: { code: string; message: string; path?: string; line?: number; column?: number } }[] = []
  let failed = 0
  // (the files a few dozen at a time: read, then previewed together — previewDomains takes them through libvirt's rules
  // together, at less time per domain than one call each — then written or reported in their order)
  for (let start = 0; start < positionals.length; start += filesPerRound) {
    const files = positionals.slice(start, start + filesPerRound)
    const inputs: ({ readonly xml: string | Uint8Array } | { readonly error: unknown })[] = []
    for (const file of files) {
      try { inputs.push({ xml: await context.read(file) }) } catch (error) { inputs.push({ error }) }
    }
    const outcomes = previewDomains(inputs.flatMap((input) => ('xml' in input ? [input.xml] : [])), options)
    let next = 0
    for (let i = 0; i < files.length; i++) {
      const file = files[i]!
      const input = inputs[i]!
      try {
        if ('error' in input) throw input.error
        const outcome = outcomes[next++]!
        if (outcome.status === 'rejected') throw outcome.reason
        const result = outcome.value
        results.push({ file, result })
        if (values['output-dir'] !== undefined) {
          const target = join(values['output-dir'], basename(file === '-' ? 'stdin.xml' : file))
          const earlier = outputs.get(target)
          if (earlier !== undefined) throw new UsageError(`Unexpected two inputs for ${target}: ${earlier} and ${file}`, 'Give inputs with different file names, or run them separately.')
          outputs.set(target, file)
          await context.io.writeFileAtomic(target, result.xml, file === '-' ? {} : { modeFrom: file })
        }
      } catch (error) {
        if (!(error instanceof VirtunedError) || error instanceof UsageError) throw error
        failed++
        const path = (error as { path?: unknown }).path
        const place = error.place
        results.push({ file, error: { code: error.code, message: error.message, ...(typeof path === 'string' ? { path } : {}), ...(place ? { line: place.line, column: place.column } : {}) } })
        if (!values.json) context.report(file, error)
      }
    }
  }
  if (values.json) {
    const plain = results.map((r) => (r.result ? { file: r.file, xml: r.result.xml, explanation: r.result.explanation, notPredicted: r.result.notPredicted } : { file: r.file, error: r.error }))
    context.io.stdout(JSON.stringify(positionals.length === 1 ? plain[0] : plain, null, 2) + '\n')
    return failed > 0 ? 2 : 0
  }
  if (values['output-dir'] === undefined && results[0]?.result) {
    const { xml } = results[0].result
    if (values.output === undefined || values.output === '-') context.io.stdout(xml)
    else await context.io.writeFileAtomic(values.output, xml, positionals[0] === '-' ? {} : { modeFrom: positionals[0]! })
  }
  if (values.explain) {
    const print = (line: string) => (values.output === undefined ? context.io.stderr(line) : context.io.stdout(line))
    for (const r of results) {
      if (!r.result) continue
      if (positionals.length > 1) print(`${printable(r.file)}:\n`)
      for (const e of r.result.explanation) print(`  ${printable(e.path)}  ${e.rule}: ${printable(e.why)}\n`)
      for (const n of r.result.notPredicted) print(`  not predicted: ${printable(n.path)}: ${printable(n.reason)}\n`)
    }
  }
  return failed > 0 ? 2 : 0
}

/** `--swtpm 1.2,2.0` / `2.0` / `none`: the TPM versions the host's swtpm offers, or no swtpm (`null`). */
function swtpmOption(value: string | undefined): ('1.2' | '2.0')[] | null | undefined {
  if (value === undefined) return undefined
  if (value === 'none') return null
  const versions = value.split(',').map((v) => v.trim())
  if (versions.some((v) => v !== '1.2' && v !== '2.0')) throw new UsageError(`Unexpected --swtpm \`${value}\`, expected TPM versions (1.2, 2.0, comma-separated) or none`, 'What `virsh domcapabilities` lists under <tpm><enum name=\'backendVersion\'>, e.g. --swtpm 1.2,2.0; --swtpm none on a host without swtpm.')
  return versions as ('1.2' | '2.0')[]
}

/** `--qemu-conf FILE`: read once, before any domain; a syntax or type error names the file and its line. */
async function qemuConfOption(context: CommandContext, file: string | undefined): Promise<QemuConf | undefined> {
  if (file === undefined) return undefined
  const text = await context.read(file)
  return aboutFile(file, () => parseQemuConf(text))
}
