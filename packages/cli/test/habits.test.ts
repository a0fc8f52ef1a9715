// Issue 18: a CLI that virt-install and virt-xml users can trust — right XML or a clear refusal.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { run } from '../src/index.ts'
import { diskKeys, nicKeys } from '../src/device-options.ts'
import { memoryIo } from './_io.ts'


async function cli(args: string[], files: Record<string, string> = {}): Promise<{ code: number; out: string; err: string; written: Record<string, string> }> {
  const io = memoryIo(files)
  const code = await run(args, io)
  return { code, out: io.out, err: io.err, written: io.written }
}

const live = "<domain type='kvm'><name>live</name><metadata><libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'><libosinfo:os id='http://debian.org/debian/11'/></libosinfo:libosinfo></metadata><os><type machine='q35'>hvm</type></os><devices><controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-root-port'/><disk type='file'><source file='/i/a'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk></devices></domain>"
const base = ['new', '--os', 'debian11', '--name', 'w']

describe('item 1: --memory as virt-install reads it', () => {
  it('reads a bare number as MiB (2048 → 2 GiB), not bytes', async () => {
    const r = await cli([...base, '--memory', '2048'])
    expect(r.code).toBe(0)
    expect(r.out).toContain("<memory unit='KiB'>2097152</memory>")
  })

  it('reads 2GiB as 1024³ and 2GB as 1000³ bytes', async () => {
    expect((await cli([...base, '--memory', '2GiB'])).out).toContain("<memory unit='KiB'>2097152</memory>")
    expect((await cli([...base, '--memory', '2GB'])).out).toContain("<memory unit='KiB'>1953125</memory>")
  })

  it('refuses a guest below 64 MiB (exit 2), from flags and from a spec file', async () => {
    const r = await cli([...base, '--memory', '16'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('Unexpected --memory `16` (16777216 bytes), expected at least 64 MiB')
    const spec = await cli(['new', '--spec', 's.yaml'], { 's.yaml': 'name: w\nmemory: 2048\nvcpus: 1\n' })
    expect(spec.code).toBe(2)
    expect(spec.err).toContain('s.yaml: memory `2048`')
    expect(spec.err).toContain('A number in a spec file is bytes')
  })

  it('says so in --help: bare MiB, and 2GB vs 2GiB', async () => {
    const r = await cli(['new', '--help'])
    expect(r.out).toMatch(/a bare number is MiB/)
    expect(r.out).toMatch(/2GB is 2·1000³ bytes, 2GiB is 2·1024³/)
  })
})

describe('item 2: disk buses', () => {
  it('--disk size=5G,bus=scsi writes a target dev and a virtio-scsi controller', async () => {
    const r = await cli([...base, '--memory', '2GiB', '--disk', 'size=5G,bus=scsi', '--disk', 'size=1G,bus=sata'])
    expect(r.code).toBe(0)
    expect(r.out).toContain("<target dev='sda' bus='scsi'/>")
    expect(r.out).toContain("<target dev='sdb' bus='sata'/>")
    expect(r.out).toContain("<controller type='scsi' index='0' model='virtio-scsi'/>")
    expect(r.out).not.toMatch(/<target bus='[a-z]+'\/>/)
  })

  it('refuses bus=ide on q35 with a clear error (exit 2)', async () => {
    const r = await cli([...base, '--memory', '2GiB', '--disk', 'size=1G,bus=ide'])
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err).toContain('Unexpected bus=ide for disk hda: the q35 machine has no IDE controller')
    expect(r.err).toContain('hint: Use bus=sata')
  })
})

describe('item 7: --nic user and --nic bridge=', () => {
  it('plan-attach --nic user is a user interface; --nic bridge=br0 a bridge with its source', async () => {
    const user = await cli(['plan-attach', 'live.xml', '--nic', 'user', '--seed', 's'], { 'live.xml': live })
    expect(user.code).toBe(0)
    expect(user.out).toContain("<interface type='user'>")
    expect(user.out).not.toContain('<source')
    const bridge = await cli(['plan-attach', 'live.xml', '--nic', 'bridge=br0', '--seed', 's'], { 'live.xml': live })
    expect(bridge.code).toBe(0)
    expect(bridge.out).toContain("<interface type='bridge'>")
    expect(bridge.out).toContain("<source bridge='br0'/>")
    const network = await cli(['plan-attach', 'live.xml', '--nic', 'network=default,model=e1000e', '--seed', 's'], { 'live.xml': live })
    expect(network.out).toContain("<source network='default'/>")
    expect(network.out).toContain("<model type='e1000e'/>")
  })

  it('new takes the same --nic forms', async () => {
    const r = await cli([...base, '--memory', '2GiB', '--nic', 'user', '--nic', 'bridge=br0'])
    expect(r.code).toBe(0)
    expect(r.out).toContain("<interface type='user'>")
    expect(r.out).toContain("<interface type='bridge'>\n      <source bridge='br0'/>")
  })
})

describe('item 8: CD-ROM format, unknown --nic keys', () => {
  it('a CD-ROM gets a raw driver, in new and in plan-attach', async () => {
    const r = await cli([...base, '--memory', '2GiB', '--disk', 'path=/x.iso,device=cdrom'])
    expect(r.code).toBe(0)
    expect(r.out).toContain("<disk type='file' device='cdrom'>\n      <driver type='raw'/>")
    const p = await cli(['plan-attach', 'live.xml', '--disk', '/x.iso,device=cdrom,bus=scsi', '--seed', 's'], { 'live.xml': live })
    expect(p.out).toContain("<driver type='raw'/>")
    expect(p.out).not.toContain('qcow2')
  })

  it('refuses an unknown --nic key as it refuses an unknown --disk key, naming the nearest', async () => {
    const nic = await cli([...base, '--memory', '2GiB', '--nic', 'network=default,modle=e1000e'])
    expect(nic.code).toBe(2)
    expect(nic.err).toContain('Unexpected --nic key `modle`, did you mean `model`?')
    const disk = await cli([...base, '--memory', '2GiB', '--disk', 'size=1G,buss=sata'])
    expect(disk.code).toBe(2)
    expect(disk.err).toContain('Unexpected --disk key `buss`, did you mean `bus`?')
    const attach = await cli(['plan-attach', 'live.xml', '--nic', 'network=default,mca=52:54:00:00:00:01'], { 'live.xml': live })
    expect(attach.code).toBe(2)
    expect(attach.err).toContain('did you mean `mac`?')
  })
})

describe('item 9: one device syntax for new, plan-attach and attach', () => {
  it('plan-attach takes virt-install keys (path=, bus=, serial=, cache=, target=) and the bare path', async () => {
    const r = await cli(['plan-attach', 'live.xml', '--disk', 'path=/vm/b.qcow2,bus=scsi,serial=data1,cache=none,target=sdc', '--seed', 's'], { 'live.xml': live })
    expect(r.code).toBe(0)
    expect(r.out).toContain("<driver type='qcow2' cache='none'")
    expect(r.out).toContain("<target dev='sdc' bus='scsi'/>")
    expect(r.out).toContain('<serial>data1</serial>')
    const bare = await cli(['plan-attach', 'live.xml', '--disk', '/vm/c.img', '--seed', 's'], { 'live.xml': live })
    expect(bare.out).toContain("<driver type='raw'/>")
    expect(bare.out).toContain("<source file='/vm/c.img'/>")
  })

  it('lists every key of both options in the help of new, plan-attach and attach', async () => {
    for (const command of ['new', 'plan-attach', 'attach']) {
      const help = (await cli([command, '--help'])).out
      for (const k of [...diskKeys, ...nicKeys]) expect(help, `${command} --help lists ${k.key}=`).toContain(`${k.key}=`)
    }
  })

  it('refuses a relative path and a key without a value', async () => {
    expect((await cli(['plan-attach', 'live.xml', '--disk', 'data.qcow2'], { 'live.xml': live })).err).toContain('expected an absolute path')
    expect((await cli([...base, '--memory', '2GiB', '--disk', 'size=1G,readonly'])).err).toContain('Unexpected `readonly` in --disk, expected KEY=VALUE')
  })
})

describe('item 11: diff and patch', () => {
  const a = "<domain type='kvm'><name>a</name><devices><disk type='file'><source file='/i/a'/><target dev='vda' bus='virtio'/></disk></devices></domain>"
  const b = "<domain type='kvm'><name>a</name><devices><interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/></interface></devices></domain>"

  it('diff prints a unified diff of the two domains in libvirt layout (exit 1)', async () => {
    const r = await cli(['diff', 'a.xml', 'b.xml'], { 'a.xml': a, 'b.xml': b })
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^--- a\.xml\n\+\+\+ b\.xml\n@@ /)
    expect(r.out).toContain("-    <disk type='file'>\n-      <source file='/i/a'/>")
    expect(r.out).toContain("+    <interface type='network'>")
    const same = await cli(['diff', 'a.xml', 'a.xml'], { 'a.xml': a })
    expect(same).toMatchObject({ code: 0, out: '' })
  })

  it('diff --json gives the ops with the inserted and the removed XML', async () => {
    const r = await cli(['diff', 'a.xml', 'b.xml', '--json'], { 'a.xml': a, 'b.xml': b })
    const ops = JSON.parse(r.out).ops
    expect(ops).toContainEqual({ op: 'remove', path: "/domain/devices/disk[target/@dev='vda']", removed: "<disk type='file'><source file='/i/a'/><target dev='vda' bus='virtio'/></disk>" })
    expect(ops).toContainEqual(expect.objectContaining({ op: 'insert', xml: "<interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/></interface>" }))
    // The patch still applies as printed.
    const p = await cli(['patch', 'a.xml', 'p.json'], { 'a.xml': a, 'p.json': r.out })
    expect(p.code).toBe(0)
    expect(p.out).toContain("<source network='default'/>")
  })

  it('patch names the failing operation counted from 1, and the missing sibling', async () => {
    const patch = { format: 'virtuned-patch/1', ops: [{ op: 'set-text', path: '/domain/name', value: 'b', from: 'a' }, { op: 'insert', path: '/domain/devices', after: "controller[@type='pci'][@index='9']", xml: "<watchdog model='itco'/>", as: "watchdog[@model='itco']" }] }
    const r = await cli(['patch', 'a.xml', 'p.json'], { 'a.xml': a, 'p.json': JSON.stringify(patch) })
    expect(r.code).toBe(2)
    expect(r.err).toContain("p.json: Operation 2 of 2: no sibling `controller[@type='pci'][@index='9']` under `/domain/devices` to insert after")
    expect(r.err).toContain('[patch-target-missing]')
  })
})

