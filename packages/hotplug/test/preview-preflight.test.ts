// Issue 19 "use it": planned against the domain as libvirt will store it (the QEMU capabilities
// given), the free-port preflight sees the ports libvirt's own additions take at define — here the
// virtio-serial controller of a SPICE channel and the balloon — that the XML as written leaves free.
import { describe, expect, it } from 'vitest'
import { previewDomain } from '@virtuned/preview'
import { planAttach } from '../src/index.ts'
import { capsXml } from '../../preview/test/_caps.ts'

const qemuCaps = capsXml({ flags: ['piix3-usb-uhci', 'qemu-xhci', 'ich9-usb-ehci1', 'VGA', 'qxl', 'virtio-net', 'pcie-root-port', 'pcie-pci-bridge', 'virtio-serial', 'virtio-balloon', 'virtio-pci-non-transitional', 'spice'] })
const written = (ports: number) => `<domain type='qemu'><name>w</name><memory unit='KiB'>1048576</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>
<controller type='pci' index='0' model='pcie-root'/>${Array.from({ length: ports }, (_, i) => `<controller type='pci' index='${i + 1}' model='pcie-root-port'/>`).join('')}
<graphics type='spice' autoport='yes'/><channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>
</devices></domain>`
const disk = { disk: { source: { file: '/i/data.qcow2' }, format: 'qcow2' as const, bus: 'virtio' as const } }

describe('planAttach with qemuCaps: the preflight on the previewed domain', () => {
  it('one free port as written, none once libvirt has added the virtio-serial controller and the balloon', () => {
    // The premise, from the preview itself: libvirt adds them.
    const stored = previewDomain(written(1), { qemuCaps, abiUpdate: true }).xml
    expect(stored).toContain("<controller type='virtio-serial'")
    expect(stored).toContain("<memballoon model='virtio'")
    expect(planAttach(written(1), disk, { seed: 'd' })).toMatchObject({ ok: true })
    expect(planAttach(written(1), disk, { seed: 'd', qemuCaps })).toMatchObject({ ok: false, problems: [{ code: 'NO_FREE_HOTPLUG_SLOT' }] })
  })

  it('enough ports for libvirt and for the disk: the same plan either way', () => {
    const plain = planAttach(written(4), disk, { seed: 'd' })
    expect(plain).toMatchObject({ ok: true })
    expect(planAttach(written(4), disk, { seed: 'd', qemuCaps })).toEqual(plain)
  })
})
