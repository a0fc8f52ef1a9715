// Lifecycle actions, the vCPU list, power management, perf events, the VM generation ID, ID maps, the QEMU namespace
// and small devices as libvirt 9.0 reads, checks and writes them back (virDomainDefLifecycleParse, virDomainVcpuParse,
// qemuDomainDefVcpusPostParse, virDomainPerfDefParseXML, qemuDomainDefNamespaceParse and its formatter…): each case
// here was defined on the sandbox libvirtd 9.0 beside preview (probes h22-*: fixtures/preview/probes/lifecycle-vcpus-namespace.xml).
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'
import { capsXml, x86Flags } from './_caps.ts'

const QEMU = "xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'"
const dom = (parts: { attrs?: string; vcpu?: string; top?: string; devices?: string }): string => `<domain type='qemu'${parts.attrs ?? ''}><name>t</name><memory unit='MiB'>512</memory>${parts.vcpu ?? ''}
  <os><type arch='x86_64' machine='q35'>hvm</type></os>${parts.top ?? ''}<devices>${parts.devices ?? ''}</devices></domain>`
const part = (xml: string, name: string): string => new RegExp(`<${name}[^>]*/>|<${name}[\\s\\S]*?</${name}>`).exec(xml)?.[0] ?? ''

describe('<vcpus>: the list decides which vCPUs are online (virDomainVcpuParse, virDomainCpuDefFormat)', () => {
  it('ignores <vcpu current> above the maximum when a list says which are online (virDomainDefSetVcpus not called)', () => {
    const xml = predicts(dom({ vcpu: "<vcpu current='9'>4</vcpu><vcpus><vcpu id='0' enabled='yes'/></vcpus>" }))
    expect(part(xml, 'vcpu')).toBe("<vcpu placement='static' current='1'>4</vcpu>")
    expect(xml).toContain("<vcpu id='3' enabled='no' hotpluggable='yes'/>")
    // (without a list — or with an empty one — the count is checked)
    expect(refusal(dom({ vcpu: "<vcpu current='9'>4</vcpu>" })).message).toBe('maximum vCPU count must not be less than current vCPU count')
    expect(refusal(dom({ vcpu: "<vcpu current='9'>4</vcpu><vcpus/>" })).message).toBe('maximum vCPU count must not be less than current vCPU count')
  })
  it('reads a list without <vcpu> against the one vCPU the domain then has, and writes it as any other', () => {
    const xml = predicts(dom({ vcpu: "<vcpus><vcpu id='0' enabled='yes'/></vcpus>" }))
    expect(part(xml, 'vcpus')).toBe("<vcpus>\n    <vcpu id='0' enabled='yes' hotpluggable='no'/>\n  </vcpus>")
    expect(refusal(dom({ vcpu: "<vcpus><vcpu id='1' enabled='yes'/></vcpus>" })).message).toBe("vcpu id '1' is out of range of maximum vcpu count")
  })
  it("reads a repeated ID's entry whole: an attribute it leaves out is reset (virXMLPropEnumInternal, virXMLPropUInt)", () => {
    const xml = predicts(dom({ vcpu: "<vcpu>4</vcpu><vcpus><vcpu id='0' enabled='yes'/><vcpu id='1' enabled='no' hotpluggable='no'/><vcpu id='1' enabled='no'/></vcpus>" }))
    expect(xml).toContain("<vcpu id='1' enabled='no' hotpluggable='yes'/>")
    expect(refusal(dom({ vcpu: "<vcpu>4</vcpu><vcpus><vcpu id='0' enabled='yes'/><vcpu id='1' enabled='no'/><vcpu id='1' enabled='no' hotpluggable='no'/></vcpus>" })).message).toBe("vcpu '1' is both offline and not hotpluggable")
    expect(predicts(dom({ vcpu: "<vcpu>4</vcpu><vcpus><vcpu id='0' enabled='yes'/><vcpu id='1' enabled='yes' order='2'/><vcpu id='1' enabled='yes'/></vcpus>" }))).toContain("<vcpu id='1' enabled='yes' hotpluggable='no'/>")
    expect(refusal(dom({ vcpu: "<vcpu>4</vcpu><vcpus><vcpu id='0' enabled='yes' order='1'/><vcpu id='1' enabled='yes' order='2'/><vcpu id='1' enabled='yes'/></vcpus>" })).message).toBe('all vcpus must have either set or unset order')
  })
  it("refuses a list's vCPU 0 in post-parse's words before a count past the machine's limit (libvirt validates after post-parse)", () => {
    expect(refusal(dom({ vcpu: "<vcpu>20000</vcpu><vcpus><vcpu id='0' enabled='no'/></vcpus>" })).message).toBe("vcpu 0 can't be offline")
    expect(refusal(dom({ vcpu: "<vcpu>20000</vcpu><vcpus><vcpu id='0' enabled='yes'/><vcpu id='19999' enabled='no' hotpluggable='no'/></vcpus>" })).message).toBe("vcpu '19999' is both offline and not hotpluggable")
    expect(refusal(dom({ vcpu: "<vcpu>20000</vcpu><vcpus><vcpu id='0' enabled='yes'/><vcpu id='19999' enabled='no'/></vcpus>" })).message).toBe('Maximum CPUs greater than specified machine type limit 288')
    expect(refusal(dom({ vcpu: "<vcpu current='1'>20000</vcpu>" })).message).toBe('Maximum CPUs greater than specified machine type limit 288')
  })
  it("writes an order above 2^31 - 1 as libvirt's %d does: negative", () => {
    const xml = predicts(dom({ vcpu: "<vcpu>4</vcpu><vcpus><vcpu id='0' enabled='yes' order='1'/><vcpu id='1' enabled='yes' order='4294967295'/></vcpus>" }))
    expect(xml).toContain("<vcpu id='1' enabled='yes' hotpluggable='no' order='-1'/>")
    expect(predicts(dom({ vcpu: "<vcpu>4</vcpu><vcpus><vcpu id='0' enabled='yes' order='1'/><vcpu id='1' enabled='yes' order='2147483647'/></vcpus>" }))).toContain("order='2147483647'/>")
  })
})

