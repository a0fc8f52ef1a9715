// `virtuned preview` (issue 19): the domain as libvirt stores it, from a QEMU capabilities file;
// one file to stdout or -o, several with --output-dir, --json, --explain, and typed refusals.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { previewDomain } from '@virtuned/preview'
import { run } from '../src/index.ts'
import { memoryIo } from './_io.ts'
import { capsXml } from '../../preview/test/_caps.ts'

const caps = capsXml()
const domain = (name: string, machine = 'q35') => `<domain type='qemu'><name>${name}</name><memory unit='KiB'>1048576</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='${machine}'>hvm</type></os><devices><disk type='file' device='disk'><source file='/i/${name}.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>`

describe('virtuned preview', () => {
  it('prints what previewDomain predicts, and explains it on stderr', async () => {
    const io = memoryIo({ 'a.xml': domain('a'), 'caps.xml': caps })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml', '--explain'], io)).toBe(0)
    const expected = previewDomain(domain('a'), { qemuCaps: caps })
    expect(io.out).toBe(expected.xml)
    // libvirt's q35 additions are there: the canonical machine and its PCIe root.
    expect(io.out).toContain("machine='pc-q35-9.9'")
    expect(io.out).toContain("model='pcie-root'")
    expect(expected.explanation.length).toBeGreaterThan(0)
    for (const e of expected.explanation) expect(io.err).toContain(`${e.rule}: `)
  })

  it('writes several domains with --output-dir, and gives JSON with --json', async () => {
    const io = memoryIo({ 'a.xml': domain('a'), 'b.xml': domain('b', 'pc'), 'caps.xml': caps })
    expect(await run(['preview', 'a.xml', 'b.xml', '--qemucaps', 'caps.xml', '--output-dir', 'out'], io)).toBe(0)
    expect(Object.keys(io.written).sort()).toEqual(['out/a.xml', 'out/b.xml'])
    expect(io.written['out/b.xml']).toContain("machine='pc-i440fx-9.9'")
    const json = memoryIo({ 'a.xml': domain('a'), 'caps.xml': caps })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml', '--json'], json)).toBe(0)
    const parsed = JSON.parse(json.out) as { file: string; xml: string; explanation: unknown[]; notPredicted: unknown[] }
    expect(parsed.file).toBe('a.xml')
    expect(parsed.xml).toBe(previewDomain(domain('a'), { qemuCaps: caps }).xml)
  })

  it('previews many files as previewDomain does each, in their order, reporting the ones that fail beside the others', async () => {
    // (more than the files read and previewed together, with a missing, a malformed and a refused one among them)
    const files: Record<string, string> = { 'caps.xml': caps }
    const names: string[] = []
    for (let i = 0; i < 150; i++) {
      const name = `d${i}.xml`
      names.push(name)
      if (i === 70) continue
      files[name] = i === 3 ? '<domain><name>x' : i === 100 ? domain(`d${i}`).replace("machine='q35'", "machine='nope'") : domain(`d${i}`, i % 2 ? 'pc' : 'q35')
    }
    const io = memoryIo(files)
    expect(await run(['preview', ...names, '--qemucaps', 'caps.xml', '--output-dir', 'out'], io)).toBe(2)
    expect(Object.keys(io.written).length).toBe(147)
    for (const [i, name] of names.entries()) {
      if (i === 3 || i === 70 || i === 100) expect(io.written[`out/${name}`]).toBeUndefined()
      else expect(io.written[`out/${name}`]).toBe(previewDomain(files[name]!, { qemuCaps: caps }).xml)
    }
    expect(io.err.split('\n').filter((l) => /^d[0-9]+\.xml/.test(l)).map((l) => l.split(':')[0])).toEqual(['d3.xml', 'd70.xml', 'd100.xml'])
    // (the malformed one in libvirt's words: its code after the first line, the text's line and the pointer below it as they are)
    // (libvirt 11.3's frame for the text virsh define sends: the capabilities say 11.3)
    expect(io.err).toContain("d3.xml:1:16: at line 1: Premature end of data in tag name line 1 [preview-malformed-xml]\n<domain><name>x\n---------------^\n")
    expect(io.err).toMatch(/^d100\.xml: .*\[preview-[a-z-]+\]$/m)
    const json = memoryIo(files)
    expect(await run(['preview', ...names, '--qemucaps', 'caps.xml', '--json'], json)).toBe(2)
    const parsed = JSON.parse(json.out) as { file: string; xml?: string; error?: { code: string } }[]
    expect(parsed.map((p) => p.file)).toEqual(names)
    expect(parsed.filter((p) => p.error).map((p) => p.file)).toEqual(['d3.xml', 'd70.xml', 'd100.xml'])
    expect(parsed[149]!.xml).toBe(previewDomain(files['d149.xml']!, { qemuCaps: caps }).xml)
  })

  it('keeps graphics passwords only with --security-info, as `virsh dumpxml --security-info`', async () => {
    const locked = domain('a').replace('</devices>', "<graphics type='vnc' passwd='s3cret'/></devices>")
    const plain = memoryIo({ 'a.xml': locked, 'caps.xml': caps })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml'], plain)).toBe(0)
    expect(plain.out).not.toContain('s3cret')
    const secure = memoryIo({ 'a.xml': locked, 'caps.xml': caps })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml', '--security-info'], secure)).toBe(0)
    expect(secure.out).toContain("passwd='s3cret'")
  })

  it('refuses a file that is not <qemuCaps>, another arch and an unknown machine with one typed line each', async () => {
    const notCaps = memoryIo({ 'a.xml': domain('a'), 'caps.xml': domain('x') })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml'], notCaps)).toBe(2)
    expect(notCaps.err).toMatch(/preview-not-qemucaps/)
    // (the capabilities file is the one named, not `virtuned`)
    expect(notCaps.err).toMatch(/^caps\.xml:\d+:\d+: /)
    expect(notCaps.out).toBe('')
    const arm = memoryIo({ 'a.xml': domain('a'), 'caps.xml': capsXml({ arch: 'aarch64', machines: "<machine type='tcg' name='virt-9.9' alias='virt' defaultCPU='cortex-a15-arm-cpu'/>" }) })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml'], arm)).toBe(2)
    expect(arm.err).toMatch(/preview-arch-mismatch/)
    const unknown = memoryIo({ 'a.xml': domain('a', 'pc-q35-1.0-nonexistent'), 'caps.xml': caps })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml'], unknown)).toBe(2)
    expect(unknown.err).toMatch(/preview-unknown-machine/)
    expect(unknown.err.trim().split('\n')[0]).toMatch(/^a\.xml/)
  })

  it('refuses what libvirt refuses with its words and the attribute\'s path, in text and in --json', async () => {
    const bad = domain('a').replace('<devices>', "<devices><controller type='pci' index='x' model='pcie-root'/>")
    const text = memoryIo({ 'a.xml': bad, 'caps.xml': caps })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml'], text)).toBe(2)
    expect(text.err.split('\n')[0]).toBe("a.xml: Invalid value for attribute 'index' in element 'controller': 'x'. Expected integer value (at domain/devices/controller[1]/@index) [preview-invalid-value]")
    const json = memoryIo({ 'a.xml': bad, 'caps.xml': caps })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml', '--json'], json)).toBe(2)
    expect(JSON.parse(json.out)).toEqual({ file: 'a.xml', error: { code: 'preview-invalid-value', message: "Invalid value for attribute 'index' in element 'controller': 'x'. Expected integer value", path: 'domain/devices/controller[1]/@index' } })
  })

  it('reads QEMU firmware descriptors from --firmware-dir as libvirt does (first directory wins; an empty file hides one)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtuned-fw-'))
    try {
      const descriptor = (code: string) => JSON.stringify({ 'interface-types': ['uefi'], mapping: { device: 'flash', mode: 'split', executable: { filename: code, format: 'raw' }, 'nvram-template': { filename: '/fw/VARS.fd', format: 'raw' } }, targets: [{ architecture: 'x86_64', machines: ['pc-q35-*'] }], features: [] })
      for (const d of ['etc', 'usr']) mkdirSync(join(dir, d))
      writeFileSync(join(dir, 'usr/50-ovmf.json'), descriptor('/fw/usr_CODE.fd'))
      writeFileSync(join(dir, 'etc/50-ovmf.json'), descriptor('/fw/etc_CODE.fd'))
      // (UEFI on x86 needs ACPI: libvirt refuses a UEFI domain without <acpi/>)
      const efi = domain('e').replace('<os>', "<os firmware='efi'>").replace('</os>', '</os><features><acpi/></features>')
      const io = memoryIo({ 'e.xml': efi, 'caps.xml': caps })
      expect(await run(['preview', 'e.xml', '--qemucaps', 'caps.xml', '--firmware-dir', join(dir, 'etc'), '--firmware-dir', join(dir, 'usr')], io)).toBe(0)
      expect(io.out).toContain('/fw/etc_CODE.fd</loader>')
      writeFileSync(join(dir, 'etc/50-ovmf.json'), '')
      const hidden = memoryIo({ 'e.xml': efi, 'caps.xml': caps })
      expect(await run(['preview', 'e.xml', '--qemucaps', 'caps.xml', '--firmware-dir', join(dir, 'etc'), '--firmware-dir', join(dir, 'usr')], hidden)).toBe(0)
      // (no descriptor left: a loaded definition keeps the request, its image raw — qemuDomainDefFirmwarePostParse)
      expect(hidden.out).not.toContain('_CODE.fd')
      expect(hidden.out).toContain("<loader format='raw'/>")
      const missing = memoryIo({ 'e.xml': efi, 'caps.xml': caps })
      expect(await run(['preview', 'e.xml', '--qemucaps', 'caps.xml', '--firmware-dir', join(dir, 'nothing')], missing)).toBe(2)
      expect(missing.err).toMatch(/--firmware-dir/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reads the host\'s PCI devices from --host-pci (laid out as /sys/bus/pci/devices): pSeries host devices of two IOMMU groups on two new PHBs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtuned-pci-'))
    try {
      // (the kernel's listing: <address>/iommu_group a link to its group, <address>/config its config space; other entries are passed over)
      for (const [group, address] of [['3', '0000:01:00.0'], ['4', '0000:02:00.0']] as const) {
        mkdirSync(join(dir, address), { recursive: true })
        symlinkSync(`../../../kernel/iommu_groups/${group}`, join(dir, address, 'iommu_group'))
        writeFileSync(join(dir, address, 'config'), new Uint8Array(256))
        writeFileSync(join(dir, address, 'vendor'), '0x8086\n')
        writeFileSync(join(dir, address, 'device'), '0x10c9\n')
      }
      mkdirSync(join(dir, 'not-a-device'))
      const ppcCaps = capsXml({ arch: 'ppc64', flags: ['spapr-pci-host-bridge', 'vfio-pci'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes'/>" })
      const hostdev = (bus: number) => `<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' bus='${bus}' slot='0' function='0'/></source></hostdev>`
      const ppc = `<domain type='qemu'><name>p</name><memory>1048576</memory><os><type arch='ppc64' machine='pseries'>hvm</type></os><devices>${hostdev(1)}${hostdev(2)}</devices></domain>`
      const io = memoryIo({ 'p.xml': ppc, 'caps.xml': ppcCaps })
      expect(await run(['preview', 'p.xml', '--qemucaps', 'caps.xml', '--host-pci', dir], io)).toBe(0)
      expect(io.out).toBe(previewDomain(ppc, { qemuCaps: ppcCaps, hostPciDevices: { '0000:01:00.0': { iommuGroup: 3, pcie: false }, '0000:02:00.0': { iommuGroup: 4, pcie: false } } }).xml)
      expect(io.out).toContain("<controller type='pci' index='2' model='pci-root'>")
      const missing = memoryIo({ 'p.xml': ppc, 'caps.xml': ppcCaps })
      expect(await run(['preview', 'p.xml', '--qemucaps', 'caps.xml', '--host-pci', join(dir, 'nothing')], missing)).toBe(2)
      expect(missing.err).toMatch(/--host-pci/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("checks an emulated TPM against the host's swtpm given with --swtpm (versions, or none); a bad list is a usage error", async () => {
    const tpm = domain('t').replace('</devices>', "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm></devices>")
    const offered = memoryIo({ 't.xml': tpm, 'caps.xml': caps })
    expect(await run(['preview', 't.xml', '--qemucaps', 'caps.xml', '--swtpm', '1.2,2.0'], offered)).toBe(0)
    expect(offered.out).toBe(previewDomain(tpm, { qemuCaps: caps, swtpm: ['1.2', '2.0'] }).xml)
    for (const swtpm of ['1.2', 'none']) {
      const refused = memoryIo({ 't.xml': tpm, 'caps.xml': caps })
      expect(await run(['preview', 't.xml', '--qemucaps', 'caps.xml', '--swtpm', swtpm], refused)).toBe(2)
      expect(refused.err).toContain("TPM version '2.0' is not supported")
    }
    const bad = memoryIo({ 't.xml': tpm, 'caps.xml': caps })
    expect(await run(['preview', 't.xml', '--qemucaps', 'caps.xml', '--swtpm', '2'], bad)).toBe(2)
    expect(bad.err).toMatch(/--swtpm/)
  })

  it("checks an RDP display against the host's qemu-rdp given with --qemu-rdp (libvirt 11); a bad value is a usage error", async () => {
    const rdp = domain('r').replace('</devices>', "<graphics type='rdp'/></devices>")
    const withDbus = caps
    const has = memoryIo({ 'r.xml': rdp, 'caps.xml': withDbus })
    expect(await run(['preview', 'r.xml', '--qemucaps', 'caps.xml', '--qemu-rdp', 'yes'], has)).toBe(0)
    expect(has.out).toBe(previewDomain(rdp, { qemuCaps: withDbus, qemuRdp: true }).xml)
    const lacks = memoryIo({ 'r.xml': rdp, 'caps.xml': withDbus })
    expect(await run(['preview', 'r.xml', '--qemucaps', 'caps.xml', '--qemu-rdp', 'no'], lacks)).toBe(2)
    expect(lacks.err).toContain('rdp graphics are not supported with this QEMU')
    const bad = memoryIo({ 'r.xml': rdp, 'caps.xml': withDbus })
    expect(await run(['preview', 'r.xml', '--qemucaps', 'caps.xml', '--qemu-rdp', 'maybe'], bad)).toBe(2)
    expect(bad.err).toMatch(/--qemu-rdp/)
  })

  it('refuses an <emulator> the host lacks, given the host\'s with --host-emulator, in libvirt\'s words', async () => {
    const named = domain('e').replace('<devices>', '<devices><emulator>/opt/qemu/bin/qemu-system-x86_64</emulator>')
    const lacks = memoryIo({ 'e.xml': named, 'caps.xml': caps })
    expect(await run(['preview', 'e.xml', '--qemucaps', 'caps.xml', '--host-emulator', '/usr/bin/qemu-system-x86_64'], lacks)).toBe(2)
    expect(lacks.err).toContain('Cannot check QEMU binary /opt/qemu/bin/qemu-system-x86_64: No such file or directory')
    const has = memoryIo({ 'e.xml': named, 'caps.xml': caps })
    expect(await run(['preview', 'e.xml', '--qemucaps', 'caps.xml', '--host-emulator', '/usr/bin/qemu-system-x86_64', '--host-emulator', '/opt/qemu/bin/qemu-system-x86_64'], has)).toBe(0)
  })

  it("holds emulated CPU address bits to the host CPU's given with --host-cpu-bits; a bad count is a usage error", async () => {
    const cpu = domain('c').replace('<vcpu>1</vcpu>', "<vcpu>1</vcpu><cpu><model>qemu64</model><maxphysaddr mode='emulate' bits='50'/></cpu>")
    const fits = memoryIo({ 'c.xml': cpu, 'caps.xml': caps })
    expect(await run(['preview', 'c.xml', '--qemucaps', 'caps.xml', '--host-cpu-bits', '52'], fits)).toBe(0)
    expect(fits.out).toBe(previewDomain(cpu, { qemuCaps: caps, hostCpuAddressBits: 52 }).xml)
    const over = memoryIo({ 'c.xml': cpu, 'caps.xml': caps })
    expect(await run(['preview', 'c.xml', '--qemucaps', 'caps.xml', '--host-cpu-bits', '46'], over)).toBe(2)
    expect(over.err).toContain('The number of virtual CPU address bits cannot exceed the number supported by the host CPU')
    const bad = memoryIo({ 'c.xml': cpu, 'caps.xml': caps })
    expect(await run(['preview', 'c.xml', '--qemucaps', 'caps.xml', '--host-cpu-bits', '4x'], bad)).toBe(2)
    expect(bad.err).toMatch(/--host-cpu-bits/)
  })

  it('reads the host\'s qemu.conf with --qemu-conf, and names its line on a bad one', async () => {
    const labelled = domain('a', 'pc').replace('</devices>', "</devices><seclabel type='dynamic' relabel='yes'/>")
    const io = memoryIo({ 'a.xml': labelled, 'caps.xml': caps, 'qemu.conf': '# the sandbox\nuser = "root"\nsecurity_driver = [ "apparmor" ]\n' })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml', '--qemu-conf', 'qemu.conf'], io)).toBe(0)
    expect(io.out).toBe(previewDomain(labelled, { qemuCaps: caps, qemuConf: { securityDriver: ['apparmor'] } }).xml)
    expect(io.out).toContain("model='apparmor'")
    // without it the label's model is the host's business: left as written
    const without = memoryIo({ 'a.xml': labelled, 'caps.xml': caps })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml'], without)).toBe(0)
    expect(without.out).not.toContain('apparmor')
    const bad = memoryIo({ 'a.xml': labelled, 'caps.xml': caps, 'qemu.conf': 'user = "root"\nnographics_allow_host_audio = "yes"\n' })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml', '--qemu-conf', 'qemu.conf'], bad)).toBe(2)
    expect(bad.err.split('\n')[0]).toMatch(/^qemu\.conf:2:31: .*nographics_allow_host_audio.*\[preview-qemu-conf-value\]$/)
    expect(bad.out).toBe('')
    const syntax = memoryIo({ 'a.xml': labelled, 'caps.xml': caps, 'qemu.conf': 'security_driver "none"\n' })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml', '--qemu-conf', 'qemu.conf'], syntax)).toBe(2)
    expect(syntax.err).toMatch(/^qemu\.conf:1:17: .*\[preview-qemu-conf-syntax\]/)
  })

  it('asks for --qemucaps, and for --output-dir with several files', async () => {
    const io = memoryIo({ 'a.xml': domain('a') })
    expect(await run(['preview', 'a.xml'], io)).toBe(2)
    expect(io.err).toMatch(/--qemucaps/)
    const many = memoryIo({ 'a.xml': domain('a'), 'b.xml': domain('b'), 'caps.xml': caps })
    expect(await run(['preview', 'a.xml', 'b.xml', '--qemucaps', 'caps.xml'], many)).toBe(2)
    expect(many.err).toMatch(/--output-dir/)
  })

  it("gives a domain naming no arch the host's with --host-arch, and refuses an arch libvirt does not name", async () => {
    const noArch = domain('a').replace(" arch='x86_64'", '')
    const arm = capsXml({ arch: 'aarch64', flags: [], machines: "<machine type='tcg' name='virt-9.9' alias='virt'/>" })
    const io = memoryIo({ 'a.xml': noArch.replace("machine='q35'", "machine='virt'"), 'caps.xml': arm })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml', '--host-arch', 'x86_64'], io)).toBe(2)
    expect(io.err.split('\n')[0]).toMatch(/expected capabilities for the host's arch `x86_64`.*\[preview-arch-mismatch\]$/)
    const bad = memoryIo({ 'a.xml': noArch, 'caps.xml': caps })
    expect(await run(['preview', 'a.xml', '--qemucaps', 'caps.xml', '--host-arch', 'amd64'], bad)).toBe(2)
    expect(bad.err).toMatch(/--host-arch `amd64`/)
  })
})
