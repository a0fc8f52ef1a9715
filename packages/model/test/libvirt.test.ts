// The one home of libvirt knowledge, checked against libvirt's own facts (each test names the
// libvirt file the fact comes from).
import { exactPaths, parseXml, rootElement, selectPath, type Element } from '@virtuned/xml-core'
import { describe, expect, it } from 'vitest'
import {
  busFromTarget,
  createTargetNamer,
  deviceKinds,
  deviceOrder,
  diskNameFromIndex,
  hasBuiltinEsp,
  hasBuiltinIde,
  hasFreeHotplugSlot,
  hasPCIeRoot,
  inLibvirtOrder,
  isQ35,
  machineFamily,
  machineForFamily,
  defaultFamilyOf,
  type MachineFamily,
  maxDiskIndex,
  osChildOrder,
  parseDiskName,
  diskNameToIndex,
  diskNameParses,
  parseDomain,
  pciConnectRuleOf,
  pciSlotNeeded,
  prefixForBus,
  serialize,
  textOf,
  selectAll,
  selectsAny,
  selectIdentities,
  libvirtIdentityKeys,
} from '../src/index.ts'

const element = (xml: string): Element => rootElement(parseXml(xml))!

describe('device order (src/conf/domain_conf.c virDomainDefFormatInternalSetRootName)', () => {
  it('puts nvram after rng and crypto before iommu', () => {
    expect(deviceOrder.indexOf('nvram')).toBe(deviceOrder.indexOf('rng') + 1)
    expect(deviceOrder.indexOf('crypto')).toBeLessThan(deviceOrder.indexOf('iommu'))
    expect(deviceOrder.indexOf('iommu')).toBeLessThan(deviceOrder.indexOf('vsock'))
  })
  it('device kinds are the same list', () => {
    expect([...deviceKinds]).toEqual([...deviceOrder])
  })
  it('sorts crypto before iommu and bios before smbios when formatting', () => {
    const doc = parseDomain("<domain><os><smbios mode='sysinfo'/><bios useserial='yes'/><type>hvm</type></os><devices><vsock model='virtio'/><iommu model='intel'/><crypto model='virtio' type='qemu'/><nvram/><rng model='virtio'/></devices></domain>")
    const xml = serialize(inLibvirtOrder(doc))
    expect(xml.indexOf('<bios')).toBeLessThan(xml.indexOf('<smbios'))
    expect(xml.indexOf('<rng')).toBeLessThan(xml.indexOf('<nvram'))
    expect(xml.indexOf('<crypto')).toBeLessThan(xml.indexOf('<iommu'))
    expect(xml.indexOf('<iommu')).toBeLessThan(xml.indexOf('<vsock'))
    expect(osChildOrder.indexOf('bios')).toBeLessThan(osChildOrder.indexOf('smbios'))
  })
})

