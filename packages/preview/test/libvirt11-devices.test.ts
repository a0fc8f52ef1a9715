// What libvirt 11.3's own daemon does with devices where 9.0's differs, found by defining the device probes of
// fixtures/preview/probes on Debian trixie's libvirtd 11.3 (tools/libvirt-trixie) next to preview. The expected fragments
// and refusals are what that daemon stored or said; the near misses beside them what 9.0 does.
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'
import { capsXml, x86Flags } from './_caps.ts'

const v9 = { v9: true }

describe("a network disk's hosts (11.3's virDomainStorageNetworkParseHost: virXMLPropEnumDefault, then by transport)", () => {
  const nbd = (host: string): string => x86Domain(`<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='nbd' name='n'>${host}</source><target dev='vda' bus='virtio'/></disk>`)
  it("names a transport it does not know in virXMLPropEnum's words", () => {
    expect(refusal(nbd("<host name='h' transport='udp'/>"))).toMatchObject({ code: 'preview-invalid-value', message: "Invalid value for attribute 'transport' in element 'host': 'udp'." })
    expect(refusal(nbd("<host name='h' transport='udp'/>"), v9)).toMatchObject({ message: "unknown protocol transport type 'udp'" })
  })
  it('names the transport a socket is refused for (TCP when none is written); refuses `fd` for a disk', () => {
    expect(refusal(nbd("<host name='h' socket='/s'/>"))).toMatchObject({ message: "transport 'tcp' does not support socket attribute" })
    expect(refusal(nbd("<host name='h' socket='/s'/>"), v9)).toMatchObject({ message: "transport '(null)' does not support socket attribute" })
    expect(refusal(nbd("<host name='h' transport='fd'/>"))).toMatchObject({ message: "transport 'fd' is now allowed" })
  })
  it("reads a TCP host's port before its name", () => {
    expect(refusal(nbd("<host port='x'/>"))).toMatchObject({ message: "failed to parse port number 'x'" })
    expect(refusal(nbd("<host port='x'/>"), v9)).toMatchObject({ message: 'missing name for host' })
  })
})

describe("a disk's source read with 11.3's typed readers", () => {
  it("a volume's mode: virXMLPropEnum, NONZERO (virDomainDiskSourcePoolDefParse)", () => {
    const volume = (mode: string): string => x86Domain(`<disk type='volume' device='disk'><source pool='p' volume='v' mode='${mode}'/><target dev='vda' bus='virtio'/></disk>`)
    expect(refusal(volume('bogus'))).toMatchObject({ message: "Invalid value for attribute 'mode' in element 'source': 'bogus'." })
    expect(refusal(volume(''))).toMatchObject({ message: "Invalid value for attribute 'mode' in element 'source': ''." })
    expect(refusal(volume('bogus'), v9)).toMatchObject({ message: "unknown source mode 'bogus' for volume type disk" })
  })
  it("an NVMe namespace: virXMLPropULongLong, REQUIRED (virDomainDiskSourceNVMeParse)", () => {
    const nvme = (namespace: string): string => x86Domain(`<disk type='nvme' device='disk'><driver name='qemu' type='raw'/><source type='pci' managed='yes'${namespace}><address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></source><target dev='vda' bus='virtio'/></disk>`)
    expect(refusal(nvme(''))).toMatchObject({ message: "Missing required attribute 'namespace' in element 'source'" })
    expect(refusal(nvme(" namespace='x'"))).toMatchObject({ message: "Invalid value for attribute 'namespace' in element 'source': 'x'. Expected non-negative integer value" })
    expect(refusal(nvme(''), v9)).toMatchObject({ message: "missing 'namespace' attribute to disk source" })
    expect(refusal(nvme(" namespace='x'"), v9)).toMatchObject({ message: "malformed namespace 'x'" })
  })
  it("qcow2's discard_no_unref: an on/off switch 11.3 reads (virDomainDiskDefDriverParseXML)", () => {
    const disk = x86Domain("<disk type='file' device='disk'><driver name='qemu' type='qcow2' discard_no_unref='bogus'/><source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk>")
    expect(refusal(disk)).toMatchObject({ message: "Invalid value for attribute 'discard_no_unref' in element 'driver': 'bogus'." })
    expect(predicts(disk, v9)).not.toContain('discard_no_unref')
  })
})

