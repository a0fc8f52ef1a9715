// The order libvirt's parsers read the parts of the devices and settings that had no entry in model's read-order tables
// (own probes `h38-…`, each defined on the sandbox libvirtd 9.0 beside preview): of two faults, the refusal names the one
// the parser reads first — a TPM's, a shared memory device's and a lease's parts (virDomainTPMDefParseXML,
// virDomainShmemDefParseXML, virDomainLeaseDefParseXML), a video driver's VGA configuration after the device information,
// the memory's dumpCore after the maximum memory, the default I/O thread before the I/O thread IDs, the launch security
// among the devices (before the memory devices), its kernel hashes before its policy, the sysinfo's BIOS before its system,
// the SMBIOS mode after the sysinfo and the devices (model's deviceReadParts, settingReadParts, domainReadOrder,
// settingsReadAmongDevices). Each refusal beside its near miss: the other fault alone is refused in its own words.
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const dom = (devices: string, { pre = '', post = '', osx = '', memory = '' } = {}): string =>
  `<domain type='qemu'><name>po</name><memory${memory}>524288</memory><vcpu>2</vcpu>${pre}<os><type arch='x86_64' machine='q35'>hvm</type>${osx}</os><devices>${devices}</devices>${post}</domain>`
const invalid = (attribute: string, element: string, value: string, expected = ''): string => `Invalid value for attribute '${attribute}' in element '${element}': '${value}'.${expected}`
const uintExpected = ' Expected non-negative integer value'
const badAddress = "unknown address type 'bogus'"
/** 11.3's words for it (virXMLPropEnum; seen on libvirtd 11.3). */
const badAddress11 = "Invalid value for attribute 'type' in element 'address': 'bogus'."

describe('a TPM (virDomainTPMDefParseXML): its model, backends, backend type and settings, then the device information', () => {
  const tpm = (inner: string, model = 'tpm-crb'): string => dom(`<tpm model='${model}'>${inner}</tpm>`)
  it('refuses the backend before the device information, wherever written', () => {
    expect(refusal(tpm("<alias name='ua-x'/><acpi index='x'/><backend type='emulator' version='9.9'/>"), v9)).toMatchObject({ message: invalid('version', 'backend', '9.9') })
    expect(refusal(tpm("<acpi index='x'/><backend type='bogus'/>"), v9)).toMatchObject({ message: invalid('type', 'backend', 'bogus') })
    expect(refusal(tpm("<acpi index='x'/><backend type='emulator'/>"), v9)).toMatchObject({ message: invalid('index', 'acpi', 'x', uintExpected) })
    expect(refusal(tpm("<address type='bogus'/>"), v9)).toMatchObject({ message: 'missing TPM device backend' })
    expect(refusal(tpm("<address type='isa'/>"), v9)).toMatchObject({ message: 'missing TPM device backend' })
    expect(refusal(tpm("<address type='bogus'/><backend type='emulator'/><backend type='emulator'/>"), v9)).toMatchObject({ message: 'only one TPM backend is supported' })
  })
  it("an emulator's secret, persistent state and PCR banks before its address", () => {
    expect(refusal(tpm("<address type='bogus'/><backend type='emulator' version='2.0'><active_pcr_banks><bogus/></active_pcr_banks></backend>"), v9)).toMatchObject({ message: "Unsupported PCR banks 'bogus'" })
    expect(refusal(tpm("<address type='bogus'/><backend type='emulator' version='2.0'><encryption secret='nope'/></backend>"), v9)).toMatchObject({ message: "Unable to parse secret uuid 'nope'" })
    expect(refusal(tpm("<address type='bogus'/><backend type='emulator' persistent_state='maybe'/>"), v9)).toMatchObject({ message: "Invalid persistent_state value, either 'yes' or 'no'" })
    expect(refusal(tpm("<address type='bogus'/><backend type='emulator' persistent_state='yes'/>"), v9)).toMatchObject({ message: badAddress })
    expect(refusal(tpm("<backend type='emulator' version='2.0' persistent_state='maybe'><encryption secret='nope'/></backend>"), v9)).toMatchObject({ message: "Unable to parse secret uuid 'nope'" })
  })
  it("an external backend's source type before the device information", () => {
    expect(refusal(tpm("<address type='bogus'/><backend type='external'><source mode='connect' path='/tmp/s'/></backend>"), v9)).toMatchObject({ message: 'missing external TPM backend type' })
    expect(refusal(tpm("<acpi index='x'/><backend type='external'><source mode='connect' path='/tmp/s'/></backend>"), v9)).toMatchObject({ message: 'missing external TPM backend type' })
    expect(refusal(tpm("<address type='bogus'/><backend type='external'><source type='bogus' mode='connect' path='/tmp/s'/></backend>"), v9)).toMatchObject({ message: "unknown backend type 'bogus' for external TPM" })
    expect(refusal(tpm("<acpi index='x'/><backend type='external'><source type='unix' mode='connect' path='/tmp/s'/></backend>"), v9)).toMatchObject({ message: invalid('index', 'acpi', 'x', uintExpected) })
  })
})

