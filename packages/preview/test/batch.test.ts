// previewDomains: several domains on one host, each outcome what previewDomain gives or throws for it, in order — over
// the probes written for libvirtd 9.0 (fixtures/preview/probes: stored, refused and malformed domains of every arch, given
// one x86_64 host, so that some are refused for their arch) and the client samples (fixtures/preview/clients).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseQemuCaps, previewDomain, previewDomains, PreviewError, type PreviewOptions, type PreviewSettled } from '../src/index.ts'
import { capsXml } from './_caps.ts'

const fixtures = new URL('../../../fixtures/preview/', import.meta.url).pathname
const domainsIn = (file: string): string[] => readFileSync(file, 'utf8').match(/<domain\b[\s\S]*?<\/domain>/g) ?? []
const probes = readdirSync(join(fixtures, 'probes')).filter((f) => f.endsWith('.xml')).sort().flatMap((f) => domainsIn(join(fixtures, 'probes', f)))
const clients = readdirSync(join(fixtures, 'clients')).filter((f) => f.endsWith('.xml')).sort().flatMap((f) => domainsIn(join(fixtures, 'clients', f)))
// (every seventh probe: ~3,000 domains, each kind of file among them)
const inputs: (string | Uint8Array)[] = [...clients, ...probes.filter((_, i) => i % 7 === 0)]
// (and what is no domain at all: not XML, another root, bytes)
inputs.splice(5, 0, '<domain', '<network/>', new TextEncoder().encode(clients[0]!), '')

/** An outcome as plain data: the document, the explanation and what was not predicted, or the error's class, code and words. */
function plain(outcome: PreviewSettled): unknown {
  if (outcome.status === 'fulfilled') {
    const { xml, explanation, notPredicted } = outcome.value
    return { xml, explanation, notPredicted }
  }
  const error = outcome.reason as Error & { code?: string; path?: string; place?: unknown }
  return { error: error.constructor.name, code: error.code, message: error.message, path: error.path, place: error.place }
}

const one = (xml: string | Uint8Array, options: PreviewOptions): PreviewSettled => {
  try {
    return { status: 'fulfilled', value: previewDomain(xml, options) }
  } catch (reason) {
    return { status: 'rejected', reason }
  }
}

describe('previewDomains', () => {
  for (const [name, options] of [
    ['libvirt 11.3', { qemuCaps: parseQemuCaps(capsXml()), abiUpdate: true }],
    ['libvirt 9.0', { qemuCaps: parseQemuCaps(capsXml()), abiUpdate: true, libvirtVersion: 9000000 }],
  ] as const) {
    it(`gives each domain what previewDomain gives or throws for it, in order (${inputs.length} domains, ${name})`, () => {
      const batch = previewDomains(inputs, options)
      expect(batch).toHaveLength(inputs.length)
      const outcomes = inputs.map((xml) => one(xml, options))
      // (both kinds are among them: stored and refused)
      expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThan(500)
      expect(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof PreviewError).length).toBeGreaterThan(500)
      const apart = batch.map((o, i) => [i, plain(o), plain(outcomes[i]!)] as const).filter(([, a, b]) => JSON.stringify(a) !== JSON.stringify(b))
      expect(apart.slice(0, 3)).toEqual([])
      // (each domain previewed twice — together, then alone —: its time grows with the fixtures; 74 s and 62 s with 10,363
      // domains on 2026-12-07's slow machine beside other runs, ~25 s of processor time each)
    }, 300_000)
  }

  it('takes any iterable, one domain or none', () => {
    const options = { qemuCaps: capsXml() }
    function* two(): Generator<string> { yield clients[1]!; yield clients[2]! }
    expect(previewDomains(two(), options).map(plain)).toEqual([one(clients[1]!, options), one(clients[2]!, options)].map(plain))
    expect(previewDomains([clients[3]!], options).map(plain)).toEqual([plain(one(clients[3]!, options))])
    expect(previewDomains([], options)).toEqual([])
    // (one domain's text or bytes is not several domains, though both are iterables)
    expect(() => previewDomains(clients[3]! as unknown as string[], options)).toThrow(/not one: give `\[xml\]`/)
    expect(() => previewDomains(new TextEncoder().encode(clients[3]!) as unknown as Uint8Array[], options)).toThrow(TypeError)
  })

  it('throws for options it cannot read, as previewDomain does, before any domain', () => {
    expect(() => previewDomains(clients, { qemuCaps: '<network/>' })).toThrow(expect.objectContaining({ code: 'preview-not-qemucaps' }))
    expect(() => previewDomains(clients, { qemuCaps: capsXml(), hostArch: 'z80' })).toThrow(expect.objectContaining({ code: 'preview-unknown-host-arch' }))
  })
})
