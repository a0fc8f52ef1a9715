// Hot-plug plans beyond x86 (issue 22): channel I/O (ccw) addresses on s390x, PCIe root ports on
// aarch64's virt board (counted as on q35), and the defaults' own goldens as the domains planned on.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { planAttach } from '../src/index.ts'

const golden = (name: string) => readFileSync(new URL(`../../../fixtures/defaults/arch/${name}`, import.meta.url), 'utf8')
const ccw = (devno: string) => `<address type='ccw' cssid='0xfe' ssid='0x0' devno='${devno}'/>`

/** An s390x domain as libvirt keeps it once defined: every virtio device on a ccw address. */
const s390x = `<domain type='qemu'><name>z</name><memory unit='KiB'>1048576</memory><os><type arch='s390x' machine='s390-ccw-virtio-7.2'>hvm</type></os><devices>
<disk type='file' device='disk'><source file='/i/a.qcow2'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/>${ccw('0x0000')}</disk>
<interface type='user'><model type='virtio'/><alias name='net0'/>${ccw('0x0001')}</interface>
<console type='pty'><target type='sclp' port='0'/></console>
<memballoon model='virtio'>${ccw('0x0003')}</memballoon>
</devices></domain>`

const disk = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/data.qcow2'/></disk>"

describe('s390x: ccw addresses', () => {
  it('a disk gets virtio and the first free device number of css 0xfe.0 (0x0002: 0x0000, 0x0001 and 0x0003 are taken)', () => {
    const plan = planAttach(s390x, disk, { seed: 'd' })
    expect(plan).toMatchObject({ ok: true, target: 'vdb' })
    if (!plan.ok) return
    expect(plan.xml).toContain(ccw('0x0002'))
    expect(plan.xml).not.toContain("type='pci'")
    expect(plan.filled).toContain('ccw address 0xfe.0x0.0x0002')
  })

  it('a NIC gets virtio and a ccw address; a SCSI disk goes on a drive address (its controller\'s ccw address is libvirt\'s)', () => {
    const nic = planAttach(s390x, "<interface type='user'/>", { seed: 'n' })
    expect(nic.ok && nic.xml).toContain(ccw('0x0002'))
    expect(nic.ok && nic.xml).toContain("<model type='virtio'/>")
    const scsi = planAttach(s390x, "<disk type='file' device='disk'><source file='/i/s'/><target dev='sda' bus='scsi'/></disk>", { seed: 's' })
    expect(scsi.ok).toBe(true)
    expect(scsi.ok && scsi.xml).not.toContain("type='ccw'")
  })

  it("`<address type='ccw'/>` alone asks for one", () => {
    const plan = planAttach(s390x, disk.replace('</disk>', "<address type='ccw'/></disk>"))
    expect(plan.ok && plan.xml).toContain(ccw('0x0002'))
  })

  it('a written address is kept when free, refused when taken or malformed', () => {
    const free = planAttach(s390x, disk.replace('</disk>', `${ccw('0x0100')}</disk>`))
    expect(free.ok && free.xml).toContain(ccw('0x0100'))
    expect(planAttach(s390x, disk.replace('</disk>', `${ccw('0x0001')}</disk>`))).toMatchObject({ ok: false, problems: [{ code: 'CCW_ADDRESS_TAKEN', message: expect.stringContaining('0xfe.0x0.0x0001 is in use') }] })
    expect(planAttach(s390x, disk.replace('</disk>', "<address type='ccw' cssid='0x00' ssid='0x0' devno='0x0100'/></disk>"))).toMatchObject({ ok: false, problems: [{ code: 'INVALID_CCW_ADDRESS' }] })
    expect(planAttach(s390x, disk.replace('</disk>', "<address type='ccw' devno='0x0100'/></disk>"))).toMatchObject({ ok: false, problems: [{ code: 'INVALID_CCW_ADDRESS' }] })
  })

  it('USB is refused (s390-ccw machines have none), and no PCI slot is asked for', () => {
    expect(planAttach(s390x, "<disk type='file' device='disk'><source file='/i/u'/><target dev='sda' bus='usb'/></disk>")).toMatchObject({ ok: false, problems: [{ code: 'BUS_NOT_HOTPLUGGABLE', message: expect.stringContaining('no USB') }] })
    // Five disks in a row, each on the next device number.
    let domain = s390x
    const devnos: string[] = []
    for (let i = 0; i < 5; i++) {
      const plan = planAttach(domain, disk, { seed: `d${i}` })
      if (!plan.ok) throw new Error(JSON.stringify(plan.problems))
      devnos.push(/devno='(0x[0-9a-f]+)'/.exec(plan.xml)![1]!)
      domain = domain.replace('</devices>', `${plan.xml}</devices>`)
    }
    expect(devnos).toEqual(['0x0002', '0x0004', '0x0005', '0x0006', '0x0007'])
  })

  it('x86 and aarch64 plans get no ccw address', () => {
    const arm = planAttach(golden('debian11@aarch64-tcg.xml'), disk)
    expect(arm.ok && arm.xml).not.toContain('ccw')
  })
})

describe('aarch64 virt: PCIe root ports, as on q35', () => {
  /** The golden with every root port holding a device, as a live domain would. */
  function withPortsUsed(xml: string, free: number): string {
    const ports = [...xml.matchAll(/<controller type='pci' index='(\d+)' model='pcie-root-port'\/>/g)].map((m) => Number(m[1]))
    const used = ports.slice(0, ports.length - free)
    return xml.replace('</devices>', used.map((p) => `<controller type='virtio-serial' index='${p}'><address type='pci' domain='0x0000' bus='${p}' slot='0x00' function='0x0'/></controller>`).join('') + '</devices>')
  }

  it('the golden has free root ports: a disk plan is ok; with every port in use the plan says so, naming hotplug-ready', () => {
    const xml = golden('debian11@aarch64-tcg.xml')
    expect(planAttach(withPortsUsed(xml, 1), disk).ok).toBe(true)
    expect(planAttach(withPortsUsed(xml, 0), disk)).toMatchObject({ ok: false, problems: [{ code: 'NO_FREE_HOTPLUG_SLOT', policy: 'hotplug-ready' }] })
  })

  it('ppc64le pseries plans on its PCI root bus (no root ports)', () => {
    expect(planAttach(golden('debian11@ppc64le-tcg.xml'), disk).ok).toBe(true)
  })
})
