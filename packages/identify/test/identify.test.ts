import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { deviceKinds, libvirtIdentityKeys } from '@virtuned/model'
import { createReferenceEngine, mergeTrees, parseXml, rootElement, type Element } from '@virtuned/xml-core'
import { describe, expect, it } from 'vitest'
import { locateCorpus } from '../../../tools/corpus.ts'
import { generateAlias, generateSerial, identityOf, identityRules, IdentityError, isUserAlias, matchDevices, toIdentityKeys, validateSerial } from '../src/index.ts'

const element = (xml: string) => rootElement(parseXml(xml))!
const domain = (devices: string) => `<domain><devices>${devices}</devices></domain>`

describe('identity rules', () => {
  it('cover every device kind libvirt has', () => {
    expect([...new Set(identityRules.map((r) => r.kind))].sort()).toEqual([...deviceKinds].sort())
  })

  it('become xml-core identity keys that merge and diff use', () => {
    const keys = toIdentityKeys(identityRules, libvirtIdentityKeys)
    const engine = createReferenceEngine()
    const a = domain("<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/><product id='0xbeef'/><address bus='1' device='5'/></source></hostdev>")
    const b = domain("<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/><product id='0xbeef'/><address bus='1' device='9'/></source></hostdev>")
    // Re-plugged USB device: same identity, only its bus address changed.
    expect(engine.diff(a, b, keys).ops).toEqual([{ op: 'set-attribute', path: "/domain/devices/hostdev[source/vendor/@id='0x1234'][source/product/@id='0xbeef']/source/address", name: 'device', value: '9', from: '5' }])
    expect(matchDevices(a, b).pairs.map((p) => p.by)).toEqual(['key'])
  })
})

describe('one identity table for merge and matching', () => {
  it('merge keys are this table (model owns it; identify, defaults, policies and hotplug read it)', () => {
    expect(toIdentityKeys(identityRules)).toEqual(libvirtIdentityKeys)
    const devicePaths = libvirtIdentityKeys.rules.filter((r) => r.path.startsWith('domain/devices/') && r.path.split('/').length === 3)
    expect(devicePaths.map((r) => [r.path, r.key])).toEqual(identityRules.map((r) => [`domain/devices/${r.kind}${r.type ? `[@type='${r.type}']` : r.model ? `[@model='${r.model}']` : ''}`, r.keys]))
  })

  it('settled per libvirt: panic and watchdog by model, parallel by port, crypto by model and type, pstore by backend', () => {
    const engine = createReferenceEngine()
    const cases: [string, string, string][] = [
      ["<panic model='isa'/>", "<panic model='hyperv'/>", "/domain/devices/panic[@model='hyperv']"],
      ["<watchdog model='itco'/>", "<watchdog model='i6300esb'/>", "/domain/devices/watchdog[@model='i6300esb']"],
      ["<parallel type='pty'><target port='0'/></parallel>", "<parallel type='pty'><target port='1'/></parallel>", "/domain/devices/parallel[target/@port='1']"],
      ["<crypto model='virtio' type='qemu'/>", "<crypto model='virtio' type='other'/>", "/domain/devices/crypto[@model='virtio'][@type='other']"],
      ["<pstore backend='acpi-erst'/>", "<pstore backend='other'/>", "/domain/devices/pstore[@backend='other']"],
    ]
    for (const [one, other, added] of cases) {
      // A device of another model is another device for merge (an insert), and for matching (added).
      const ops = engine.diff(domain(one), domain(one + other), libvirtIdentityKeys).ops
      expect(ops.map((o) => (o.op === 'insert' ? `${o.path}/${o.as}` : o.op))).toEqual([added])
      expect(matchDevices(domain(one), domain(one + other))).toMatchObject({ pairs: [{ by: 'key' }], added: [{ kind: element(other).name }] })
    }
  })

  it('merge and matching normalise values alike: MAC case, PCI numbers in any base', () => {
    const before = domain("<interface type='network'><mac address='52:54:00:AB:CD:EF'/></interface><hostdev mode='subsystem' type='pci'><source><address domain='0' bus='1' slot='2' function='0'/></source></hostdev>")
    const after = domain("<interface type='network'><mac address='52:54:00:ab:cd:ef'/></interface><hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x01' slot='0x02' function='0x0'/></source></hostdev>")
    expect(matchDevices(before, after)).toMatchObject({ pairs: [{ by: 'key' }, { by: 'key' }], added: [], removed: [] })
    const ops = createReferenceEngine().diff(before, after, libvirtIdentityKeys).ops
    expect(ops.filter((o) => o.op === 'insert' || o.op === 'remove')).toEqual([])
    expect(ops.map((o) => o.path)).toContain("/domain/devices/hostdev[source/address/@domain='0x0000'][source/address/@bus='0x01'][source/address/@slot='0x02'][source/address/@function='0x0']")
    expect(identityOf(element("<interface><mac address='52:54:00:AB:CD:EF'/></interface>")).identity).toBe("interface[mac/@address='52:54:00:ab:cd:ef']")
  })

  it('merge and matching read a text key alike: trimmed (the same lease), and another key is another lease', () => {
    const lease = (key: string) => domain(`<lease><lockspace>ls</lockspace><key>${key}</key><target path='/l'/></lease>`)
    expect(matchDevices(lease('k'), lease(' k ')).pairs).toHaveLength(1)
    expect(createReferenceEngine().diff(lease('k'), lease(' k '), libvirtIdentityKeys).ops.map((o) => o.op)).toEqual(['set-text'])
    expect(matchDevices(lease('k'), lease('j')).pairs).toEqual([])
    expect(createReferenceEngine().diff(lease('k'), lease('j'), libvirtIdentityKeys).ops.map((o) => o.op).sort()).toEqual(['insert', 'remove'])
  })

  it('one TPM: another model is a conflict for merge, the same device for matching; the pSeries proxy is its own device', () => {
    const base = parseXml(domain("<tpm model='tpm-tis'><backend type='emulator' version='2.0'/></tpm>"))
    const layer = { name: 'policy:tpm', mode: 'require' as const, document: parseXml(domain("<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>")) }
    expect(mergeTrees(base, [layer], libvirtIdentityKeys).conflicts).toMatchObject([{ path: '/domain/devices/tpm/@model', current: 'tpm-tis', wanted: 'tpm-crb' }])
    expect(matchDevices(domain("<tpm model='tpm-tis'/>"), domain("<tpm model='tpm-crb'/>")).pairs).toHaveLength(1)
    const proxy = "<tpm model='spapr-tpm-proxy'><backend type='passthrough'><device path='/dev/tpmrm0'/></backend></tpm>"
    const ops = createReferenceEngine().diff(domain("<tpm model='tpm-spapr'/>"), domain("<tpm model='tpm-spapr'/>" + proxy), libvirtIdentityKeys).ops
    expect(ops.map((o) => (o.op === 'insert' ? o.as : o.op))).toEqual(["tpm[@model='spapr-tpm-proxy']"])
  })
})