describe('<perf>: each event read whole, in document order over every <perf> (virDomainPerfDefParseXML)', () => {
  const perf = (p: string): string => dom({ top: p })
  it("refuses an event's bad name or state before a name repeated earlier is noticed", () => {
    expect(refusal(perf("<perf><event name='cmt' enabled='yes'/><event name='x' enabled='yes'/><event name='cmt' enabled='yes'/></perf>")).message).toBe("Invalid value for attribute 'name' in element 'event': 'x'.")
    expect(refusal(perf("<perf><event name='cmt' enabled='yes'/><event name='mbmt' enabled='x'/><event name='cmt' enabled='yes'/></perf>")).message).toBe("Invalid value for attribute 'enabled' in element 'event': 'x'.")
    expect(refusal(perf("<perf><event name='cmt' enabled='yes'/><event name='cmt'/></perf>")).message).toBe("Missing required attribute 'enabled' in element 'event'")
    expect(refusal(perf("<perf><event name='cmt' enabled='yes'/><event name='cmt' enabled='yes'/><event name='x' enabled='yes'/></perf>")).message).toBe("perf event 'cmt' was already specified")
  })
  it('counts a name repeated in a second <perf>', () => {
    expect(refusal(perf("<perf><event name='cmt' enabled='yes'/></perf><perf><event name='cmt' enabled='no'/></perf>")).message).toBe("perf event 'cmt' was already specified")
  })
})

