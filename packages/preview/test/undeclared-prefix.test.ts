// Elements named with a prefix: libxml2 reads one whose prefix no declaration binds as a plain element of that whole
// name in no namespace (a namespace error it does not stop for), so libvirt does not know it — it is dropped, and where
// libvirt reads its parent's text, the string value counts its text too; an element in a declared namespace is not read
// either, its text counted alike. Each case as libvirtd 9.0 stored it.
import { describe, expect, it } from 'vitest'
import { predicts } from './_refusal.ts'

const dom = (devices: string, { attrs = '', settings = '' } = {}): string =>
  `<domain type='qemu'${attrs}><name>n</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid><memory>1048576</memory><os><type arch='x86_64' machine='pc'>hvm</type></os>${settings}<devices>${devices}</devices></domain>`
const disk = (serial: string): string => `<disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/>${serial}</disk>`

describe('elements with a prefix no declaration binds, and text beside elements in a namespace', () => {
  it("a disk's serial is its string value, the text of such elements counted", () => {
    for (const [attrs, serial] of [['', '<serial>ab<x:y/>cd</serial>'], ['', '<serial>ab<x:y>ZZ</x:y>cd</serial>'], [" xmlns:x='urn:x'", '<serial>ab<x:y>ZZ</x:y>cd</serial>'], ['', "<serial xmlns:x='urn:x'>ab<x:y/>cd</serial>"]] as const) {
      const out = predicts(dom(disk(serial), { attrs }))
      expect(out).toContain(serial.includes('ZZ') ? '<serial>abZZcd</serial>' : '<serial>abcd</serial>')
      expect(out).not.toContain('x:y')
    }
  })
  it("such an element is dropped where libvirt knows none: a disk's child, the emulator's path, a top-level one, an undeclared QEMU namespace", () => {
    expect(predicts(dom(disk('<x:y/>')))).not.toContain('x:y')
    expect(predicts(dom('<emulator>/usr/bin/qemu-system-x86_6<a:b/>4</emulator>'))).toContain('<emulator>/usr/bin/qemu-system-x86_64</emulator>')
    expect(predicts(dom('', { settings: '<x:foo/>' }))).not.toContain('x:foo')
    expect(predicts(dom('', { settings: "<qemu:commandline><qemu:arg value='-x'/></qemu:commandline>" }))).not.toContain('qemu:')
    // (the near miss: the QEMU namespace declared is read)
    expect(predicts(dom('', { attrs: " xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'", settings: "<qemu:commandline><qemu:arg value='-x'/></qemu:commandline>" }))).toContain("<qemu:arg value='-x'/>")
  })
})
