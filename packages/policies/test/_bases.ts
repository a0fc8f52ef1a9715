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
