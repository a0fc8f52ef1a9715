import { describe, expect, it } from 'vitest'
import { planAttach } from '@virtuned/hotplug'
import { parseXml, rootElement } from '@virtuned/xml-core'
import { libosinfoNamespace, toSpec } from '@virtuned/model'
import { applyDefaults, assumedHost, defaultsNamespace, deviceDefaultsLayer } from '../src/index.ts'

const bare = `<domain type='kvm'><name>g</name><memory unit='GiB'>2</memory><vcpu>4</vcpu><os><type arch='x86_64'>hvm</type></os><devices>
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/root.qcow2'/></disk><interface type='network'><source network='default'/></interface></devices></domain>`

/**
 * What Python's ElementTree writes back after reading a domain: every namespace declared on the
 * root with generated prefixes (`ns0`, `ns1`), none left on the elements that use them.
 */
function asElementTree(xml: string): string {
  return xml
    .replace(/ xmlns:libosinfo=(['"])[^'"]+\1/, '')
    .replace(/ xmlns:virtuned=(['"])[^'"]+\1/, '')
    .replaceAll('libosinfo:', 'ns0:')
    .replaceAll('virtuned:', 'ns1:')
    .replace("<domain type='kvm'>", `<domain xmlns:ns0='${libosinfoNamespace}' xmlns:ns1='${defaultsNamespace}' type='kvm'>`)
}

const original = applyDefaults(bare, { os: 'debian11', host: assumedHost, profile: '2026.11' }).xml
const written = asElementTree(original)

describe('namespaces are read by URI, not by prefix (ElementTree: ns0 declared on the root)', () => {
  it('the fixture really is what ElementTree writes', () => {
    expect(written).toContain(`<domain xmlns:ns0='${libosinfoNamespace}'`)
    expect(written).toMatch(/<ns0:libosinfo>\s*<ns0:os id="http:\/\/debian\.org\/debian\/11"\/>\s*<\/ns0:libosinfo>/)
    expect(written).toContain('<ns1:defaults profile="2026.11"/>')
  })

  it('applyDefaults reads the recorded OS and profile: no warning, same rules, nothing added twice', () => {
    const again = applyDefaults(original, { host: assumedHost })
    const fromEt = applyDefaults(written, { host: assumedHost })
    expect(fromEt.warnings).toEqual(again.warnings)
    expect(fromEt.warnings.join('\n')).not.toContain('No guest OS')
    expect(fromEt.os?.id).toBe('http://debian.org/debian/11')
    expect(fromEt.profile).toBe('2026.11')
    expect(fromEt.rules).toEqual(again.rules)
    expect(fromEt.explanation).toEqual([])
    // The metadata stays one element per namespace, under the document's own prefixes.
    expect(fromEt.xml).toBe(asElementTree(again.xml))
    expect(fromEt.xml.match(/libosinfo>/g)?.length).toBe(2)
  })

  it('a profile recorded under ns1 is replaced in place by a newer one, not duplicated', () => {
    const older = written.replace('profile="2026.11"', 'profile="2026.12"')
    const result = applyDefaults(older, { host: assumedHost, profile: '2026.11' })
    expect(result.xml.match(/defaults /g)?.length).toBe(1)
    expect(result.xml).toContain('<ns1:defaults profile="2026.11"/>')
  })

  it('deviceDefaultsLayer and plan-attach get the OS defaults', () => {
    const disk = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/data.qcow2'/></disk>"
    const layer = deviceDefaultsLayer(written, disk)
    expect(layer).toEqual(deviceDefaultsLayer(original, disk))
    expect(layer?.filled).toContain('disk-bus: target/@bus=virtio')
    const plan = planAttach(written, disk, { layers: [layer!], seed: 'data' })
    expect(plan).toEqual(planAttach(original, disk, { layers: [deviceDefaultsLayer(original, disk)!], seed: 'data' }))
  })

  it('toSpec reads the OS id', () => {
    expect(toSpec(written).spec).toEqual(toSpec(original).spec)
    expect(toSpec(written).spec.osinfo).toBe('http://debian.org/debian/11')
  })

  it('a default namespace (no prefix) on the holder reads the same', () => {
    const plain = original.replace(/<libosinfo:libosinfo xmlns:libosinfo="([^"]+)">\s*<libosinfo:os id="([^"]+)"\/>\s*<\/libosinfo:libosinfo>/, "<libosinfo xmlns='$1'><os id='$2'/></libosinfo>")
    expect(plain).toContain("<libosinfo xmlns='")
    expect(applyDefaults(plain, { host: assumedHost }).os?.id).toBe('http://debian.org/debian/11')
    expect(rootElement(parseXml(applyDefaults(plain, { host: assumedHost }).xml))).toBeDefined()
  })
})