describe('the QEMU namespace (qemuDomainDefNamespaceParse, qemuDomainDefNamespaceFormatXML)', () => {
  it('reads the device overrides before the capabilities', () => {
    expect(refusal(dom({ attrs: ` ${QEMU}`, top: "<qemu:capabilities><qemu:add/></qemu:capabilities><qemu:override><qemu:device/></qemu:override>" })).message).toBe("missing 'alias' attribute for qemu:device")
    expect(refusal(dom({ attrs: ` ${QEMU}`, top: "<qemu:capabilities><qemu:del/></qemu:capabilities><qemu:override><qemu:device alias='a'><qemu:frontend><qemu:property name='id' type='string' value='x'/></qemu:frontend></qemu:device></qemu:override>" })).message).toBe("property with name 'id' can't be overridden")
    expect(refusal(dom({ attrs: ` ${QEMU}`, top: "<qemu:capabilities><qemu:add/></qemu:capabilities><qemu:commandline><qemu:env name='-'/></qemu:commandline>" })).message).toBe('Invalid environment name, it must begin with a letter or underscore')
  })
  it("takes the first deprecation behaviour in the document, an empty one being none (`string(./qemu:deprecation/@behavior)`)", () => {
    const empty = predicts(dom({ attrs: ` ${QEMU}`, top: "<qemu:deprecation behavior=''/>" }))
    expect(empty).not.toContain('qemu:')
    expect(empty).toContain("<domain type='qemu'>")
    expect(predicts(dom({ attrs: ` ${QEMU}`, top: "<qemu:deprecation behavior=''/><qemu:deprecation behavior='crash'/>" }))).not.toContain('qemu:')
    const second = predicts(dom({ attrs: ` ${QEMU}`, top: "<qemu:deprecation/><qemu:deprecation behavior='crash'/>" }))
    expect(second).toContain(`<domain type='qemu' ${QEMU}>`)
    expect(second).toContain("<qemu:deprecation behavior='crash'/>")
    const withArg = predicts(dom({ attrs: ` ${QEMU}`, top: "<qemu:deprecation behavior=''/><qemu:commandline><qemu:arg value='-S'/></qemu:commandline>" }))
    expect(withArg).toContain("<qemu:arg value='-S'/>")
    expect(withArg).not.toContain('qemu:deprecation')
  })
  it("reads elements under libvirt's prefix only in the QEMU namespace's URI: others are dropped with their declarations", () => {
    const wrong = predicts(dom({ attrs: " xmlns:qemu='http://libvirt.org/schemas/domain/qemu/2.0'", top: "<qemu:commandline><qemu:arg/></qemu:commandline>" }))
    expect(wrong).toContain("<domain type='qemu'>")
    expect(wrong).not.toContain('qemu:')
    expect(predicts(dom({ top: "<qemu:commandline xmlns:qemu='urn:x'><qemu:arg value='-S'/></qemu:commandline>" }))).not.toContain('qemu:')
    const mixed = predicts(dom({ attrs: ` ${QEMU}`, top: "<qemu:commandline xmlns:qemu='urn:x'><qemu:arg value='-S'/></qemu:commandline><qemu:commandline><qemu:arg value='-T'/></qemu:commandline>" }))
    expect(mixed).toContain(`<domain type='qemu' ${QEMU}>`)
    expect(part(mixed, 'qemu:commandline')).toBe("<qemu:commandline>\n    <qemu:arg value='-T'/>\n  </qemu:commandline>")
    const child = predicts(dom({ attrs: ` ${QEMU}`, top: "<qemu:commandline><qemu:arg xmlns:qemu='urn:x' value='-S'/><qemu:arg value='-T'/></qemu:commandline>" }))
    expect(part(child, 'qemu:commandline')).toBe("<qemu:commandline>\n    <qemu:arg value='-T'/>\n  </qemu:commandline>")
    // (under another prefix bound to the QEMU URI it is read, and written under qemu:)
    expect(predicts(dom({ attrs: " xmlns:q='http://libvirt.org/schemas/domain/qemu/1.0'", top: "<q:commandline><q:arg value='-S'/></q:commandline>" }))).toContain("<qemu:arg value='-S'/>")
  })
})

describe('small devices (virDomainShmemDefParseXML and its formatter)', () => {
  it("writes a shared memory device's MSI vectors of 0 as none: `<msi vectors='0'/>` is stored `<msi ioeventfd='on'/>`", () => {
    const shmem = (msi: string): string => part(predicts(dom({ devices: `<shmem name='s'><model type='ivshmem-doorbell'/><server path='/tmp/s'/>${msi}</shmem>` })), 'shmem')
    expect(shmem("<msi vectors='0'/>")).toContain("<msi ioeventfd='on'/>")
    expect(shmem("<msi vectors='0x20' ioeventfd='off'/>")).toContain("<msi vectors='32' ioeventfd='off'/>")
  })
})

