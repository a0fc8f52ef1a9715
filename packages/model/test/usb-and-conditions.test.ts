import { describe, expect, it } from 'vitest'
import { attributeReads, loadparmAsRead, localNameChildren, conditionValue, formatUsbPort, hostdevNicSourceType, readUsbPort, usbHubPorts, usbPortDepth, type ConditionHolder } from '../src/index.ts'

const el = (name: string, attrs: Record<string, string> = {}, children: ConditionHolder[] = []): ConditionHolder => ({ name, attrs, children })

describe('a host device NIC\'s host device type (virDomainNetDefParseXML)', () => {
  const nic = (...source: ConditionHolder[]) => el('interface', { type: 'hostdev' }, [el('source', {}, source)])
  it('is its source address\'s type', () => {
    expect(conditionValue(hostdevNicSourceType, nic(el('address', { type: 'pci' })))).toBe('pci')
    expect(conditionValue(hostdevNicSourceType, nic(el('address', { type: 'usb' }), el('vendor', { id: '0x1' })))).toBe('usb')
    expect(conditionValue(hostdevNicSourceType, nic(el('vendor', { id: '0x1' }), el('address', { type: 'pci' })))).toBe('pci')
  })
  it('is USB when none is written but a vendor is, else none (the parser refuses it: "missing source address type")', () => {
    expect(conditionValue(hostdevNicSourceType, nic(el('vendor', { id: '0x1' }), el('product', { id: '0x2' })))).toBe('usb')
    // (virXPathString takes an empty type for none)
    expect(conditionValue(hostdevNicSourceType, nic(el('address', { type: '' }), el('vendor', { id: '0x1' })))).toBe('usb')
    expect(conditionValue(hostdevNicSourceType, nic())).toBeUndefined()
    expect(conditionValue(hostdevNicSourceType, nic(el('address', { type: '' })))).toBeUndefined()
  })
  it('is the condition under which the NIC\'s <driver name> is read (a PCI backend: PCI sources only)', () => {
    const row = attributeReads.get('devices/interface/driver')?.find(([name]) => name === 'name')
    expect(row?.[2]?.when).toBe(hostdevNicSourceType)
    expect(hostdevNicSourceType.values).toEqual(['pci'])
  })
})

describe('conditionValue', () => {
  it('reads the holder\'s attribute, a child\'s, else what is absent', () => {
    expect(conditionValue({ of: 'self', attribute: 'type', values: ['a'] }, el('x', { type: 'a' }))).toBe('a')
    expect(conditionValue({ of: 'self', attribute: 'type', values: ['a'], absent: 'b' }, el('x'))).toBe('b')
    expect(conditionValue({ of: 'device', child: 'model', attribute: 'type', values: ['a'] }, el('x', {}, [el('model', { type: 'm' })]))).toBe('m')
    // (an empty value is a value, unless the read takes it for none)
    expect(conditionValue({ of: 'self', attribute: 'type', values: ['a'], absent: 'b' }, el('x', { type: '' }))).toBe('')
    expect(conditionValue({ of: 'self', attribute: 'type', values: ['a'] }, undefined)).toBeUndefined()
  })
})

describe('USB port paths (virDomainDeviceUSBAddressParsePort, virDomainUSBAddressPortFormatBuf)', () => {
  it('reads up to four levels, each as virStrToLong_uip', () => {
    expect(usbPortDepth).toBe(4)
    expect(readUsbPort('1')).toEqual([1, 0, 0, 0])
    expect(readUsbPort('1.2.3.4')).toEqual([1, 2, 3, 4])
    expect(readUsbPort(' +1.2')).toEqual([1, 2, 0, 0])
    for (const refused of ['1.2.3.4.5', '', 'x', '1.x', '-1', '4294967296']) expect(readUsbPort(refused), refused).toBeUndefined()
  })
  it('writes the levels up to the first 0, joined by dots', () => {
    expect(formatUsbPort([1, 2, 0, 0])).toBe('1.2')
    expect(formatUsbPort([1, 0, 3, 0])).toBe('1')
    expect(formatUsbPort([0, 0, 0, 0])).toBeUndefined()
  })
  it('gives a hub eight ports', () => expect(usbHubPorts).toBe(8))
})

describe('localNameChildren: where libvirt walks children by their local names', () => {
  it('names the features and their sub-features, a TPM\'s PCR banks — not the devices, read by name', () => {
    for (const path of ['features', 'features/hyperv', 'features/kvm', 'features/xen', 'features/capabilities', 'devices/tpm/backend/active_pcr_banks']) expect(localNameChildren.has(path), path).toBe(true)
    for (const path of ['devices', 'devices/disk', 'os', '']) expect(localNameChildren.has(path), path).toBe(false)
  })
})

describe('loadparmAsRead (virStringToUpper)', () => {
  it('upper-cases ASCII letters and turns `-` into `_`', () => {
    expect(loadparmAsRead('abc.1')).toBe('ABC.1')
    expect(loadparmAsRead('-1')).toBe('_1')
    expect(loadparmAsRead('é')).toBe('é')
  })
})
