// The adapter against a real libvirtd + QEMU (TCG) from tools/libvirt-sandbox — no virsh: capabilities,
// define/start/lookup, lifecycle and device events, hot-plug plans from @virtuned/hotplug attached and
// detached by alias, libvirt's own refusal of a disk with no PCI slot left, typed errors, close, a
// daemon killed mid-call, and 100 concurrent calls. In CI (CI=true) a libvirtd that cannot start is a
// failure; elsewhere the suite skips with the reason. Domains are named vt-test-adapter-* (hotplug's
// e2e suite uses vt-test-e2e*), and the sandbox is reference-counted, so both suites can run at once.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { planAttach, planDetach, verifyAttach, verifyDetach } from '@virtuned/hotplug'
import { parseDomainCapabilities } from '@virtuned/defaults'
import { matchDevices } from '@virtuned/identify'
import { compose } from '@virtuned/policies'
import { parseLibvirtXml } from '@virtuned/model'
import { parseXml, rootElement, type Element } from '@virtuned/xml-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  LibvirtConnectionError,
  LibvirtError,
  LibvirtUsageError,
  createConnection,
  formatVersion,
  libvirtFlags,
  uuidToString,
  type DeviceEvent,
  type DomainRef,
  type LibvirtConnection,
  type LifecycleEvent,
} from '../src/index.ts'
import { libvirtAvailability, sandboxDir as dir, sandboxScripts as sandbox } from '../../../tools/libvirt.ts'

const { reason, run } = libvirtAvailability()

/** Every domain this suite may define; removed (destroy + undefine) before and after, pass or fail. */
const names = { main: 'vt-test-adapter', full: 'vt-test-adapter-full', bad: 'vt-test-adapter-bad', gone: 'vt-test-adapter-gone' } as const
/** Figures printed at the end (boot, attach, detach, 100 concurrent calls). */
const timings: Record<string, string> = {}

let started = false
let conn: LibvirtConnection

function elements(element: Element, name: string): Element[] {
  return element.children.filter((c): c is Element => c.type === 'element' && c.name === name)
}
function first(element: Element, path: string): Element | undefined {
  let current: Element | undefined = element
  for (const name of path.split('/')) current = current && elements(current, name)[0]
  return current
}
function text(element: Element | undefined): string {
  return element ? element.children.map((c) => (c.type === 'text' ? c.value : '')).join('').trim() : ''
}

