// The parts of the devices and settings that had no entry in the read-order tables (own probes `h38-…`, libvirtd 9.0;
// 9.0's and 11.3's source): each kind's and setting's parser's order, and where the domain's parser reads a part apart.
import { expect, it } from 'vitest'
import { attributeReads, deviceInfoParts, deviceParseOrder, deviceReadParts, deviceReadParts9, domainReadOrder, settingReadParts, settingReadParts9, settingsReadAmongDevices } from '../src/index.ts'

const before = (order: readonly string[], a: string, b: string): boolean => order.indexOf(a) >= 0 && order.indexOf(a) < order.indexOf(b)

it('every device kind the parser reads has its parts in order', () => {
  for (const kind of deviceParseOrder) expect(deviceReadParts[kind], kind).toBeDefined()
  // (virDomainTPMDefParseXML: the model, the backend and its settings, then the device information)
  expect(deviceReadParts.tpm!.slice(0, 3)).toEqual(['@model', 'backend', 'backend/@type'])
  expect(before(deviceReadParts.tpm!, 'backend/active_pcr_banks', 'address')).toBe(true)
  expect(before(deviceReadParts.tpm!, 'backend/encryption', 'backend/@persistent_state')).toBe(true)
  // (virDomainShmemDefParseXML: model, name, role, size, then the MSI and its check, then the device information)
  expect(deviceReadParts.shmem!.slice(0, 4)).toEqual(['model', '@name', '@role', 'size'])
  expect(before(deviceReadParts.shmem!, 'msi', 'alias')).toBe(true)
  // (virDomainLeaseDefParseXML)
  expect(deviceReadParts.lease).toEqual(['key', 'lockspace', 'target', 'target/@path', 'target/@offset'])
  expect(deviceReadParts.nvram).toEqual(deviceInfoParts)
  // (a video driver's VGA configuration once the device information is read, in both releases)
  expect(deviceReadParts.video!.at(-1)).toBe('driver/@vgaconf')
  expect(deviceReadParts9.video!.at(-1)).toBe('driver/@vgaconf')
})

it("the domain's settings: parts read apart, the default I/O thread, reboot before power-off, the launch security among the devices", () => {
  expect(before(domainReadOrder, 'maxMemory', 'memory/@dumpCore') && before(domainReadOrder, 'memory/@dumpCore', 'memoryBacking')).toBe(true)
  expect(before(domainReadOrder, 'defaultiothread', 'iothreadids')).toBe(true)
  expect(before(domainReadOrder, 'on_reboot', 'on_poweroff')).toBe(true)
  expect(before(domainReadOrder, 'devices', 'sysinfo') && before(domainReadOrder, 'sysinfo', 'os/smbios') && before(domainReadOrder, 'os/smbios', 'keywrap')).toBe(true)
  expect(domainReadOrder).not.toContain('launchSecurity')
  expect(before(domainReadOrder, 'os', 'throttlegroups') && before(domainReadOrder, 'throttlegroups', 'devices')).toBe(true)
  expect(settingsReadAmongDevices).toEqual({ launchSecurity: 'memory' })
  expect(before(deviceParseOrder, 'shmem', 'memory')).toBe(true)
})

it("the settings' parts: the sysinfo's BIOS before its system, the launch security's policy by release", () => {
  expect(before(settingReadParts.sysinfo!, 'bios', 'system')).toBe(true)
  expect(before(settingReadParts.numatune!, 'memory', 'memnode')).toBe(true)
  expect(settingReadParts.memtune).toEqual(['hard_limit', 'soft_limit', 'min_guarantee', 'swap_hard_limit'])
  expect(before(settingReadParts.launchSecurity!, 'cbitpos', 'policy')).toBe(true)
  expect(before(settingReadParts9.launchSecurity!, 'policy', 'cbitpos')).toBe(true)
  expect(before(settingReadParts9.launchSecurity!, '@kernelHashes', 'policy')).toBe(true)
  // (the kernel hashes switch read, yes or no, for a SEV guest)
  expect(attributeReads.get('launchSecurity')!.map(([name, kind]) => `${name}:${kind}`)).toEqual(['type:enum', 'kernelHashes:yes-no', 'authorKey:yes-no', 'vcek:yes-no'])
})

it("11.3's crypto and pstore devices: their own attributes read (not by 9.0), before the device information", () => {
  expect(attributeReads.get('devices/crypto')!.map(([name, , o]) => `${name}:${o?.since11 === true}`)).toEqual(['model:true', 'type:true'])
  expect(attributeReads.get('devices/pstore')!.map(([name]) => name)).toEqual(['backend'])
  expect(before(deviceReadParts.crypto!, 'backend/@queues', 'address') && before(deviceReadParts.crypto!, 'address', 'driver')).toBe(true)
  expect(before(deviceReadParts.pstore!, 'size', 'address')).toBe(true)
})

it("a process capability's state read on or off (virDomainFeaturesCapabilitiesDefParse)", () => {
  expect(attributeReads.get('features/capabilities/*')!.map(([name, kind, o]) => `${name}:${kind}:${o?.required === true}`)).toEqual(['state:on-off:false'])
})

it("11.3's TPM emulator: its debug level, state source type and profile read (NONZERO enumerations: no `default`)", () => {
  expect(attributeReads.get('devices/tpm/backend')!.map(([name, , o]) => `${name}:${o?.since11 === true}`)).toEqual(['type:false', 'version:false', 'debug:true'])
  expect(attributeReads.get('devices/tpm/backend/source')![0]![2]).toMatchObject({ values: ['file', 'dir'], since11: true })
  expect(attributeReads.get('devices/tpm/backend/profile')![0]![2]).toMatchObject({ values: ['check', 'fips-host'], since11: true })
})