describe('item 13: match with controllers written without index', () => {
  it("assigns libvirt's indexes (per type, document order) instead of reporting them ambiguous", async () => {
    const before = "<domain><devices><controller type='pci' model='pcie-root'/>" + "<controller type='pci' model='pcie-root-port'/>".repeat(14) + "<controller type='usb' model='qemu-xhci'/></devices></domain>"
    const after = "<domain><devices>" + Array.from({ length: 15 }, (_, i) => `<controller type='pci' index='${i}' model='${i === 0 ? 'pcie-root' : 'pcie-root-port'}'/>`).join('') + "<controller type='usb' index='0' model='qemu-xhci'/></devices></domain>"
    const r = await cli(['match', 'before.xml', 'after.xml'], { 'before.xml': before, 'after.xml': after })
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).not.toContain('ambiguous')
    expect(r.out.split('\n').filter((l) => l.startsWith('same'))).toHaveLength(16)
    expect(r.out).toContain("same     controller[@type='pci'][@index='14'] (by key)")
  })
})

describe('item 14: plan-detach refuses what libvirt refuses to unplug (exit 1 with the reason)', () => {
  const domain = "<domain type='kvm'><name>d</name><os><type machine='q35'>hvm</type></os><devices><controller type='pci' index='1' model='pcie-root-port'><alias name='pci.1'/></controller><disk type='file'><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/><address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></disk><disk type='file' device='cdrom'><target dev='sda' bus='sata'/><alias name='sata0-0-0'/></disk><video><model type='vga'/><alias name='video0'/></video></devices></domain>"
  for (const [selector, words] of [[['--alias', 'video0'], 'the primary video device'], [['--disk', 'sda'], 'SATA CD-ROM drive, which QEMU cannot unplug'], [['--alias', 'pci.1'], 'in use by virtio-disk0']] as const) {
    it(`${selector.join(' ')}: ${words}`, async () => {
      const r = await cli(['plan-detach', 'live.xml', ...selector], { 'live.xml': domain })
      expect(r.code).toBe(1)
      expect(r.out).toBe('')
      expect(r.err).toContain(`live.xml: `)
      expect(r.err).toContain(words)
    })
  }
  it('still plans a virtio disk', async () => {
    expect(await cli(['plan-detach', 'live.xml', '--disk', 'vda'], { 'live.xml': domain })).toMatchObject({ code: 0, out: 'virtio-disk0\n' })
  })
})

