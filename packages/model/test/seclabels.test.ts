// The longest words libvirt reads in a security label (probes h42-s-…, h42-ds-… on libvirtd 9.0).
import { expect, it } from 'vitest'
import { securityLabelLimits, withinSecurityLabelLimit } from '../src/index.ts'

it('reads a model of up to 256 bytes and a label of up to 4,096 (VIR_SECURITY_*_BUFLEN less the NUL)', () => {
  expect(securityLabelLimits).toEqual({ model: 256, label: 4096 })
  expect(withinSecurityLabelLimit('m'.repeat(256), securityLabelLimits.model)).toBe(true)
  expect(withinSecurityLabelLimit('m'.repeat(257), securityLabelLimits.model)).toBe(false)
  expect(withinSecurityLabelLimit('l'.repeat(4096), securityLabelLimits.label)).toBe(true)
  expect(withinSecurityLabelLimit('l'.repeat(4097), securityLabelLimits.label)).toBe(false)
})

it('measures UTF-8 bytes, as C does: 129 two-byte letters are 258 bytes', () => {
  expect(withinSecurityLabelLimit('é'.repeat(128), 256)).toBe(true)
  expect(withinSecurityLabelLimit('é'.repeat(129), 256)).toBe(false)
  expect(withinSecurityLabelLimit('€'.repeat(85), 256)).toBe(true)
  expect(withinSecurityLabelLimit('€'.repeat(86), 256)).toBe(false)
})
