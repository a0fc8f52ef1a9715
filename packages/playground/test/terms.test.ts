// The packages' messages, in the page's terms: each CLI option the packages mention becomes the
// control the page has for it.
import { describe, expect, it } from 'vitest'
import { policyErrorCatalog, builtinPolicies } from '@virtuned/policies'
import { defaultsErrorCatalog } from '@virtuned/defaults'
import { inPageTerms } from '../src/terms.ts'

const flag = /(^|[\s(`])--[a-z][\w-]*/

describe('inPageTerms', () => {
  it('names the page’s controls for the options messages mention', () => {
    expect(inPageTerms('No domain capabilities given: assuming a KVM x86_64 host with common features (use --domcaps or --connect for the real host).'))
      .toBe('No domain capabilities given: assuming a KVM x86_64 host with common features (choose a host preset or paste its `virsh domcapabilities` under “Host”).')
    expect(inPageTerms('--force: `secure-boot` replaced your /domain/os/@firmware "bios".')).toBe('Policies override my values: `secure-boot` replaced your /domain/os/@firmware "bios".')
    expect(inPageTerms('Drop one of the clashing policies, change your value, or pass --force to let a policy’s requirement win over your value.'))
      .toBe('Drop one of the clashing policies, change your value, or tick “let policies override my values” to let a policy’s requirement win over your value.')
    expect(inPageTerms('Firmware autoselection reads the host\'s firmware descriptors: pass `firmware` to predict it.'))
      .toBe('Firmware autoselection reads the host\'s firmware descriptors (/usr/share/qemu/firmware/*.json), which the page has only for its QEMU capabilities presets: libvirt picks the loader and NVRAM on the host.')
  })

  it('leaves no CLI option in any policy description or error hint of policies and defaults', () => {
    const texts = [...Object.values(builtinPolicies).map((p) => p.description), ...Object.values(policyErrorCatalog), ...Object.values(defaultsErrorCatalog)]
    expect(texts.some((t) => flag.test(t))).toBe(true) // the packages do speak CLI…
    expect(texts.map(inPageTerms).filter((t) => flag.test(t))).toEqual([]) // …the page does not
  })
})