describe('aliases and serials', () => {
  it("follow libvirt's user-alias rule", () => {
    // (`ua-` alone is one too: libvirtd 9.0 keeps it, and drops `ua-x.y`)
    expect(['ua-disk1', 'ua-a_b-C9', 'ua-'].map(isUserAlias)).toEqual([true, true, true])
    expect(['virtio-disk0', 'ua-x y', 'ua-x.y', 'ua-é', 'UA-x'].map(isUserAlias)).toEqual([false, false, false, false, false])
  })

  it('generate deterministic, collision-free aliases, or validate the caller’s', () => {
    const a = generateAlias('disk', new Set(), { seed: 'volume-42' })
    expect(a).toMatch(/^ua-disk-[0-9a-z]{7}$/)
    expect(generateAlias('disk', new Set(), { seed: 'volume-42' })).toBe(a)
    expect(generateAlias('disk', new Set([a]), { seed: 'volume-42' })).toBe(`${a}-2`)
    expect(generateAlias('disk', new Set(), { seed: 'volume-43' })).not.toBe(a)
    expect(generateAlias('interface', new Set(), { name: 'public' })).toBe('ua-public')
    expect(() => generateAlias('disk', new Set(['ua-boot']), { name: 'ua-boot' })).toThrow(expect.objectContaining({ code: 'identify-alias-taken' }))
    expect(() => generateAlias('disk', new Set(), { name: 'bad name' })).toThrow(IdentityError)
  })

  it('keep serials within what the bus passes to the guest', () => {
    expect(validateSerial('web-01-root', 'virtio')).toBe('web-01-root')
    expect(() => validateSerial('x'.repeat(21), 'virtio')).toThrow(expect.objectContaining({ code: 'identify-invalid-serial' }))
    expect(validateSerial('x'.repeat(36), 'scsi')).toHaveLength(36)
    expect(() => validateSerial('a b', 'scsi')).toThrow(IdentityError)
    const serial = generateSerial('volume-42', 'virtio')
    expect(serial).toBe(generateSerial('volume-42', 'virtio'))
    expect(validateSerial(serial, 'virtio')).toBe(serial)
  })
})

