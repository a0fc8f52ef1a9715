// Rules found missing on libvirt test pairs outside the shared corpus; each on a small hand-written domain.
import { describe, expect, it } from 'vitest'
import { capsXml, domainXml } from './_caps.ts'
import { all, kids, one, pci, run } from './_find.ts'

const pc = (devices: string): string => domainXml('pc', devices)
const channel = (name: string, source = ''): string => `<channel type='pty'>${source}<target type='virtio' name='${name}'/></channel>`

describe('virtio-serial controllers libvirt adds when the ports run out', () => {
  it('adds a controller at the lowest free index once every port is taken, and puts the channel on its port 1', () => {
    // ports='3': ports 1 and 2 are usable; the third channel needs another controller
    const xml = pc(`<controller type='virtio-serial' index='0' ports='3'/>${channel('a')}${channel('b')}${channel('c')}${channel('d')}`)
    const { root, explanation } = run(xml)
    expect(all(root, 'devices/controller[type=virtio-serial]').map((c) => c.attributes.index)).toEqual(['0', '1'])
    const placed = all(root, 'devices/channel').map((c) => `${one(c, 'address').attributes.controller}:${one(c, 'address').attributes.port}`)
    expect(placed).toEqual(['0:1', '0:2', '1:1', '1:2'])
    expect(explanation.some((e) => e.rule === 'virtio-serial-controller' && e.path.includes("@index='1'"))).toBe(true)
  })

  it('fills a gap in the controller indexes first', () => {
    const xml = pc(`<controller type='virtio-serial' index='0' ports='2'/><controller type='virtio-serial' index='2' ports='2'/>${channel('a')}${channel('b')}${channel('c')}`)
    const { root } = run(xml)
    expect(all(root, 'devices/controller[type=virtio-serial]').map((c) => c.attributes.index)).toEqual(['0', '1', '2'])
    expect(all(root, 'devices/channel').map((c) => one(c, 'address').attributes.controller)).toEqual(['0', '2', '1'])
  })

  it('adds nothing while a controller has a free port', () => {
    const { root } = run(pc(`<controller type='virtio-serial' index='0' ports='4'/>${channel('a')}${channel('b')}${channel('c')}`))
    expect(all(root, 'devices/controller[type=virtio-serial]')).toHaveLength(1)
  })
})

describe('channel-default-path: sockets libvirt generated for virtio channels', () => {
  const unixChannel = (path: string, name = 'org.example.agent', mode = ''): string =>
    `<channel type='unix'><source${mode} path='${path}'/><target type='virtio' name='${name}'/></channel>`
  const dir = '/var/lib/libvirt/qemu/channel/target'

  it("drops a path under the channel directory named after the domain and the channel's target", () => {
    for (const path of [`${dir}/domain-7-guest/org.example.agent`, `${dir}/guest.org.example.agent`]) {
      const { root, explanation } = run(pc(unixChannel(path, 'org.example.agent', " mode='connect'")))
      expect(kids(one(root, 'devices/channel'), 'source')).toHaveLength(0)
      expect(explanation.some((e) => e.rule === 'channel-default-path')).toBe(true)
    }
  })

  it('keeps a path the user chose, even under the channel directory', () => {
    for (const path of [`${dir}/org.example.agent`, `${dir}/domain-7-guest/other.name`, '/tmp/agent.sock']) {
      const { root } = run(pc(unixChannel(path, 'org.example.agent', " mode='connect'")))
      expect(one(root, 'devices/channel/source').attributes).toEqual({ mode: 'connect', path })
    }
  })

  it('leaves serial ports alone', () => {
    const xml = pc(`<serial type='unix'><source mode='bind' path='${dir}/domain-1-t/x'/><target port='0'/></serial>`)
    expect(one(run(xml).root, 'devices/serial/source').attributes.path).toBe(`${dir}/domain-1-t/x`)
  })
})

describe('chardev protocol', () => {
  it('drops <protocol> from a character device that is not TCP and keeps it on TCP', () => {
    const xml = pc(
      "<serial type='unix'><source mode='connect' path='/tmp/s.sock'/><protocol type='raw'/><target port='0'/></serial>" +
      "<serial type='tcp'><source mode='connect' host='127.0.0.1' service='4555'/><protocol type='telnet'/><target port='1'/></serial>",
    )
    const serials = all(run(xml).root, 'devices/serial')
    expect(kids(serials[0], 'protocol')).toHaveLength(0)
    expect(one(serials[1]!, 'protocol').attributes.type).toBe('telnet')
  })
})