describe('a shared memory device (virDomainShmemDefParseXML): model, name, role, size, server and MSI, then the device information', () => {
  const shmem = (attrs: string, inner: string): string => dom(`<shmem ${attrs}>${inner}</shmem>`)
  it('its name before its role, its size before the MSI settings', () => {
    expect(refusal(shmem("role='bogus'", "<model type='ivshmem-plain'/>"), v9)).toMatchObject({ message: "shmem element must contain 'name' attribute" })
    expect(refusal(shmem("name='s' role='bogus'", "<model type='ivshmem-plain'/>"), v9)).toMatchObject({ message: invalid('role', 'shmem', 'bogus') })
    expect(refusal(shmem("name='s'", "<model type='ivshmem-doorbell'/><msi vectors='x'/><server path='/tmp/s'/><size unit='M'>abc</size>"), v9)).toMatchObject({ message: "Invalid value 'abc' for element or attribute './size[1]'" })
    expect(refusal(shmem("name='s'", "<model type='ivshmem-doorbell'/><msi vectors='x'/><server path='/tmp/s'/><size unit='M'>4</size>"), v9)).toMatchObject({ message: invalid('vectors', 'msi', 'x', uintExpected) })
  })
  it('its size and MSI, an MSI without a server too, before its address', () => {
    expect(refusal(shmem("name='s'", "<model type='ivshmem-plain'/><address type='bogus'/><size unit='M'>abc</size>"), v9)).toMatchObject({ message: "Invalid value 'abc' for element or attribute './size[1]'" })
    expect(refusal(shmem("name='s'", "<model type='ivshmem-doorbell'/><address type='bogus'/><msi vectors='4'/>"), v9)).toMatchObject({ message: 'msi option is only supported with a server' })
    expect(refusal(shmem("name='s'", "<model type='ivshmem-doorbell'/><address type='bogus'/><msi vectors='4'/><server path='/tmp/s'/>"), v9)).toMatchObject({ message: badAddress })
    expect(refusal(shmem("name='s'", "<model type='ivshmem-doorbell'/><msi ioeventfd='maybe'/>"), v9)).toMatchObject({ message: invalid('ioeventfd', 'msi', 'maybe') })
  })
})

describe('a lease (virDomainLeaseDefParseXML): its key, lockspace, target, path, then offset', () => {
  const lease = (inner: string): string => dom(`<lease>${inner}</lease>`)
  it('refuses a missing key or path before an unreadable offset', () => {
    expect(refusal(lease("<lockspace>ls</lockspace><target path='/p' offset='abc'/>"), v9)).toMatchObject({ message: "Missing 'key' element for lease" })
    expect(refusal(lease("<lockspace>ls</lockspace><key>k</key><target offset='abc'/>"), v9)).toMatchObject({ message: "Missing 'path' attribute to 'target' element for lease" })
    expect(refusal(lease("<lockspace>ls</lockspace><key>k</key><target path='/p' offset='abc'/>"), v9)).toMatchObject({ message: invalid('offset', 'target', 'abc', uintExpected) })
    expect(predicts(lease("<key>k</key><lockspace>ls</lockspace><target path='/p'/>"), v9)).toContain("<lease>\n      <lockspace>ls</lockspace>\n      <key>k</key>\n      <target path='/p'/>\n    </lease>")
  })
})

