// Where a preview's time goes (issue 19's speed target): on the x86_64 domains the preview bench uses (composed by
// virtuned, each distinct; 20,000 previewed first, as the bench does), the median of whole previews, then each rule's mean (each rule's `apply` timed alone: the
// timers add some 0.1 µs a rule), the reader's and the writer's; and the median of one domain previewed again and again,
// to tell a cost of the work from a cost of meeting new input; the refusal rows' two rules (checks, which change nothing
// in a domain its rows take) checked a second time right after the first, to tell the rows' work from the cost of reaching
// their code and data again (cold in the caches a whole preview runs through); the bytes a preview allocates and the size of
// the machine code V8 holds.
//   npx tsx tools/bench/preview-breakdown.ts [--count N]   (the packages as built: dist/; needs the sandbox libvirtd
//   running, for its capabilities cache and domain capabilities)
import v8 from 'node:v8'
import { parseDomainCapabilities } from '@virtuned/defaults'
import { schemaRoot } from '@virtuned/model'
import { parseQemuCaps, previewDomain } from '@virtuned/preview'
import { toolArgs } from '../args.ts'
import { cachedCaps, composedCases, virshDomcaps } from '../preview-oracle.ts'

const { values } = toolArgs('bench/preview-breakdown', { options: { count: { type: 'string', default: '3000' } } })
const timed = Number(values.count)
if (!Number.isInteger(timed) || timed < 100) {
  console.error(`bench/preview-breakdown: --count ${values.count}: expected an integer of at least 100`)
  process.exit(2)
}
const dist = new URL('../../packages/preview/dist/', import.meta.url).href
const { rules } = await import(`${dist}rules.js`) as typeof import('../../packages/preview/src/rules.ts')
const { scanDomain } = await import(`${dist}_scan.js`) as typeof import('../../packages/preview/src/_scan.ts')
const { writeDomain } = await import(`${dist}_write.js`) as typeof import('../../packages/preview/src/_write.ts')

const host = parseDomainCapabilities(virshDomcaps(), 'libvirtd')
const caps = parseQemuCaps(cachedCaps('/usr/bin/qemu-system-x86_64').text)
const options = { qemuCaps: caps, abiUpdate: true } as const
// (as the bench: V8 keeps replacing functions for the first ~10,000 domains)
const warmUp = 20000
const cases = composedCases(warmUp + timed, host).map((c) => c.xml)
const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const since = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e3

// each rule's apply, timed while `timing` (the rule objects are the module's own: wrapped here, in this process only, before
// the warm-up, so that what runs measured is optimised as it runs unmeasured)
let timing = false
const spent = new Map<string, number>()
const checksOnly = new Set(['libvirt-refuses-parse', 'libvirt-refuses'])
const again = new Map<string, number>()
for (const rule of rules) {
  const apply = rule.apply.bind(rule)
  ;(rule as { apply: typeof rule.apply }).apply = (ctx) => {
    if (!timing) return apply(ctx)
    let t = process.hrtime.bigint()
    try { apply(ctx) } finally { spent.set(rule.name, (spent.get(rule.name) ?? 0) + since(t)) }
    if (!checksOnly.has(rule.name)) return
    t = process.hrtime.bigint()
    apply(ctx)
    again.set(rule.name, (again.get(rule.name) ?? 0) + since(t))
  }
}
for (let i = 0; i < warmUp; i++) previewDomain(cases[i]!, options)
const whole: number[] = []
for (let i = warmUp; i < warmUp + timed; i++) { const t = process.hrtime.bigint(); previewDomain(cases[i]!, options); whole.push(since(t)) }

timing = true
const predicted: string[] = []
for (let i = warmUp; i < warmUp + timed; i++) predicted.push(previewDomain(cases[i]!, options).xml)
timing = false
const schema = schemaRoot(caps.libvirtVersion)
let read = 0
let write = 0
for (let i = 0; i < timed; i++) {
  let t = process.hrtime.bigint()
  scanDomain(cases[warmUp + i]!, schema)
  read += since(t)
  const tree = scanDomain(predicted[i]!, schema)!.domain
  t = process.hrtime.bigint()
  writeDomain(tree)
  write += since(t)
}
// (new space's growth over calls no scavenge interrupted)
let allocated = 0
let counted = 0
const newSpace = (): number => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_used_size
for (let i = warmUp; i < warmUp + timed; i++) {
  const before = newSpace()
  previewDomain(cases[i]!, options)
  const grown = newSpace() - before
  if (grown > 0) { allocated += grown; counted++ }
}
const repeated = [0, 1, 2].map((k) => {
  const xml = cases[warmUp + k * Math.floor(timed / 3)]!
  const samples: number[] = []
  for (let r = 0; r < 1000; r++) { const t = process.hrtime.bigint(); previewDomain(xml, options); samples.push(since(t)) }
  return median(samples)
})

console.log(`preview per x86_64 domain, ${timed} distinct domains after ${warmUp} (median of whole calls): ${median(whole).toFixed(0)} µs`)
console.log(`one domain previewed 1,000 times in a row (three domains, medians): ${repeated.map((m) => m.toFixed(0)).join(', ')} µs\n`)
console.log('| part | mean µs |')
console.log('|---|---:|')
console.log(`| reader (the input) | ${(read / timed).toFixed(1)} |`)
for (const [name, total] of [...spent].sort((a, b) => b[1] - a[1])) console.log(`| rule ${name} | ${(total / timed).toFixed(1)} |`)
console.log(`| writer (the document) | ${(write / timed).toFixed(1)} |`)
console.log(`\nthe refusal rows checked again right after (the same domain, their code and data just reached): ${[...again].map(([name, total]) => `${name} ${(total / timed).toFixed(1)} µs (first ${((spent.get(name) ?? 0) / timed).toFixed(1)})`).join(', ')}`)
console.log(`allocated per preview: ${(allocated / counted / 1024).toFixed(0)} KiB (mean of ${counted} calls no scavenge interrupted)`)
const code = v8.getHeapSpaceStatistics().filter((space) => space.space_name.startsWith('code')).reduce((sum, space) => sum + space.space_used_size, 0)
console.log(`V8's code spaces after these previews: ${(code / 2 ** 20).toFixed(1)} MiB of machine code`)
