// The `<os>` boot settings as libvirtd 9.0 stores them (own probes `h46-…`, each defined on the sandbox libvirtd 9.0
// beside preview: fixtures/preview/probes/boot-more.xml): the kernel options virDomainDefParseBootKernelOptions reads by
// string(./os/NAME[1]) (model's osKernelOptions — an empty one none), the boot devices (the first four read),
// `<bootmenu>` and `<bios>` (the first of each; the menu's timeout read only while it is enabled; a bad serial switch
// taken as `no`), the ACPI table's path sanitized, a full virtual machine's container options not read. Each expected
// fragment is what the daemon printed.
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const dom = (os: string, machine = 'q35', extra = ''): string =>
  `<domain type='qemu'><name>h46</name><uuid>4d1e9b2c-5a6f-4c3d-8e7f-0a1b2c3d4e46</uuid><memory unit='KiB'>524288</memory><vcpu placement='static'>1</vcpu>${extra}<os><type arch='x86_64' machine='${machine}'>hvm</type>${os}</os><devices/></domain>`
const osOf = (xml: string): string[] => {
  const lines = xml.split('\n')
  return lines.slice(lines.findIndex((l) => l.startsWith('  <os')) + 2, lines.indexOf('  </os>'))
}
const K = '<kernel>/tmp/h46-vmlinuz</kernel>'

describe('the kernel options (virDomainDefParseBootKernelOptions: string(./os/NAME[1]))', () => {
  it('drops an empty <root> as it drops an empty <kernel> (probe h46-root-empty)', () => {
    expect(osOf(predicts(dom(`${K}<root></root>`), v9))).toEqual(['    <kernel>/tmp/h46-vmlinuz</kernel>', "    <boot dev='hd'/>"])
    expect(osOf(predicts(dom(`${K}<root></root>`, 'pc'), v9))).toEqual(['    <kernel>/tmp/h46-vmlinuz</kernel>', "    <boot dev='hd'/>"])
    // (near miss: a root written is kept, after the kernel)
    expect(osOf(predicts(dom(`<root>/dev/vda1</root>${K}`), v9))).toEqual(['    <kernel>/tmp/h46-vmlinuz</kernel>', '    <root>/dev/vda1</root>', "    <boot dev='hd'/>"])
  })
  it("reads a kernel's string value through its child elements (probe h46-k-mixed2)", () => {
    expect(osOf(predicts(dom('<kernel>/tmp/<x>in</x>h46</kernel>'), v9))).toEqual(['    <kernel>/tmp/inh46</kernel>', "    <boot dev='hd'/>"])
  })
})

describe('boot devices, the boot menu and the BIOS (virDomainDefParseBootXML)', () => {
  it('reads the first four <boot dev>s, a fifth not even for its value (probe h46-b5-bad)', () => {
    const four = "<boot dev='fd'/><boot dev='hd'/><boot dev='cdrom'/><boot dev='network'/>"
    expect(osOf(predicts(dom(`${four}<boot dev='x'/>`), v9))).toEqual(["    <boot dev='fd'/>", "    <boot dev='hd'/>", "    <boot dev='cdrom'/>", "    <boot dev='network'/>"])
  })
  it("reads the menu's timeout only while it is enabled (probes h46-bm-no-badto, h46-bm-noen-bigto)", () => {
    expect(osOf(predicts(dom("<bootmenu enable='no' timeout='x'/>"), v9))).toEqual(["    <boot dev='hd'/>", "    <bootmenu enable='no'/>"])
    expect(osOf(predicts(dom("<bootmenu timeout='99999'/>"), v9))).toEqual(["    <boot dev='hd'/>"])
  })
  it('reads the first <bios>, a bad serial switch as no (probes h46-bios-first, h46-bios-badser-rt)', () => {
    expect(osOf(predicts(dom("<bios rebootTimeout='10'/><bios rebootTimeout='x'/>"), v9))).toEqual(["    <boot dev='hd'/>", "    <bios rebootTimeout='10'/>"])
    expect(osOf(predicts(dom("<bios useserial='x' rebootTimeout='5'/>"), v9))).toEqual(["    <boot dev='hd'/>", "    <bios useserial='no' rebootTimeout='5'/>"])
  })
})