describe("a video driver's VGA configuration (virDomainVideoDriverDefParseXML): read once the device information is", () => {
  it('refuses the address first', () => {
    expect(refusal(dom("<video><driver vgaconf='bogus'/><model type='vga'/><address type='bogus'/></video>"), v9)).toMatchObject({ message: badAddress })
    expect(refusal(dom("<video><driver vgaconf='bogus'/><model type='vga'/><acpi index='x'/></video>"), v9)).toMatchObject({ message: invalid('index', 'acpi', 'x', uintExpected) })
    expect(refusal(dom("<video><driver vgaconf='bogus'/><model type='vga'/><address type='bogus'/></video>"))).toMatchObject({ message: badAddress11 })
    expect(predicts(dom("<video><driver vgaconf='on'/><model type='bochs'/></video>"), v9)).toContain("<driver vgaconf='on'/>")
  })
})

describe('the memory settings (virDomainDefParseMemory): the memory, current and maximum memory and slots, then dumpCore', () => {
  it("refuses dumpCore after the others, before the memory backing", () => {
    expect(refusal(dom('', { memory: " dumpCore='maybe'", pre: "<maxMemory slots='4'>abc</maxMemory>" }), v9)).toMatchObject({ message: "Invalid value 'abc' for element or attribute './maxMemory[1]'" })
    expect(refusal(dom('', { memory: " dumpCore='maybe'", pre: "<maxMemory slots='x'>1048576</maxMemory>" }), v9)).toMatchObject({ message: 'Failed to parse memory slot count' })
    expect(refusal(dom('', { memory: " dumpCore='maybe'", pre: "<currentMemory>abc</currentMemory>" }), v9)).toMatchObject({ message: "Invalid value 'abc' for element or attribute './currentMemory[1]'" })
    expect(refusal(dom('', { memory: " dumpCore='maybe'", pre: "<maxMemory slots='4'>1048576</maxMemory>" }), v9)).toMatchObject({ message: invalid('dumpCore', 'memory', 'maybe') })
    expect(refusal(dom('', { memory: " dumpCore='maybe'", pre: "<memoryBacking><source type='bogus'/></memoryBacking>" }), v9)).toMatchObject({ message: invalid('dumpCore', 'memory', 'maybe') })
  })
})

describe('the I/O threads (virDomainDefParseIOThreads): the count, the default I/O thread, then the I/O thread IDs', () => {
  it('refuses the default I/O thread before an I/O thread', () => {
    expect(refusal(dom('', { pre: "<iothreads>2</iothreads><iothreadids><iothread id='0'/></iothreadids><defaultiothread thread_pool_min='x'/>" }), v9))
      .toMatchObject({ message: invalid('thread_pool_min', 'defaultiothread', 'x', ' Expected integer value') })
    expect(refusal(dom('', { pre: "<iothreads>2</iothreads><iothreadids><iothread id='1' thread_pool_min='x'/></iothreadids><defaultiothread thread_pool_max='y'/>" }), v9))
      .toMatchObject({ message: invalid('thread_pool_max', 'defaultiothread', 'y', ' Expected integer value') })
    expect(refusal(dom('', { pre: "<iothreads>2</iothreads><iothreadids><iothread id='0'/></iothreadids><defaultiothread thread_pool_min='1'/>" }), v9))
      .toMatchObject({ message: "Invalid value for attribute 'id' in element 'iothread': Zero is not permitted" })
  })
})

describe('the lifecycle actions (virDomainDefLifecycleParse): reboot before power-off', () => {
  it('refuses the reboot action first', () => {
    expect(refusal(dom('', { post: '<on_crash>bogus3</on_crash><on_poweroff>bogus1</on_poweroff><on_reboot>bogus2</on_reboot>' }), v9)).toMatchObject({ message: 'unknown on_reboot action: bogus2' })
    expect(refusal(dom('', { post: '<on_crash>bogus1</on_crash><on_poweroff>bogus2</on_poweroff>' }), v9)).toMatchObject({ message: 'unknown on_poweroff action: bogus2' })
  })
})