describe('redirfilter', () => {
  it('leaves out the -1 (any) values of a filter rule', () => {
    const xml = pc("<redirfilter><usbdev class='-1' vendor='0x1234' product='-1' version='-1' allow='no'/></redirfilter>")
    expect(one(run(xml).root, 'devices/redirfilter/usbdev').attributes).toEqual({ vendor: '0x1234', allow: 'no' })
  })
})

describe('controller-order: a USB2 master goes before its companions', () => {
  it('puts an EHCI controller written after its UHCI companion in front of it, and keeps index order', () => {
    const xml = pc(
      "<controller type='usb' index='1' model='qemu-xhci'/>" +
      "<controller type='usb' index='0' model='ich9-uhci2'><master startport='2'/></controller>" +
      "<controller type='usb' index='0' model='ich9-uhci1'/>" +
      "<controller type='usb' index='0' model='ich9-ehci1'/>",
    )
    const order = all(run(xml).root, 'devices/controller[type=usb]').map((c) => `${c.attributes.index}:${c.attributes.model}`)
    expect(order).toEqual(['0:ich9-ehci1', '0:ich9-uhci2', '0:ich9-uhci1', '1:qemu-xhci'])
  })

  it('keeps companions in the order written', () => {
    const xml = pc("<controller type='usb' index='0' model='ich9-ehci1'/><controller type='usb' index='0' model='ich9-uhci3'/><controller type='usb' index='0' model='ich9-uhci1'/>")
    expect(all(run(xml).root, 'devices/controller[type=usb]').map((c) => c.attributes.model)).toEqual(['ich9-ehci1', 'ich9-uhci3', 'ich9-uhci1'])
  })
})

describe('disk metadata cache', () => {
  it('stores the qcow2 metadata cache size in bytes, also in the backing chain', () => {
    const xml = pc(
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2'><metadata_cache><max_size>4096</max_size></metadata_cache></driver>" +
      "<source file='/var/lib/images/a.qcow2'/><backingStore type='file'><format type='qcow2'><metadata_cache><max_size unit='MiB'>2</max_size></metadata_cache></format>" +
      "<source file='/var/lib/images/base.qcow2'/></backingStore><target dev='vda' bus='virtio'/></disk>",
    )
    const sizes = all(run(xml).root, 'devices/disk').flatMap((d) => [
      ...all(d, 'driver/metadata_cache/max_size'), ...all(d, 'backingStore/format/metadata_cache/max_size'),
    ])
    expect(sizes.map((s) => `${s.attributes.unit} ${s.children.map((c) => (c.type === 'text' ? c.value : '')).join('')}`)).toEqual(['bytes 4096', 'bytes 2097152'])
  })
})

describe('graphics: VNC listening nowhere', () => {
  it('has no port or autoport, while an address listen gets port -1 and autoport', () => {
    const none = one(run(pc("<graphics type='vnc'><listen type='none'/></graphics>")).root, 'devices/graphics')
    expect(none.attributes).toEqual({ type: 'vnc' })
    const address = one(run(pc("<graphics type='vnc'><listen type='address' address='127.0.0.1'/></graphics>")).root, 'devices/graphics')
    expect(address.attributes).toMatchObject({ port: '-1', autoport: 'yes' })
  })
})

describe('iothread-ids', () => {
  const withThreads = (extra: string): string => pc('').replace('<vcpu>1</vcpu>', `<vcpu>1</vcpu>${extra}`)
  const ids = (xml: string): string[] => all(run(xml).root, 'iothreadids/iothread').map((t) => t.attributes.id ?? '')

  it('numbers the threads the count asks for beyond the IDs given, lowest free first', () => {
    expect(ids(withThreads("<iothreads>3</iothreads><iothreadids><iothread id='2'/><iothread id='7'/></iothreadids>"))).toEqual(['2', '7', '1'])
  })

  it('writes no IDs when none were given, and raises the count to the IDs given', () => {
    expect(ids(withThreads('<iothreads>2</iothreads>'))).toEqual([])
    const { root } = run(withThreads("<iothreads>1</iothreads><iothreadids><iothread id='1'/><iothread id='4'/></iothreadids>"))
    expect(one(root, 'iothreads').children.map((c) => (c.type === 'text' ? c.value : '')).join('')).toBe('2')
  })
})

