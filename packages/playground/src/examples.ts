// Examples the page offers, written for the playground in the shapes apps send to libvirt.
export const examples: Readonly<Record<string, { readonly os: string; readonly xml: string }>> = {
  'Debian web server (bare)': {
    os: 'debian11',
    xml: `<domain type='kvm'>
  <name>web-01</name>
  <memory unit='GiB'>2</memory>
  <vcpu>2</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/web-01.qcow2'/>
      <serial>web-01-root</serial>
    </disk>
    <interface type='network'>
      <source network='default'/>
    </interface>
  </devices>
</domain>
`,
  },
  'Windows 11 desktop (bare)': {
    os: 'win11',
    xml: `<domain type='kvm'>
  <name>desk-11</name>
  <memory unit='GiB'>8</memory>
  <vcpu>4</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/desk-11.qcow2'/>
    </disk>
    <interface type='bridge'>
      <source bridge='br0'/>
    </interface>
    <graphics type='spice'/>
  </devices>
</domain>
`,
  },
  'Debian guest for any architecture (choose an ARM or IBM Z host)': {
    os: 'debian11',
    xml: `<domain type='qemu'>
  <name>anyarch-01</name>
  <memory unit='GiB'>2</memory>
  <vcpu>2</vcpu>
  <os>
    <type>hvm</type>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/anyarch-01.qcow2'/>
    </disk>
    <interface type='network'>
      <source network='default'/>
    </interface>
  </devices>
</domain>
`,
  },
  'Old i440fx guest (try pcie + vnc + convert)': {
    os: 'debian11',
    xml: `<domain type='kvm'>
  <name>legacy</name>
  <memory unit='KiB'>1048576</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='/var/lib/libvirt/images/legacy.img'/>
      <target dev='hda' bus='ide'/>
      <address type='drive' controller='0' bus='0' target='0' unit='0'/>
    </disk>
    <controller type='ide' index='0'/>
    <controller type='pci' index='0' model='pci-root'/>
    <interface type='network'>
      <mac address='52:54:00:12:34:56'/>
      <source network='default'/>
      <model type='e1000'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
    </interface>
    <graphics type='spice' autoport='yes'/>
    <channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>
    <video><model type='qxl'/></video>
  </devices>
</domain>
`,
  },
  'Schema-invalid domain (see libvirt\'s schema errors)': {
    os: 'debian11',
    xml: `<domain type='bogus'>
  <name>bogus</name>
  <memory unit='GiB'>1</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <frobnicator/>
  </devices>
</domain>
`,
  },
  'Broken XML (see the error place)': {
    os: 'debian11',
    xml: `<domain type='kvm'>
  <name>broken</name>
  <memory unit='GiB'>1</memory>
  <devices>
    <disk type='file'>
      <source file='/x.qcow2'>
    </disk>
  </devices>
</domain>
`,
  },
}
