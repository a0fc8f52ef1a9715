// Issue 18 item 9: `new` takes --controller and --hostdev in the same syntax as plan-attach and attach.
import { describe, expect, it } from 'vitest'
import { run } from '../src/index.ts'
import { parseLibvirtXml, viewDomain } from '@virtuned/model'
import { memoryIo } from './_io.ts'

describe('new --controller / --hostdev', () => {
  it('adds the devices plan-attach would build, before policies and defaults', async () => {
    const io = memoryIo()
    expect(await run(['new', '--os', 'debian11', '--name', 'h', '--memory', '1GiB', '--controller', 'type=scsi,model=virtio-scsi', '--hostdev', '0000:01:00.0', '--hostdev', '0x046d:0xc52b'], io), io.err).toBe(0)
    const domain = parseLibvirtXml(io.out)
    const devices = domain.root.children.find((c) => c.type === 'element' && c.name === 'devices')
    const names = devices && devices.type === 'element' ? devices.children.filter((c) => c.type === 'element').map((c) => c.type === 'element' ? `${c.name}:${c.attributes.type ?? ''}` : '') : []
    expect(names).toContain('controller:scsi')
    expect(names.filter((n) => n === 'hostdev:pci')).toHaveLength(1)
    expect(names.filter((n) => n === 'hostdev:usb')).toHaveLength(1)
    expect(io.out).toContain("<address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>")
    expect(io.out).toContain("<vendor id='0x046d'/>")
    expect(viewDomain(domain).name).toBe('h')
  })

  it('refuses an unknown --controller key with the nearest one, as plan-attach does', async () => {
    const io = memoryIo()
    expect(await run(['new', '--os', 'debian11', '--name', 'h', '--memory', '1GiB', '--controller', 'type=scsi,modle=virtio-scsi'], io)).toBe(2)
    expect(io.err).toMatch(/modle.*model|model.*modle/)
  })
})