describe('item 15: conversions leave no whitespace-only lines', () => {
  it('apply --convert empties <video> of its i440fx address as <video/>', async () => {
    const pc = `<domain type='kvm'>
  <name>old</name>
  <memory unit='KiB'>1048576</memory>
  <os>
    <type arch='x86_64' machine='pc-i440fx-6.2'>hvm</type>
  </os>
  <devices>
    <video>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
    </video>
  </devices>
</domain>
`
    const r = await cli(['apply', 'pc.xml', '--defaults', '--os', 'debian11', '--policy', 'pcie', '--convert'], { 'pc.xml': pc })
    expect(r.code, r.err).toBe(0)
    expect(r.out).not.toMatch(/^[ \t]+$/m)
    expect(r.out).toContain('<video')
  })
})

describe('item 17: messages', () => {
  it('no `undefined:` prefix for plan-attach --disk /x --bus sata', async () => {
    const r = await cli(['plan-attach', 'live.xml', '--disk', '/x', '--bus', 'sata'], { 'live.xml': live })
    expect(r.code).toBe(1)
    expect(r.err).not.toContain('undefined')
    expect(r.err).toMatch(/^live\.xml: Unexpected bus `sata` for a hot-plugged disk/)
  })

  it('unknown options in our words, with the nearest option of that command', async () => {
    const r = await cli(['new', '--nmae', 'x'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('virtuned: Unexpected option `--nmae` for `virtuned new`, did you mean `--name`?')
    expect(r.err).not.toContain('To specify a positional argument')
    expect((await cli(['fmt', '--chek', 'x'])).err).toContain('did you mean `--check`?')
    expect((await cli(['new', '--os'])).err).toContain('Expected a value after `--os`')
    expect((await cli(['match', '--json=yes', 'a', 'b'])).err).toContain('Unexpected value for `--json`, which takes none')
  })

  it('an unknown command names the nearest one', async () => {
    const r = await cli(['nwe'])
    expect(r.code).toBe(2)
    expect(r.err.split('\n')[0]).toBe('virtuned: Unexpected command `nwe`, did you mean `new`?')
  })

  it('the policy parameter hint uses the real syntax name:param=value', async () => {
    const r = await cli([...base, '--memory', '2GiB', '--policy', 'hotplug-ready:ports=lots'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('Unexpected `lots` for hotplug-ready:ports, expected an integer')
    expect(r.err).toContain('--policy name:param=value')
    expect(r.err).not.toContain('name.param=value')
  })

  it('validate --schema-dir DIR without libvirt schemas is an error (exit 2)', async () => {
    const r = await cli(['validate', '--schema-dir', '/nonexistent', 'live.xml'], { 'live.xml': live })
    expect(r.code).toBe(2)
    expect(r.err).toContain('Unexpected --schema-dir `/nonexistent`: no such directory')
    expect(r.out).toBe('')
  })

  it('"not applied" reasons that are true', async () => {
    const r = await cli([...base, '--memory', '2GiB', '--explain'])
    expect(r.err).toContain('firmware-efi (debian11 supports EFI but does not require it)')
    expect(r.err).toContain('disk-bus (the domain has no disks)')
    expect(r.err).not.toContain('debian11 firmware is efi')
    expect(r.err).not.toContain('every device already has the value')
  })

  it('a limit error from apply FILE names the file (issue 16 leftover)', async () => {
    const disks = Array.from({ length: 1025 }, (_, i) => `<disk type='file'><source file='/i/${i}'/></disk>\n`).join('')
    const r = await cli(['apply', 'big.xml', '--defaults'], { 'big.xml': `<domain type='kvm'>\n<name>b</name>\n<devices>\n${disks}</devices>\n</domain>\n` })
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/^big\.xml:1028:1: Unexpected `<disk>` number 1025/)
    expect(r.err).not.toContain('virtuned:1028')
  })

  it('plan problems are printed through printable() (no terminal escapes from the input)', async () => {
    // U+009B is CSI on an 8-bit terminal, and legal in XML and in an argument.
    const r = await cli(['plan-detach', 'live.xml', '--alias', 'nope\u009b2J'], { 'live.xml': live })
    expect(r.code).toBe(1)
    expect(r.err).toContain('No device matches')
    expect(r.err).not.toMatch(/\u009b/)
  })
})

describe('item 18: docs agree with the program', () => {
  it('new --connect is in --help, and the help names only options the command takes', async () => {
    const { commandFlags } = await import('../src/flags.ts')
    expect((await cli(['new', '--help'])).out).toContain('--connect URI')
    for (const [command, flags] of Object.entries(commandFlags)) {
      // Quoted examples of other commands (`virtuned diff --json`) name their options, not this one's.
      // Quoted examples of other commands and tools (`virtuned diff --json`, `virt-xml --convert-to-q35`) are not this one's options.
      const help = (await cli([command, '--help'])).out.replace(/`(virtuned ([a-z-]+)|virt-[a-z]+|virsh)[^`]*`/g, (quoted, _tool: string, other: string | undefined) => (other === command ? quoted : ''))
      const named = [...new Set(help.match(/(?<![\w-])--[a-z][a-z0-9-]*/g) ?? [])].filter((f) => f !== '--help')
      for (const flag of named) expect(flags, `${command} --help names ${flag}`).toContain(flag)
    }
  })

  it('every option completion offers is one the command takes', async () => {
    const { commandFlags } = await import('../src/flags.ts')
    for (const [command, flags] of Object.entries(commandFlags)) {
      for (const flag of flags) {
        // The probe after the flag is unknown to every command: the parser stops there (or at the flag's missing value), never at the flag.
        const r = await cli([command, flag, '--zz-probe'])
        expect(r.err, `virtuned ${command} ${flag}`).not.toContain(`Unexpected option \`${flag}\``)
      }
    }
  })

  it('completion offers subcommands, OS ids, policy names and per-command options', async () => {
    const r = await cli(['completion', 'bash'])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/--os\) COMPREPLY=\( \$\(compgen -W "[^"]*\bdebian11\b/)
    expect(r.out).toMatch(/--policy\) COMPREPLY=\( \$\(compgen -W "[^"]*\bhotplug-ready\b/)
    expect(r.out).toContain('defaults) opts="--json --help"; words="list show os"')
    expect(r.out).toMatch(/ new\) opts="[^"]*--connect/)
    // match takes only --json: nothing else is offered for it.
    expect(r.out).toContain('match) opts="--json --help"')
  })
})