describe('sched-per-thread', () => {
  it('writes one <vcpusched>/<iothreadsched> per thread in ID order, priority only for fifo and rr', () => {
    const tune = "<iothreads>3</iothreads><cputune><vcpusched vcpus='1-2' scheduler='fifo' priority='5'/><vcpusched vcpus='0' scheduler='idle' priority='3'/>" +
      "<iothreadsched iothreads='1-3,^2' scheduler='batch'/></cputune>"
    const { root } = run(pc('').replace('<vcpu>1</vcpu>', `<vcpu>3</vcpu>${tune}`))
    expect(all(root, 'cputune/vcpusched').map((e) => e.attributes)).toEqual([
      { vcpus: '0', scheduler: 'idle' }, { vcpus: '1', scheduler: 'fifo', priority: '5' }, { vcpus: '2', scheduler: 'fifo', priority: '5' },
    ])
    expect(all(root, 'cputune/iothreadsched').map((e) => e.attributes.iothreads)).toEqual(['1', '3'])
  })
})

describe('NUMA distances', () => {
  it('mirrors a distance given one way, keeps one given both ways, and adds 10 to the cell itself', () => {
    const numa = "<cpu><numa><cell id='0' cpus='0' memory='512' unit='MiB'><distances><sibling id='1' value='20'/><sibling id='2' value='30'/></distances></cell>" +
      "<cell id='1' cpus='1' memory='512' unit='MiB'><distances><sibling id='0' value='25'/></distances></cell>" +
      "<cell id='2' cpus='2' memory='512' unit='MiB'/><cell id='3' cpus='3' memory='512' unit='MiB'/></numa></cpu>"
    const { root } = run(domainXml('pc', '', numa).replace('<vcpu>1</vcpu>', '<vcpu>4</vcpu>'))
    const matrix = all(root, 'cpu/numa/cell').map((c) => all(c, 'distances/sibling').map((s) => `${s.attributes.id}:${s.attributes.value}`).join(' '))
    expect(matrix).toEqual(['0:10 1:20 2:30', '0:25 1:10', '0:30 2:10', ''])
  })
})

describe('PCIe switch ports', () => {
  it('plugs an upstream port into a root port and the downstream ports into it, slot by slot', () => {
    const xml = domainXml('q35', "<controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='1' model='pcie-root-port'/>" +
      "<controller type='pci' index='2' model='pcie-switch-upstream-port'/><controller type='pci' index='3' model='pcie-switch-downstream-port'/>" +
      "<controller type='pci' index='4' model='pcie-switch-downstream-port'/><interface type='user'><model type='e1000e'/></interface>")
    const { root } = run(xml)
    const at = (index: string): string => pci(one(root, `devices/controller[index=${index}]`))
    expect(at('2')).toBe('0x01:0x00.0x0')
    expect([at('3'), at('4')]).toEqual(['0x02:0x00.0x0', '0x02:0x01.0x0'])
    expect(one(root, 'devices/controller[index=4]/target').attributes).toEqual({ chassis: '4', port: '0x1' })
    // the NIC takes the first free port: the switch's first downstream port
    expect(pci(one(root, 'devices/interface'))).toBe('0x03:0x00.0x0')
  })
})

describe('PCI addresses with only some fields', () => {
  it('takes an address naming a bus (or domain) as given, its missing fields 0; an empty one is assigned', () => {
    const xml = domainXml('q35', "<controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='1' model='pcie-root-port'/>" +
      "<controller type='pci' index='2' model='pcie-root-port'/><interface type='user'><model type='e1000e'/><address type='pci' bus='2'/></interface>" +
      "<interface type='user'><model type='e1000e'/><address type='pci'/></interface>")
    const nics = all(run(xml).root, 'devices/interface')
    expect(pci(nics[0]!)).toBe('0x02:0x00.0x0')
    // the empty one is assigned a port of its own
    expect(one(nics[1]!, 'address').attributes.bus).not.toBe('0x02')
  })
})

