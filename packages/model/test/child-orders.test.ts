import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { afterDeviceInfo, deviceInfoChildOrder, formatterChildOrders, parseLibvirtXml, schemaPlace, type LibvirtDocument } from '../src/index.ts'

type Element = Extract<LibvirtDocument['root']['children'][number], { type: 'element' }>

/** A path's element names, predicates left out (`devices/interface[@type='hostdev']/source` → devices, interface, source). */
const namesOf = (path: string): string[] => path.split('/').map((step) => step.replace(/\[.*\]$/, ''))

describe('formatterChildOrders', () => {
  it('names only elements libvirt’s schema takes at each place (11.3 or 9.0)', () => {
    const unknown: string[] = []
    for (const [path, order] of Object.entries(formatterChildOrders)) {
      const places = [11_003_000, 9_000_000].map((release) => schemaPlace(namesOf(path), release))
      expect(places.some((p) => p !== undefined), path).toBe(true)
      for (const name of order) if (!places.some((p) => p?.children.has(name))) unknown.push(`${path}/${name}`)
    }
    // (<os>'s order, devices.ts, holds libvirt 11.x's newer firmware variable store too)
    expect(unknown).toEqual(['os/varstore'])
  })

  it('names each child once, and the device information is a device’s own', () => {
    for (const [path, order] of Object.entries(formatterChildOrders)) expect(new Set(order).size, path).toBe(order.length)
    for (const [device, after] of Object.entries(afterDeviceInfo)) {
      expect(after.some((n) => deviceInfoChildOrder.includes(n)), device).toBe(false)
      expect(schemaPlace(['devices', device], 11_003_000)).toBeDefined()
    }
  })
})

describe('orders the h37 probes checked (libvirtd 9.0; 11.3\'s formatters alike)', () => {
  it('a TPM backend, a video model, an EGD backend, the resource partition, a NUMA cell and its caches', () => {
    expect(formatterChildOrders['devices/tpm/backend']).toEqual(['device', 'encryption', 'active_pcr_banks', 'source', 'profile'])
    expect(formatterChildOrders['devices/video/model']).toEqual(['acceleration', 'resolution'])
    expect(formatterChildOrders['devices/rng/backend']).toEqual(['source', 'protocol', 'log'])
    expect(formatterChildOrders.resource).toEqual(['partition', 'fibrechannel'])
    expect(formatterChildOrders['cpu/numa/cell']).toEqual(['distances', 'cache'])
    expect(formatterChildOrders['cpu/numa/cell/cache']).toEqual(['size', 'line'])
  })

  it("a network disk source (an NFS identity after the hosts, the initiator before the curl protocols' children; an SSH identity after its known hosts), a character device's UNIX source, launch security, 11.x's crypto, pstore and disk driver", () => {
    const source = formatterChildOrders['devices/disk/source']!
    expect(source.slice(0, 11)).toEqual(['host', 'identity', 'reconnect', 'snapshot', 'config', 'initiator', 'ssl', 'cookies', 'readahead', 'timeout', 'knownHosts'])
    const ssh = formatterChildOrders["devices/disk/source[@protocol='ssh']"]!
    expect(ssh.slice(0, 11)).toEqual(['host', 'reconnect', 'snapshot', 'config', 'initiator', 'ssl', 'cookies', 'readahead', 'timeout', 'knownHosts', 'identity'])
    expect(ssh.slice(11)).toEqual(source.slice(11))
    expect(formatterChildOrders['devices/channel/source']).toEqual(['seclabel', 'reconnect'])
    expect(formatterChildOrders['devices/crypto']).toEqual(['backend', 'driver'])
    expect(formatterChildOrders['devices/pstore']).toEqual(['path', 'size'])
    expect(formatterChildOrders['devices/disk/driver']).toEqual(['metadata_cache', 'iothreads'])
    expect(formatterChildOrders['throttlegroups/throttlegroup']!.at(-1)).toBe('group_name')
    expect(formatterChildOrders['throttlegroups/throttlegroup']!.slice(0, -1)).toEqual(formatterChildOrders['devices/disk/iotune']!.filter((n) => n !== 'group_name'))
    expect(formatterChildOrders.launchSecurity).toEqual(['cbitpos', 'reducedPhysBits', 'policy', 'dhCert', 'session', 'guestVisibleWorkarounds', 'idBlock', 'idAuth', 'hostData'])
  })

  it('memtune: the guarantee before the swap limit (virDomainMemtuneFormat; QEMU refuses a guarantee, so not seen live)', () => {
    expect(formatterChildOrders.memtune).toEqual(['hard_limit', 'soft_limit', 'min_guarantee', 'swap_hard_limit'])
  })
})

/** The elements a path reaches below `root` (a step `name[@attr='value']` keeps those with that attribute). */
function elementsAt(root: Element, path: string): Element[] {
  let level: Element[] = [root]
  for (const step of path.split('/')) {
    const [, name, attr, value] = /^([^[]+)(?:\[@(\w+)='([^']*)'\])?$/.exec(step)!
    level = level.flatMap((e) => e.children.filter((c): c is Element => c.type === 'element' && c.name === name && (attr === undefined || c.attributes[attr] === value)))
  }
  return level
}

const corpus = locateCorpus()

describe.skipIf(!corpus.dir)(`formatterChildOrders against libvirt's own output${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  const files = corpus.dir ? corpusFiles(corpus.dir, ['domains-out', 'generic-out']) : []

  it('every pair of listed children in every file libvirt wrote is in order', () => {
    const paths = Object.keys(formatterChildOrders)
    const stripped = (path: string): string => path.replace(/\[[^\]]*\]/g, '')
    const out: string[] = []
    let compared = 0
    for (const file of files) {
      const root = parseLibvirtXml(readFileSync(join(corpus.dir!, file))).root as Element
      if (root.name !== 'domain') continue
      for (const path of paths) {
        // (an element a predicated path reaches takes that path's order, not the plain one: a hostdev interface's source)
        const taken = new Set(paths.filter((p) => p !== path && stripped(p) === path).flatMap((p) => elementsAt(root, p)))
        const order = formatterChildOrders[path]!
        for (const e of elementsAt(root, path)) {
          if (taken.has(e)) continue
          const names = e.children.filter((c): c is Element => c.type === 'element').map((c) => c.name)
          const ranks = names.map((n) => order.indexOf(n)).filter((r) => r >= 0)
          compared++
          if (ranks.some((r, i) => i > 0 && r < ranks[i - 1]!)) out.push(`${file}: ${path}: ${names.join(' ')}`)
        }
      }
    }
    expect(out).toEqual([])
    expect(compared).toBeGreaterThan(2000)
  })
})
