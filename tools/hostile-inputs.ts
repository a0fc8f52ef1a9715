// Mutation runs over libvirt's x86_64 test domains (../shared/corpus/domains or $VIRTUNED_CORPUS):
//   numbers    every number written (attribute value or whole element text) replaced, one at a time, by
//              hostile values at or beyond what libvirt reads;
//   structure  every element dropped, doubled or emptied of children, every attribute dropped or emptied.
// Each mutant goes to previewDomain (`--target preview`) or to every edge route that takes domain XML
// (`--target edge`). Reports untyped errors (TypeError, RangeError…) or 5xx answers, and calls over 300 ms.
//   npx tsx --conditions=@virtuned/source tools/hostile-inputs.ts --mode numbers|structure --target preview|edge [--every N] [--from NAME] [--to NAME]
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { toolArgs } from './args.ts'
import { parseXml, toXml, VirtunedError, type Element, type ElementContent } from '@virtuned/xml-core'
import { parseQemuCaps, previewDomain } from '@virtuned/preview'
import { createHandler } from '@virtuned/edge'
import { locateCorpus } from './corpus.ts'

const { values: options } = toolArgs('hostile-inputs', {
  options: { mode: { type: 'string', default: 'numbers' }, target: { type: 'string', default: 'preview' }, every: { type: 'string', default: '1' }, from: { type: 'string' }, to: { type: 'string' } },
})
const { dir, reason } = locateCorpus()
if (!dir) { console.error(`hostile-inputs: ${reason}`); process.exit(2) }
const every = Number(options.every)
const capsXml = readFileSync(new URL('../packages/playground/src/presets/qemucaps/x86_64.xml', import.meta.url), 'utf8')
const caps = parseQemuCaps(capsXml)
const handler = createHandler()
const hostile = ['4294967295', '2147483647', '2147483648', '99999999999', '-1', 'x', '', '0x7fffffff', '1e9', '0-2147483647', '65536']
const numberSpot = /(=')([0-9][0-9,^x-]*)(')|(=")([0-9][0-9,^x-]*)(")|(>)([0-9][0-9,^x-]*)(<)/g
const disk = "<disk type='file' device='disk'><source file='/var/lib/libvirt/images/x.qcow2'/><target dev='vdz' bus='virtio'/></disk>"

function numberMutants(xml: string): [string, string][] {
  const out: [string, string][] = []
  for (const m of xml.matchAll(numberSpot)) {
    const at = m.index + (m[1] ?? m[4] ?? m[7])!.length
    const length = (m[2] ?? m[5] ?? m[8])!.length
    for (const value of hostile) out.push([`@${at} '${xml.slice(Math.max(0, at - 30), at)}' ← '${value}'`, xml.slice(0, at) + value + xml.slice(at + length)])
  }
  return out
}

function structureMutants(xml: string): [string, string][] {
  const root = parseXml(xml).children.find((c): c is Element => c.type === 'element')!
  const elements: Element[] = []
  const walk = (e: Element): void => { for (const c of e.children) if (c.type === 'element') { elements.push(c); walk(c) } }
  walk(root)
  const replace = (e: Element, target: Element, f: (t: Element) => Element[]): Element => ({
    ...e, children: e.children.flatMap((c): ElementContent[] => (c.type !== 'element' ? [c] : c === target ? f(c) : [replace(c, target, f)])),
  })
  const text = (f: (t: Element) => Element[], t: Element): string => toXml({ type: 'root', children: [replace(root, t, f)] })
  const out: [string, string][] = []
  for (const t of elements) {
    out.push([`drop <${t.name}>`, text(() => [], t)], [`double <${t.name}>`, text((x) => [x, x], t)])
    if (t.children.length > 0) out.push([`hollow <${t.name}>`, text((x) => [{ ...x, children: [] }], t)])
    for (const a of Object.keys(t.attributes)) {
      out.push([`drop ${t.name}/@${a}`, text((x) => [{ ...x, attributes: Object.fromEntries(Object.entries(x.attributes).filter(([k]) => k !== a)) }], t)])
      out.push([`empty ${t.name}/@${a}`, text((x) => [{ ...x, attributes: { ...x.attributes, [a]: '' } }], t)])
    }
  }
  return out
}

const failures = new Map<string, string>()
const slow: string[] = []
let calls = 0
const timed = async (label: string, run: () => Promise<string | undefined> | string | undefined): Promise<void> => {
  calls++
  const start = performance.now()
  const failure = await run()
  const ms = performance.now() - start
  if (failure && !failures.has(failure)) failures.set(failure, label)
  if (ms > 300) slow.push(`${ms.toFixed(0)} ms ${label}`)
}

const files = readdirSync(join(dir, 'domains')).filter((f) => f.endsWith('.xml')).sort()
for (const [k, file] of files.entries()) {
  if (k % every !== 0 || (options.from && file < options.from) || (options.to && file >= options.to)) continue
  const xml = readFileSync(join(dir, 'domains', file), 'utf8')
  if (/arch=['"](?!x86_64)/.test(xml)) continue
  let mutants: [string, string][]
  try { mutants = options.mode === 'structure' ? structureMutants(xml) : numberMutants(xml) } catch { continue }
  for (const [what, mutant] of mutants) {
    if (options.target === 'edge') {
      for (const [route, body] of [['/v1/apply', { xml: mutant }], ['/v1/validate', { xml: mutant }], ['/v1/compose', { xml: mutant }], ['/v1/diff', { a: mutant, b: xml }],
        ['/v1/plan-attach', { xml: mutant, device: disk }], ['/v1/plan-attach', { xml: mutant, device: { nic: {} } }], ['/v1/plan-detach', { xml: mutant, disk: 'vda' }], ['/v1/preview', { xml: mutant, qemuCaps: capsXml, abiUpdate: true }]] as const) {
        await timed(`${file} ${what} ${route}`, async () => {
          const response = await handler(new Request(`http://edge.test${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))
          const answer = await response.text()
          return response.status >= 500 ? `${route} ${response.status} ${answer.slice(0, 160)}` : undefined
        })
      }
    } else {
      await timed(`${file} ${what}`, () => {
        try { previewDomain(mutant, { qemuCaps: caps, abiUpdate: true }) } catch (error) {
          if (!(error instanceof VirtunedError)) return `${(error as Error).name}: ${String((error as Error).message).slice(0, 120)}`
        }
        return undefined
      })
    }
  }
}
console.log(`${options.mode} → ${options.target}: ${calls} calls, ${failures.size} kinds of failure, ${slow.length} over 300 ms`)
for (const [failure, where] of failures) console.log(`FAIL ${failure}\n     ${where}`)
for (const s of slow.slice(0, 20)) console.log(`SLOW ${s}`)
process.exit(failures.size > 0 ? 1 : 0)
