// Issue 16 item 3: reading a domain is linear in its devices. Views located each child by counting
// its siblings again (a path per device cost a pass over all devices): 8,000 disks took 3.3 s.
import { describe, expect, it } from 'vitest'
import { childPath, childrenOf } from '../src/_xml.ts'
import { parseLibvirtXml, toSpec, viewDomain } from '../src/index.ts'

const domain = (disks: number) => `<domain type='kvm'><name>x</name><memory>1048576</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices>\n${
  Array.from({ length: disks }, (_, i) => `<disk type='file' device='disk'><source file='/d${i}'/><target dev='vd${i}x' bus='virtio'/></disk>`).join('\n')}\n<interface type='user'/><rng model='virtio'/><rng model='virtio'/>\n</devices></domain>`

describe('reading many devices', () => {
  it('locates children with the paths childPath gives, in one pass', () => {
    const devices = parseLibvirtXml(domain(3)).root.children.find((c) => c.type === 'element' && c.name === 'devices')
    if (devices?.type !== 'element') throw new Error('no devices')
    const parent = { element: devices, path: 'domain/devices' }
    const expected = devices.children.filter((c) => c.type === 'element').map((c) => childPath(parent, c as never))
    expect(childrenOf(parent).map((l) => l.path)).toEqual(expected)
    expect(expected).toEqual(['domain/devices/disk[1]', 'domain/devices/disk[2]', 'domain/devices/disk[3]', 'domain/devices/interface', 'domain/devices/rng[1]', 'domain/devices/rng[2]'])
    expect(childrenOf(parent, 'rng').map((l) => l.path)).toEqual(['domain/devices/rng[1]', 'domain/devices/rng[2]'])
  })

  it('views and reads as a spec n devices with O(n) reads of <devices>, not O(n²)', () => {
    const reads = (disks: number, run: (document: ReturnType<typeof parseLibvirtXml>) => unknown): number => {
      const document = parseLibvirtXml(domain(disks))
      const devices = document.root.children.find((c) => c.type === 'element' && c.name === 'devices')!
      if (devices.type !== 'element') throw new Error('no devices')
      let count = 0
      const children = new Proxy([...devices.children], { get: (target, key, receiver) => (typeof key === 'string' && /^\d+$/.test(key) && count++, Reflect.get(target, key, receiver)) })
      const counted = { ...devices, children }
      const root = { ...document.root, children: document.root.children.map((c) => (c === devices ? counted : c)) }
      run({ ...document, root, tree: { ...document.tree, children: document.tree.children.map((c) => (c === document.root ? root : c)) } })
      return count
    }
    // 2,000 disks: the per-device sibling count read <devices> 8 million times.
    for (const run of [viewDomain, toSpec]) {
      const small = reads(1000, run)
      const large = reads(2000, run)
      expect(large / small).toBeLessThan(2.5)
      expect(large).toBeLessThan(100 * 2000)
    }
  })

  it('views and reads as a spec 12,000 disks well inside 5 s each', () => {
    const document = parseLibvirtXml(domain(12_000))
    let start = performance.now()
    expect(viewDomain(document).devices.disk).toHaveLength(12_000)
    expect(performance.now() - start).toBeLessThan(5000)
    start = performance.now()
    expect(toSpec(document).spec.disks).toHaveLength(12_000)
    expect(performance.now() - start).toBeLessThan(5000)
  })
})
