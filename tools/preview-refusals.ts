// Of libvirt's x86_64 test domains (../shared/corpus) the sandbox libvirtd refuses at define, which does
// preview refuse too, and with libvirt's own words? Needs root and the sandbox (tools/libvirt-sandbox).
//   npx tsx --conditions=@virtuned/source tools/preview-refusals.ts [--list]
import { createConnection } from '@virtuned/libvirt-adapter'
import { parseQemuCaps, previewDomain } from '@virtuned/preview'
import { cachedCaps, corpusCases, sameRefusal, sandboxQemuConf } from './preview-oracle.ts'
import { locateCorpus } from './corpus.ts'
const caps = parseQemuCaps(cachedCaps('/usr/bin/qemu-system-x86_64').text)
const qemuConf = sandboxQemuConf()
const conn = await createConnection('qemu:///system')
const rows: { name: string; daemon: string; preview: string; same: boolean }[] = []
const { dir, reason } = locateCorpus()
if (!dir) { console.error(`preview-refusals: ${reason}`); process.exit(2) }
// (define never creates the NVRAM file: keep whatever file the domain's <nvram> names)
for (const c of corpusCases(dir)) {
  let refusal: string | undefined
  try { const d = await conn.defineXML(c.xml); await conn.undefine(d, { keepNvram: true }) } catch (e) { refusal = (e as Error).message }
  if (refusal === undefined) continue
  let preview = '(predicted)'
  try { previewDomain(c.xml, { qemuCaps: caps, abiUpdate: true, qemuConf }) } catch (e) { preview = `${(e as { code?: string }).code}: ${(e as Error).message}` }
  rows.push({ name: c.name, daemon: refusal, preview, same: preview !== '(predicted)' && sameRefusal(refusal, preview.replace(/^[a-z-]+: /, '')) })
}
await conn.close()
console.log('refused by libvirtd:', rows.length, '| preview refuses:', rows.filter((r) => r.preview !== '(predicted)').length, '| with the same words:', rows.filter((r) => r.same).length)
if (process.argv.includes('--list')) for (const r of rows) console.log(r.same ? 'SAME' : r.preview === '(predicted)' ? 'PREDICTED' : 'DIFF', r.name, '|', r.daemon.slice(0, 110), '|', r.preview.slice(0, 110))
