import { describe, expect, it } from 'vitest'
import { parseQemuCaps, stripMachineAliases, testDataLibvirtVersion, PreviewError } from '../src/index.ts'
import { capsXml } from './_caps.ts'

describe('parseQemuCaps', () => {
  it('reads arch, flags, machines with aliases and default CPUs, and CPU models', () => {
    const caps = parseQemuCaps(capsXml())
    expect(caps.arch).toBe('x86_64')
    expect(caps.qemuVersion).toBe(9_009_000)
    expect(caps.flags.has('qemu-xhci')).toBe(true)
    const pc = caps.machines.tcg.find((m) => m.alias === 'pc')!
    expect(pc).toMatchObject({ name: 'pc-i440fx-9.9', isDefault: true, defaultCPU: 'qemu64-x86_64-cpu', hotplugCpus: true, maxCpus: 255 })
    expect(caps.machines.tcg.find((m) => m.name === 'pc-i440fx-2.0')!.deprecated).toBe(true)
    expect(caps.cpuModels.tcg.map((c) => c.name)).toEqual(['qemu64', 'max'])
  })

  it('reads <selfvers>0 as libvirt 11.3.0 and keeps a real version', () => {
    expect(parseQemuCaps(capsXml()).libvirtVersion).toBe(testDataLibvirtVersion)
    expect(testDataLibvirtVersion).toBe(11_003_000)
    expect(parseQemuCaps(capsXml({ selfvers: '9000000' })).libvirtVersion).toBe(9_000_000)
  })

  it('refuses another document with preview-not-qemucaps and a place', () => {
    try {
      parseQemuCaps('<domain type="kvm"/>')
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(PreviewError)
      expect((error as PreviewError).code).toBe('preview-not-qemucaps')
      expect((error as PreviewError).place?.line).toBe(1)
    }
  })

  it('refuses a cache without arch or machines with preview-bad-qemucaps', () => {
    expect(() => parseQemuCaps('<qemuCaps><flag name="kvm"/></qemuCaps>')).toThrow(expect.objectContaining({ code: 'preview-bad-qemucaps' }))
    expect(() => parseQemuCaps('<qemuCaps><arch>x86_64</arch></qemuCaps>')).toThrow(expect.objectContaining({ code: 'preview-bad-qemucaps' }))
    // a machine without a name, an unreadable CPU count or version: refused where they are, not previewed from
    const bad = (inner: string) => () => parseQemuCaps(`<qemuCaps><arch>x86_64</arch>${inner}</qemuCaps>`)
    expect(bad("<machine type='tcg' default='yes'/>")).toThrow(expect.objectContaining({ code: 'preview-bad-qemucaps', path: 'qemuCaps/machine/@name', place: expect.objectContaining({ line: 1 }) }))
    expect(bad("<machine type='tcg' name='pc' maxCpus='-1'/>")).toThrow(expect.objectContaining({ code: 'preview-bad-qemucaps', path: "qemuCaps/machine[@name='pc']/@maxCpus" }))
    expect(bad("<selfvers>abc</selfvers><machine type='tcg' name='pc'/>")).toThrow(expect.objectContaining({ code: 'preview-bad-qemucaps', path: 'qemuCaps/selfvers' }))
    expect(bad("<selfvers>9000000</selfvers><machine type='tcg' name='pc'/>")().libvirtVersion).toBe(9000000)
  })

  it("reads a later libvirt's capabilities (QEMU 11.1's shape): versioned types past 10, a machine without a default CPU, a retired flag", () => {
    // (written for this test in the shape of the files libvirt's tests hold after 11.3: no set-action flag — retired —,
    // the x86 `nitro` and `x-remote` machines without a default CPU, with acpi='no')
    const later = parseQemuCaps(capsXml({
      version: '11000090',
      flags: ['tcg', 'kvm', 'usb-bot', 'uefi-vars'],
      machines: `
  <machine type='tcg' name='pc-i440fx-11.1' alias='pc' hotplugCpus='yes' maxCpus='255' default='yes' defaultCPU='qemu64-x86_64-cpu' defaultRAMid='pc.ram' acpi='yes'/>
  <machine type='tcg' name='nitro' maxCpus='4096' defaultRAMid='ram' acpi='no'/>
  <machine type='tcg' name='pc-q35-11.1' alias='q35' hotplugCpus='yes' maxCpus='4096' defaultCPU='qemu64-x86_64-cpu' defaultRAMid='pc.ram' acpi='yes'/>
  <machine type='tcg' name='x-remote' maxCpus='1' acpi='no'/>`,
      extra: "<hypervCapabilities supported='yes'><cap name='relaxed'/><spinlocks>4095</spinlocks></hypervCapabilities>",
    }))
    expect(later.qemuVersion).toBe(11_000_090)
    expect(later.flags.has('set-action')).toBe(true)
    expect(later.machines.tcg.map((m) => [m.name, m.alias, m.isDefault, m.defaultCPU, m.acpi])).toEqual([
      ['pc-i440fx-11.1', 'pc', true, 'qemu64-x86_64-cpu', true],
      ['nitro', undefined, false, undefined, false],
      ['pc-q35-11.1', 'q35', false, 'qemu64-x86_64-cpu', true],
      ['x-remote', undefined, false, undefined, false],
    ])
    expect(stripMachineAliases(later).machines.tcg.slice(0, 2).map((m) => m.name)).toEqual(['pc', 'q35'])
    // an older QEMU's file without the flag: that QEMU lacks it (set-action came with QEMU 6.0)
    expect(parseQemuCaps(capsXml({ version: '5002000', flags: ['tcg'] })).flags.has('set-action')).toBe(false)
    expect(parseQemuCaps(capsXml({ version: '6000000', flags: ['tcg'] })).flags.has('set-action')).toBe(true)
  })

  it('stripMachineAliases turns each alias into a machine type of its own, listed first', () => {
    const stripped = stripMachineAliases(parseQemuCaps(capsXml()))
    expect(stripped.machines.tcg.some((m) => m.alias !== undefined)).toBe(false)
    expect(stripped.machines.tcg[0]).toMatchObject({ name: 'pc', isDefault: true, defaultCPU: 'qemu64-x86_64-cpu' })
    expect(stripped.machines.tcg.map((m) => m.name)).toContain('pc-i440fx-9.9')
  })
})

describe('capabilities probed for one accelerator only', () => {
  it('resolves a KVM domain\'s machine from a TCG-only cache', async () => {
    const { previewDomain } = await import('../src/index.ts')
    const { domainXml } = await import('./_caps.ts')
    const tcgOnly = capsXml({ machines: "<machine type='tcg' name='pc-i440fx-9.9' alias='pc' default='yes' defaultCPU='qemu64-x86_64-cpu'/><cpu type='tcg' name='qemu64' typename='qemu64-x86_64-cpu' usable='yes'/>" })
    const { xml } = previewDomain(domainXml('pc', '').replace("type='qemu'", "type='kvm'"), { qemuCaps: tcgOnly })
    expect(xml).toContain("machine='pc-i440fx-9.9'")
    expect(xml).toContain('>qemu64</model>')
  })
})
