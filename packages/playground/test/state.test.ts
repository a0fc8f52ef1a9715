// The URL state: what encodeState writes, decodeState reads back; anything else is refused with
// the page's own error, never a half-read state.
import { describe, expect, it } from 'vitest'
import { BadLinkError, decodeState, encodeState, type PageState } from '../src/state.ts'

const state: PageState = {
  xml: "<domain type='kvm'>\n  <name>ünïcödé — 名前</name>\n</domain>\n".repeat(40),
  os: 'win11', profile: '2026.11', policies: ['pcie', 'spice'], convert: true, force: false,
  host: { kind: 'pasted', xml: '<domainCapabilities><arch>x86_64</arch></domainCapabilities>' }, tab: 'diff', disk: '/var/lib/libvirt/images/data.qcow2',
  qemuCaps: 'x86_64',
}

describe('state in the URL', () => {
  it('round-trips every field, compressed into a URL-safe fragment', async () => {
    const hash = await encodeState(state)
    expect(hash).toMatch(/^#s=[A-Za-z0-9_-]+$/)
    expect(hash.length).toBeLessThan(JSON.stringify(state).length / 4) // repetitive XML deflates well
    expect(await decodeState(hash)).toEqual(state)
    for (const host of [{ kind: 'assumed' }, { kind: 'preset', id: 'tcg-q35' }] as const) {
      expect(await decodeState(await encodeState({ ...state, host }))).toEqual({ ...state, host })
    }
  })

  it('reads a link written before the Preview existed as one without QEMU capabilities', async () => {
    const { qemuCaps: _, ...older } = state
    expect(await decodeState(await encodeState(older as PageState))).toEqual({ ...state, qemuCaps: '' })
  })

  it('reads no state from a URL without one', async () => {
    expect(await decodeState('')).toBeUndefined()
    expect(await decodeState('#section')).toBeUndefined()
  })

  it('refuses a link cut short or edited, and a state of another shape', async () => {
    const hash = await encodeState(state)
    await expect(decodeState(hash.slice(0, hash.length - 20))).rejects.toThrow(BadLinkError)
    await expect(decodeState('#s=!!!')).rejects.toMatchObject({ code: 'playground-bad-link' })
    const other = await encodeState({ ...state, policies: 'pcie' } as unknown as PageState)
    await expect(decodeState(other)).rejects.toThrow(/not one this page wrote/)
    const badHost = await encodeState({ ...state, host: { kind: 'preset' } } as unknown as PageState)
    await expect(decodeState(badHost)).rejects.toThrow(BadLinkError)
    const pastedCaps = await encodeState({ ...state, qemuCaps: { kind: 'pasted', xml: '<qemuCaps/>' } } as unknown as PageState)
    await expect(decodeState(pastedCaps)).rejects.toThrow(BadLinkError)
  })
})
