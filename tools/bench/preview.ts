// Issue 19's bench: previewDomain per x86_64 domain (median of single calls, warmed, every domain
// distinct) side by side with what it replaces — define + dumpxml --inactive + undefine on the sandbox
// libvirtd; and previewDomains on groups of distinct domains (a host's or a fleet's), per domain. Needs root and the
// sandbox running. Prints JSON: µs medians and the ratios.
//   npx tsx tools/bench/preview.ts   (the packages as built: dist/, not the sources)
import { parseDomainCapabilities } from '@virtuned/defaults'
import { createConnection } from '@virtuned/libvirt-adapter'
import { parseQemuCaps, previewDomain, previewDomains } from '@virtuned/preview'
import { cachedCaps, composedCases, virshDomcaps } from '../preview-oracle.ts'

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const host = parseDomainCapabilities(virshDomcaps(), 'libvirtd')
const caps = parseQemuCaps(cachedCaps('/usr/bin/qemu-system-x86_64').text)
// Every timed call previews a domain not seen before. Two figures, as the compose bench gives: `early`,
// 500 calls right after 1,000 warm-up calls (V8 is still optimizing then), and the steady state of a
// long-running app, 500 calls once 20,000 distinct domains were previewed — the figure set against the daemon's.
const earlyWarmUp = 1000
const steadyWarmUp = 20000
const timed = 500
// previewDomains: groups of `group` distinct domains (warmed on as many groups again, distinct too), per domain
const group = 16
const groups = 64
const cases = composedCases(steadyWarmUp + timed + 2 * groups * group, host)
let next = 0
function measure(): number {
  const samples: number[] = []
  for (let i = 0; i < timed; i++) {
    const c = cases[next++]!
    const t = process.hrtime.bigint()
    previewDomain(c.xml, { qemuCaps: caps, abiUpdate: true })
    samples.push(Number(process.hrtime.bigint() - t) / 1e3)
  }
  return median(samples)
}
while (next < earlyWarmUp) previewDomain(cases[next++]!.xml, { qemuCaps: caps, abiUpdate: true })
const early = measure()
while (next < steadyWarmUp) previewDomain(cases[next++]!.xml, { qemuCaps: caps, abiUpdate: true })
const steady = measure()
// (the same steady state, then groups of domains none of the calls above saw: the median of each group's time per domain)
const batchStart = steadyWarmUp + timed
const groupOf = (k: number): string[] => cases.slice(batchStart + k * group, batchStart + (k + 1) * group).map((c) => c.xml)
for (let k = 0; k < groups; k++) previewDomains(groupOf(k), { qemuCaps: caps, abiUpdate: true })
const batchSamples: number[] = []
for (let k = groups; k < 2 * groups; k++) {
  const xmls = groupOf(k)
  const t = process.hrtime.bigint()
  const outcomes = previewDomains(xmls, { qemuCaps: caps, abiUpdate: true })
  batchSamples.push(Number(process.hrtime.bigint() - t) / 1e3 / xmls.length)
  if (outcomes.some((o) => o.status !== 'fulfilled')) throw new Error('bench: previewDomains refused a composed domain')
}
const batch = median(batchSamples)
// What any design that reads the domain and writes libvirt's document this way pays before a single libvirt rule: preview's
// own reader on the input and its writer on the document it predicted (each distinct, the same 500 domains as the
// steady figure) — the floor set against the 50× the issue asks (`floorMicros`: read + write, medians).
const { scanDomain } = await import(new URL('../../packages/preview/dist/_scan.js', import.meta.url).href) as typeof import('../../packages/preview/src/_scan.ts')
const { writeDomain } = await import(new URL('../../packages/preview/dist/_write.js', import.meta.url).href) as typeof import('../../packages/preview/src/_write.ts')
const { schemaRoot } = await import('@virtuned/model')
const schema = schemaRoot(caps.libvirtVersion)
const timedCases = cases.slice(steadyWarmUp, steadyWarmUp + timed)
const predicted = timedCases.map((c) => previewDomain(c.xml, { qemuCaps: caps, abiUpdate: true }).xml)
const readSamples: number[] = []
const writeSamples: number[] = []
for (let round = 0; round < 3; round++) {
  timedCases.forEach((c, i) => {
    let t = process.hrtime.bigint()
    scanDomain(c.xml, schema)
    if (round === 2) readSamples.push(Number(process.hrtime.bigint() - t) / 1e3)
    const tree = scanDomain(predicted[i]!, schema)!.domain
    t = process.hrtime.bigint()
    writeDomain(tree)
    if (round === 2) writeSamples.push(Number(process.hrtime.bigint() - t) / 1e3)
  })
}
const readMicros = median(readSamples)
const writeMicros = median(writeSamples)
const conn = await createConnection('qemu:///system')
const daemon: number[] = []
try {
  for (const c of cases.slice(steadyWarmUp, steadyWarmUp + 100)) {
    const t = process.hrtime.bigint()
    const domain = await conn.defineXML(c.xml)
    await conn.getXMLDesc(domain, { inactive: true })
    await conn.undefine(domain, { nvram: true })
    daemon.push(Number(process.hrtime.bigint() - t) / 1e3)
  }
} finally {
  await conn.close()
}
const d = median(daemon)
console.log(JSON.stringify({ previewMicros: steady, daemonMicros: d, ratio: d / steady, earlyMicros: early, earlyRatio: d / early, earlyWarmUp, steadyWarmUp, previewCalls: timed, daemonCalls: daemon.length, readMicros, writeMicros, floorMicros: readMicros + writeMicros, floorRatio: d / (readMicros + writeMicros), batchMicros: batch, batchRatio: d / batch, batchGroup: group, batchGroups: groups }))