describe('the devices a domain holds one of: counted before the first is read (virDomainDefParseXML)', () => {
  it('refuses two vsocks, balloons, IOMMUs or NVRAMs whatever is wrong inside either', () => {
    expect(refusal(dom({ devices: "<vsock model='virtio'><cid address='0'/></vsock><vsock model='virtio'/>" })).message).toBe('only a single vsock device is supported')
    expect(refusal(dom({ devices: "<vsock model='virtio'/><vsock model='bogus'/>" })).message).toBe('only a single vsock device is supported')
    expect(refusal(dom({ devices: "<memballoon model='virtio'><stats period='x'/></memballoon><memballoon model='virtio'/>" })).message).toBe('only a single memory balloon device is supported')
    expect(refusal(dom({ devices: "<iommu model='intel'><driver intremap='maybe'/></iommu><iommu model='intel'/>" }), { v9: true }).message).toBe('only a single IOMMU device is supported')
    // (a device the parser reads before them is read first: a lease without a key)
    expect(refusal(dom({ devices: "<lease><lockspace>l</lockspace><target path='/x'/></lease><vsock model='virtio'><cid address='0'/></vsock><vsock model='virtio'/>" })).message).toBe("Missing 'key' element for lease")
    // (one alone is read: its CID of 0 refused)
    expect(refusal(dom({ devices: "<vsock model='virtio'><cid address='0'/></vsock>" })).message).toBe("Invalid value for attribute 'address' in element 'cid': Zero is not permitted")
  })
})

describe("post-parse's order: the driver's, the devices', then the generic one (virDomainDefPostParse)", () => {
  const doorbellWithSize = "<shmem name='u'><model type='ivshmem-doorbell'/><size unit='M'>2</size><server/></shmem>"
  it("refuses a <vcpus> list in the driver's words (qemuDomainDefVcpusPostParse) before a device's post-parse", () => {
    expect(refusal(dom({ vcpu: "<vcpu>4</vcpu><vcpus><vcpu id='0' enabled='yes' hotpluggable='yes'/></vcpus>", devices: doorbellWithSize })).message).toBe("vcpu0 can't be hotpluggable")
    expect(refusal(dom({ vcpu: "<vcpu>4</vcpu><vcpus><vcpu id='0' enabled='yes'/><vcpu id='1' enabled='yes' hotpluggable='yes'/><vcpu id='2' enabled='yes' hotpluggable='no'/></vcpus>", devices: doorbellWithSize }), { v9: true }).message)
      .toBe('online non-hotpluggable vcpus need to be ordered prior to hotplugable vcpus')
  })
  it("refuses an offline vCPU that is not hot-pluggable (virDomainVcpuDefPostParse) after the devices' post-parse", () => {
    expect(refusal(dom({ vcpu: "<vcpu>4</vcpu><vcpus><vcpu id='0' enabled='yes'/><vcpu id='3' enabled='no' hotpluggable='no'/></vcpus>", devices: doorbellWithSize })).message).toBe("shmem model 'ivshmem-doorbell' does not support size setting")
    expect(refusal(dom({ vcpu: "<vcpu>4</vcpu><vcpus><vcpu id='0' enabled='yes'/><vcpu id='3' enabled='no' hotpluggable='no'/></vcpus>" })).message).toBe("vcpu '3' is both offline and not hotpluggable")
  })
})

