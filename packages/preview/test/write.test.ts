// The writer (src/_write.ts) against xml-core's serializer: for any tree, writeDomain(n) must be
// toXml(toElement(n)) in libvirt style — but for tab, newline and carriage return, which libvirt writes as they are
// (virBufferEscapeString; xml-core writes references) outside <metadata> (libxml2's, references there too). Its byte path (ASCII) and its string path (anything beyond ASCII)
// both: escapes in attribute values and text, characters beyond ASCII in every place a string goes, kept-
// as-written <metadata>, outputs larger than the reused buffer; then every libvirt corpus domain (skipped
// without the corpus, failing under CI=true).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDomain } from '@virtuned/model'
import { toXml } from '@virtuned/xml-core'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { writeDomain } from '../src/_write.ts'
import { fromElement, node, toElement, type N } from '../src/_node.ts'

const asLibvirtWrites = (x: string): string => x.replace(/&#9;/g, '\t').replace(/&#10;/g, '\n').replace(/&#13;/g, '\r')
const reference = (n: N): string => {
  const x = toXml({ type: 'root', children: [toElement(n)] })
  const metadata = /<metadata[\s\S]*<\/metadata>/.exec(x)
  return metadata ? asLibvirtWrites(x.slice(0, metadata.index)) + metadata[0] + asLibvirtWrites(x.slice(metadata.index + metadata[0].length)) : asLibvirtWrites(x)
}
const read = (xml: string): N => fromElement(parseDomain(xml).root)

const base = `<domain type='kvm'>
  <name>vm-1</name>
  <description>tab\there, "quoted" 'single' &amp; &lt;tag&gt; and CR&#13;</description>
  <metadata>
    <app:info xmlns:app="urn:x" a="1 &amp; 'x'" b="x&#10;y">
      <app:note>keep  me <b>bold</b> tail 'quote'</app:note>
    </app:info>
  </metadata>
  <memory unit='KiB'>524288</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type><cmdline>console=ttyS0 a="b" x&amp;y</cmdline></os>
  <devices>
    <disk type='file' device='disk'><source file="/images/it's &amp; &lt;this&gt;.img" name="a&#9;b&#10;c&#13;d"/><target dev='vda' bus='virtio'/></disk>
    <interface type='user'><mac address='52:54:00:aa:bb:cc'/></interface>
    <memballoon model='virtio'/>
  </devices>
</domain>
`

describe('writeDomain', () => {
  it('writes ASCII domains, escapes included, as xml-core does', () => {
    const n = read(base)
    const out = writeDomain(n)
    expect(out).toBe(reference(n))
    // the escapes are there (a reference that escaped nothing would not be a test)
    expect(out).toContain("name='a\tb\nc\rd'")
    expect(out).toContain('b="x&#10;y"')
    expect(out).toContain("file='/images/it&apos;s &amp; &lt;this&gt;.img'")
    expect(out).toContain('<description>tab\there, &quot;quoted&quot; &apos;single&apos; &amp; &lt;tag&gt; and CR\r</description>')
  })

  it('writes characters beyond ASCII wherever they are, as xml-core does', () => {
    for (const xml of [
      base.replace('vm-1', 'vm-é'),
      base.replace("unit='KiB'", "unit='KiB' note='ü'"),
      base.replace('keep  me', 'keep ✓ me'),
      base.replace('<memballoon', '<memballoon naïve="yes"'),
      base.replace('<memballoon', '<memballoön'),
      base.replace('hvm', 'hvm 🙂'),
      base.replace('tab\there', 'tab\there \u00a0'),
    ]) {
      const n = read(xml)
      expect(writeDomain(n)).toBe(reference(n))
    }
    // strings the rules make need not be valid UTF-16: a lone surrogate is written as it is
    const lone = node('domain', { type: 'kvm' }, [node('name', {}, [], 'a\uD800b'), node('title', { x: '\uDC00' }, [], 'x')])
    expect(writeDomain(lone)).toBe(reference(lone))
    expect(writeDomain(lone)).toContain('a\uD800b')
  })

  it('writes outputs larger than its buffer, and small ones after them', () => {
    const disks = Array.from({ length: 12000 }, (_, k) => node('disk', { type: 'file', device: 'disk' }, [
      node('source', { file: `/images/disk-${k}.qcow2` }),
      node('target', { dev: `vd${k}`, bus: 'virtio' }),
    ]))
    const large = node('domain', { type: 'kvm' }, [node('name', {}, [], 'large'), node('devices', {}, disks)])
    const out = writeDomain(large)
    expect(out.length).toBeGreaterThan(1024 * 1024)
    expect(out).toBe(reference(large))
    // one value that grows sixfold when escaped
    const quotes = node('domain', { type: 'kvm' }, [node('description', { a: "'".repeat(100_000) }, [], '"'.repeat(100_000))])
    expect(writeDomain(quotes)).toBe(reference(quotes))
    const small = read(base)
    expect(writeDomain(small)).toBe(reference(small))
    expect(writeDomain(large)).toBe(out)
  })

  const { dir, reason } = locateCorpus()
  it.skipIf(!dir)(`writes libvirt's corpus domains as xml-core does${dir ? '' : ` (skipped: ${reason})`}`, () => {
    const files = corpusFiles(dir!, ['domains', 'domains-out'])
    const differ: string[] = []
    let written = 0
    for (const file of files) {
      let n: N
      try { n = fromElement(parseDomain(readFileSync(join(dir!, file))).root) } catch { continue }
      if (writeDomain(n) !== reference(n)) differ.push(file)
      written++
    }
    expect(differ.slice(0, 5)).toEqual([])
    expect(written).toBeGreaterThan(files.length / 2)
  })
})
