// Firmware autoselection on hand-written descriptors.
import { describe, expect, it } from 'vitest'
import { isFirmwareDescriptor, type FirmwareDescriptor } from '../src/index.ts'
import { domainXml } from './_caps.ts'
import { all, one, run, text } from './_find.ts'

const efi = (name: string, file: string, format: string, features: string[], machines = ['pc-q35-*']): FirmwareDescriptor => ({
  name,
  'interface-types': ['uefi'],
  mapping: { device: 'flash', mode: 'split', executable: { filename: `/fw/${file}_CODE.${format}`, format }, 'nvram-template': { filename: `/fw/${file}_VARS.${format}`, format } },
  targets: [{ architecture: 'x86_64', machines }],
  features,
})
const bios: FirmwareDescriptor = { name: '20-bios.json', 'interface-types': ['bios'], mapping: { device: 'memory', filename: '/fw/bios.bin' }, targets: [{ architecture: 'x86_64', machines: ['pc-*'] }], features: [] }
const firmware = [
  bios,
  efi('30-sb-qcow2.json', 'sb', 'qcow2', ['enrolled-keys', 'requires-smm', 'secure-boot']),
  efi('31-sb-raw.json', 'sb', 'raw', ['enrolled-keys', 'requires-smm', 'secure-boot']),
  efi('50-plain.json', 'plain', 'raw', [], ['pc-i440fx-*', 'pc-q35-*']),
]
// (UEFI on x86 needs ACPI: libvirt refuses a UEFI domain without <acpi/>)
const withAcpi = (extra: string): string => (extra.includes('<features>') ? extra.replace('<features>', '<features><acpi/>') : `<features><acpi/></features>${extra}`)
const withFirmware = (os: string, extra = ''): string => domainXml('q35', '', os === 'efi' ? withAcpi(extra) : extra).replace('<os>', `<os firmware='${os}'>`)

describe('firmware-autoselect', () => {
  it('accepts only descriptors with interface types, a mapping and targets', () => {
    expect(isFirmwareDescriptor({ firmware: { invalid: true } })).toBe(false)
    expect(isFirmwareDescriptor(bios)).toBe(true)
  })

  it('takes the first raw UEFI descriptor for the machine, with its features, NVRAM and SMM', () => {
    const { root } = run(withFirmware('efi'), { firmware })
    expect(all(root, 'os/firmware/feature').map((f) => `${f.attributes.name}=${f.attributes.enabled}`)).toEqual(['enrolled-keys=yes', 'secure-boot=yes'])
    const loader = one(root, 'os/loader')
    expect(loader.attributes).toEqual({ readonly: 'yes', secure: 'yes', type: 'pflash', format: 'raw' })
    expect(text(loader)).toBe('/fw/sb_CODE.raw')
    const nvram = one(root, 'os/nvram')
    expect(nvram.attributes).toEqual({ template: '/fw/sb_VARS.raw', templateFormat: 'raw', format: 'raw' })
    expect(text(nvram)).toBe('/var/lib/libvirt/qemu/nvram/t_VARS.fd')
    expect(one(root, 'features/smm').attributes.state).toBe('on')
  })

  it('honours requested features and a disabled SMM', () => {
    const noSb = withFirmware('efi').replace('<type', "<firmware><feature enabled='no' name='secure-boot'/></firmware><type")
    expect(text(one(run(noSb, { firmware }).root, 'os/loader'))).toBe('/fw/plain_CODE.raw')
    const smmOff = withFirmware('efi', "<features><smm state='off'/></features>")
    expect(text(one(run(smmOff, { firmware }).root, 'os/loader'))).toBe('/fw/plain_CODE.raw')
  })

  it('writes both features as the chosen descriptor has them, in libvirt\'s order, whatever was asked (qemuFirmwareSetOsFeatures)', () => {
    const features = (xml: string) => all(run(xml, { firmware }).root, 'os/firmware/feature').map((f) => `${f.attributes.name}=${f.attributes.enabled}`)
    expect(features(withFirmware('efi').replace('<type', "<firmware><feature enabled='no' name='secure-boot'/></firmware><type"))).toEqual(['enrolled-keys=no', 'secure-boot=no'])
    expect(features(withFirmware('efi').replace('<type', "<firmware><feature enabled='yes' name='secure-boot'/></firmware><type"))).toEqual(['enrolled-keys=yes', 'secure-boot=yes'])
  })

  it('a manual loader a descriptor has takes firmware features (autoselection is on by validation); without one it is refused', () => {
    const manual = (path: string) => domainXml('q35', '', withAcpi('')).replace('</os>', `<firmware><feature enabled='no' name='enrolled-keys'/></firmware><loader readonly='yes' type='pflash'>${path}</loader></os>`)
    const { root } = run(manual('/fw/plain_CODE.raw'), { firmware })
    expect(one(root, 'os').attributes.firmware).toBe('efi')
    expect(all(root, 'os/firmware/feature').map((f) => `${f.attributes.name}=${f.attributes.enabled}`)).toEqual(['enrolled-keys=no', 'secure-boot=no'])
    expect(() => run(manual('/elsewhere/CODE.fd'), { firmware })).toThrow('cannot use feature-based firmware autoselection when firmware autoselection is disabled')
  })

  it('takes a qcow2 image when the loader asks for that format', () => {
    const qcow2 = withFirmware('efi').replace('</os>', "<loader format='qcow2'/></os>")
    const { root } = run(qcow2, { firmware })
    expect(text(one(root, 'os/loader'))).toBe('/fw/sb_CODE.qcow2')
    expect(text(one(root, 'os/nvram'))).toBe('/var/lib/libvirt/qemu/nvram/t_VARS.qcow2')
  })

  it('writes a BIOS ROM for firmware=bios', () => {
    const loader = one(run(withFirmware('bios'), { firmware }).root, 'os/loader')
    expect(loader.attributes).toEqual({ type: 'rom', format: 'raw' })
    expect(text(loader)).toBe('/fw/bios.bin')
  })

  it('records a manual UEFI loader that a descriptor has as firmware=efi', () => {
    const manual = domainXml('q35', '', withAcpi('')).replace('</os>', "<loader readonly='yes' type='pflash'>/fw/plain_CODE.raw</loader></os>")
    const { root } = run(manual, { firmware })
    expect(one(root, 'os').attributes.firmware).toBe('efi')
    expect(one(root, 'os/nvram').attributes.template).toBe('/fw/plain_VARS.raw')
  })

  it('defining (an ABI update) is refused when no descriptor fits; loading keeps the request, its image raw; libvirt 9.0 selects nothing at define', () => {
    const rw = withFirmware('efi').replace('</os>', "<loader readonly='no'/></os>")
    expect(() => run(rw, { firmware, abiUpdate: true })).toThrow("Unable to find 'efi' firmware that is compatible with the current configuration")
    expect(one(run(rw, { firmware }).root, 'os/loader').attributes).toEqual({ readonly: 'no', format: 'raw' })
    const { root } = run(withFirmware('efi'), { firmware, libvirtVersion: 9000000 })
    expect(all(root, 'os/loader')).toHaveLength(0)
  })

  it('leaves autoselection to notPredicted without descriptors', () => {
    const { root, notPredicted } = run(withFirmware('efi'), {})
    expect(all(root, 'os/loader')).toHaveLength(0)
    expect(notPredicted.some((n) => n.path === 'domain/os' && n.reason.includes('firmware'))).toBe(true)
  })
})