describe("a device's generic checks before the QEMU driver's (virDomainDeviceDefValidate)", () => {
  it("refuses a shared memory name with a slash before the model's QEMU device is asked for", () => {
    const caps = capsXml({ flags: x86Flags.filter((f) => f !== 'ivshmem-plain') })
    expect(refusal(dom({ devices: "<shmem name='a/b'><model type='ivshmem-plain'/></shmem>" }), { caps }).message).toBe("shmem name cannot include '/' character")
    expect(refusal(dom({ devices: "<shmem name='ab'><model type='ivshmem-plain'/></shmem>" }), { caps }).message).toBe("shmem model 'ivshmem-plain' is not supported by this QEMU binary")
  })
  it("refuses them before the driver's check of the device's address (qemuValidateDomainDeviceDefAddress)", () => {
    const ccw = "<address type='ccw' cssid='0xfe' ssid='0' devno='0x0009'/>"
    expect(refusal(dom({ devices: `<vsock model='virtio'><cid auto='no' address='2'/>${ccw}</vsock>` }), { v9: true }).message).toBe('guest CIDs must be >= 3')
    expect(refusal(dom({ devices: `<shmem name='a/b'><model type='ivshmem-plain'/>${ccw}</shmem>` }), { v9: true }).message).toBe("shmem name cannot include '/' character")
    expect(refusal(dom({ devices: `<vsock model='virtio'><cid auto='no' address='3'/>${ccw}</vsock>` }), { v9: true }).message).toBe("cannot use CCW address type for device '<null>' using machine type 'pc-q35-9.9'")
  })
  it("refuses a character device's source in the generic words before its address is checked", () => {
    const ccw = "<address type='ccw' cssid='0xfe' ssid='0' devno='0x0009'/>"
    expect(refusal(dom({ devices: `<console type='file'>${ccw}</console>` }), { v9: true }).message).toBe('Missing source path attribute for char device')
    expect(refusal(dom({ devices: `<rng model='virtio'><backend model='egd' type='udp'/>${ccw}</rng>` }), { v9: true }).message).toBe('Missing source service attribute for char device')
    expect(refusal(dom({ devices: `<console type='file'><source path='/tmp/c'/>${ccw}</console>` }), { v9: true }).message).toBe("cannot use CCW address type for device '<null>' using machine type 'pc-q35-9.9'")
  })
})