describe('the launch security (virDomainSecDefParseXML): read among the devices, after the shared memory, before the memory devices', () => {
  const ls = (inner: string, attrs = "type='sev'"): string => `<launchSecurity ${attrs}>${inner}</launchSecurity>`
  const memory = "<memory model='dimm'><target><size>abc</size><node>0</node></target></memory>"
  const numa = "<maxMemory slots='4'>2097152</maxMemory><cpu><numa><cell id='0' cpus='0' memory='262144'/><cell id='1' cpus='1' memory='262144'/></numa></cpu>"
  it('refuses its type before a memory device, a vsock or an IOMMU, after a shared memory device or a TPM', () => {
    expect(refusal(dom(memory, { pre: numa, post: ls('', "type='bogus'") }), v9)).toMatchObject({ message: invalid('type', 'launchSecurity', 'bogus') })
    expect(refusal(dom(memory, { pre: numa, post: ls('<policy>0x0033</policy>') }), v9)).toMatchObject({ message: "Invalid value 'abc' for element or attribute './size'" })
    expect(refusal(dom("<vsock model='virtio'><cid auto='maybe'/></vsock>", { post: ls('', "type='bogus'") }), v9)).toMatchObject({ message: invalid('type', 'launchSecurity', 'bogus') })
    expect(refusal(dom("<iommu model='bogus'/>", { post: ls('', "type='bogus'") }), v9)).toMatchObject({ message: invalid('type', 'launchSecurity', 'bogus') })
    expect(refusal(dom("<shmem name='s' role='bogus'><model type='ivshmem-plain'/></shmem>", { post: ls('', "type='bogus'") }), v9)).toMatchObject({ message: invalid('role', 'shmem', 'bogus') })
    expect(refusal(dom("<tpm model='bogus'><backend type='emulator'/></tpm>", { post: ls('', "type='bogus'") }), v9)).toMatchObject({ message: invalid('model', 'tpm', 'bogus') })
    expect(refusal(dom("<memory model='bogus'><target><size>1024</size></target></memory>", { post: ls('<policy>xyz</policy>') }), v9)).toMatchObject({ message: 'failed to get launch security policy' })
  })
  it('and before the settings read after the devices, where there are none', () => {
    expect(refusal(`<domain type='qemu'><name>po</name><memory>524288</memory><os><type arch='x86_64' machine='q35'>hvm</type></os><keywrap><cipher name='bogus' state='on'/></keywrap>${ls('', "type='bogus'")}</domain>`, v9))
      .toMatchObject({ message: invalid('type', 'launchSecurity', 'bogus') })
    expect(refusal(`<domain type='qemu'><name>po</name><memory>524288</memory><os><type arch='x86_64' machine='q35'>hvm</type></os><keywrap><cipher name='bogus' state='on'/></keywrap>${ls('<policy>0x33</policy>')}</domain>`, v9))
      .toMatchObject({ message: invalid('name', 'cipher', 'bogus') })
  })
  it('its kernel hashes, yes or no, before its policy; 9.0 its policy before the C-bit position', () => {
    expect(refusal(dom('', { post: ls('<policy>xyz</policy>', "type='sev' kernelHashes='maybe'") }), v9)).toMatchObject({ message: invalid('kernelHashes', 'launchSecurity', 'maybe') })
    expect(refusal(dom("<memory model='bogus'><target><size>1024</size></target></memory>", { post: ls('<policy>0x33</policy>', "type='sev' kernelHashes='maybe'") }), v9)).toMatchObject({ message: invalid('kernelHashes', 'launchSecurity', 'maybe') })
    expect(refusal(dom('', { post: ls('<policy>xyz</policy>', "type='sev' kernelHashes='yes'") }), v9)).toMatchObject({ message: 'failed to get launch security policy' })
    expect(refusal(dom('', { post: ls('<policy>0x33</policy>', "type='sev' kernelHashes='no'") }), v9)).toMatchObject({ message: 'SEV launch security is not supported with this QEMU binary' })
    expect(refusal(dom('', { post: ls('<cbitpos>x</cbitpos><policy>xyz</policy>') }), v9)).toMatchObject({ message: 'failed to get launch security policy' })
    expect(refusal(dom('', { post: ls('<reducedPhysBits>y</reducedPhysBits><policy>0x0033</policy><cbitpos>x</cbitpos>') }), v9)).toMatchObject({ message: 'Invalid format for launch security cbitpos' })
  })
  it('(11.3, from its source: virDomainSEVCommonDefParseXML reads the C-bit position before the policy)', () => {
    expect(refusal(dom('', { post: ls('<cbitpos>x</cbitpos><policy>xyz</policy>') }))).toMatchObject({ message: 'Invalid format for launch security cbitpos' })
  })
})