describe('disk names (src/util/virutil.c virIndexToDiskName / virDiskNameParse, tests/utiltest.c)', () => {
  it('names indexes in bijective base 26', () => {
    expect([0, 25, 26, 701, 702, 1023].map((i) => diskNameFromIndex('vd', i))).toEqual(['vda', 'vdz', 'vdaa', 'vdzz', 'vdaaa', 'vdamj'])
    expect(diskNameFromIndex('sd', maxDiskIndex)).toBe('sdzzzzzz')
    expect(() => diskNameFromIndex('vd', maxDiskIndex + 1)).toThrow(RangeError)
    expect(() => diskNameFromIndex('vd', -1)).toThrow(RangeError)
  })
  it('round-trips 0..99,999 as utiltest.c does', () => {
    const wrong: number[] = []
    for (let i = 0; i < 100_000; i++) if (parseDiskName(diskNameFromIndex('sd', i))?.index !== i) wrong.push(i)
    expect(wrong).toEqual([])
  })
  it('parses prefixes in libvirt order, partitions, and refuses what libvirt refuses', () => {
    expect(parseDiskName('sda0')).toEqual({ prefix: 'sd', index: 0, partition: 0 })
    expect(parseDiskName('hdz2')).toEqual({ prefix: 'hd', index: 25, partition: 2 })
    expect(parseDiskName('vdaa12')).toEqual({ prefix: 'vd', index: 26, partition: 12 })
    expect(parseDiskName('xvdb')).toEqual({ prefix: 'xvd', index: 1, partition: 0 })
    expect(parseDiskName('ubda')).toEqual({ prefix: 'ubd', index: 0, partition: 0 })
    expect(parseDiskName('fdb')).toEqual({ prefix: 'fd', index: 1, partition: 0 })
    for (const bad of ['vd', 'vd1', 'nvme0n1', 'vda01', 'vdA', 'vda1x', 'vdaaaaaaa']) expect(parseDiskName(bad), bad).toBeUndefined()
    // Six letters is the longest name libvirt's int holds.
    expect(parseDiskName('vdzzzzzz')?.index).toBe(maxDiskIndex)
  })
  it("reads a target's index as virDiskNameToIndex does (digits ignored; an overflow wraps on 9.0, is refused on 11.3)", () => {
    expect(diskNameToIndex('vda')).toBe(0)
    expect(diskNameToIndex('sdaa')).toBe(26)
    expect(diskNameToIndex('vda1')).toBe(0)
    expect(diskNameToIndex('vda01')).toBe(0)
    // the names libvirtd 9.0 refused with "Unknown disk name '…' and no address specified"
    for (const bad of ['', 'vd', 'vdA', 'xyz', 'sd1', 'nvme0n1', 'vda1x']) {
      expect(diskNameToIndex(bad), bad).toBe(-1)
      expect(diskNameToIndex(bad, 'wrap'), bad).toBe(-1)
    }
    expect(diskNameToIndex('vdzzzzzz')).toBe(maxDiskIndex)
    // libvirtd 9.0 took this one (its index wraps to a positive int); 11.3's test data refuses it
    expect(diskNameToIndex('hdaxxxxxxxxxx', 'wrap')).toBe(1_419_304_999)
    expect(diskNameToIndex('hdaxxxxxxxxxx')).toBe(-1)
    // the first name past INT_MAX
    expect(diskNameToIndex('vdfxshrxx')).toBe(2_147_483_647)
    expect(diskNameToIndex('vdfxshrxy')).toBe(-1)
  })
  it('reads a name with its partition as virDiskNameParse does (libvirtd 9.0: "Invalid harddisk device name")', () => {
    for (const good of ['vda', 'vda1', 'sdb12', 'hdz0']) expect(diskNameParses(good), good).toBe(true)
    for (const bad of ['', 'xyz', 'vda01', 'vda2147483648', 'vdA']) expect(diskNameParses(bad), bad).toBe(false)
    expect(diskNameParses('hdaxxxxxxxxxx', 'wrap')).toBe(true)
    expect(diskNameParses('hdaxxxxxxxxxx')).toBe(false)
  })
  it('names targets forward per prefix (past vdzz)', () => {
    const next = createTargetNamer(['vda', 'vdc', 'sda'])
    expect([next('vd'), next('vd'), next('vd'), next('sd')]).toEqual(['vdb', 'vdd', 'vde', 'sdb'])
    const many = createTargetNamer([])
    let last = ''
    for (let i = 0; i < 703; i++) last = many('vd')
    expect(last).toBe('vdaaa')
  })
})

describe('disk bus from target (src/conf/domain_postparse.c virDomainDiskDefPostParse)', () => {
  it('reads the bus from the prefix, ide otherwise, fdc for a floppy', () => {
    expect(['hda', 'sdb', 'vda', 'xvdb', 'ubda', 'nvme0n1', undefined].map((d) => busFromTarget(d))).toEqual(['ide', 'scsi', 'virtio', 'xen', 'uml', 'ide', 'ide'])
    expect(busFromTarget('vda', 'floppy')).toBe('fdc')
  })
  it('names new targets as virtinst does', () => {
    expect(['virtio', 'ide', 'fdc', 'xen', 'uml', 'scsi', 'sata', 'usb', 'sd', 'nvme', '__proto__'].map(prefixForBus)).toEqual(['vd', 'hd', 'fd', 'xvd', 'ubd', 'sd', 'sd', 'sd', 'sd', 'sd', 'sd'])
  })
})

