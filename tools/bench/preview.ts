// Issue 19's bench: previewDomain per x86_64 domain (median of single calls, warmed, every domain
// distinct) side by side with what it replaces — define + dumpxml --inactive + undefine on the sandbox
// libvirtd. Needs root and the sandbox running. Prints JSON: µs medians and the ratio.
//   npx tsx tools/bench/preview.ts   (the packages as built: dist/, not the sources)
import { parseDomainCapabilities } from '@virtuned/defaults'
import { createConnection } from '@virtuned/libvirt-adapter'
import { parseQemuCaps, previewDomain } from '@virtuned/preview'
import { cachedCaps, composedCases, virshDomcaps } from '../preview-oracle.ts'

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const host = parseDomainCapabilities(virshDomcaps(), 'libvirtd')
const caps = parseQemuCaps(cachedCaps('/usr/bin/qemu-system-x86_64').text)
const cases = composedCases(1500, host)
// Warm-up on 1,000 domains that are not timed (a long-running app is warm: the compose bench warms up
// on 1,000 too); then each timed call previews a domain not seen before.
for (const c of cases.slice(0, 1000)) previewDomain(c.xml, { qemuCaps: caps, abiUpdate: true })
const preview: number[] = []
for (const c of cases.slice(1000, 1500)) {
  const t = process.hrtime.bigint()
  previewDomain(c.xml, { qemuCaps: caps, abiUpdate: true })
  preview.push(Number(process.hrtime.bigint() - t) / 1e3)
}
const conn = await createConnection('qemu:///system')
const daemon: number[] = []
try {
  for (const c of cases.slice(1000, 1100)) {
    const t = process.hrtime.bigint()
    const domain = await conn.defineXML(c.xml)
    await conn.getXMLDesc(domain, { inactive: true })
    await conn.undefine(domain, { nvram: true })
    daemon.push(Number(process.hrtime.bigint() - t) / 1e3)
  }
} finally {
  await conn.close()
}
const p = median(preview)
const d = median(daemon)
console.log(JSON.stringify({ previewMicros: p, daemonMicros: d, ratio: d / p, previewCalls: preview.length, daemonCalls: daemon.length }))
