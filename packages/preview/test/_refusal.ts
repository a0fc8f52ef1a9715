// What the refusal tests share (private to the tests): preview a domain that libvirt refuses and read the
// error, or preview one it takes and read the XML.
import { previewDomain, type QemuConf } from '../src/index.ts'
import { capsXml } from './_caps.ts'

export interface RefusalOptions { readonly caps?: string; readonly v9?: boolean; readonly qemuConf?: QemuConf; readonly testHost?: 'latest'; readonly securityInfo?: boolean }

const options = (o: RefusalOptions) => ({
  qemuCaps: o.caps ?? capsXml(), abiUpdate: true,
  ...(o.v9 ? { libvirtVersion: 9_000_000 } : {}), ...(o.qemuConf ? { qemuConf: o.qemuConf } : {}), ...(o.testHost ? { testHost: o.testHost } : {}), ...(o.securityInfo ? { securityInfo: true } : {}),
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
