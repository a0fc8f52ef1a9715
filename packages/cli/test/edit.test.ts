// Issue 18 item 10: `virtuned edit` — virt-xml's verbs on a domain file, in process.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { run, type CliIo } from '../src/index.ts'
import { nodeIo } from '../src/io.ts'

const real = await nodeIo()
const domainFile = new URL('./fixtures/q35-ports-in-use.xml', import.meta.url).pathname
const domain = readFileSync(domainFile, 'utf8')

function memoryIo(files: Record<string, string> = {}, stdin = ''): CliIo & { out: string; err: string; written: Record<string, { content: string; modeFrom?: string }> } {
  const io = {
    out: '', err: '', written: {} as Record<string, { content: string; modeFrom?: string }>,
    writeFileAtomic: async (path: string, content: string, options: { modeFrom?: string | undefined } = {}) => { io.written[path] = { content, ...(options.modeFrom === undefined ? {} : { modeFrom: options.modeFrom }) } },
    relaxng: real.relaxng,
    stdout: (text: string) => { io.out += text },
    stderr: (text: string) => { io.err += text },
    readFile: async (path: string) => files[path] !== undefined ? new TextEncoder().encode(files[path]) : new Uint8Array(readFileSync(path)),
    readStdin: async () => new TextEncoder().encode(stdin),
  }
  return io
}

async function edit(...args: string[]) {
  const io = memoryIo({ 'd.xml': domain })
  const code = await run(['edit', 'd.xml', ...args], io)
  return { code, out: io.out, err: io.err, io }
}

describe('virtuned edit: actions', () => {
  it('--add-device --disk: next free target, printed as XML; the input is unchanged', async () => {
    const r = await edit('--add-device', '--disk', '/var/lib/libvirt/images/data.qcow2')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/<disk type='file' device='disk'>\s*<driver type='qcow2'[^>]*\/>\s*<source file='\/var\/lib\/libvirt\/images\/data.qcow2'\/>\s*<target bus='virtio' dev='vdb'\/>/)
    expect(r.io.written).toEqual({})
  })

  it('--add-device --nic network=…,model=…,mac=…', async () => {
    const r = await edit('--add-device', '--nic', 'network=default,model=e1000e,mac=52:54:00:AA:BB:CC')
    expect(r.code).toBe(0)
    expect(r.out.match(/<interface /g)).toHaveLength(2)
    expect(r.out).toContain("<mac address='52:54:00:aa:bb:cc'/>")
    expect(r.out).toContain("<model type='e1000e'/>")
  })

  it('--remove-device selects by target, index, path, MAC, alias and all', async () => {
    for (const selector of ['vda', 'target=vda', '1', '/var/lib/libvirt/images/full.qcow2', 'path=/var/lib/libvirt/images/full.qcow2', 'virtio-disk0', 'alias=virtio-disk0', 'all']) {
      const r = await edit('--remove-device', '--disk', selector)
      expect(r.code, selector).toBe(0)
      expect(r.out, selector).not.toContain('<disk')
    }
    for (const selector of ['52:54:00:6B:3C:58', 'mac=52:54:00:6b:3c:58', 'net0']) {
      const r = await edit('--remove-device', '--nic', selector)
      expect(r.code, selector).toBe(0)
      expect(r.out, selector).not.toContain('<interface')
    }
  })

  it('--edit [SELECTOR] changes only the keys given; an empty value removes the setting', async () => {
    const r = await edit('--edit', '--disk', 'cache=none,serial=D1')
    expect(r.code).toBe(0)
    expect(r.out).toContain("<driver name='qemu' type='qcow2' cache='none'/>")
    expect(r.out).toContain('<serial>D1</serial>')
    expect(r.out).toContain("<address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>")
    const unset = memoryIo({ 'd.xml': r.out })
    expect(await run(['edit', 'd.xml', '--edit', 'target=vda', '--disk', 'cache=,serial='], unset)).toBe(0)
    expect(unset.out).toBe(domain)
    const nic = await edit('--edit', '1', '--nic', 'model=e1000e')
    expect(nic.out).toContain("<model type='e1000e'/>")
    const all = await edit('--edit', 'all', '--nic', 'bridge=br0')
    expect(all.out).toMatch(/<interface type='bridge'>\s*<mac address='52:54:00:6b:3c:58'\/>\s*<source bridge='br0'\/>/)
  })

  it('a selector that matches nothing exits 1 and prints nothing to stdout', async () => {
    const r = await edit('--remove-device', '--disk', 'vdq')
    expect(r.code).toBe(1)
    expect(r.out).toBe('')
    expect(r.err).toContain('No disk matches `vdq` [cli-edit-no-device]')
    expect((await edit('--edit', '3', '--disk', 'cache=none')).code).toBe(1)
  })
})