describe("a parallel port on s390 or pSeries: refused last, after its source's checks (qemuValidateDomainChrDef)", () => {
  const ppc = capsXml({ arch: 'ppc64', flags: [], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' maxCpus='1024'/>" })
  const pseries = (devices: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='ppc64' machine='pseries'>hvm</type></os><devices>${devices}</devices></domain>`
  it("refuses a file port without a path, or a listening TCP port that reconnects, in the generic checks' words", () => {
    expect(refusal(pseries("<parallel type='file'/>"), { caps: ppc }).message).toBe('Missing source path attribute for char device')
    expect(refusal(pseries("<parallel type='tcp'><source mode='bind' host='1.2.3.4' service='5'><reconnect enabled='yes' timeout='1'/></source></parallel>"), { caps: ppc }).message).toBe('chardev reconnect is possible only for connect mode')
    expect(refusal(pseries("<parallel type='pty'/>"), { caps: ppc }).message).toBe('parallel ports are not supported')
  })
})

describe('an address post-parse replaces is not validated (qemuDomainAssignUSBHubs, virDomainDefPostParseVideo)', () => {
  const ccw = "<address type='ccw' cssid='0xfe' ssid='0' devno='0x0009'/>"
  it('takes a USB hub or a primary video of model none with a CCW or unassigned address on x86', () => {
    expect(part(predicts(dom({ devices: `<hub type='usb'>${ccw}</hub>` })), 'hub')).toContain("<address type='usb' bus='0' port='1'/>")
    expect(part(predicts(dom({ devices: "<hub type='usb'><address type='unassigned'/></hub>" })), 'hub')).toContain("<address type='usb'")
    expect(part(predicts(dom({ devices: `<video><model type='none'/>${ccw}</video>` })), 'video')).toBe("<video>\n      <model type='none'/>\n    </video>")
    // (another device keeps it, and is refused)
    expect(refusal(dom({ devices: `<memballoon model='virtio'>${ccw}</memballoon>` }), { v9: true }).message).toBe("cannot use CCW address type for device '<null>' using machine type 'pc-q35-9.9'")
  })
  it("takes a USB hub written with a zPCI identity where QEMU has no zPCI (a USB port by validation)", () => {
    const caps = capsXml({ flags: x86Flags.filter((f) => f !== 'zpci') })
    const zpci = "<address type='pci' domain='0' bus='0' slot='9' function='0'><zpci uid='0x0001' fid='0x00000001'/></address>"
    expect(part(predicts(dom({ devices: `<hub type='usb'>${zpci}</hub>` }), { caps }), 'hub')).toContain("<address type='usb'")
    expect(refusal(dom({ devices: `<rng model='virtio'><backend model='random'>/dev/urandom</backend>${zpci}</rng>` }), { caps }).message).toBe("This QEMU binary doesn't support zPCI")
  })
  it('asks for a CCW device number once on an s390 machine alone', () => {
    expect(refusal(dom({ devices: `<rng model='virtio'><backend model='random'>/dev/urandom</backend>${ccw}</rng><memballoon model='virtio'>${ccw}</memballoon>` }), { v9: true }).message)
      .toBe("cannot use CCW address type for device '<null>' using machine type 'pc-q35-9.9'")
  })
})

describe("one check over several devices: the device libvirt's walk meets first (virDomainDeviceInfoIterateFlags)", () => {
  it("refuses a serial port's source before an earlier-written parallel port's, a parallel port's before an RNG's", () => {
    expect(refusal(dom({ devices: "<parallel type='file'/><serial type='tcp'><source mode='connect'/></serial>" })).message).toBe('Missing source host attribute for char device')
    expect(refusal(dom({ devices: "<rng model='virtio'><backend model='egd' type='tcp'><source mode='connect' host='h'/></backend></rng><parallel type='file'/>" })).message).toBe('Missing source path attribute for char device')
    expect(refusal(dom({ devices: "<rng model='virtio'><backend model='egd' type='tcp'><source mode='connect' host='h'/></backend></rng>" })).message).toBe('Missing source service attribute for char device')
  })
})

describe('addresses post-parse assigns (qemuDomainAssignVirtioSerialAddresses, qemuDomainAssignSpaprVIOAddresses)', () => {
  it("gives a virtio channel written with another address a virtio-serial port, so a CCW one is never checked", () => {
    const xml = predicts(dom({ devices: "<channel type='pty'><target type='virtio' name='x'/><address type='ccw' cssid='0xfe' ssid='0' devno='0x0009'/></channel>" }))
    expect(part(xml, 'channel')).toContain("<address type='virtio-serial' controller='0' bus='0' port='1'/>")
    // (a virtio console keeps it, and is refused)
    expect(refusal(dom({ devices: "<console type='pty'><target type='virtio'/><address type='ccw' cssid='0xfe' ssid='0' devno='0x0009'/></console>" }), { v9: true }).message)
      .toBe("cannot use CCW address type for device '<null>' using machine type 'pc-q35-9.9'")
  })
  it('asks only of NICs, controllers, serial ports, the NVRAM and TPMs whether their sPAPR-VIO register is taken (model spaprVioAssignedKinds; probes h24-tpm-vio-*)', () => {
    const spapr = "<address type='spapr-vio' reg='0x3000'/>"
    expect(predicts(dom({ devices: `<memballoon model='virtio'>${spapr}</memballoon><rng model='virtio'><backend model='random'>/dev/urandom</backend>${spapr}</rng>` }))).toContain("<address type='spapr-vio' reg='0x00003000'/>")
    expect(refusal(dom({ devices: `<memballoon model='virtio'>${spapr}</memballoon><serial type='pty'>${spapr}</serial>` })).message).toBe('spapr-vio address 0x3000 already in use')
    // (a pSeries TPM's too, before or after the other device — libvirtd 9.0)
    const tpm = `<tpm model='tpm-spapr'><backend type='emulator' version='2.0'/>${spapr}</tpm>`
    expect(refusal(dom({ devices: `${tpm}<memballoon model='virtio'>${spapr}</memballoon>` })).message).toBe('spapr-vio address 0x3000 already in use')
    expect(refusal(dom({ devices: `<rng model='virtio'><backend model='random'>/dev/urandom</backend>${spapr}</rng>${tpm}` })).message).toBe('spapr-vio address 0x3000 already in use')
  })
})

describe("a smartcard at another address still gets CCID controller 0 (virDomainDefMaybeAddSmartcardController)", () => {
  const s390 = capsXml({ arch: 's390x', flags: ['virtio-net', 'virtio-net-ccw', 'ccid-emulated', 'ccid-passthru'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
  const onS390 = (devices: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>${devices}</devices></domain>`
  it('so a machine without USB refuses it in post-parse, before its address is validated', () => {
    const card = (address: string): string => `<smartcard mode='passthrough' type='tcp'><source mode='connect' host='h' service='1'/>${address}</smartcard>`
    expect(refusal(onS390(card("<address type='spapr-vio' reg='0x3000'/>")), { caps: s390 }).message).toBe('USB is disabled for this domain, but USB devices are present in the domain XML')
    expect(refusal(onS390(card('')), { caps: s390 }).message).toBe('USB is disabled for this domain, but USB devices are present in the domain XML')
    // (with USB, its address is refused)
    expect(refusal(dom({ devices: card("<address type='spapr-vio' reg='0x3000'/>") })).message).toBe("Controllers must use the 'ccid' address type")
  })
})

describe("a pSeries serial port's virtio-serial address is reserved before it becomes sPAPR-VIO (qemuDomainAssignAddresses)", () => {
  const ppc = capsXml({ arch: 'ppc64', flags: ['virtio-serial', 'spapr-vty'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' maxCpus='1024'/>" })
  const pseries = (devices: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='ppc64' machine='pseries'>hvm</type></os><devices>${devices}</devices></domain>`
  const serial = "<serial type='pty'><address type='virtio-serial' controller='0' bus='0' port='2'/></serial>"
  it('refuses one on a controller the domain lacks', () => {
    expect(refusal(pseries(serial), { caps: ppc }).message).toBe('virtio serial controller 0 is missing')
    // (with the controller, or a virtio channel that brings it, the port becomes sPAPR-VIO)
    expect(part(predicts(pseries(`<controller type='virtio-serial' index='0'/>${serial}`), { caps: ppc }), 'serial')).toContain("<address type='spapr-vio'")
    expect(part(predicts(pseries(`<channel type='pty'><target type='virtio' name='x'/></channel>${serial}`), { caps: ppc }), 'serial')).toContain("<address type='spapr-vio'")
  })
})

describe("a virtio channel's written address, replaced by a virtio-serial port before the s390 and PCI assignments", () => {
  it('writes the port alone, without the zPCI identity the PCI address held, and never checks that identity', () => {
    const xml = predicts(dom({ devices: "<channel type='pty'><target type='virtio' name='n7'/><address type='pci' domain='0' bus='0' slot='9' function='0'><zpci uid='0x0000' fid='0x00000001'/></address></channel>" }))
    expect(part(xml, 'channel')).toContain("<address type='virtio-serial' controller='0' bus='0' port='1'/>")
    expect(part(xml, 'channel')).not.toContain('zpci')
    // (another device's is checked)
    expect(refusal(dom({ devices: "<rng model='virtio'><backend model='random'>/dev/urandom</backend><address type='pci' domain='0' bus='0' slot='9' function='0'><zpci uid='0x0001' fid='0x00000001'/></address></rng>" }), { caps: capsXml({ flags: x86Flags.filter((f) => f !== 'zpci') }) }).message)
      .toBe("This QEMU binary doesn't support zPCI")
  })
})

describe('pSeries sPAPR VIO registers (qemuDomainAssignSpaprVIOAddresses)', () => {
  const ppc = capsXml({ arch: 'ppc64', flags: ['spapr-vlan', 'spapr-vty', 'nvram', 'netdev.user'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' maxCpus='1024'/>" })
  const pseries = (devices: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='ppc64' machine='pseries'>hvm</type></os><devices>${devices}</devices></domain>`
  it("moves a default register past one any device has written (a balloon's too)", () => {
    const xml = predicts(pseries("<memballoon model='virtio'><address type='spapr-vio' reg='0x3000'/></memballoon><nvram/>"), { caps: ppc })
    expect(part(xml, 'nvram')).toContain("<address type='spapr-vio' reg='0x00004000'/>")
  })
  it('writes an address made sPAPR VIO without the <zpci> its PCI address held', () => {
    const xml = predicts(pseries("<nvram><address type='pci' domain='0' bus='0' slot='9' function='0'><zpci uid='0x0001' fid='0x00000001'/></address></nvram>"), { caps: ppc })
    expect(part(xml, 'nvram')).toBe("<nvram>\n      <address type='spapr-vio' reg='0x00000000'/>\n    </nvram>")
  })
})

describe('a pSeries serial console without a serial port: serial 0, its address made sPAPR VIO (virDomainDefAddConsoleCompat)', () => {
  const ppc = capsXml({ arch: 'ppc64', flags: ['spapr-vty', 'virtio-serial'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' maxCpus='1024'/>" })
  const pseries = (devices: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='ppc64' machine='pseries'>hvm</type></os><devices>${devices}</devices></domain>`
  it('takes a CCW, USB or drive address there, the register read from its numbers', () => {
    expect(part(predicts(pseries("<console type='pty'><address type='ccw' cssid='0xfe' ssid='0' devno='0x0009'/></console>"), { caps: ppc }), 'serial')).toContain("<address type='spapr-vio' reg='0x000000fe'/>")
    expect(part(predicts(pseries("<console type='pty'><address type='usb' bus='1' port='1'/></console>"), { caps: ppc }), 'serial')).toContain("<address type='spapr-vio'")
    expect(predicts(pseries("<console type='pty'><address type='drive' controller='0' bus='1' target='0' unit='3'/></console>"), { caps: ppc })).toContain("<address type='spapr-vio'")
    // (a virtio-serial one is reserved first: refused without its controller)
    expect(refusal(pseries("<console type='pty'><address type='virtio-serial' controller='0' bus='0' port='2'/></console>"), { caps: ppc }).message).toBe('virtio serial controller 0 is missing')
  })
})

describe('s390 address assignment in its order: virtio-serial ports before CCW device numbers (qemuDomainAssignAddresses)', () => {
  const s390 = capsXml({ arch: 's390x', flags: ['virtio-net', 'virtio-net-ccw', 'virtio-rng', 'rng-random', 'virtio-serial', 'netdev.user'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
  const onS390 = (devices: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>${devices}</devices></domain>`
  const ccw = "<address type='ccw' cssid='0xfe' ssid='0' devno='0x000a'/>"
  const dup = `<rng model='virtio'><backend model='random'>/dev/urandom</backend>${ccw}</rng><memballoon model='virtio'>${ccw}</memballoon>`
  it("refuses a zPCI identity written twice (a USB hub's too) before a USB device where USB is off", () => {
    const zcaps = capsXml({ arch: 's390x', flags: ['virtio-rng', 'rng-random', 'zpci', 'virtio-pci', 'usb-hub'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
    const z = (slot: string, fid: string): string => `<address type='pci' domain='0' bus='0' slot='${slot}' function='0'><zpci uid='0x0001' fid='${fid}'/></address>`
    expect(refusal(onS390(`<hub type='usb'>${z('9', '0x00000001')}</hub><rng model='virtio'><backend model='random'>/dev/urandom</backend>${z('8', '0x00000002')}</rng>`), { caps: zcaps }).message).toBe('zPCI uid 1 is already reserved')
    expect(refusal(onS390(`<hub type='usb'>${z('9', '0x00000001')}</hub>`), { caps: zcaps }).message).toBe('USB is disabled for this domain, but USB devices are present in the domain XML')
  })
  it('refuses a virtio-serial port on a missing controller before a CCW device number written twice', () => {
    expect(refusal(onS390(`<interface type='user'><model type='virtio'/><address type='virtio-serial' controller='1' bus='0' port='1'/></interface>${dup}`), { caps: s390 }).message).toBe('virtio serial controller 1 is missing')
    expect(refusal(onS390(dup), { caps: s390 }).message).toBe("The CCW devno 'fe.0.000a' is in use already")
  })
})

describe('s390 zPCI identities: never a character device\'s (qemuDomainDeviceSupportZPCI)', () => {
  const s390 = capsXml({ arch: 's390x', flags: ['virtio-rng', 'rng-random', 'virtio-serial', 'zpci', 'virtio-pci'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
  const onS390 = (devices: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>${devices}</devices></domain>`
  it('keeps a virtio console\'s PCI address bare, and gives an RNG\'s one', () => {
    const pci = "<address type='pci' domain='0' bus='0' slot='9' function='0'/>"
    expect(part(predicts(onS390(`<console type='pty'><target type='virtio'/>${pci}</console>`), { caps: s390 }), 'console')).not.toContain('zpci')
    expect(part(predicts(onS390(`<rng model='virtio'><backend model='random'>/dev/urandom</backend>${pci}</rng>`), { caps: s390 }), 'rng')).toContain("<zpci uid='0x0001' fid='0x00000000'/>")
  })
})