describe("the ACPI table and a container's options on a full virtual machine", () => {
  it("keeps a SLIC table's path sanitized — doubled and trailing slashes, not `.` (probe h46-acpi2-0)", () => {
    expect(osOf(predicts(dom("<acpi><table type='slic'>/tmp//h46/./a/</table></acpi>"), v9))).toEqual(['    <acpi>', "      <table type='slic'>/tmp/h46/./a</table>", '    </acpi>', "    <boot dev='hd'/>"])
  })
  it('does not read <init> and its siblings on an hvm domain (probe h46-init-all)', () => {
    expect(osOf(predicts(dom("<init>/sbin/init</init><initarg>-v</initarg><initenv name='A'>1</initenv><initdir>/srv</initdir><inituser>u</inituser><initgroup>g</initgroup>"), v9))).toEqual(["    <boot dev='hd'/>"])
  })
})

describe("the boot settings' refusals in libvirt's order (probes h46-pr-…)", () => {
  it('reads the ACPI table before the boot devices, the BIOS after them, the SMBIOS mode after the clock', () => {
    expect(refusal(dom("<bios rebootTimeout='x'/><acpi><table type='x'>/a</table></acpi>"), v9).message).toBe('Unknown acpi table type: x')
    expect(refusal(dom("<smbios mode='x'/><boot dev='x'/>"), v9).message).toBe("Invalid value for attribute 'dev' in element 'boot': 'x'.")
    expect(refusal(dom("<smbios mode='x'/>", 'q35', "<clock offset='x'/>"), v9).message).toBe("unknown clock offset 'x'")
  })
  it("checks the menu's timeout before the reboot timeout, and after post-parse's boot devices against boot orders", () => {
    expect(refusal(dom("<bios rebootTimeout='70000'/><bootmenu enable='yes' timeout='70000'/>"), v9).message).toBe('invalid value for boot menu timeout, must be in range [0,65535]')
    expect(refusal(dom("<bootmenu enable='yes' timeout='70000'/>", 'q35', "<idmap><uid start='1' target='1000' count='1'/></idmap>"), v9).message).toBe('invalid value for boot menu timeout, must be in range [0,65535]')
    const both = dom("<bootmenu enable='yes' timeout='70000'/><boot dev='hd'/>").replace('<devices/>', "<devices><disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='vda' bus='virtio'/><boot order='1'/></disk></devices>")
    expect(refusal(both, v9).message).toBe('per-device boot elements cannot be used together with os/boot elements')
  })
})

const arm = capsXml({ arch: 'aarch64', flags: ['cpu-max', 'gpex-pcihost', 'virtio-mmio', 'pcie-root-port'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>", extra: "<gic version='2' kernel='no' emulated='yes'/>" })

describe('the BIOS serial console (qemuValidateDomainDef: x86 alone, after post-parse gives a console its serial port)', () => {
  const withDevices = (devices: string, machine = 'q35', arch = 'x86_64'): string =>
    dom("<bios useserial='yes'/>", machine).replace('<devices/>', `<devices>${devices}</devices>`).replace("arch='x86_64'", `arch='${arch}'`).replace("machine='q35'", `machine='${machine}'`)
  it('takes a console alone, as post-parse adds its serial port (probe h46-us-console-q35)', () => {
    const xml = predicts(withDevices("<console type='pty'/>"), v9)
    expect(xml).toContain("    <bios useserial='yes'/>")
    expect(xml).toContain("      <target type='isa-serial' port='0'>")
  })
  it('refuses a virtio console alone, and any serial console off x86 (probes h46-us-console-virtio-q35, h46-us-none-virt)', () => {
    expect(refusal(withDevices("<console type='pty'><target type='virtio'/></console>"), v9).message).toBe('need at least one serial port to use BIOS serial output')
    expect(refusal(withDevices('', 'virt', 'aarch64'), { v9: true, caps: arm }).message).toBe('BIOS serial console only supported on x86 architectures')
  })
})