describe('the sysinfo (virSysinfoParseXML) and the SMBIOS mode read after it', () => {
  const smbios = (inner: string): string => `<sysinfo type='smbios'>${inner}</sysinfo>`
  it("refuses the BIOS before the system, wherever written", () => {
    expect(refusal(dom('', { post: smbios("<system><entry name='uuid'>bogus</entry></system><bios><entry name='date'>bogus</entry></bios>") }), v9)).toMatchObject({ message: "Invalid BIOS 'date' format" })
    expect(refusal(dom('', { post: smbios("<system><entry name='uuid'>bogus</entry></system><bios><entry name='date'>01/01/2020</entry></bios>") }), v9)).toMatchObject({ message: 'malformed <sysinfo> uuid element' })
    expect(predicts(dom('', { post: smbios("<bios><entry name='date'>01/01/2020</entry></bios>") }), v9)).toContain("<bios>\n      <entry name='date'>01/01/2020</entry>\n    </bios>")
  })
  it('several: each read whole, in document order', () => {
    expect(refusal(dom('', { post: "<sysinfo type='fwcfg'><entry>x</entry></sysinfo>" + smbios("<bios><entry name='date'>bogus</entry></bios>") }), v9)).toMatchObject({ message: "Firmware entry is missing 'name' attribute", path: 'domain/sysinfo[1]/entry' })
    expect(refusal(dom('', { post: "<sysinfo type='fwcfg'><entry name='opt/x'>x</entry></sysinfo>" + smbios("<bios><entry name='date'>bogus</entry></bios>") }), v9)).toMatchObject({ message: "Invalid BIOS 'date' format" })
    expect(refusal(dom('', { post: smbios("<system><entry name='uuid'>bogus</entry></system>") + smbios("<bios><entry name='date'>bogus</entry></bios>") }), v9)).toMatchObject({ message: 'malformed <sysinfo> uuid element' })
    expect(refusal(dom('', { post: smbios("<bios><entry name='date'>bogus</entry></bios>") + "<sysinfo type='fwcfg'><entry>x</entry></sysinfo>" }), v9)).toMatchObject({ message: "Invalid BIOS 'date' format" })
    expect(refusal(dom('', { post: "<sysinfo type='fwcfg'><entry name='opt/a'/></sysinfo>" + smbios("<bios><entry name='date'>bogus</entry></bios>") }), v9)).toMatchObject({ message: "Firmware entry must have either value or 'file' attribute" })
  })
  it('the SMBIOS mode after the sysinfo and every device, before the key wrapping', () => {
    expect(refusal(dom('', { osx: "<smbios mode='bogus'/>", post: smbios("<bios><entry name='date'>bogus</entry></bios>") }), v9)).toMatchObject({ message: "Invalid BIOS 'date' format" })
    expect(refusal(dom('', { osx: "<smbios mode='bogus'/>", post: smbios("<bios><entry name='date'>01/01/2020</entry></bios>") }), v9)).toMatchObject({ message: "unknown smbios mode 'bogus'" })
    expect(refusal(dom("<tpm model='bogus'><backend type='emulator'/></tpm>", { osx: "<smbios mode='bogus'/>" }), v9)).toMatchObject({ message: invalid('model', 'tpm', 'bogus') })
    expect(refusal(dom("<disk type='file' device='bogus'><source file='/tmp/x'/><target dev='vda'/></disk>", { osx: "<smbios mode='bogus'/>" }), v9)).toMatchObject({ message: invalid('device', 'disk', 'bogus') })
    expect(refusal(dom('', { osx: "<smbios mode='bogus'/>", post: "<launchSecurity type='bogus'/>" }), v9)).toMatchObject({ message: invalid('type', 'launchSecurity', 'bogus') })
    expect(refusal(dom('', { osx: "<smbios mode='bogus'/>", post: "<keywrap><cipher name='bogus' state='on'/></keywrap>" }), v9)).toMatchObject({ message: "unknown smbios mode 'bogus'" })
    expect(refusal(dom('', { osx: "<boot dev='bogus'/><smbios mode='bogus'/>" }), v9)).toMatchObject({ message: invalid('dev', 'boot', 'bogus') })
  })
})

