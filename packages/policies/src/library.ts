// The built-in policies. Each is documented in the README, golden-tested, and its composed
// domains validate against libvirt's schema and define on a real libvirtd.
import { definePolicy } from './define.ts'
import type { Policy, PolicyInput } from './schema.ts'

const x86 = ['x86_64', 'i686']
/** Architectures with USB (SPICE's redirection channels are USB devices); s390x has none. */
const withUsb = [...x86, 'aarch64', 'armv7l', 'ppc64', 'ppc64le', 'riscv64', 'loongarch64']

const spiceDevices = `<devices>
  <graphics type='spice' autoport='yes'><listen type='address'/><image compression='off'/></graphics>
  <channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>
  <redirdev bus='usb' type='spicevmc'/>
  <redirdev bus='usb' type='spicevmc'/>
</devices>`

const hypervSet = `<features><hyperv mode='custom'>
  <relaxed state='on'/><vapic state='on'/><spinlocks state='on' retries='8191'/><vpindex state='on'/><runtime state='on'/>
  <synic state='on'/><stimer state='on'><direct state='on'/></stimer><reset state='on'/><frequencies state='on'/>
  <tlbflush state='on'/><ipi state='on'/>
</hyperv></features>`

const definitions: PolicyInput[] = [
  {
    name: 'pcie', version: 1,
    description: 'PCI Express: the q35 machine (native PCIe hot-plug, SATA, secure boot). With --convert, an i440fx domain is converted: PCI addresses and legacy controllers dropped, IDE disks moved to SATA, e1000 → e1000e, ich6 → ich9.',
    conflicts: ['legacy-pc'],
    when: { arch: x86 },
    // A family, not a string: a versioned q35 (pc-q35-7.2) satisfies pcie and keeps its version.
    machine: 'q35',
    refuses: ["devices/controller[@model='pci-root']", "devices/controller[@type='ide']"],
    convert: [
      { remove: "devices/*/address[@type='pci']", why: 'i440fx PCI addresses mean nothing on q35: libvirt assigns PCIe addresses again', guestVisible: true },
      { remove: "devices/controller[@type='pci']", why: 'the i440fx PCI root and bridges are replaced by the PCIe topology', guestVisible: true },
      { remove: "devices/controller[@type='ide']", why: 'q35 has no IDE controller', guestVisible: true },
      { remove: "devices/controller[@type='usb']", why: 'the PIIX/ICH USB controllers are replaced by the default USB controller for q35', guestVisible: true },
      { retarget: { from: 'ide', to: 'sata' }, why: 'q35 has no IDE: IDE disks move to SATA (new sdX targets; the guest sees AHCI disks)', guestVisible: true },
      { set: { path: "devices/interface/model[@type='e1000']", attribute: 'type', value: 'e1000e' }, why: 'e1000e is the PCIe version of e1000, with in-box drivers where e1000 had them', guestVisible: true },
      { set: { path: "devices/sound[@model='ich6']", attribute: 'model', value: 'ich9' }, why: 'ich9 is the HDA controller of the q35 chipset', guestVisible: true },
      // A q35 machine already there keeps its version.
      { machine: 'q35', why: 'the machine type itself', guestVisible: true },
    ],
  },
  {
    name: 'legacy-pc', version: 1,
    description: 'The i440fx PC machine, for OSes without q35 support (old Windows and Linux releases).',
    conflicts: ['pcie', 'secure-boot', 'hotplug-ready'],
    when: { arch: x86 },
    machine: 'i440fx',
  },
  {
    name: 'spice', version: 1,
    description: 'SPICE graphics with the vdagent channel (clipboard, resizing) and two USB redirection channels (not on s390x, which has no USB); the video model and the pointer (a USB tablet, virtio input on s390x) are left to the defaults.',
    conflicts: ['vnc', 'headless'],
    when: { arch: withUsb, hostEnum: { 'devices/graphics/type': 'spice' } },
    prefer: spiceDevices,
    refuses: ["devices/graphics[@type='vnc']"],
    convert: [
      { replace: { path: "devices/graphics[@type='vnc']", xml: "<graphics type='spice' autoport='yes'><listen type='address'/><image compression='off'/></graphics>" }, why: 'VNC graphics become SPICE', guestVisible: false },
    ],
  },
  {
    name: 'vnc', version: 1,
    description: 'VNC graphics on a local address (the pointer is left to the defaults: a USB tablet, virtio input on s390x). With --convert, SPICE leftovers go: QXL video (→ VGA, which every guest has a driver for), spicevmc channels, USB redirection, SPICE audio and smartcards.',
    conflicts: ['spice', 'headless'],
    // The pointer is the defaults' (a USB tablet; virtio input on s390x, which has no USB).
    prefer: "<devices><graphics type='vnc' autoport='yes'><listen type='address'/></graphics></devices>",
    refuses: ["devices/graphics[@type='spice']", "devices/channel[@type='spicevmc']", "devices/redirdev[@type='spicevmc']", "devices/video/model[@type='qxl']"],
    convert: [
      { replace: { path: "devices/graphics[@type='spice']", xml: "<graphics type='vnc' autoport='yes'><listen type='address'/></graphics>" }, why: 'SPICE graphics become VNC', guestVisible: false },
      // Not virtio-gpu: Windows has no in-box driver for it (virt-install and the defaults pick VGA there too); the virtio policy asks for virtio-gpu.
      { replace: { path: "devices/video/model[@type='qxl']", xml: "<model type='vga'/>" }, why: 'QXL is a SPICE device; VGA serves VNC with a driver in every guest', guestVisible: true },
      { remove: "devices/channel[@type='spicevmc']", why: 'the SPICE agent channel needs SPICE', guestVisible: true },
      { remove: "devices/redirdev[@type='spicevmc']", why: 'USB redirection needs SPICE', guestVisible: true },
      { remove: "devices/audio[@type='spice']", why: 'SPICE audio needs SPICE', guestVisible: false },
      { remove: "devices/smartcard[@type='spicevmc']", why: 'smartcard passthrough over SPICE needs SPICE', guestVisible: true },
    ],
  },
  {
    name: 'headless', version: 1,
    description: 'No graphics and no video: a serial console on a pty, for servers and cloud images.',
    conflicts: ['spice', 'vnc'],
    prefer: "<devices><serial type='pty'><target port='0'/></serial><console type='pty'><target type='serial' port='0'/></console></devices>",
    refuses: ['devices/graphics', 'devices/video'],
    convert: [
      { remove: 'devices/graphics', why: 'no display', guestVisible: false },
      { remove: 'devices/video', why: 'no display device', guestVisible: true },
      { remove: "devices/channel[@type='spicevmc']", why: 'the SPICE agent channel needs SPICE', guestVisible: true },
      { remove: "devices/redirdev[@type='spicevmc']", why: 'USB redirection needs SPICE', guestVisible: true },
      { remove: "devices/audio[@type='spice']", why: 'SPICE audio needs SPICE', guestVisible: false },
    ],
  },
  {
    name: 'hotplug-ready', version: 1,
    description: 'Free hot-pluggable PCIe root ports (`ports`, default 8) beyond the devices’ own, so disks and NICs can be attached to the running guest.',
    requires: ['pcie'],
    parameters: { ports: { type: 'integer', default: 8, min: 0, max: 32, description: 'free pcie-root-ports to leave for hot-plug' } },
    defaults: { spareRootPorts: '${ports}' },
  },
  {
    name: 'secure-boot', version: 1,
    description: 'UEFI with Secure Boot and Microsoft keys enrolled, through libvirt’s firmware auto-selection; SMM on (required by Secure Boot firmware).',
    requires: ['pcie'],
    when: { arch: x86, hostEnum: { 'os/firmware': 'efi', 'os/loader/secure': 'yes' } },
    require: "<os firmware='efi'><firmware><feature enabled='yes' name='secure-boot'/><feature enabled='yes' name='enrolled-keys'/></firmware></os><features><smm state='on'/></features>",
  },
  {
    name: 'tpm', version: 1,
    description: 'An emulated TPM 2.0 (CRB interface on x86, as Windows 11 requires).',
    when: { hostEnum: { 'devices/tpm/backendModel': 'emulator' } },
    prefer: "<devices><tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm></devices>",
  },
  {
    name: 'windows-optimized', version: 1,
    description: 'Windows on KVM: the Hyper-V enlightenments, Windows’ clock (localtime, hypervclock), Hyper-V crash reporting and a USB tablet.',
    requires: ['pcie'],
    when: { osFamily: ['winnt'] },
    prefer: `${hypervSet}<clock offset='localtime'><timer name='rtc' tickpolicy='catchup'/><timer name='pit' tickpolicy='delay'/><timer name='hpet' present='no'/><timer name='hypervclock' present='yes'/></clock><devices><input type='tablet' bus='usb'/><panic model='hyperv'/></devices>`,
  },
  {
    name: 'virtio', version: 1,
    description: 'virtio everywhere: disks, NICs, RNG, balloon, video. For Windows this assumes the virtio-win drivers are installed (or attached for setup).',
    prefer: "<devices><rng model='virtio'><backend model='random'>/dev/urandom</backend></rng><memballoon model='virtio'/></devices>",
    defaults: { diskBus: 'virtio', nicModel: 'virtio', videoModel: 'virtio' },
  },
  {
    name: 'crash-dump', version: 1,
    description: 'Crash dumps that can be analysed: vmcoreinfo (KASLR-aware) and a pvpanic device that turns a guest panic into a libvirt event.',
    when: { hostSupports: ['features/vmcoreinfo'] },
    prefer: "<features><vmcoreinfo state='on'/></features><devices><panic model='isa'/></devices>",
  },
  {
    name: 'guest-agent', version: 1,
    description: 'The QEMU guest agent channel (clean shutdown, filesystem freeze, IP addresses).',
    prefer: "<devices><channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel></devices>",
  },
  {
    name: 'performance', version: 1,
    description: 'Throughput: one I/O thread for virtio disks, multiqueue virtio NICs, and the host CPU passed through (KVM only: never chosen under TCG; ties the guest to identical hosts for migration).',
    requires: ['virtio'],
    when: { virtType: 'kvm' },
    prefer: "<iothreads>1</iothreads><cpu mode='host-passthrough' check='none' migratable='on'/>",
    defaults: { migratable: false, multiqueue: true, diskIothread: true },
  },
  {
    name: 'minimal', version: 1,
    description: 'The fewest devices: no USB controller, no balloon, no graphics (for micro-VMs and tests).',
    conflicts: ['spice', 'vnc'],
    prefer: "<devices><controller type='usb' index='0' model='none'/><memballoon model='none'/></devices>",
    refuses: ['devices/graphics'],
    convert: [
      { remove: 'devices/graphics', why: 'no display', guestVisible: false },
      { remove: 'devices/video', why: 'no display device', guestVisible: true },
      { remove: "devices/input[@bus='usb']", why: 'no USB controller for a tablet', guestVisible: true },
      { remove: "devices/channel[@type='spicevmc']", why: 'the SPICE agent channel needs SPICE', guestVisible: true },
      { remove: "devices/redirdev[@type='spicevmc']", why: 'USB redirection needs SPICE', guestVisible: true },
      { remove: "devices/audio[@type='spice']", why: 'SPICE audio needs SPICE', guestVisible: false },
    ],
  },
]

/** The built-in policies by name. */
export const builtinPolicies: Readonly<Record<string, Policy>> = Object.freeze(Object.fromEntries(definitions.map((d) => {
  const policy = definePolicy(d, `<builtin ${d.name}>`)
  return [policy.name, policy]
})))
