/**
 * The domain `virtuned demo` (and `npm start`) works on: written for virtuned, in the
 * shape an app sends to libvirt before libvirt fills in addresses and controllers.
 */
export const exampleDomainXml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- A small web server guest, as an app might define it. -->
<domain type="kvm">
  <name>web-01</name>
  <title>Web server</title>
  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
      <libosinfo:os id="http://debian.org/debian/11"/>
    </libosinfo:libosinfo>
  </metadata>
  <memory unit="GiB">2</memory>
  <vcpu>2</vcpu>
  <os>
    <type arch="x86_64" machine="q35">hvm</type>
    <boot dev="hd"/>
  </os>
  <features><acpi/><apic/></features>
  <devices>
    <disk type="file" device="disk">
      <driver name="qemu" type="qcow2" discard="unmap"/>
      <source file="/var/lib/libvirt/images/web-01.qcow2"/>
      <target dev="vda" bus="virtio"/>
      <serial>web-01-root</serial>
    </disk>
    <disk type="file" device="cdrom">
      <source file="/var/lib/libvirt/images/seed.iso"/>
      <target dev="sda" bus="sata"/>
      <readonly/>
    </disk>
    <interface type="network">
      <source network="default"/>
      <mac address="52:54:00:6b:3c:58"/>
      <model type="virtio"/>
      <alias name="ua-net-public"/>
    </interface>
    <graphics type="vnc" autoport="yes" listen="127.0.0.1"/>
    <video><model type="virtio"/></video>
    <rng model="virtio"><backend model="random">/dev/urandom</backend></rng>
  </devices>
</domain>
`

/**
 * The spec `npm start` composes: what an app would send (name, size, one disk, one NIC), the
 * guest OS, and the policies it wants; the defaults and policies do the rest.
 */
import type { DomainSpecInput } from '@virtuned/model'

export const exampleSpec: { readonly os: string; readonly policies: readonly string[]; readonly spec: DomainSpecInput } = {
  os: 'debian11',
  policies: ['spice', 'hotplug-ready:ports=4', 'crash-dump'],
  spec: {
    name: 'web-01',
    title: 'Web server',
    memory: '2GiB',
    vcpus: 2,
    disks: [{ source: { file: '/var/lib/libvirt/images/web-01.qcow2' }, format: 'qcow2', serial: 'web-01-root' }],
    nics: [{ type: 'network', source: 'default', alias: 'ua-net-public' }],
  },
}