describe('machine families (src/qemu/qemu_domain.c qemuDomainMachineIs*)', () => {
  it('knows the boards with a disk controller of their own (qemuDomainHasBuiltinIDE, qemuDomainHasBuiltinESP)', () => {
    expect(hasBuiltinIde('pc-i440fx-7.2', 'x86_64')).toBe(true)
    expect(hasBuiltinIde('pc-q35-7.2', 'x86_64')).toBe(false)
    expect(hasBuiltinEsp('SS-5', 'sparc')).toBe(true)
    expect(hasBuiltinEsp('q800', 'm68k')).toBe(true)
    expect(hasBuiltinEsp('virt', 'm68k')).toBe(false)
    expect(hasBuiltinEsp('magnum', 'mips64el')).toBe(true)
    expect(hasBuiltinEsp('malta', 'mips64el')).toBe(false)
    expect(hasBuiltinEsp('pc-q35-7.2', 'x86_64')).toBe(false)
  })

  it('tells the families apart with the architecture', () => {
    expect(machineFamily('q35')).toBe('q35')
    expect(machineFamily('pc-q35-7.2', 'x86_64')).toBe('q35')
    expect(machineFamily('pc-q35-7.2', 'aarch64')).toBe('other')
    expect(['pc', 'pc-i440fx-8.2', 'pc-0.15', 'pc-1.3', 'rhel6.6.0'].map((m) => machineFamily(m, 'i686'))).toEqual(Array(5).fill('i440fx'))
    expect(machineFamily('pc-q35x')).toBe('other')
    expect(machineFamily('virt', 'aarch64')).toBe('arm-virt')
    expect(machineFamily('virt-9.2', 'armv7l')).toBe('arm-virt')
    expect(machineFamily('virt', 'riscv64')).toBe('riscv-virt')
    expect(machineFamily('virt', 'loongarch64')).toBe('loongarch-virt')
    expect(machineFamily('virt', 'x86_64')).toBe('other')
    expect(machineFamily('pseries-9.0', 'ppc64le')).toBe('pseries')
    expect(machineFamily('s390-ccw-virtio', 's390x')).toBe('s390-ccw')
    expect(machineFamily('microvm')).toBe('microvm')
    expect(isQ35('pc-q35-7.2')).toBe(true)
    expect(isQ35('q35', 'aarch64')).toBe(false)
    expect(['q35', 'i440fx', 'arm-virt', 's390-ccw', 'other'].map((f) => machineForFamily(f as MachineFamily))).toEqual(['q35', 'pc', 'virt', 's390-ccw-virtio', undefined])
    expect(['aarch64', 'ppc64le', 'x86_64'].map(defaultFamilyOf)).toEqual(['arm-virt', 'pseries', undefined])
  })
  it('reads a PCIe root from the pci index 0 controller, else from the family', () => {
    expect(hasPCIeRoot(element("<domain><os><type arch='aarch64' machine='virt'>hvm</type></os></domain>"))).toBe(true)
    expect(hasPCIeRoot(element("<domain><os><type machine='pc-i440fx-8.2'>hvm</type></os></domain>"))).toBe(false)
    expect(hasPCIeRoot(element("<domain><os><type machine='pc'>hvm</type></os><devices><controller type='pci' index='0' model='pcie-root'/></devices></domain>"))).toBe(true)
  })
})

