// USB hubs libvirt adds for a new definition (qemuDomainUSBAddressAddHubs) and the ports behind them.
import { expect, it } from 'vitest'
import { domainXml } from './_caps.ts'
import { all, run } from './_find.ts'

const tablets = (n: number): string => Array.from({ length: n }, () => "<input type='tablet' bus='usb'/>").join('')
const ports = (xml: string, path: string): string[] => all(run(xml, { abiUpdate: true }).root, path).map((e) => all(e, 'address')[0]?.attributes.port ?? '')

it('adds no hub while the controller has ports enough', () => {
  const xml = domainXml('pc', "<controller type='usb' model='piix3-uhci'/>" + tablets(2))
  expect(all(run(xml, { abiUpdate: true }).root, 'devices/hub')).toHaveLength(0)
  expect(ports(xml, 'devices/input[bus=usb]')).toEqual(['1', '2'])
})

it('adds ⌈(devices − ports + 1) / 7⌉ hubs and fills a hub before the hubs on it', () => {
  // 2 root ports, 10 devices: 2 hubs (ports 1 and 2), then 1.1–1.8 and 2.1–2.2
  const xml = domainXml('pc', "<controller type='usb' model='piix3-uhci'/>" + tablets(10))
  expect(ports(xml, 'devices/hub')).toEqual(['1', '2'])
  expect(ports(xml, 'devices/input[bus=usb]')).toEqual(['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '2.1', '2.2'])
  // without an ABI update libvirt assigns nothing
  expect(all(run(xml).root, 'devices/hub')).toHaveLength(0)
})

it('puts a hub that no root port is left for on the first hub, and devices after its siblings', () => {
  // 2 root ports, 16 devices: 3 hubs (1, 2, 1.1); devices take 1.2–1.8, then 1.1.1–1.1.8, then 2.1
  const xml = domainXml('pc', "<controller type='usb' model='piix3-uhci'/>" + tablets(16))
  expect(ports(xml, 'devices/hub')).toEqual(['1', '2', '1.1'])
  const got = ports(xml, 'devices/input[bus=usb]')
  expect(got.slice(0, 7)).toEqual(['1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8'])
  expect(got.slice(7)).toEqual(['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '1.1.8', '2.1'])
})