describe("11.3's crypto and pstore devices (from its source: virDomainCryptoDefParseXML, virDomainPstoreDefParseXML; not in 9.0)", () => {
  it('reads their own attributes, backend and size before the device information', () => {
    expect(refusal(dom("<crypto model='bogus' type='qemu'><address type='bogus'/><backend model='builtin' queues='1'/></crypto>"))).toMatchObject({ message: invalid('model', 'crypto', 'bogus') })
    expect(refusal(dom("<crypto model='virtio' type='qemu'><address type='bogus'/><backend model='builtin' queues='x'/></crypto>"))).toMatchObject({ message: invalid('queues', 'backend', 'x', uintExpected) })
    expect(refusal(dom("<crypto model='virtio' type='qemu'><driver iommu='maybe'/><address type='bogus'/><backend model='builtin'/></crypto>"))).toMatchObject({ message: badAddress11 })
    expect(refusal(dom("<pstore backend='bogus'><address type='bogus'/><path>/tmp/p</path><size>abc</size></pstore>"))).toMatchObject({ message: invalid('backend', 'pstore', 'bogus') })
    expect(refusal(dom("<pstore backend='acpi-erst'><address type='bogus'/><path>/tmp/p</path><size>abc</size></pstore>"))).toMatchObject({ message: "Invalid value 'abc' for element or attribute './size'" })
    expect(refusal(dom("<pstore backend='acpi-erst'><address type='bogus'/><path>/tmp/p</path></pstore>"))).toMatchObject({ message: "missing element or attribute './size'" })
  })
})

describe("the process capabilities (virDomainFeaturesCapabilitiesDefParse): each capability's name, then its state, on or off", () => {
  const features = (inner: string): string => dom('', { pre: '' }).replace('<devices>', `<features>${inner}</features><devices>`)
  it('refuses a state it cannot read, in the features in document order', () => {
    expect(refusal(features("<capabilities policy='allow'><chown state='maybe'/></capabilities><apic eoi='maybe'/>"), v9)).toMatchObject({ message: invalid('state', 'chown', 'maybe') })
    expect(refusal(features("<apic eoi='maybe'/><capabilities policy='allow'><chown state='maybe'/></capabilities>"), v9)).toMatchObject({ message: invalid('eoi', 'apic', 'maybe') })
    expect(refusal(features("<capabilities policy='allow'><chown state=''/></capabilities>"), v9)).toMatchObject({ message: invalid('state', 'chown', '') })
    expect(refusal(features("<capabilities policy='deny'><chown state='maybe'/><bogus/></capabilities>"), v9)).toMatchObject({ message: invalid('state', 'chown', 'maybe') })
    expect(refusal(features("<capabilities policy='allow'><bogus state='maybe'/></capabilities>"), v9)).toMatchObject({ message: "unexpected capability feature 'bogus'" })
  })
})

describe("11.3's TPM emulator settings (from its source: virDomainTPMDefParseXML reads the debug level, the state's source and the profile; 9.0 none)", () => {
  const tpm = (backend: string, inner = ''): string => dom(`<tpm model='tpm-crb'>${inner}<backend type='emulator' version='2.0' ${backend}</backend></tpm>`)
  it('reads them in its order, the persistent state between the source and the PCR banks', () => {
    expect(refusal(tpm("persistent_state='maybe' debug='x'>"))).toMatchObject({ message: invalid('debug', 'backend', 'x', uintExpected) })
    expect(refusal(tpm("persistent_state='maybe'><source type='bogus' path='/x'/>"))).toMatchObject({ message: invalid('type', 'source', 'bogus') })
    expect(refusal(tpm("persistent_state='maybe'><source type='default' path='/x'/>"))).toMatchObject({ message: invalid('type', 'source', 'default') })
    expect(refusal(tpm("><profile name='x' removeDisabled='bogus'/>", "<address type='bogus'/>"))).toMatchObject({ message: invalid('removeDisabled', 'profile', 'bogus') })
    expect(refusal(tpm("persistent_state='maybe'><active_pcr_banks><bogus/></active_pcr_banks><profile name='x' removeDisabled='bogus'/>"))).toMatchObject({ message: "Invalid persistent_state value, either 'yes' or 'no'" })
  })
  it('libvirtd 9.0 reads none of them: the persistent state or the address is refused', () => {
    expect(refusal(tpm("persistent_state='maybe' debug='x'>"), v9)).toMatchObject({ message: "Invalid persistent_state value, either 'yes' or 'no'" })
    expect(refusal(tpm("persistent_state='maybe'><source type='bogus' path='/x'/>"), v9)).toMatchObject({ message: "Invalid persistent_state value, either 'yes' or 'no'" })
    expect(refusal(tpm("><profile name='x' removeDisabled='bogus'/>", "<address type='bogus'/>"), v9)).toMatchObject({ message: badAddress })
  })
})