describe('rng-default-source', () => {
  it('gives a random RNG backend without a path /dev/random and keeps a path given', () => {
    const xml = pc("<rng model='virtio'><backend model='random'/></rng><rng model='virtio'><backend model='random'>/dev/hwrng</backend></rng>")
    const backends = all(run(xml).root, 'devices/rng/backend').map((b) => b.children.map((c) => (c.type === 'text' ? c.value : '')).join(''))
    expect(backends).toEqual(['/dev/random', '/dev/hwrng'])
  })
})

describe('iotune-group', () => {
  it("gives a disk that names only its throttling group the group's limits from another disk of it", () => {
    const disk = (dev: string, iotune: string): string => `<disk type='file' device='disk'><source file='/var/lib/images/${dev}.img'/><target dev='${dev}' bus='virtio'/><iotune>${iotune}</iotune></disk>`
    const xml = pc(disk('vda', '<total_iops_sec>500</total_iops_sec><group_name>g1</group_name>') + disk('vdb', '<group_name>g1</group_name>'))
    const names = all(run(xml).root, 'devices/disk').map((d) => all(d, 'iotune')[0]!.children.filter((c) => c.type === 'element').map((c) => (c.type === 'element' ? c.name : '')).join(','))
    expect(names).toEqual(['total_iops_sec,group_name', 'total_iops_sec,group_name'])
    // (a group no disk sets limits for is refused, as libvirtd 9.0 refuses it: qemuValidateDomainDeviceDefDiskBlkdeviotune)
    expect(() => run(pc(disk('vda', '<total_iops_sec>500</total_iops_sec><group_name>g1</group_name>') + disk('vdc', '<group_name>g2</group_name>')))).toThrow('group_name can be configured only together with settings')
  })
})

describe('s390 USB controller', () => {
  it("gives a USB controller without a model or an address model 'none' on s390", () => {
    const s390caps = capsXml({
      arch: 's390x', flags: ['virtio-ccw', 'qemu-xhci', 'pci-ohci'],
      machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/><cpu type='tcg' name='qemu' typename='qemu-s390x-cpu' usable='yes'/>",
    })
    const xml = domainXml('s390-ccw-virtio', "<controller type='usb'/>", '', 's390x')
    expect(one(run(xml, { qemuCaps: s390caps }).root, 'devices/controller[type=usb]').attributes.model).toBe('none')
  })

  it('an SDL audio backend libvirt adds takes libvirtd\'s SDL_AUDIODRIVER as its driver (qemuDomainDefAddDefaultAudioBackend)', () => {
    const sdl = domainXml('pc', "<graphics type='sdl'/>")
    expect(one(run(sdl, { qemuConf: { audioDriver: 'sdl' } }).root, 'devices/audio').attributes).toEqual({ id: '1', type: 'sdl' })
    expect(one(run(sdl, { qemuConf: { audioDriver: 'sdl', sdlAudioDriver: 'pulseaudio' } }).root, 'devices/audio').attributes).toEqual({ id: '1', type: 'sdl', driver: 'pulseaudio' })
    // only an SDL backend has an SDL driver
    expect(one(run(domainXml('pc', "<graphics type='vnc'/>"), { qemuConf: { sdlAudioDriver: 'pulseaudio' } }).root, 'devices/audio').attributes).toEqual({ id: '1', type: 'none' })
  })

  it('an interface keeps <coalesce> only for a non-zero rx frame count (virDomainNetDefCoalesceFormatXML)', () => {
    // (a virtual network's NICs: QEMU takes receive coalescing on a network's or a bridge's alone — qemuValidateNetSupportsCoalesce)
    const nic = (coalesce: string): string => `<interface type='network'><mac address='52:54:00:aa:bb:01'/><source network='default'/><model type='virtio'/>${coalesce}</interface>`
    const xml = domainXml('pc', nic("<coalesce><rx><frames max='16'/></rx></coalesce>") + nic("<coalesce><rx><frames max='0'/></rx></coalesce>") + nic('<coalesce><rx/></coalesce>'))
    const nics = all(run(xml).root, 'devices/interface')
    expect(nics).toHaveLength(3)
    expect(one(nics[0]!, 'coalesce/rx/frames').attributes.max).toBe('16')
    expect(all(nics[1]!, 'coalesce')).toHaveLength(0)
    expect(all(nics[2]!, 'coalesce')).toHaveLength(0)
  })

  it('a virtio IOMMU and a pvpanic device go on pcie-root itself (VIR_PCI_CONNECT_INTEGRATED), not behind a root port', () => {
    // (ACPI: libvirt refuses a virtio IOMMU without it)
    const root = run(domainXml('q35', "<iommu model='virtio'/><panic model='pvpanic'/>", '<features><acpi/></features>')).root
    expect(pci(one(root, 'devices/iommu')).startsWith('0x00:')).toBe(true)
    expect(pci(one(root, 'devices/panic')).startsWith('0x00:')).toBe(true)
    expect(all(root, 'devices/controller[model=pcie-root-port]').length).toBe(all(run(domainXml('q35', '')).root, 'devices/controller[model=pcie-root-port]').length)
  })
})

