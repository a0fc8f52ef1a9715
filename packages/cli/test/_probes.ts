// The probes of libvirt's checks and fill-ins (fixtures/preview/probes, one file per area, each `<domain>` named for its
// probe), as the live oracles on libvirtd 9.0 and 11.3 read them.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { withIdentity } from '../../../tools/preview-oracle.ts'

export interface Probe { readonly file: string; readonly name: string; readonly xml: string }

const dir = join(import.meta.dirname, '../../../fixtures/preview/probes')

/** Every probe: its name (the domain's, unique), its file and its XML with what libvirt would make up given (withIdentity). */
export const probes: readonly Probe[] = readdirSync(dir).filter((f) => f.endsWith('.xml')).sort().flatMap((file) =>
  [...readFileSync(join(dir, file), 'utf8').matchAll(/<domain\b[\s\S]*?<\/domain>/g)].map((m) => ({ file, name: /<name\b[^>]*>([^<]*)<\/name>/.exec(m[0])![1]!, xml: m[0] })))
  .map((p, n) => ({ ...p, xml: withIdentity(p.xml, n) }))

/**
 * The arch whose capabilities a probe is previewed with: its own; an arch libvirt does not know (`arm`) is refused as
 * the domain is parsed, before any QEMU is looked at, so any host's serve: the x86_64 one.
 */
export function probeArch(xml: string, known: ReadonlySet<string>): string {
  const arch = /<type[^>]*\barch=['"]([^'"]+)['"]/.exec(xml)?.[1] ?? 'x86_64'
  return known.has(arch) ? arch : 'x86_64'
}

/** Why a probe cannot agree on any release: libvirt makes up a random value there, which preview lists and writes none of. */
export const randomValue = (what: string, release = ''): string =>
  `libvirt${release ? ` ${release}` : ''} makes up a random value here (preview lists it in notPredicted and writes none): ${what}`

/** The probes where every release libvirt makes up a value at random. */
export const randomOnEveryRelease: Readonly<Record<string, string>> = {
  'h2-mem-nvd-ppc-label': randomValue("a pSeries NVDIMM's UUID"),
  'h2-net-vp-none-net': randomValue("an untyped virtual port's instance and interface IDs"),
  'h7-misc3': randomValue('an empty <genid>'),
}
