// Issue 18, items 3, 5, 6, 12 and 16: the domain follows the host's capabilities (virt type, arch),
// hotplug-ready adds ports to a domain whose ports are all in use, VNC conversions keep Windows on
// a video it has a driver for, `apply` converts without `--defaults`, and an installed or named
// osinfo-db is read.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultOsTable } from '@virtuned/defaults'
import { run } from '../src/index.ts'
import { osTableFor } from '../src/osinfo-table.ts'
import { memoryIo } from './_io.ts'

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname

// Domain capabilities as `virsh domcapabilities` prints them, cut to what matters here.
const domcaps = (domain: string, arch: string, machine: string) => `<domainCapabilities>
  <path>/usr/bin/qemu-system-${arch}</path>
  <domain>${domain}</domain>
  <machine>${machine}</machine>
  <arch>${arch}</arch>
  <os supported='yes'><enum name='firmware'><value>efi</value></enum></os>
  <cpu>
    <mode name='host-passthrough' supported='${domain === 'kvm' ? 'yes' : 'no'}'/>
    <mode name='maximum' supported='yes'/>
    <mode name='host-model' supported='${domain === 'kvm' ? 'yes' : 'no'}'/>
  </cpu>
  <devices>
    <disk supported='yes'><enum name='bus'><value>virtio</value><value>sata</value></enum></disk>
    <graphics supported='yes'><enum name='type'><value>vnc</value><value>spice</value></enum></graphics>
    <video supported='yes'><enum name='modelType'><value>vga</value><value>virtio</value><value>qxl</value><value>bochs</value></enum></video>
  </devices>
</domainCapabilities>`