describe("a disk's and a controller's I/O thread mapping (11.3's qemuDomainValidateIothreadMapping)", () => {
  const disk = (driver: string, threads = 2): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><iothreads>${threads}</iothreads><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='raw'${driver}</driver><source file='/a.img'/><target dev='vda' bus='virtio'/></disk></devices></domain>`
  it('a queue mapping needs a queue count; a mapped thread the domain has', () => {
    expect(refusal(disk("><iothreads><iothread id='1'><queue id='0'/></iothread></iothreads>"))).toMatchObject({ message: "'queue' count must be configured for explicit iothread to queue mapping" })
    expect(refusal(disk("><iothreads><iothread id='9'/></iothreads>"))).toMatchObject({ message: "iothread '9' not defined in iothreadid" })
    expect(refusal(disk("><iothreads><iothread id='1'/><iothread id='1'/></iothreads>"))).toMatchObject({ message: "duplicate mapping for iothread '1'" })
  })
  it('every queue mapped once, by every thread or none', () => {
    expect(refusal(disk(" queues='2'><iothreads><iothread id='1'><queue id='0'/></iothread></iothreads>"))).toMatchObject({ message: "missing iothread mapping for queue '1'" })
    expect(refusal(disk(" queues='2'><iothreads><iothread id='1'><queue id='0'/></iothread><iothread id='2'/></iothreads>"))).toMatchObject({ message: 'iothread to queue mapping must be provided for all iothreads or for none' })
    expect(refusal(disk(" queues='2'><iothreads><iothread id='1'><queue id='0'/><queue id='2'/></iothread></iothreads>"))).toMatchObject({ message: "iothread queue '2' mapping out of range" })
    expect(refusal(disk(" queues='2'><iothreads><iothread id='1'><queue id='0'/></iothread><iothread id='2'><queue id='0'/></iothread></iothreads>"))).toMatchObject({ message: "iothread queue '0' is already assigned" })
    expect(predicts(disk(" queues='2'><iothreads><iothread id='1'><queue id='0'/></iothread><iothread id='2'><queue id='1'/></iothread></iothreads>"))).toContain("<iothread id='2'>\n            <queue id='1'/>")
  })
  it("reads each thread's and queue's id with virXMLPropUInt, REQUIRED (virDomainIothreadMappingDefParse)", () => {
    expect(refusal(disk("><iothreads><iothread id='x'/></iothreads>"))).toMatchObject({ message: "Invalid value for attribute 'id' in element 'iothread': 'x'. Expected non-negative integer value" })
    expect(refusal(disk(" queues='1'><iothreads><iothread id='1'><queue/></iothread></iothreads>"))).toMatchObject({ message: "Missing required attribute 'id' in element 'queue'" })
  })
  it("a virtio-scsi controller's mapping alike", () => {
    const scsi = `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><iothreads>2</iothreads><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><controller type='scsi' model='virtio-scsi'><driver queues='2'><iothreads><iothread id='1'><queue id='1'/></iothread></iothreads></driver></controller></devices></domain>`
    expect(refusal(scsi)).toMatchObject({ message: "missing iothread mapping for queue '0'" })
  })
})

describe("an I/O thread's polling (11.3's virDomainIOThreadIDDefParseXML)", () => {
  const polled = (poll: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><iothreads>1</iothreads><iothreadids><iothread id='1'>${poll}</iothread></iothreadids><os><type arch='x86_64' machine='q35'>hvm</type></os></domain>`
  it('reads max, grow and shrink as unsigned long longs; an empty <poll> is not written back', () => {
    expect(refusal(polled("<poll max='x'/>"))).toMatchObject({ message: "Invalid value for attribute 'max' in element 'poll': 'x'. Expected non-negative integer value" })
    expect(predicts(polled('<poll/>'))).toContain("<iothreadids>\n    <iothread id='1'/>\n  </iothreadids>")
    expect(predicts(polled("<poll max='+10'/>"))).toContain("<poll max='10'/>")
  })
})

describe("QEMU's TCP character devices speak raw or telnet only (11.3's qemuValidateDomainChrSourceDef, any device's source)", () => {
  it('refuses tls and telnets on a USB redirection and an RNG backend too; 9.0 takes them', () => {
    const redirdev = x86Domain("<redirdev bus='usb' type='tcp'><source mode='connect' host='127.0.0.1' service='4555'/><protocol type='telnets'/></redirdev>", 'q35')
    expect(refusal(redirdev)).toMatchObject({ message: "tcp chardev protocol 'telnets' not supported" })
    expect(predicts(redirdev, v9)).toContain("<protocol type='telnets'/>")
    const rng = x86Domain("<rng model='virtio'><backend model='egd' type='tcp'><source mode='connect' host='127.0.0.1' service='4555'/><protocol type='tls'/></backend></rng>", 'q35')
    expect(refusal(rng)).toMatchObject({ message: "tcp chardev protocol 'tls' not supported" })
    expect(predicts(rng, v9)).toContain("<protocol type='tls'/>")
  })
})