describe('PCI connections (src/qemu/qemu_domain_address.c qemuDomainDeviceCalculatePCIConnectFlags)', () => {
  const connect = (xml: string, arch?: string) => pciConnectRuleOf(element(xml), arch)?.connect ?? 'none'
  it('reads the table', () => {
    expect(connect("<disk><target dev='vda'/></disk>")).toBe('virtio')
    expect(connect("<disk model='virtio-transitional'><target bus='virtio'/></disk>")).toBe('pci')
    expect(connect("<disk><target dev='sda' bus='sata'/></disk>")).toBe('none')
    expect(connect("<interface><model type='e1000'/></interface>")).toBe('pci')
    expect(connect("<interface><model type='igb'/></interface>")).toBe('pcie')
    expect(connect("<interface type='hostdev'><model type='virtio'/></interface>")).toBe('none')
    expect(connect('<interface/>')).toBe('pci')
    expect(connect('<interface/>', 'aarch64')).toBe('virtio')
    expect(connect("<sound model='ich9'/>")).toBe('pci')
    expect(connect("<sound model='ich7'/>")).toBe('none')
    expect(connect("<video><model type='bochs'/></video>")).toBe('pcie')
    expect(connect("<video><model type='qxl'/></video>")).toBe('pci')
    expect(connect("<video><model type='ramfb'/></video>")).toBe('none')
    // (the Xen, VirtualBox and Parallels displays are conventional PCI devices to the QEMU driver; GOP is none)
    expect(connect("<video><model type='xen'/></video>")).toBe('pci')
    expect(connect("<video><model type='vbox'/></video>")).toBe('pci')
    expect(connect("<video><model type='parallels'/></video>")).toBe('pci')
    expect(connect("<video><model type='gop'/></video>")).toBe('none')
    expect(connect("<watchdog model='i6300esb'/>")).toBe('pci')
    expect(connect("<watchdog model='itco'/>")).toBe('none')
    expect(connect("<controller type='nvme'/>")).toBe('pcie')
    expect(connect("<controller type='usb' model='qemu-xhci'/>")).toBe('pcie')
    expect(connect("<controller type='usb' model='ich9-ehci1'/>")).toBe('pci')
    expect(connect("<controller type='scsi' model='lsilogic'/>")).toBe('pci')
    expect(connect("<controller type='scsi'/>")).toBe('virtio')
    expect(connect("<shmem name='x'/>")).toBe('pci')
    expect(connect("<crypto model='virtio'/>")).toBe('pci')
    expect(connect("<memory model='virtio-mem'/>")).toBe('virtio')
    expect(connect("<tpm model='tpm-crb'/>")).toBe('none')
  })
  it('says which slot a device still needs', () => {
    const q35 = { pcieRoot: true }
    expect(pciSlotNeeded(element("<rng model='virtio'/>"), q35)).toBe('pcie')
    expect(pciSlotNeeded(element("<rng model='virtio'/>"), { pcieRoot: false })).toBe('pci')
    expect(pciSlotNeeded(element("<interface><model type='e1000'/></interface>"), q35)).toBe('pci')
    expect(pciSlotNeeded(element("<panic model='pvpanic'/>"), q35)).toBeUndefined()
    expect(pciSlotNeeded(element("<rng model='virtio'><address type='pci' bus='0x01' slot='0'/></rng>"), q35)).toBeUndefined()
    expect(pciSlotNeeded(element("<rng model='virtio'><address type='pci'/></rng>"), q35)).toBe('pcie')
    expect(pciSlotNeeded(element("<rng model='virtio'><address type='ccw'/></rng>"), q35)).toBeUndefined()
  })
})

describe('hot-plug slots (src/conf/domain_addr.c virDomainPCIAddressBusSetModel)', () => {
  const live = (machine: string, arch: string, devices: string) => element(`<domain><os><type arch='${arch}' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`)
  const port = (index: number, extra = '') => `<controller type='pci' index='${index}' model='pcie-root-port'>${extra}</controller>`
  it('a PCIe device on q35 needs a free hot-pluggable root port', () => {
    expect(hasFreeHotplugSlot(live('pc-q35-7.2', 'x86_64', "<controller type='pci' index='0' model='pcie-root'/>"), 'pcie')).toBe(false)
    expect(hasFreeHotplugSlot(live('pc-q35-7.2', 'x86_64', `<controller type='pci' index='0' model='pcie-root'/>${port(1)}`), 'pcie')).toBe(true)
    expect(hasFreeHotplugSlot(live('q35', 'x86_64', `${port(1, "<target hotplug='off'/>")}`), 'pcie')).toBe(false)
    expect(hasFreeHotplugSlot(live('q35', 'x86_64', `${port(1)}<rng model='virtio'><address type='pci' domain='0' bus='0x01' slot='0'/></rng>`), 'pcie')).toBe(false)
  })
  it('aarch64 virt is checked like q35 (pcie-root)', () => {
    expect(hasFreeHotplugSlot(live('virt', 'aarch64', ''), 'pcie')).toBe(false)
    expect(hasFreeHotplugSlot(live('virt', 'aarch64', port(1)), 'pcie')).toBe(true)
  })
  it('a conventional PCI device on q35 needs a bridge slot, not a root port', () => {
    expect(hasFreeHotplugSlot(live('q35', 'x86_64', port(1)), 'pci')).toBe(false)
    expect(hasFreeHotplugSlot(live('q35', 'x86_64', `${port(1)}<controller type='pci' index='2' model='pcie-to-pci-bridge'/>`), 'pci')).toBe(true)
  })
  it('i440fx plugs into pci-root while it has a slot; s390 ccw has nothing to check', () => {
    const full = Array.from({ length: 31 }, (_, i) => `<interface><address type='pci' bus='0x00' slot='${i + 1}'/></interface>`).join('')
    expect(hasFreeHotplugSlot(live('pc-i440fx-8.2', 'x86_64', "<controller type='pci' index='0' model='pci-root'/>"), 'pci')).toBe(true)
    expect(hasFreeHotplugSlot(live('pc', 'x86_64', full), 'pci')).toBe(false)
    expect(hasFreeHotplugSlot(live('pc', 'x86_64', `${full}<controller type='pci' index='1' model='pci-bridge'/>`), 'pci')).toBe(true)
    expect(hasFreeHotplugSlot(live('s390-ccw-virtio', 's390x', ''), 'pcie')).toBe(true)
  })
})

