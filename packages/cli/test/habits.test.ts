// Issue 18: a CLI that virt-install and virt-xml users can trust — right XML or a clear refusal.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { run, type CliIo } from '../src/index.ts'
import { diskKeys, nicKeys } from '../src/device-options.ts'
import { nodeIo } from '../src/io.ts'

const real = await nodeIo()

function memoryIo(files: Record<string, string> = {}): CliIo & { out: string; err: string; written: Record<string, string> } {
  const io = {
    out: '',
    err: '',
    written: {} as Record<string, string>,
    writeFileAtomic: async (path: string, content: string) => { io.written[path] = content },
    relaxng: real.relaxng,
    stdout: (text: string) => { io.out += text },
    stderr: (text: string) => { io.err += text },
    readFile: async (path: string) => {
      const content = files[path]
      if (content !== undefined) return new TextEncoder().encode(content)
      return new Uint8Array(readFileSync(path))
    },
    readStdin: async () => new Uint8Array(),
  }
  return io
}

async function cli(args: string[], files: Record<string, string> = {}): Promise<{ code: number; out: string; err: string; written: Record<string, string> }> {
  const io = memoryIo(files)
  const code = await run(args, io)
  return { code, out: io.out, err: io.err, written: io.written }
}

const live = "<domain type='kvm'><name>live</name><os><type machine='q35'>hvm</type></os><devices><controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-root-port'/><disk type='file'><source file='/i/a'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk></devices></domain>"
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
    expect(r.out).toMatch(/<target (bus='scsi' dev='sda'|dev='sda' bus='scsi')\/>/)
    expect(r.out).toMatch(/<target (bus='sata' dev='sdb'|dev='sdb' bus='sata')\/>/)
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
    expect(r.out).toContain("<driver type='qcow2' cache='none'/>")
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