describe("a crypto device's backend (11.3's qemuValidateDomainDeviceDefCrypto: what its QEMU offers)", () => {
  const crypto = (backend: string): string => x86Domain(`<crypto model='virtio' type='qemu'><backend model='${backend}' queues='1'/></crypto>`, 'q35')
  it("refuses the kernel's lkcf backend without QEMU's cryptodev-backend-lkcf, and the virtio model without virtio-crypto", () => {
    expect(refusal(crypto('lkcf'))).toMatchObject({ message: 'crypto backend lkcf is not supported' })
    expect(predicts(crypto('lkcf'), { caps: capsXml({ flags: [...x86Flags, 'cryptodev-backend-lkcf'] }) })).toContain("<backend model='lkcf' queues='1'/>")
    expect(predicts(crypto('builtin'))).toContain("<backend model='builtin' queues='1'/>")
    expect(refusal(crypto('builtin'), { caps: capsXml({ flags: x86Flags.filter((f) => f !== 'virtio-crypto') }) })).toMatchObject({ message: 'crypto model virtio is not supported' })
  })
})

describe('a LUN on virtio without QEMU\'s virtio-blk SCSI emulation (11.3: the LUN checks of qemuValidateDomainDeviceDefDiskFrontend)', () => {
  it('is refused before its copy on read and its native I/O are looked at', () => {
    const lun = (driver: string): string => x86Domain(`<disk type='block' device='lun'><driver name='qemu' type='raw'${driver}/><source dev='/dev/sda'/><target dev='vdc' bus='virtio'/></disk>`)
    expect(refusal(lun(" copy_on_read='on'"))).toMatchObject({ message: "This QEMU doesn't support SCSI emulation with 'virtio-blk' device" })
    expect(refusal(lun(" io='native'"))).toMatchObject({ message: "This QEMU doesn't support SCSI emulation with 'virtio-blk' device" })
    expect(refusal(lun(" copy_on_read='on'"), v9)).toMatchObject({ message: "copy_on_read is not compatible with 'lun' disk 'vdc'" })
  })
})

describe("a sound card's <driver> (11.3's virDomainSoundDefFormat: a virtio card's alone)", () => {
  it("drops an ich9 card's virtio options", () => {
    expect(predicts(x86Domain("<sound model='ich9'><driver iommu='on'/></sound>", 'q35'))).not.toContain("<driver iommu='on'/>")
    expect(predicts(x86Domain("<sound model='virtio'><driver iommu='on'/></sound>", 'q35'))).toContain("<driver iommu='on'/>")
  })
})