async function until(what: string, check: () => boolean | Promise<boolean>, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * The tiny guest as an app would ask for it (kernel, initrd, a serial log), made complete by
 * virtuned: the defaults for a Linux guest on this host's domain capabilities plus the
 * hotplug-ready policy (2 spare ports). No hand-written controllers or ports.
 */
async function composedGuestXml(name: string): Promise<{ xml: string; log: string }> {
  const { xml: template, log } = guestXml(name, 0)
  const host = parseDomainCapabilities(await conn.getDomainCapabilities({ virttype: 'qemu', arch: 'x86_64', machine: 'q35' }), 'libvirtd')
  const result = compose(template.replace("<controller type='pci' index='0' model='pcie-root'/>", ''), { os: 'debian11', host, policies: ['hotplug-ready:ports=2'] })
  return { xml: result.xml, log }
}

/** The sandbox's guest template: a q35 TCG guest of the tiny kernel with `ports` spare pcie-root-ports. */
function guestXml(name: string, ports: number): { xml: string; log: string } {
  const log = join(dir, `${name}.log`)
  writeFileSync(log, '')
  const xml = readFileSync(join(sandbox, 'guest-template.xml'), 'utf8')
    .replace('@NAME@', name).replaceAll('@GUEST@', join(sandbox, '.guest')).replace('@LOG@', log)
    .replace('@PORTS@', Array.from({ length: ports }, (_, i) => `<controller type='pci' index='${i + 1}' model='pcie-root-port'/>`).join(''))
  return { xml, log }
}

function image(name: string): string {
  const path = join(dir, `${name}.qcow2`)
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', path, '64M'])
  return path
}

/** Destroys and undefines a domain if it exists, through the adapter (virsh if the connection is gone). */
async function remove(name: string): Promise<void> {
  if (conn?.isOpen) {
    const domain = await conn.lookupDomainByName(name).catch(() => undefined)
    if (!domain) return
    await conn.destroy(domain).catch(() => undefined)
    await conn.undefine(domain, { nvram: true }).catch(() => conn.undefine(domain)).catch(() => undefined)
    return
  }
  for (const args of [['destroy', name], ['undefine', name, '--nvram']]) {
    try {
      execFileSync('virsh', ['-c', 'qemu:///system', ...args], { stdio: 'ignore', timeout: 30_000 })
    } catch {
      // not there
    }
  }
}

const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`

describe.skipIf(!run)(`the adapter on a real libvirtd${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let main: DomainRef

  beforeAll(async () => {
    expect(reason, 'CI must run the real-libvirt tests: install with tools/libvirt-sandbox/install.sh').toBe('')
    execFileSync(join(sandbox, 'build-guest.sh'), { stdio: 'pipe', timeout: 300_000 })
    execFileSync(join(sandbox, 'start.sh'), { stdio: 'pipe', timeout: 180_000 })
    started = true
    conn = await createConnection('qemu:///system')
    for (const name of Object.values(names)) await remove(name)
  }, 400_000)

  afterAll(async () => {
    try {
      for (const name of Object.values(names)) await remove(name)
      await conn?.close()
      for (const file of ['vt-adapter-disk', 'vt-adapter-one', 'vt-adapter-two']) rmSync(join(dir, `${file}.qcow2`), { force: true })
      if (Object.keys(timings).length > 0) console.log(`libvirt-adapter e2e: ${Object.entries(timings).map(([k, v]) => `${k} ${v}`).join(', ')}`)
    } finally {
      if (started) execFileSync(join(sandbox, 'stop.sh'), { stdio: 'pipe', timeout: 60_000 })
    }
  }, 120_000)

  it('reads versions, hostname, host and domain capabilities that parse', async () => {
    const [hv, lib, host] = await Promise.all([conn.getVersion(), conn.getLibVersion(), conn.getHostname()])
    expect(execFileSync('libvirtd', ['--version'], { encoding: 'utf8' })).toContain(formatVersion(lib))
    expect(execFileSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' })).toContain(`version ${formatVersion(hv)}`)
    expect(host.split('.')[0]).toBe(hostname().split('.')[0])

    // @virtuned/model's parseLibvirtXml takes domains and devices only (a <capabilities> root is
    // `model-unexpected-root`), so these go through xml-core's parser, which model is built on.
    const caps = rootElement(parseXml(await conn.getCapabilities()))!
    expect(caps.name).toBe('capabilities')
    expect(text(first(caps, 'host/uuid'))).toMatch(/^[0-9a-f-]{36}$/)
    const guests = elements(caps, 'guest').filter((g) => first(g, 'arch')?.attributes['name'] === 'x86_64')
    expect(guests.flatMap((g) => elements(first(g, 'arch')!, 'domain')).map((d) => d.attributes['type'])).toContain('qemu')

    const t = performance.now()
    const domcaps = rootElement(parseXml(await conn.getDomainCapabilities({ virttype: 'qemu', arch: 'x86_64', machine: 'q35' })))!
    timings['domcaps'] = ms(t)
    expect(domcaps.name).toBe('domainCapabilities')
    expect(text(first(domcaps, 'domain'))).toBe('qemu')
    expect(text(first(domcaps, 'machine'))).toMatch(/^pc-q35-/)
    const diskBuses = elements(first(domcaps, 'devices/disk')!, 'enum').find((e) => e.attributes['name'] === 'bus')
    expect(elements(diskBuses!, 'value').map(text)).toContain('virtio')
  })

  it('defines a domain composed by virtuned (defaults + hotplug-ready) with validation, starts it, sees the guest boot, lists and looks up, and gets lifecycle events', async () => {
    const events: LifecycleEvent[] = []
    const lifecycle = await conn.subscribe('lifecycle', { listener: (e) => { if (e.domain.name === names.main) events.push(e) } })
    try {
      const { xml, log } = await composedGuestXml(names.main)
      expect(xml).toContain("<rng model='virtio'>")
      expect(xml).toContain("model='pcie-root-port'")
      const defined = await conn.defineXML(xml, { validate: true })
      expect(defined).toMatchObject({ name: names.main, id: -1 })
      const t = performance.now()
      main = await conn.create(defined)
      expect(main.id).toBeGreaterThan(0)
      await until(`${names.main} to boot`, () => readFileSync(log, 'utf8').includes('VIRTUNED-GUEST-READY'), 90)
      timings['boot'] = ms(t)

      const active = await conn.listAllDomains(libvirtFlags.listDomains.active)
      expect(active.map((d) => d.name)).toContain(names.main)
      expect(await conn.lookupDomainByName(names.main)).toEqual(main)
      expect(await conn.lookupDomainByUUID(uuidToString(defined.uuid))).toEqual(main)
      const live = parseLibvirtXml(await conn.getXMLDesc(main))
      expect(live.kind).toBe('domain')
      expect(text(first(live.root, 'uuid'))).toBe(uuidToString(main.uuid))
      await until('the started event', () => events.some((e) => e.eventName === 'started'), 10)
      // libvirt 9.0 sends `resumed` (detail unpaused) just before `started` (detail booted).
      const seen = events.map((e) => e.eventName)
      expect(seen).toContain('defined')
      expect(seen.indexOf('defined')).toBeLessThan(seen.indexOf('started'))
      expect(events.find((e) => e.eventName === 'started')?.detail).toBe(0)
    } finally {
      await lifecycle.close()
    }
  }, 120_000)

  it('attaches a planned virtio disk and NIC — the 2 devices hotplug-ready:ports=2 makes room for, no "No more available PCI slots" — finds them by identity, and detaches them by alias', async () => {
    const deviceEvents: DeviceEvent[] = []
    const onDevice = (e: DeviceEvent) => { if (e.domain.name === names.main) deviceEvents.push(e) }
    const subscriptions = [await conn.subscribe('device-added', { domain: main, listener: onDevice }), await conn.subscribe('device-removed', { domain: main, listener: onDevice })]
    try {
      const before = await conn.getXMLDesc(main)
      const disk = planAttach(before, { disk: { source: { file: image('vt-adapter-disk') }, format: 'qcow2' } }, { seed: 'vt-adapter-disk' })
      expect(disk).toMatchObject({ ok: true, kind: 'disk', target: 'vda', flags: 'live' })
      if (!disk.ok) return
      let t = performance.now()
      const withDisk = await conn.attach(main, disk)
      timings['attach disk'] = ms(t)
      expect(withDisk).toMatchObject({ alias: disk.alias, verified: true })
      expect(verifyAttach(before, withDisk.xml, disk)).toBe(true)
      expect(withDisk.xml).toContain(`<serial>${disk.serial}</serial>`)

      const nic = planAttach(withDisk.xml, { nic: { type: 'user', model: 'virtio' } }, { alias: 'adapter-nic' })
      expect(nic).toMatchObject({ ok: true, kind: 'interface', alias: 'ua-adapter-nic' })
      if (!nic.ok) return
      t = performance.now()
      const withBoth = await conn.attach(main, nic)
      timings['attach NIC'] = ms(t)
      expect(withBoth.verified).toBe(true)
      // identify's matching finds both as new devices against the XML before, by their identity.
      const added = matchDevices(before, withBoth.xml).added.map((d) => ({ kind: d.kind, alias: first(d.element, 'alias')?.attributes['name'] }))
      expect(added).toEqual(expect.arrayContaining([{ kind: 'disk', alias: disk.alias }, { kind: 'interface', alias: nic.alias }]))
      expect(withBoth.xml.toLowerCase()).toContain(`<mac address='${nic.mac}'/>`)
      await until('device-added events', () => deviceEvents.filter((e) => e.type === 'device-added').length >= 2, 10)

      // The disk by detachAndWait and its alias; the NIC through detach(plan).
      const diskPlan = planDetach(withBoth.xml, { disk: disk.target! })
      expect(diskPlan).toMatchObject({ ok: true, alias: disk.alias })
      if (!diskPlan.ok) return
      t = performance.now()
      const gone = await conn.detachAndWait(main, diskPlan.alias, { timeoutMs: 20_000 })
      timings['detach disk'] = ms(t)
      expect(gone).toMatchObject({ ok: true, outcome: 'removed', alias: disk.alias, attempts: 1, verified: true })
      if (!gone.ok) return
      expect(verifyDetach(gone.xml, diskPlan)).toBe(true)

      const nicPlan = planDetach(gone.xml, { mac: nic.mac! })
      t = performance.now()
      const nicGone = await conn.detach(main, nicPlan, { timeoutMs: 20_000 })
      timings['detach NIC'] = ms(t)
      expect(nicGone).toMatchObject({ ok: true, outcome: 'removed', alias: nic.alias, verified: true })
      if (!nicGone.ok) return
      expect(verifyDetach(nicGone.xml, nicPlan)).toBe(true)
      expect(matchDevices(before, nicGone.xml)).toMatchObject({ added: [], removed: [] })
      expect(deviceEvents.filter((e) => e.type === 'device-removed').map((e) => e.alias)).toEqual([disk.alias, nic.alias])
    } finally {
      await Promise.all(subscriptions.map((s) => s.close()))
    }
  }, 120_000)

  it('refuses a disk with no hot-pluggable port left: the plan says so, and past it libvirt does', async () => {
    // Given no ports, libvirt adds one for its USB controller and reserves one for hot-plug.
    const { xml } = guestXml(names.full, 0)
    const full = await conn.create(await conn.defineXML(xml, { validate: true }))
    const raw = (n: string, dev: string) => `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${image(n)}'/><target dev='${dev}' bus='virtio'/></disk>`
    await conn.attachDevice(full, raw('vt-adapter-one', 'vdb'), { live: true })
    const second = planAttach(await conn.getXMLDesc(full), raw('vt-adapter-two', 'vdc'))
    expect(second).toMatchObject({ ok: false, problems: [{ code: 'NO_FREE_HOTPLUG_SLOT', policy: 'hotplug-ready' }] })
    await expect(conn.attach(full, second)).rejects.toMatchObject({ name: 'LibvirtUsageError', code: 'libvirt-plan-refused' })
    // Past the preflight, libvirt's own refusal comes back typed (raised by its PCI address code, virDomainPCIAddress*).
    const error = await conn.attachDevice(full, raw('vt-adapter-two', 'vdc'), { live: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LibvirtError)
    expect(error).toMatchObject({ code: 'libvirt-error', codeName: 'VIR_ERR_INTERNAL_ERROR', domainName: 'VIR_FROM_DOMAIN', procedure: 'DOMAIN_ATTACH_DEVICE_FLAGS' })
    expect((error as Error).message).toContain('No more available PCI slots')
    // The connection is still fine.
    expect(await conn.getXMLDesc(full)).toContain("dev='vdb'")
    await remove(names.full)
  }, 120_000)

  it('ends a detach wait with domain-stopped when the guest is destroyed meanwhile', async () => {
    const { xml, log } = guestXml(names.gone, 2)
    const gone = await conn.create(await conn.defineXML(xml, { validate: true }))
    await until(`${names.gone} to boot`, () => readFileSync(log, 'utf8').includes('VIRTUNED-GUEST-READY'), 90)
    const disk = planAttach(await conn.getXMLDesc(gone), { disk: { source: { file: image('vt-adapter-gone') }, format: 'qcow2' } }, { alias: 'gone-disk' })
    if (!disk.ok) throw new Error('plan refused')
    await conn.attach(gone, disk)
    // A paused guest cannot answer the unplug request: the wait would last until the timeout.
    execFileSync('virsh', ['-c', 'qemu:///system', 'suspend', names.gone], { stdio: 'ignore' })
    const t = performance.now()
    const waiting = conn.detachAndWait(gone, disk.alias, { timeoutMs: 30_000, retries: 0 })
    await new Promise((r) => setTimeout(r, 500))
    await conn.destroy(gone)
    const result = await waiting
    expect(result).toMatchObject({ ok: false, outcome: 'domain-stopped', alias: 'ua-gone-disk', attempts: 1 })
    expect(performance.now() - t).toBeLessThan(10_000)
    // The connection is still usable.
    expect((await conn.getVersion()) > 0).toBe(true)
    await remove(names.gone)
    rmSync(join(dir, 'vt-adapter-gone.qcow2'), { force: true })
  }, 120_000)

  it('turns bad XML and unknown names into typed LibvirtErrors', async () => {
    const cases = [
      { xml: '<domain', validate: false, codeName: 'VIR_ERR_XML_DETAIL' },
      { xml: `<domain type='qemu'><name>${names.bad}</name><memory>1024</memory></domain>`, validate: false, codeName: 'VIR_ERR_XML_ERROR' },
      { xml: `<domain type='qemu'><name>${names.bad}</name><memory>lots</memory></domain>`, validate: true, codeName: 'VIR_ERR_XML_INVALID_SCHEMA' },
    ]
    for (const c of cases) {
      const error = await conn.defineXML(c.xml, { validate: c.validate }).catch((e: unknown) => e)
      expect(error, c.xml).toBeInstanceOf(LibvirtError)
      expect(error).toMatchObject({ code: 'libvirt-error', codeName: c.codeName, procedure: 'DOMAIN_DEFINE_XML_FLAGS', levelName: 'VIR_ERR_ERROR' })
    }
    await expect(conn.lookupDomainByName(names.bad)).rejects.toMatchObject({ codeName: 'VIR_ERR_NO_DOMAIN', domainName: 'VIR_FROM_QEMU' })
    await expect(conn.getXMLDesc(main, { live: true, inactive: true })).rejects.toBeInstanceOf(LibvirtUsageError)
  })

  it('fails calls after close() cleanly, and rejects calls pending at close', async () => {
    const other = await createConnection('qemu:///system')
    const pending = other.getCapabilities().catch((e: unknown) => e)
    await other.close()
    expect(await pending).toMatchObject({ name: 'LibvirtConnectionError', code: 'libvirt-closed' })
    await expect(other.getXMLDesc(main)).rejects.toMatchObject({ code: 'libvirt-closed' })
    expect(other.isOpen).toBe(false)
    await other.close()
    expect(await other.closed).toMatchObject({ code: 'libvirt-closed' })
  })

  it('rejects a pending call with libvirt-connection-lost when libvirtd is killed mid-call', async () => {
    // A libvirtd of its own (session mode, as `nobody`, test driver), so the shared one stays up.
    const home = join(dir, 'vt-adapter-kill')
    rmSync(home, { recursive: true, force: true })
    mkdirSync(join(home, 'run'), { recursive: true, mode: 0o700 })
    execFileSync('chown', ['-R', 'nobody', home])
    const socket = join(home, 'run', 'libvirt', 'libvirt-sock')
    const env = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin', HOME: home, XDG_RUNTIME_DIR: join(home, 'run'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') }
    const daemon: ChildProcess = spawn('setpriv', ['--reuid=nobody', '--regid=65534', '--clear-groups', 'libvirtd', '--timeout', '120'], { env, stdio: 'ignore' })
    const exited = new Promise((resolve) => daemon.once('exit', resolve))
    try {
      await until('the private libvirtd socket', () => existsSync(socket), 30)
      let victim: LibvirtConnection | undefined
      await until('the private libvirtd to answer', async () => (victim = await createConnection(`test:///default?socket=${socket}`).catch(() => undefined)) !== undefined, 30)
      if (!victim) return
      expect((await victim.listAllDomains()).map((d) => d.name)).toEqual(['test'])
      daemon.kill('SIGSTOP') // the request is sent, no reply can come…
      const pending = victim.getCapabilities().catch((e: unknown) => e)
      await new Promise((r) => setTimeout(r, 100))
      daemon.kill('SIGKILL') // …and the daemon dies with it outstanding
      const error = await pending
      expect(error).toBeInstanceOf(LibvirtConnectionError)
      expect(error).toMatchObject({ code: 'libvirt-connection-lost' })
      expect(victim.isOpen).toBe(false)
      await expect(victim.getHostname()).rejects.toMatchObject({ code: 'libvirt-connection-lost' })
      await victim.close()
    } finally {
      daemon.kill('SIGKILL')
      await exited
      rmSync(home, { recursive: true, force: true })
    }
    // The shared libvirtd did not notice.
    expect(await conn.getLibVersion()).toBeGreaterThan(0)
  }, 90_000)

  it('answers 100 concurrent getXMLDesc calls on one connection', async () => {
    const t = performance.now()
    const all = await Promise.all(Array.from({ length: 100 }, () => conn.getXMLDesc(main)))
    timings['100 concurrent getXMLDesc'] = ms(t)
    expect(new Set(all).size).toBe(1)
    expect(all[0]).toContain(`<name>${names.main}</name>`)
  })
})