describe('item 18: the READMEs say what the program does', () => {
  const root = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
  const own = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

  it('policy conflicts exit 2, as both READMEs say', async () => {
    const i440fx = "<domain type='kvm'><name>g</name><memory unit='KiB'>1048576</memory><os><type arch='x86_64' machine='pc-i440fx-6.2'>hvm</type></os></domain>"
    const r = await cli(['apply', 'g.xml', '--defaults', '--policy', 'pcie'], { 'g.xml': i440fx })
    expect(r.code).toBe(2)
    expect(root).toMatch(/2 usage\s+or input errors and policy conflicts/)
    expect(root).not.toMatch(/1 findings \([^)]*conflicts/)
    expect(own).toContain('0; 2 on conflicts')
  })

  it('the CLI README documents the device keys, --memory units and writes', () => {
    for (const k of [...diskKeys, ...nicKeys]) expect(own, k.key).toMatch(new RegExp(`[\`,]${k.key.replace('.', '\\.')}=`))
    expect(own).toContain('a bare number is MiB')
    expect(own).not.toMatch(/never writes files/i)
    expect(own).toMatch(/Writes only with `--in-place`, `-o` or\s+`--output-dir`/)
  })
})

describe('issue 18 through the built binary (bin/virtuned.js)', () => {
  const bin = new URL('../bin/virtuned.js', import.meta.url).pathname
  const built = existsSync(new URL('../dist/index.js', import.meta.url))
  const virtuned = (args: string[], input?: string) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', ...(input === undefined ? {} : { input }) })
  const skip = !built && process.env.CI !== 'true'

  it.skipIf(skip)('new --memory 2048 is 2 GiB; an unknown --nic key exits 2 naming the nearest', () => {
    const ok = virtuned(['new', '--os', 'debian11', '--name', 'w', '--memory', '2048', '--nic', 'user', '--disk', 'size=5G,bus=scsi'])
    expect(ok.status, ok.stderr).toBe(0)
    expect(ok.stdout).toContain("<memory unit='KiB'>2097152</memory>")
    expect(ok.stdout).toContain("<interface type='user'>")
    expect(ok.stdout).toMatch(/dev='sda'/)
    const bad = virtuned(['new', '--os', 'debian11', '--name', 'w', '--nic', 'network=default,modle=e1000e'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('Unexpected --nic key `modle`, did you mean `model`?')
    const flag = virtuned(['new', '--nmae', 'w'])
    expect(flag.status).toBe(2)
    expect(flag.stderr.split('\n')[0]).toBe('virtuned: Unexpected option `--nmae` for `virtuned new`, did you mean `--name`?')
  })

  it.skipIf(skip)('`defaults os | head -1` ends quietly (exit 0, nothing on stderr)', () => {
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${bin}" defaults os | head -1`], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout.split('\n')).toHaveLength(2)
  })

  it.skipIf(skip)('fmt --in-place FILE rewrites that one file; fmt --check exits 1 when a file would change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtuned-fmt-'))
    try {
      const file = join(dir, 'a.xml')
      writeFileSync(file, '<domain type="kvm"><name>x</name></domain>')
      expect(virtuned(['fmt', '--check', file]).status).toBe(1)
      const r = virtuned(['fmt', '--in-place', file])
      expect(r.status, r.stderr).toBe(0)
      expect(readFileSync(file, 'utf8')).toBe("<domain type='kvm'>\n  <name>x</name>\n</domain>\n")
      expect(virtuned(['fmt', '--check', file]).status).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.skipIf(skip)('plan-detach of the primary video exits 1 with the reason; diff prints a unified diff', () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtuned-detach-'))
    try {
      const file = join(dir, 'live.xml')
      writeFileSync(file, "<domain type='kvm'><name>d</name><devices><video><model type='vga'/><alias name='video0'/></video></devices></domain>")
      const r = virtuned(['plan-detach', file, '--alias', 'video0'])
      expect(r.status).toBe(1)
      expect(r.stderr).toContain(`${file}: video0 is the primary video device`)
      const other = join(dir, 'other.xml')
      writeFileSync(other, "<domain type='kvm'><name>e</name><devices><video><model type='vga'/><alias name='video0'/></video></devices></domain>")
      const d = virtuned(['diff', file, other])
      expect(d.status).toBe(1)
      expect(d.stdout).toContain('-  <name>d</name>\n+  <name>e</name>')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('item 9: --controller and --hostdev for hot-plug, as virt-install takes them', () => {
  it('plan-attach --hostdev takes a PCI address, a node device, a USB bus.device and vendor:product', async () => {
    const pci = await cli(['plan-attach', 'live.xml', '--hostdev', '0000:01:00.0', '--seed', 's'], { 'live.xml': live })
    expect(pci.code, pci.err).toBe(0)
    expect(pci.out).toContain("<hostdev mode='subsystem' type='pci' managed='yes'>\n  <source>\n    <address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>")
    const nodedev = await cli(['plan-attach', 'live.xml', '--hostdev', 'pci_0000_02_1b_3,managed=no', '--seed', 's'], { 'live.xml': live })
    expect(nodedev.out).toContain("<hostdev mode='subsystem' type='pci' managed='no'>")
    expect(nodedev.out).toContain("<address domain='0x0000' bus='0x02' slot='0x1b' function='0x3'/>")
    const usb = await cli(['plan-attach', 'live.xml', '--hostdev', '001.003', '--seed', 's'], { 'live.xml': live })
    expect(usb.out).toContain("<address bus='1' device='3'/>")
    const ids = await cli(['plan-attach', 'live.xml', '--hostdev', '0x046D:0xC52B', '--seed', 's'], { 'live.xml': live })
    expect(ids.out).toContain("<vendor id='0x046d'/>\n    <product id='0xc52b'/>")
  })

  it('plan-attach --controller takes type=, model=, index= and virt-install\'s usb3', async () => {
    const scsi = await cli(['plan-attach', 'live.xml', '--controller', 'type=scsi,model=virtio-scsi,index=1', '--seed', 's'], { 'live.xml': live })
    expect(scsi.code, scsi.err).toBe(0)
    expect(scsi.out).toContain("<controller type='scsi' index='1' model='virtio-scsi'>")
    expect((await cli(['plan-attach', 'live.xml', '--controller', 'usb3', '--seed', 's'], { 'live.xml': live })).out).toContain("<controller type='usb' model='qemu-xhci'>")
  })

  it('refuses unknown keys and devices, and two device options at once', async () => {
    expect((await cli(['plan-attach', 'live.xml', '--hostdev', '01:00.0,manged=no'], { 'live.xml': live })).err).toContain('Unexpected --hostdev key `manged`, did you mean `managed`?')
    expect((await cli(['plan-attach', 'live.xml', '--hostdev', 'eth0'], { 'live.xml': live })).err).toContain('Unexpected --hostdev `eth0`, expected a PCI address')
    expect((await cli(['plan-attach', 'live.xml', '--controller', 'type=scsy'], { 'live.xml': live })).err).toContain('did you mean `scsi`?')
    const both = await cli(['plan-attach', 'live.xml', '--disk', '/x.qcow2', '--hostdev', '01:00.0'], { 'live.xml': live })
    expect(both.code).toBe(2)
    expect(both.err).toContain('Unexpected --disk with --hostdev, expected one device')
  })

  it('lists their keys in plan-attach and attach --help', async () => {
    for (const command of ['plan-attach', 'attach']) {
      const help = (await cli([command, '--help'])).out
      expect(help).toContain('--hostdev DEVICE')
      expect(help).toContain('--controller KEY=VALUE')
      expect(help).toContain('managed=yes|no')
    }
  })
})