describe('item 3: the virt type and arch follow the host', () => {
  it('TCG capabilities give <domain type=\'qemu\'> with the maximum CPU', async () => {
    const io = memoryIo({ 'tcg.xml': domcaps('qemu', 'x86_64', 'pc-q35-10.0') })
    expect(await run(['new', '--os', 'debian11', '--name', 't', '--memory', '1GiB', '--domcaps', 'tcg.xml'], io)).toBe(0)
    expect(io.out).toMatch(/^<domain type='qemu'>/)
    expect(io.out).toContain("<cpu mode='maximum'/>")
  })

  it('KVM capabilities still give kvm; --virt-type qemu without capabilities gives qemu and a TCG CPU', async () => {
    const kvm = memoryIo({ 'kvm.xml': domcaps('kvm', 'x86_64', 'pc-q35-10.0') })
    expect(await run(['new', '--os', 'debian11', '--name', 't', '--memory', '1GiB', '--domcaps', 'kvm.xml'], kvm)).toBe(0)
    expect(kvm.out).toMatch(/^<domain type='kvm'>/)
    const tcg = memoryIo()
    expect(await run(['new', '--os', 'debian11', '--name', 't', '--memory', '1GiB', '--virt-type', 'qemu'], tcg)).toBe(0)
    expect(tcg.out).toMatch(/^<domain type='qemu'>/)
    expect(tcg.out).not.toContain('host-model')
    expect(tcg.err).toContain('TCG host')
  })

  it('--virt-type that the capabilities do not describe is refused', async () => {
    const io = memoryIo({ 'tcg.xml': domcaps('qemu', 'x86_64', 'pc-q35-10.0') })
    expect(await run(['new', '--os', 'debian11', '--name', 't', '--memory', '1GiB', '--domcaps', 'tcg.xml', '--virt-type', 'kvm'], io)).toBe(2)
    expect(io.err).toContain('virsh domcapabilities --virttype kvm')
  })

  it('aarch64 capabilities give an aarch64 virt domain (issue 22), with the profile that covers aarch64', async () => {
    const io = memoryIo({ 'arm.xml': domcaps('kvm', 'aarch64', 'virt-8.2') })
    expect(await run(['new', '--os', 'debian11', '--name', 't', '--memory', '1GiB', '--domcaps', 'arm.xml'], io)).toBe(0)
    expect(io.out).toContain("<type arch='aarch64' machine='virt'>hvm</type>")
    expect(io.out).toContain("<cpu mode='host-passthrough'/>")
    expect(io.out).not.toContain('q35')
    expect(io.out).not.toContain("name='pit'")
    expect(io.err).toContain('using profile 2026.12')
  })

  it('--arch must be the capabilities\' architecture (a typed error), and needs capabilities off x86_64', async () => {
    const io = memoryIo({ 'arm.xml': domcaps('kvm', 'aarch64', 'virt-8.2') })
    expect(await run(['new', '--os', 'debian11', '--name', 't', '--memory', '1GiB', '--domcaps', 'arm.xml', '--arch', 's390x'], io)).toBe(2)
    expect(io.out).toBe('')
    expect(io.err).toContain('[defaults-arch-mismatch]')
    const spec = memoryIo({ 'arm.xml': domcaps('kvm', 'aarch64', 'virt-8.2'), 's.yaml': 'name: t\nmemory: 1GiB\nos: { arch: ppc64le }\n' })
    expect(await run(['new', '--spec', 's.yaml', '--domcaps', 'arm.xml'], spec)).toBe(2)
    expect(spec.err).toContain('Unexpected architecture `ppc64le` with domain capabilities for aarch64')
    const bad = memoryIo()
    expect(await run(['new', '--name', 't', '--memory', '1GiB', '--arch', 'x.*'], bad)).toBe(2)
    expect(bad.err).toContain('Unexpected --arch `x.*`')
    const flag = memoryIo()
    expect(await run(['new', '--os', 'debian11', '--name', 't', '--memory', '1GiB', '--arch', 'aarch64'], flag)).toBe(2)
    expect(flag.err).toContain('Expected domain capabilities for aarch64')
  })

  it('defaults os names each OS\'s architectures, defaults list each profile\'s (what the refusals\' hints point at)', async () => {
    const os = memoryIo()
    expect(await run(['defaults', 'os', 'fedora37'], os)).toBe(0)
    expect(os.out).toContain('fedora37                 Fedora Linux 37 (aarch64, s390x, x86_64)')
    const list = memoryIo()
    expect(await run(['defaults', 'list'], list)).toBe(0)
    expect(list.out).toContain('  architectures: x86_64, i686, aarch64, s390x, ppc64le, ppc64')
  })

  it('an OS osinfo-db does not publish for the architecture, and a profile without rules for it, are refused', async () => {
    const os = memoryIo({ 'arm.xml': domcaps('qemu', 'aarch64', 'virt-7.2') })
    expect(await run(['new', '--os', 'win10', '--name', 't', '--memory', '1GiB', '--domcaps', 'arm.xml'], os)).toBe(2)
    expect(os.err).toContain('[defaults-os-not-for-arch]')
    expect(os.err).toContain('win10')
    const profile = memoryIo({ 'arm.xml': domcaps('qemu', 'aarch64', 'virt-7.2') })
    expect(await run(['new', '--os', 'debian11', '--name', 't', '--memory', '1GiB', '--domcaps', 'arm.xml', '--profile', '2026.11'], profile)).toBe(2)
    expect(profile.err).toContain('[defaults-profile-not-for-arch]')
  })
})

describe('item 5: hotplug-ready on a domain whose root ports are all in use', () => {
  it('adds free ports, and plan-attach then succeeds', async () => {
    const before = memoryIo()
    expect(await run(['plan-attach', fixture('q35-ports-in-use.xml'), '--disk', '/x.qcow2'], before)).toBe(1)
    const io = memoryIo()
    expect(await run(['apply', fixture('q35-ports-in-use.xml'), '--defaults', '--os', 'debian11', '--policy', 'hotplug-ready:ports=4', '-o', 'out.xml'], io)).toBe(0)
    const out = io.written['out.xml']!
    // 3 ports, each holding a device: 4 spare ones plus one per device the defaults add are new.
    expect(out.match(/model='pcie-root-port'/g)!.length).toBeGreaterThanOrEqual(3 + 4)
    const after = memoryIo({ 'out.xml': out })
    expect(await run(['plan-attach', 'out.xml', '--disk', '/x.qcow2'], after)).toBe(0)
  })
})

