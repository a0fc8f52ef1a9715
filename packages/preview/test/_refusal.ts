// What the refusal tests share (private to the tests): preview a domain that libvirt refuses and read the
// error, or preview one it takes and read the XML.
import { previewDomain, type QemuConf } from '../src/index.ts'
import { capsXml } from './_caps.ts'

export interface RefusalOptions { readonly caps?: string; readonly v9?: boolean; readonly qemuConf?: QemuConf; readonly testHost?: 'latest'; readonly securityInfo?: boolean; readonly qemuRdp?: boolean }

const options = (o: RefusalOptions) => ({
  qemuCaps: o.caps ?? capsXml(), abiUpdate: true,
  ...(o.v9 ? { libvirtVersion: 9_000_000 } : {}), ...(o.qemuConf ? { qemuConf: o.qemuConf } : {}), ...(o.testHost ? { testHost: o.testHost } : {}), ...(o.securityInfo ? { securityInfo: true } : {}), ...(o.qemuRdp !== undefined ? { qemuRdp: o.qemuRdp } : {}),
})

/** The error preview throws for `xml` (name, code, message, path); fails the test when it predicts a domain. */
export function refusal(xml: string, o: RefusalOptions = {}): { name: string; code: string; message: string; path: string } {
  try {
    previewDomain(xml, options(o))
  } catch (error) {
    const e = error as { name: string; code: string; message: string; path: string }
    return { name: e.name, code: e.code, message: e.message, path: e.path }
  }
  throw new Error('expected preview to refuse the domain')
}

/** The XML preview predicts for `xml`. */
export const predicts = (xml: string, o: RefusalOptions = {}): string => previewDomain(xml, options(o)).xml

/** An x86_64 TCG domain (512 MiB) on `machine` with these devices: what most probe tests wrap their devices in. */
export const x86Domain = (devices: string, machine = 'pc'): string => `<domain type='qemu'>
  <name>t</name>
  <memory unit='MiB'>512</memory>
  <os><type arch='x86_64' machine='${machine}'>hvm</type></os>
  <devices>${devices}</devices>
</domain>`