describe("an IOMMU's interrupt remapping on 11.3 (post-parse's split I/O APIC and EIM, then validation)", () => {
  const aarch64 = `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='aarch64' machine='virt'>hvm</type></os><devices><iommu model='smmuv3'><driver intremap='on'/></iommu></devices></domain>`
  const armCaps = capsXml({ arch: 'aarch64', flags: ['gpex', 'pcie-root-port', 'virtio-pci-non-transitional'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>" })
  it("refuses the <ioapic> 11.3 gives an SMMUv3 with intremap off x86, before the IOMMU's own checks (qemuValidateDomainDefFeatures)", () => {
    expect(refusal(aarch64, { caps: armCaps })).toMatchObject({ message: "The 'ioapic' feature is not supported for architecture 'aarch64' or machine type 'virt-9.9'" })
    expect(refusal(aarch64, { caps: armCaps, v9: true })).toMatchObject({ message: "iommu model 'smmuv3' doesn't support additional attributes" })
  })
  const many = (features: string, driver: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>1024</memory><vcpu>280</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><features><acpi/>${features}</features><devices><iommu model='intel'><driver${driver}/></iommu></devices></domain>`
  it('checks the interrupt remapping and EIM post-parse turns on for more than 255 vCPUs (qemuDomainIOMMUDefPostParse)', () => {
    expect(refusal(many("<ioapic driver='qemu'/>", " intremap='off'"))).toMatchObject({ message: 'IOMMU eim requires interrupt remapping to be enabled' })
    expect(refusal(many("<ioapic driver='kvm'/>", ''))).toMatchObject({ message: "IOMMU interrupt remapping requires split I/O APIC (ioapic driver='qemu')" })
    expect(predicts(many("<ioapic driver='qemu'/>", " eim='on'"))).toContain("<driver intremap='on' eim='on'/>")
  })
  it("reads the DMA translation switch as on/off (virDomainIOMMUDefParseXML)", () => {
    expect(refusal(many("<ioapic driver='qemu'/>", " dma_translation='bogus'"))).toMatchObject({ message: "Invalid value for attribute 'dma_translation' in element 'driver': 'bogus'." })
  })
})

describe("11.3's PCI controller index check after address assignment's fill-in controllers", () => {
  it('names index 256, the first pci-bridge added below the one written', () => {
    const pc = x86Domain("<controller type='pci' index='300' model='pci-bridge'/>")
    expect(refusal(pc)).toMatchObject({ message: 'PCI controller index 256 too high, maximum is 255' })
    expect(refusal(pc, v9)).toMatchObject({ message: 'PCI controller index 300 too high, maximum is 255' })
  })
})

describe("a PCI controller's memory reserve (11.3: virXMLPropULongLong in C's base, NONZERO)", () => {
  const port = (value: string): string => x86Domain(`<controller type='pci' index='1' model='pcie-root-port'><target memReserve='${value}'/></controller>`, 'q35')
  it('refuses what does not read and 0; writes the number in decimal', () => {
    expect(refusal(port('x'))).toMatchObject({ message: "Invalid value for attribute 'memReserve' in element 'target': 'x'. Expected non-negative integer value" })
    expect(refusal(port('0'))).toMatchObject({ message: "Invalid value for attribute 'memReserve' in element 'target': Zero is not permitted" })
    expect(predicts(port('0x400'))).toContain("memReserve='1024'")
  })
})

describe("a restrictive memnode's numatune without a <memory> (11.3's virDomainNumaDefValidate: strict's mode)", () => {
  it('is refused', () => {
    const xml = `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><vcpu>4</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><cpu><numa><cell id='0' cpus='0-1' memory='262144'/><cell id='1' cpus='2-3' memory='262144'/></numa></cpu><numatune><memnode cellid='0' mode='restrictive' nodeset='0'/></numatune></domain>`
    expect(refusal(xml)).toMatchObject({ message: "'restrictive' mode is required in memory element when mode is 'restrictive' in memnode element" })
  })
})

describe("SEV-SNP's policy (11.3's virDomainSEVSNPDefParseXML: virXPathULongLongBase, required)", () => {
  it('refuses an SEV-SNP launch security without a policy at parse', () => {
    const xml = `<domain type='qemu'><name>t</name><memory unit='MiB'>1024</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><launchSecurity type='sev-snp'/></domain>`
    expect(refusal(xml, { caps: capsXml({ arch: 's390x', flags: ['virtio-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" }) })).toMatchObject({ message: 'failed to get launch security policy' })
  })
})

describe("a mouse without a bus where USB is off (11.3 gives the bus in post-parse: address assignment finds it)", () => {
  it('is refused in the words of USB address assignment on pSeries', () => {
    const xml = `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='ppc64' machine='pseries'>hvm</type></os><devices><controller type='usb' model='none'/><input type='mouse'/></devices></domain>`
    const caps = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'usb-kbd', 'usb-mouse'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes'/>" })
    expect(refusal(xml, { caps })).toMatchObject({ message: 'USB is disabled for this domain, but USB devices are present in the domain XML' })
    expect(refusal(xml, { caps, v9: true })).toMatchObject({ message: "Can't add USB input device. USB bus is disabled" })
  })
})

describe("a PCI pvpanic without an address (11.3's qemuValidateDomainDefPanic)", () => {
  it('is refused on a machine without PCI (aarch64 sbsa-ref)', () => {
    const xml = `<domain type='qemu'><name>t</name><memory unit='MiB'>1024</memory><os><type arch='aarch64' machine='sbsa-ref'>hvm</type></os><devices><panic model='pvpanic'/></devices></domain>`
    const caps = capsXml({ arch: 'aarch64', flags: ['pvpanic-pci'], machines: "<machine type='tcg' name='sbsa-ref' default='yes'/>" })
    expect(refusal(xml, { caps })).toMatchObject({ message: 'pvpanic is supported only with PCI address type' })
  })
})