describe('matchDevices', () => {
  const disk = (dev: string, extra = '') => `<disk type='file'><source file='/i/${dev}'/><target dev='${dev}' bus='virtio'/>${extra}</disk>`

  it('pairs by key whatever the order, and lists what was added and removed', () => {
    const result = matchDevices(domain(disk('vda') + disk('vdb')), domain(disk('vdc') + disk('vdb') + disk('vda')))
    expect(result.pairs.map((p) => [p.before.identity, p.after.index, p.by])).toEqual([["disk[target/@dev='vda']", 2, 'key'], ["disk[target/@dev='vdb']", 1, 'key']])
    expect(result.added.map((d) => d.identity)).toEqual(["disk[target/@dev='vdc']"])
    expect(result.removed).toEqual([])
  })

  it('lets a user alias beat a changed target name', () => {
    const result = matchDevices(domain(disk('vda', "<alias name='ua-data'/>")), domain(disk('vdq', "<alias name='ua-data'/>")))
    expect(result.pairs.map((p) => p.by)).toEqual(['alias'])
  })

  it('pairs an interface with the MAC libvirt gave it, and reports two that could be either', () => {
    const nic = (mac = '') => `<interface type='network'>${mac}<source network='default'/><model type='virtio'/></interface>`
    const one = matchDevices(domain(nic()), domain(nic("<mac address='52:54:00:AA:00:01'/>")))
    expect(one.pairs.map((p) => p.by)).toEqual(['partial'])
    const two = matchDevices(domain(nic() + nic()), domain(nic("<mac address='52:54:00:aa:00:01'/>") + nic("<mac address='52:54:00:aa:00:02'/>")))
    expect(two.pairs).toEqual([])
    expect(two.ambiguous.length).toBeGreaterThan(0)
    // MACs compare case-insensitively.
    expect(matchDevices(domain(nic("<mac address='52:54:00:AA:00:01'/>")), domain(nic("<mac address='52:54:00:aa:00:01'/>"))).pairs.map((p) => p.by)).toEqual(['key'])
  })

  it('pairs video devices by position and says so', () => {
    const result = matchDevices(domain("<video><model type='qxl'/></video><video><model type='virtio'/></video>"), domain("<video><model type='qxl' vram='65536'/></video><video><model type='virtio'/></video>"))
    expect(result.pairs.map((p) => p.by)).toEqual(['position', 'position'])
  })

  it('names the identity of a device', () => {
    expect(identityOf(element("<controller type='pci' index='3' model='pcie-root-port'/>")).identity).toBe("controller[@type='pci'][@index='3']")
  })
})

const corpus = locateCorpus()
describe.skipIf(!corpus.dir)(`matchDevices on the corpus${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  const dir = corpus.dir!

  it("finds every device of an input again in libvirt's formatted output", () => {
    const outs = readdirSync(join(dir, 'domains-out'))
    let pairs = 0
    const removed: string[] = []
    for (const name of readdirSync(join(dir, 'domains')).sort()) {
      const stem = name.slice(0, -4)
      const out = outs.find((o) => o.startsWith(stem + '.') && o.split('.').length === stem.split('.').length + 2)
      if (!out) continue
      pairs++
      const result = matchDevices(readFileSync(join(dir, 'domains', name)), readFileSync(join(dir, 'domains-out', out)))
      for (const d of result.removed) removed.push(`${name} ${d.identity}`)
      for (const a of result.ambiguous) expect(a.before.length + a.after.length).toBeGreaterThan(2)
    }
    expect(pairs).toBe(501)
    // libvirt renumbers a virtio console's port when it makes the first console the serial console:
    // a key libvirt itself changed, so the device is (rightly) not found by its old key.
    expect(removed).toEqual([
      "aarch64-virt-virtio.xml console[target/@type='virtio'][target/@port='0']",
      "arm-vexpressa9-virtio.xml console[target/@type='virtio'][target/@port='0']",
    ])
  })

  it("finds each device libvirt's hot-plug test attached among the added devices", () => {
    let attaches = 0
    // `keep=yes`: the live VM carries over, so the next step starts from this step's outcome: its
    // result file, or for a successful detach the domain file it names, or for a failure the VM as it was.
    let carried: string | undefined
    for (const line of readFileSync(join(dir, 'hotplug/operations.tsv'), 'utf8').split('\n')) {
      if (!line || line.startsWith('#')) continue
      const [action, , file, deviceFile, fail, keep, result] = line.split('\t')
      const domainFile = carried ?? file
      const outcome = fail === 'yes' ? domainFile : result && result !== '-' ? result : file
      carried = keep === 'yes' ? outcome : undefined
      if (action !== 'attach' || fail !== 'no' || !result || result === '-') continue
      attaches++
      const device = element(readFileSync(join(dir, 'hotplug/devices', deviceFile!), 'utf8'))
      const match = matchDevices(readFileSync(join(dir, 'hotplug/domains', domainFile!)), readFileSync(join(dir, 'hotplug/domains', result)))
      expect(match.removed, result).toEqual([])
      const found = match.added.filter((d) => d.kind === device.name)
      expect(found.length, `${result}: ${identityOf(device).identity}`).toBe(1)
    }
    expect(attaches).toBeGreaterThan(15)
  })
})