describe('item 6: video models after vnc and virtio', () => {
  it('apply WIN10.xml --policy vnc --convert gives VGA, not virtio-gpu', async () => {
    const spice = memoryIo()
    expect(await run(['new', '--os', 'win10', '--name', 'w', '--memory', '4GiB', '--policy', 'spice', '-o', 'w.xml'], spice)).toBe(0)
    expect(spice.written['w.xml']).toContain("<model type='qxl'/>")
    for (const extra of [[], ['--defaults']]) {
      const io = memoryIo({ 'w.xml': spice.written['w.xml']! })
      expect(await run(['apply', 'w.xml', '--policy', 'vnc', '--convert', ...extra], io)).toBe(0)
      expect(io.out).toContain("<graphics type='vnc'")
      expect(io.out).toMatch(/<video>\s*<model type='vga'\/>/)
    }
  })

  it('the virtio policy gives virtio video, also to Windows', async () => {
    const io = memoryIo()
    expect(await run(['new', '--os', 'win10', '--name', 'w', '--memory', '4GiB', '--policy', 'vnc,virtio'], io)).toBe(0)
    expect(io.out).toMatch(/<video>\s*<model type='virtio'\/>/)
    const vnc = memoryIo()
    expect(await run(['new', '--os', 'win10', '--name', 'w', '--memory', '4GiB', '--policy', 'vnc'], vnc)).toBe(0)
    expect(vnc.out).toMatch(/<video>\s*<model type='vga'\/>/)
  })
})

describe('item 12: apply converts without --defaults', () => {
  it('--policy pcie --convert changes the machine and adds nothing else', async () => {
    const io = memoryIo()
    expect(await run(['apply', fixture('i440fx.xml'), '--policy', 'pcie', '--convert'], io)).toBe(0)
    expect(io.out).toContain("machine='q35'")
    // No defaults: no CPU, no RNG, no channels, no root ports.
    expect(io.out).not.toMatch(/<cpu|<rng|<channel|pcie-root-port/)
    const input = readFileSync(fixture('i440fx.xml'), 'utf8')
    expect(io.out).toBe(input.replace("machine='pc-i440fx-7.2'", "machine='q35'"))
  })

  it('says so when a policy asks the defaults for something', async () => {
    const io = memoryIo()
    expect(await run(['apply', fixture('i440fx.xml'), '--policy', 'hotplug-ready', '--convert'], io)).toBe(0)
    expect(io.err).toContain('spareRootPorts')
    expect(io.err).toContain('add --defaults')
  })
})