describe('textOf (src/util/virxml.c virXMLNodeContentString)', () => {
  it('joins text and CDATA under the element, nested too, untrimmed', () => {
    expect(textOf(element('<a> 1<b>2</b><![CDATA[3]]> </a>'))).toBe(' 123 ')
    expect(textOf(undefined)).toBe('')
  })
})

describe("vhost-scsi host devices follow virtio's connect flags (qemuDomainDeviceCalculatePCIConnectFlags)", () => {
  it('a transitional one takes a conventional PCI slot, the others a PCIe one', () => {
    const vhost = (model: string) => element(`<hostdev mode='subsystem' type='scsi_host'${model}><source protocol='vhost' wwpn='naa.5123456789abcde0'/></hostdev>`)
    expect(pciSlotNeeded(vhost(" model='virtio-transitional'"), { pcieRoot: true })).toBe('pci')
    expect(pciSlotNeeded(vhost(''), { pcieRoot: true })).toBe('pcie')
  })
})

describe('selectAll / selectsAny (the policy path language)', () => {
  it('agree on every path, stopping at the first match', () => {
    const domain = element("<domain><devices><disk><target dev='vda'/></disk><controller type='usb'/><channel><target name='org.qemu.guest_agent.0'/></channel><disk><address type='pci'/></disk></devices></domain>")
    for (const path of ['devices/disk', "devices/controller[@type='usb']", "devices/controller[@type='scsi']", "devices/channel/target[@name='org.qemu.guest_agent.0']", "devices/*/address[@type='pci']", 'devices/tpm', "devices/disk[@toString='x']", 'os/type']) {
      expect(selectsAny(domain, path), path).toBe(selectAll(domain, path).length > 0)
    }
  })

  it('selectIdentities names each selected node as patches do, numbering equal identities', () => {
    const domain = element("<domain><devices><disk><target dev='vda'/><address type='pci'/></disk><input type='tablet' bus='usb'/><input type='tablet' bus='usb'/><interface type='user'><address type='pci'/></interface></devices></domain>")
    expect(selectIdentities(domain, "devices/*/address[@type='pci']", libvirtIdentityKeys).map((s) => s.path)).toEqual([
      "/domain/devices/disk[target/@dev='vda']/address",
      '/domain/devices/interface[not(mac/@address)]/address',
    ])
    expect(selectIdentities(domain, "devices/input[@bus='usb']", libvirtIdentityKeys).map((s) => s.path)).toEqual([
      "/domain/devices/input[@type='tablet'][@bus='usb']",
      "/domain/devices/input[@type='tablet'][@bus='usb'][2]",
    ])
    // Every path selects its own node (xml-core's selectPath reads them as XPath does, with [1] where needed).
    const tree = { type: 'root' as const, children: [domain] }
    for (const { element: e, path } of selectIdentities(domain, 'devices/*', libvirtIdentityKeys)) {
      const exact = exactPaths(tree, [path], libvirtIdentityKeys)[0]!
      expect(selectPath(tree, exact).map((n) => n.element), path).toEqual([e])
    }
  })
})
