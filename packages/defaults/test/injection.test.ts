import { describe, expect, it } from 'vitest'
import { parseXml, rootElement, type Element } from '@virtuned/xml-core'
import { toSpec } from '@virtuned/model'
import { applyDefaults, assumedHost } from '../src/index.ts'

const bare = `<domain type='kvm'><name>g</name><memory unit='GiB'>2</memory><vcpu>4</vcpu><os><type arch='x86_64'>hvm</type></os><devices>
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/root.qcow2'/></disk></devices></domain>`

function find(e: Element, name: string): Element | undefined {
  if (e.name === name) return e
  for (const c of e.children) if (c.type === 'element') { const f = find(c, name); if (f) return f }
  return undefined
}

describe('no value reaches the XML unescaped', () => {
  // The OS id is the user's string: a quote in it must stay a quote in one attribute value.
  for (const os of ["http://x' injected='1/fedora/38", 'http://x" injected="1/fedora/38', 'http://x&amp;<y>/fedora/38']) {
    it(`records the OS id ${JSON.stringify(os)} as one attribute value`, () => {
      const result = applyDefaults(bare, { os, host: assumedHost })
      const recorded = find(rootElement(parseXml(result.xml))!, 'libosinfo:os')!
      expect(recorded.attributes).toEqual({ id: os })
      expect(toSpec(result.xml).spec.osinfo).toBe(os)
      // Read back, the recorded id is the same string (and the domain is still one document).
      expect(applyDefaults(result.xml, { host: assumedHost }).os?.id).toBe(result.os?.id)
    })
  }

  it('a parameter that reaches a rule\'s XML (the video model, from a caller in JavaScript) stays a value', () => {
    const evil = "vga'/><hostdev/><x a='"
    const result = applyDefaults(bare.replace('</devices>', "<graphics type='vnc'/></devices>"), { os: 'debian11', host: assumedHost, parameters: { videoModel: evil as 'vga' } })
    const root = rootElement(parseXml(result.xml))!
    expect(find(root, 'hostdev')).toBeUndefined()
    expect(find(find(root, 'video')!, 'model')!.attributes.type).toBe(evil)
  })
})