describe('virtuned edit: output', () => {
  it('--print-diff prints a unified diff headed as virt-xml heads it', async () => {
    const r = await edit('--edit', '--disk', 'cache=none', '--print-diff')
    expect(r.code).toBe(0)
    expect(r.out).toBe([
      '--- Original XML',
      '+++ Altered XML',
      '@@ -14,7 +14,7 @@',
      '   <devices>',
      '     <emulator>/usr/bin/qemu-system-x86_64</emulator>',
      "     <disk type='file' device='disk'>",
      "-      <driver name='qemu' type='qcow2'/>",
      "+      <driver name='qemu' type='qcow2' cache='none'/>",
      "       <source file='/var/lib/libvirt/images/full.qcow2'/>",
      "       <target dev='vda' bus='virtio'/>",
      "       <alias name='virtio-disk0'/>",
      '',
    ].join('\n'))
  })

  it('-o FILE and --in-place write atomically (the mode of the input kept)', async () => {
    const o = await edit('--remove-device', '--nic', 'all', '-o', 'new.xml')
    expect(o.code).toBe(0)
    expect(o.out).toBe('')
    expect(o.io.written['new.xml']!.content).not.toContain('<interface')
    expect(o.io.written['new.xml']!.modeFrom).toBe('d.xml')
    const inPlace = await edit('--remove-device', '--nic', 'all', '--in-place', '--print-diff')
    expect(inPlace.io.written['d.xml']!.content).not.toContain('<interface')
    expect(inPlace.out).toMatch(/^--- Original XML/)
  })

  it('--confirm shows the diff and writes only on yes', async () => {
    const no = memoryIo({ 'd.xml': domain }, 'n\n')
    expect(await run(['edit', 'd.xml', '--remove-device', '--disk', 'vda', '--in-place', '--confirm'], no)).toBe(1)
    expect(no.out).toContain("-    <disk type='file' device='disk'>")
    expect(no.written).toEqual({})
    const yes = memoryIo({ 'd.xml': domain }, 'y\n')
    expect(await run(['edit', 'd.xml', '--remove-device', '--disk', 'vda', '--in-place', '--confirm'], yes)).toBe(0)
    expect(yes.written['d.xml']!.content).not.toContain('<disk')
  })

  it('reads standard input', async () => {
    const io = memoryIo({}, domain)
    expect(await run(['edit', '-', '--remove-device', '--disk', 'vda'], io)).toBe(0)
    expect(io.out).not.toContain('<disk')
  })
})

describe('virtuned edit: usage', () => {
  it('refuses what it cannot do, with exit 2 and a hint', async () => {
    const cases: [string[], string][] = [
      [['--disk', 'cache=none'], 'Expected an action'],
      [['--edit', '--add-device', '--disk', 'x'], 'expected one action'],
      [['--add-device'], 'Expected a device option'],
      [['--add-device', '--disk', '/x.qcow2', '--nic', 'user'], 'expected one --disk or --nic'],
      [['--edit', '--disk', 'cahce=none'], 'did you mean `cache`'],
      [['--edit', '--disk', 'size=20'], 'does not resize'],
      [['--add-device', '--disk', 'data.qcow2'], 'absolute path'],
      [['--add-device', '--disk', '/x.qcow2', '--update'], 'expected --connect URI NAME'],
      [['--edit', 'foo=bar', '--disk', 'cache=none'], 'Unexpected selector key `foo`'],
    ]
    for (const [args, message] of cases) {
      const r = await edit(...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err, args.join(' ')).toContain(message)
    }
  })

  it('is listed in --help with its own help', async () => {
    const io = memoryIo()
    expect(await run(['--help'], io)).toBe(0)
    expect(io.out).toContain('edit FILE|--connect URI NAME')
    const help = memoryIo()
    expect(await run(['edit', '--help'], help)).toBe(0)
    expect(help.out).toContain('--remove-device')
    expect(help.out).toContain('--print-diff')
  })
})