describe('item 16: osinfo-db', () => {
  const db = mkdtempSync(join(tmpdir(), 'vt-osinfo-'))
  afterAll(() => rmSync(db, { recursive: true, force: true }))
  const os = (vendor: string, file: string, id: string, short: string, name: string, family: string, distro: string, version: string) => {
    mkdirSync(join(db, 'os', vendor), { recursive: true })
    writeFileSync(join(db, 'os', vendor, file), `<?xml version="1.0"?>
<libosinfo version="0.0.1"><os id="${id}"><short-id>${short}</short-id><name>${name}</name><version>${version}</version><family>${family}</family><distro>${distro}</distro>
<resources arch="all"><minimum><ram>1073741824</ram></minimum><recommended><ram>2147483648</ram></recommended></resources></os></libosinfo>`)
  }
  os('debian.org', 'debian-12.xml', 'http://debian.org/debian/12', 'debian12', 'Debian 12', 'linux', 'debian', '12')
  os('ubuntu.com', 'ubuntu-24.04.xml', 'http://ubuntu.com/ubuntu/24.04', 'ubuntu24.04', 'Ubuntu 24.04 LTS', 'linux', 'ubuntu', '24.04')
  os('microsoft.com', 'win-2k25.xml', 'http://microsoft.com/win/2k25', 'win2k25', 'Microsoft Windows Server 2025', 'winnt', 'win', '10.0')
  writeFileSync(join(db, 'VERSION'), '20991231')

  it('--osinfo-db DIR resolves debian12, ubuntu24.04 and win2k25 with no stand-in warning', async () => {
    for (const [id, uri] of [['debian12', 'http://debian.org/debian/12'], ['ubuntu24.04', 'http://ubuntu.com/ubuntu/24.04'], ['win2k25', 'http://microsoft.com/win/2k25']] as const) {
      const io = memoryIo()
      expect(await run(['new', '--os', id, '--name', 'd', '--memory', '2GiB', '--osinfo-db', db], io)).toBe(0)
      expect(io.out).toContain(`<libosinfo:os id="${uri}"/>`)
      expect(io.err).not.toContain('nearest known release')
    }
  })

  it('an installed osinfo-db newer than the built-in table is read; an older one is not', () => {
    expect(osTableFor(undefined, db).source).toBe('osinfo-db 20991231')
    const old = mkdtempSync(join(tmpdir(), 'vt-osinfo-old-'))
    try {
      writeFileSync(join(old, 'VERSION'), '20200101')
      expect(osTableFor(undefined, old)).toBe(defaultOsTable)
      expect(osTableFor(undefined, join(old, 'missing'))).toBe(defaultOsTable)
    } finally {
      rmSync(old, { recursive: true, force: true })
    }
  })

  it('without it, the stand-in warning says what to do', async () => {
    const io = memoryIo()
    // The built-in table stops before debian12 (osinfo-db 20221203); a host with a newer one is tested above.
    if (osTableFor(undefined).entries.some((e) => e.shortId === 'debian12')) return
    expect(await run(['new', '--os', 'debian12', '--name', 'd', '--memory', '2GiB'], io)).toBe(0)
    expect(io.err).toContain('nearest known release')
    expect(io.err).toContain('--osinfo-db DIR')
  })

  it('--osinfo-db that is not a database is an error with its code', async () => {
    const io = memoryIo()
    expect(await run(['new', '--os', 'debian12', '--name', 'd', '--memory', '2GiB', '--osinfo-db', join(db, 'nope')], io)).toBe(2)
    expect(io.err).toContain('[defaults-bad-osinfo]')
  })
})

describe('item 3: a domain whose type differs from the capabilities', () => {
  it('apply keeps the written type and warns, naming the capabilities to give', async () => {
    const io = memoryIo({ 'tcg.xml': domcaps('qemu', 'x86_64', 'pc-q35-10.0') })
    expect(await run(['apply', fixture('i440fx.xml'), '--defaults', '--os', 'debian11', '--domcaps', 'tcg.xml'], io)).toBe(0)
    expect(io.out).toMatch(/^<domain type='kvm'>/)
    expect(io.err).toContain("the domain's type is kvm but the capabilities (tcg.xml) are for qemu")
  })
})

describe('item 3: explain refuses what new and apply refuse', () => {
  it('explain of an x86_64 domain with aarch64 capabilities is the typed arch mismatch', async () => {
    const io = memoryIo({ 'arm.xml': domcaps('kvm', 'aarch64', 'virt-8.2') })
    expect(await run(['explain', fixture('i440fx.xml'), '--domcaps', 'arm.xml'], io)).toBe(2)
    expect(io.err).toContain('Unexpected architecture `x86_64` with domain capabilities for aarch64')
    expect(io.err).toContain('[defaults-arch-mismatch]')
  })
})
