import { describe, expect, it } from 'vitest'
import * as xmlCore from '@virtuned/xml-core'
import { deviceIdentityRules, deviceKinds, domainIdentityRules, identityRuleOf, libvirtIdentityKeys, toIdentityKeys } from '../src/index.ts'

describe('the one identity table', () => {
  it('covers every device kind, and derives the merge keys', () => {
    expect([...new Set(deviceIdentityRules.map((r) => r.kind))].sort()).toEqual([...deviceKinds].sort())
    expect(toIdentityKeys(deviceIdentityRules, domainIdentityRules)).toEqual(libvirtIdentityKeys)
    // Typed rules come before the kind's catch-all, so the first matching rule is the right one.
    expect(identityRuleOf({ name: 'hostdev', attributes: { type: 'pci' } })?.type).toBe('pci')
    expect(identityRuleOf({ name: 'hostdev', attributes: { type: 'scsi_host' } })?.keys).toEqual(['@type'])
    expect(identityRuleOf({ name: 'tpm', attributes: { model: 'spapr-tpm-proxy' } })?.keys).toEqual(['@model'])
    expect(identityRuleOf({ name: 'tpm', attributes: { model: 'tpm-crb' } })?.keys).toEqual([])
  })

  it('is the only copy: xml-core, a generic engine, no longer carries libvirt\'s table', () => {
    expect('libvirtIdentityKeys' in xmlCore).toBe(false)
  })

  it('gives merge paths that name what libvirt keeps apart', () => {
    const doc = xmlCore.parseXml("<domain><devices><panic model='isa'/><panic model='hyperv'/><console type='pty'/></devices></domain>")
    expect(xmlCore.valuePaths(doc, libvirtIdentityKeys)).toEqual([
      '/domain', '/domain/devices',
      "/domain/devices/panic[@model='isa']", "/domain/devices/panic[@model='isa']/@model",
      "/domain/devices/panic[@model='hyperv']", "/domain/devices/panic[@model='hyperv']/@model",
      '/domain/devices/console[not(target/@type)][not(target/@port)]', '/domain/devices/console[not(target/@type)][not(target/@port)]/@type',
    ])
  })
})