describe('held-out libvirt pairs, second sample', () => {
  it('SDL graphics take the host audio libvirtd names in QEMU_AUDIO_DRV, and get no audio backend without it', () => {
    const sdl = domainXml('pc', "<graphics type='sdl'/>")
    const bare = run(sdl)
    expect(all(bare.root, 'devices/audio')).toHaveLength(0)
    expect(bare.explanation.some((e) => e.rule === 'audio-sdl-none')).toBe(true)
    // (the audio is predicted; the UUID this test domain lacks is libvirt's random choice)
    expect(bare.notPredicted.map((n) => n.path)).toEqual(['domain/uuid'])
    expect(one(run(sdl, { qemuConf: { audioDriver: 'alsa' } }).root, 'devices/audio').attributes).toEqual({ id: '1', type: 'alsa' })
    // QEMU's name for PulseAudio is mapped to libvirt's
    expect(one(run(sdl, { qemuConf: { audioDriver: 'pa' } }).root, 'devices/audio').attributes).toEqual({ id: '1', type: 'pulseaudio' })
    // SPICE next to SDL still decides the backend, and VNC alone still gets 'none'
    expect(one(run(domainXml('pc', "<graphics type='sdl'/><graphics type='spice'/>")).root, 'devices/audio').attributes.type).toBe('spice')
    expect(one(run(domainXml('pc', "<graphics type='vnc'/>")).root, 'devices/audio').attributes.type).toBe('none')
  })

  it('a host-model CPU keeps a nameless <model> that carries a vendor_id; a host-passthrough one writes no model (virCPUDefFormatBuf)', () => {
    const cpu = (inner: string, mode = 'host-model'): string => domainXml('pc', '', `<cpu mode='${mode}'>${inner}</cpu>`)
    const kept = run(cpu("<model vendor_id='SomeVendorXY'/>"))
    expect(one(kept.root, 'cpu/model').attributes).toEqual({ vendor_id: 'SomeVendorXY' })
    // (virCPUDefFormatBuf formats a model for the custom and host-model modes alone, and the parser reads no vendor_id
    // for host-passthrough: libvirtd 9.0 stores `<cpu mode='host-passthrough' check='none' migratable='on'/>` — probe
    // h13-cpu-hp-vendorid-nameless)
    expect(all(run(cpu("<model vendor_id='SomeVendorXY'/>", 'host-passthrough')).root, 'cpu/model')).toHaveLength(0)
    // a nameless model without a vendor is still dropped
    expect(all(run(cpu("<model fallback='allow'/>")).root, 'cpu/model')).toHaveLength(0)
  })

  it('a console on an ARM board other than virt makes a serial port without a target type or model (qemuDomainChrDefPostParse)', () => {
    const machines = "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/><machine type='tcg' name='vexpress-a15'/>"
    const caps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'virtio-mmio', 'pcie-root-port'], machines })
    const board = run(domainXml('vexpress-a15', "<console type='pty'/>", '', 'aarch64'), { qemuCaps: caps }).root
    const target = one(board, 'devices/serial/target')
    expect(target.attributes).toEqual({ port: '0' })
    expect(kids(target, 'model')).toHaveLength(0)
    expect(one(board, 'devices/console/target').attributes).toEqual({ type: 'serial', port: '0' })
    // the same console on virt gets a system-serial pl011 port
    const virt = one(run(domainXml('virt', "<console type='pty'/>", '', 'aarch64'), { qemuCaps: caps }).root, 'devices/serial/target')
    expect(virt.attributes.type).toBe('system-serial')
    expect(one(virt, 'model').attributes.name).toBe('pl011')
  })
})
