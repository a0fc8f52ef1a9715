// Base domains the built-in policies are golden-tested and defined on.
import { builtinPolicies } from '../src/index.ts'

export const bare = `<domain type='kvm'>
  <name>guest</name>
  <memory unit='KiB'>2097152</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/guest.qcow2'/></disk>
    <interface type='network'><source network='default'/></interface>
  </devices>
</domain>`

/** More base domains: a Windows desktop with SPICE already chosen, and a server with two disks and a CD-ROM. */
export const bases: Readonly<Record<string, { xml: string; os: string }>> = {
  bare: { xml: bare, os: 'debian11' },
  desktop: {
    os: 'win10',
    xml: `<domain type='kvm'><name>desk</name><memory unit='GiB'>4</memory><vcpu>4</vcpu><os><type arch='x86_64'>hvm</type></os><devices>
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/desk.qcow2'/></disk>
<interface type='bridge'><source bridge='br0'/><mac address='52:54:00:00:00:42'/></interface><graphics type='spice'/></devices></domain>`,
  },
  server: {
    os: 'rhel9.0',
    xml: `<domain type='kvm'><name>srv</name><memory unit='GiB'>8</memory><vcpu>8</vcpu><os><type arch='x86_64'>hvm</type></os><devices>
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/srv.qcow2'/><serial>srv-root</serial></disk>
<disk type='block' device='disk'><driver name='qemu' type='raw'/><source dev='/dev/vg0/srv-data'/></disk>
<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/seed.iso'/><readonly/></disk>
<interface type='network'><source network='default'/></interface><interface type='network'><source network='storage'/></interface></devices></domain>`,
  },
}

/** The built-in policies a base can take (a policy refusing the base's graphics is a conflict, tested below). */
export function combos(): { base: string; policy: string; os: string; xml: string }[] {
  const out: { base: string; policy: string; os: string; xml: string }[] = []
  for (const [base, b] of Object.entries(bases)) {
    for (const policy of Object.keys(builtinPolicies).sort()) {
      if (base === 'desktop' && ['vnc', 'headless', 'minimal'].includes(policy)) continue
      const os = policy === 'windows-optimized' ? (base === 'desktop' ? 'win10' : 'win11') : b.os
      out.push({ base, policy, os, xml: b.xml })
    }
  }
  return out
}

/** An i440fx domain as libvirt writes it back: PCI addresses, IDE, e1000, ich6, SPICE with QXL. */
export const legacy = `<domain type='kvm'>
  <name>legacy</name>
  <memory unit='KiB'>2097152</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/legacy.img'/><target dev='hda' bus='ide'/><address type='drive' controller='0' bus='0' target='0' unit='0'/></disk>
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/><readonly/><address type='drive' controller='0' bus='1' target='0' unit='0'/></disk>
    <controller type='ide' index='0'><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x1'/></controller>
    <controller type='usb' index='0' model='piix3-uhci'><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'/></controller>
    <controller type='pci' index='0' model='pci-root'/>
    <interface type='network'><mac address='52:54:00:12:34:56'/><source network='default'/><model type='e1000'/><address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></interface>
    <graphics type='spice' autoport='yes'/>
    <channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>
    <sound model='ich6'><address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/></sound>
    <video><model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1'/><address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/></video>
    <redirdev bus='usb' type='spicevmc'/>
  </devices>
</domain>`
