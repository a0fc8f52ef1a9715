// A NIC's less probed parts as libvirt 9.0 reads, checks and writes them (own probes `h45-…`, each defined on the
// sandbox libvirtd 9.0 beside preview: fixtures/preview/probes/interfaces-more.xml): the driver and its offloads
// (virDomainNetDefParseXMLDriver), the send buffer, guest and host IP addresses (virDomainNetIPParseXML), port forwards
// (virDomainNetPortForwardRangesFormat), the ROM (virDomainDeviceInfoFormat) and filter references
// (virNWFilterFormatParamAttributes). Each expected document or refusal is what the daemon printed.
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'
import { previewDomain } from '../src/index.ts'
import { capsXml, x86Flags } from './_caps.ts'

const v9 = { v9: true }
const dom = (devices: string, machine = 'q35'): string =>
  `<domain type='qemu'><name>h45</name><uuid>4d1e9b2c-5a6f-4c3d-8e7f-0a1b2c3d4e5f</uuid><memory unit='KiB'>524288</memory><vcpu placement='static'>2</vcpu><os><type arch='x86_64' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
const nic = (type: string, inner: string, model = 'virtio'): string => `<interface type='${type}'><mac address='52:54:00:45:00:01'/>${type === 'network' ? "<source network='default'/>" : ''}<model type='${model}'/>${inner}</interface>`
const nicOf = (xml: string): string => /    <interface[\s\S]*?<\/interface>/.exec(xml)![0]

describe("a NIC's send buffer is read with virXPathULongLong: an empty one is none", () => {
  it('writes no <tune> for an empty <sndbuf> (probes h45-snd-empty-q35, -pc)', () => {
    for (const machine of ['q35', 'pc']) {
      const xml = nicOf(predicts(dom(nic('network', '<tune><sndbuf></sndbuf></tune>'), machine), v9))
      expect(xml).not.toContain('<tune')
      expect(xml).not.toContain('sndbuf')
    }
    // (near misses: a number is kept, one that does not read refused)
    expect(nicOf(predicts(dom(nic('network', '<tune><sndbuf>1024</sndbuf></tune>')), v9))).toContain('      <tune>\n        <sndbuf>1024</sndbuf>\n      </tune>')
    expect(refusal(dom(nic('network', '<tune><sndbuf>1.5</sndbuf></tune>')), v9).message).toBe('sndbuf must be a positive integer')
  })
})

describe("a NIC driver's <host> and <guest> offloads are read for a virtio model alone", () => {
  it('takes a bad offload switch on an e1000 NIC and writes no driver (probe h45-off-e1000-q35)', () => {
    const xml = nicOf(predicts(dom(nic('user', "<driver><host csum='off'/><guest tso4='x'/></driver>", 'e1000')), v9))
    expect(xml).not.toContain('<driver')
    expect(xml).toContain("<model type='e1000'/>")
    // (near miss: on a virtio NIC the same switch is refused)
    expect(refusal(dom(nic('user', "<driver><guest tso4='x'/></driver>")), v9).message).toBe("Invalid value for attribute 'tso4' in element 'guest': 'x'.")
  })
})

describe("an <ip>'s peer is read in the address's family (virDomainNetIPParseXML: virSocketAddrNumericFamily's)", () => {
  it("refuses an IPv6 peer beside an IPv4 address, before the QEMU driver's checks (probes h45-ip-…-v4-peer-v6)", () => {
    for (const type of ['user', 'ethernet', 'network']) {
      expect(refusal(dom(nic(type, "<ip address='192.168.1.5' peer='fe80::1'/>")), v9).message).toBe("Invalid peer 'fe80::1' in <ip>")
    }
    expect(refusal(dom("<interface type='ethernet'><mac address='52:54:00:45:00:01'/><source><ip address='192.168.1.5' peer='fe80::1'/></source><model type='virtio'/></interface>"), v9).message).toBe("Invalid peer 'fe80::1' in <ip>")
    // (near miss: an IPv4 peer is kept on an ethernet NIC's host side)
    expect(nicOf(predicts(dom("<interface type='ethernet'><mac address='52:54:00:45:00:02'/><source><ip address='192.168.1.5' prefix='24' peer='192.168.1.1'/></source><model type='virtio'/></interface>"), v9))).toContain("      <source>\n        <ip address='192.168.1.5' family='ipv4' prefix='24' peer='192.168.1.1'/>\n      </source>")
  })
})

describe("a port forward's range: its end and destination written only beside a start (virDomainNetPortForwardRangesFormat)", () => {
  it('writes a SLIRP NIC\'s forward without the range that has no start (probe h45-pf-slirp-range-nostart-q35)', () => {
    const xml = nicOf(predicts(dom(nic('user', "<portForward proto='tcp'><range end='5'/></portForward>")), v9))
    expect(xml).toContain("      <portForward proto='tcp'/>\n")
    expect(xml).not.toContain('<range')
    // (near miss: with its start, the range is written whole)
    expect(nicOf(predicts(dom(nic('user', "<portForward proto='tcp'><range start='80' end='90' to='8080'/></portForward>")), v9))).toContain("<range start='80' end='90' to='8080'/>")
    // (an exclusion is written without a start, its destination not: probe h45-pf-slirp-range-exclude-to)
    expect(nicOf(predicts(dom(nic('user', "<portForward proto='udp'><range start='80' end='90' to='8080'/><range to='4' exclude='yes'/></portForward>")), v9))).toContain("      <portForward proto='udp'>\n        <range start='80' end='90' to='8080'/>\n        <range exclude='yes'/>\n      </portForward>")
  })
})

describe("a NIC's <rom> is written enabled, bar, file (virDomainDeviceInfoFormat)", () => {
  it('reorders the attributes as written (probes h45-rom-enabled-yes-file-q35, -pc)', () => {
    for (const machine of ['q35', 'pc']) {
      expect(nicOf(predicts(dom(nic('network', "<rom enabled='yes' file='/tmp/a' bar='off'/>"), machine), v9))).toContain("<rom enabled='yes' bar='off' file='/tmp/a'/>")
    }
  })
})

describe("a NIC's filter reference is written unescaped (virNWFilterFormatParamAttributes' filter='%s')", () => {
  it("stores `a&b` as `filter='a&b'` (probes h45-fr-network-filter-amp, -bridge-, -ethernet-)", () => {
    for (const type of ['network', 'ethernet']) expect(nicOf(predicts(dom(nic(type, "<filterref filter='a&amp;b'/>")), v9))).toContain("<filterref filter='a&b'/>")
    // (near miss: a plain name, and its parameters)
    expect(nicOf(predicts(dom(nic('network', "<filterref filter='clean-traffic'><parameter name='IP' value='10.0.0.1'/></filterref>")), v9))).toContain("<filterref filter='clean-traffic'>\n        <parameter name='IP' value='10.0.0.1'/>\n      </filterref>")
  })
})

describe("a NIC's parse refusals in virDomainNetDefParseXML's order", () => {
  it('refuses a bad teaming type before a bad send buffer, written in either order (probes h45-pr-teaming-sndbuf, h45-pr-sndbuf-teaming)', () => {
    for (const inner of ["<teaming type='x'/><tune><sndbuf>x</sndbuf></tune>", "<tune><sndbuf>x</sndbuf></tune><teaming type='x'/>"]) {
      expect(refusal(dom(nic('network', inner)), v9).message).toBe("unknown teaming type 'x'")
    }
    // (and a switched-off ROM's tuning, in the device information, before both: probes h45-pr2-romoff-…)
    expect(refusal(dom(nic('network', "<tune><sndbuf>x</sndbuf></tune><teaming type='x'/><rom enabled='no' bar='on'/>")), v9).message).toBe('ROM tuning is not supported when ROM is disabled')
    // (near miss: a send buffer alone)
    expect(refusal(dom(nic('network', '<tune><sndbuf>x</sndbuf></tune>')), v9).message).toBe('sndbuf must be a positive integer')
  })
})

describe("a NIC's generic checks come before the QEMU driver's check of its ACPI index and ROM (virDomainDeviceDefValidate)", () => {
  const s390 = capsXml({ arch: 's390x', flags: ['virtio-net', 'virtio-net-ccw', 'virtio-ccw', 'virtio-pci', 'acpi-index', 'netdev.user'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
  const onS390 = (devices: string): string => `<domain type='qemu'><name>h45</name><memory unit='KiB'>524288</memory><vcpu placement='static'>2</vcpu><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>${devices}</devices></domain>`
  it("refuses a teaming's partner on a persistent one before the ACPI index of a NIC on CCW (probes h45-fz1-231-s390, h45-vo-tmpers-acpi-network-s390)", () => {
    expect(refusal(onS390(nic('network', "<teaming type='persistent' persistent='ua-p'/><acpi index='5'/>")), { v9: true, caps: s390 }).message).toBe("teaming persistent attribute not allowed if teaming type is 'persistent'")
    expect(refusal(onS390(nic('network', "<target dev='t1' managed='no'/><rom bar='off'/>")), { v9: true, caps: s390 }).message).toBe("unmanaged target dev is not supported on interfaces of type 'network'")
    // (near misses: the ACPI index and the ROM alone are refused on CCW)
    expect(refusal(onS390(nic('network', "<acpi index='5'/>")), { v9: true, caps: s390 }).message).toBe('ACPI index is only supported for PCI devices')
    expect(refusal(onS390(nic('network', "<rom bar='off'/>")), { v9: true, caps: s390 }).message).toBe('ROM tuning is only supported for PCI devices')
  })
  it("keeps the walk's order across NICs: an earlier NIC's ACPI index before a later one's teaming (probes h45-vo2-acpi-then-tmpers-s390, h45-vo2-tmpers-then-acpi-s390)", () => {
    const acpi = "<interface type='server'><mac address='52:54:00:45:00:01'/><source address='127.0.0.1' port='5558'/><model type='virtio'/><acpi index='5'/></interface>"
    const teaming = "<interface type='network'><mac address='52:54:00:45:00:02'/><source network='default'/><model type='virtio'/><teaming type='transient'/></interface>"
    expect(refusal(onS390(acpi + teaming), { v9: true, caps: s390 }).message).toBe('ACPI index is only supported for PCI devices')
    expect(refusal(onS390(teaming + acpi), { v9: true, caps: s390 }).message).toBe("teaming persistent attribute must be set if teaming type is 'transient'")
  })
})

describe("a NIC written without a model is the machine's default one when its address is validated (qemuDomainDeviceNetDefPostParse)", () => {
  const s390 = capsXml({ arch: 's390x', flags: ['virtio-net', 'virtio-net-ccw', 'virtio-ccw', 'virtio-pci', 'acpi-index', 'netdev.user'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
  const onS390 = (devices: string): string => `<domain type='qemu'><name>h45</name><memory unit='KiB'>524288</memory><vcpu placement='static'>2</vcpu><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>${devices}</devices></domain>`
  const bare = (inner: string, model = ''): string => `<interface type='server'><mac address='52:54:00:45:00:01'/><source address='127.0.0.1' port='5558'/>${model}${inner}</interface>`
  it("refuses the ROM tuning and ACPI index of an s390 NIC without a model — virtio on CCW — before its guest-side addresses (probes h45-fz1-62-s390, h45-dm-none-ip-rom-server-s390, h45-dm-empty-ip-acpi-server-s390)", () => {
    expect(refusal(onS390(bare("<ip address='10.0.0.5' prefix='24'/><rom enabled='yes'/>")), { v9: true, caps: s390 }).message).toBe('ROM tuning is only supported for PCI devices')
    expect(refusal(onS390(bare("<ip address='10.0.0.5' prefix='24'/><acpi index='4'/>", "<model type=''/>")), { v9: true, caps: s390 }).message).toBe('ACPI index is only supported for PCI devices')
    // (near miss: the guest-side address alone is the QEMU driver's refusal)
    expect(refusal(onS390(bare("<ip address='10.0.0.5' prefix='24'/>")), { v9: true, caps: s390 }).message).toBe('Invalid attempt to set network interface guest-side IP route and/or address info, not supported by QEMU')
  })
})

describe('an all-zero MAC address', () => {
  const zero = dom("<interface type='user'><mac address='00:00:00:00:00:00'/><model type='virtio'/></interface>")
  it('is kept by libvirt 9.0 (probes h45-mac-zero-q35, -pc)', () => {
    expect(nicOf(predicts(zero, v9))).toContain("<mac address='00:00:00:00:00:00'/>")
  })
  it("is none to libvirt 11, which makes one up (virDomainNetDefParseXML's virMacAddrIsAllClear, 11.3's source): not written, said so", () => {
    const result = previewDomain(zero, { qemuCaps: capsXml(), abiUpdate: true })
    expect(nicOf(result.xml)).not.toContain('00:00:00:00:00:00')
    expect(result.notPredicted.map((n) => n.path)).toContain('domain/devices/interface[1]/mac')
    // (near miss: another MAC is kept by 11 too)
    expect(nicOf(predicts(dom("<interface type='user'><mac address='00:00:00:00:00:01'/><model type='virtio'/></interface>")))).toContain("<mac address='00:00:00:00:00:01'/>")
  })
})

describe("libvirt 11's vhost-user interface source (11.3's virDomainNetDefParseXML, virDomainNetDefFormat, qemuValidateDomainDeviceDefNetwork)", () => {
  const caps = capsXml({ flags: [...x86Flags, 'netdev.stream', 'netdev.stream.reconnect-ms'] })
  const shared = (devices: string): string => `<domain type='qemu'><name>h45</name><uuid>4d1e9b2c-5a6f-4c3d-8e7f-0a1b2c3d4e5f</uuid><memory unit='KiB'>524288</memory><memoryBacking><access mode='shared'/></memoryBacking><vcpu placement='static'>2</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><devices>${devices}</devices></domain>`
  const vu = (source: string, backend = ''): string => `<interface type='vhostuser'><mac address='52:54:00:45:00:01'/>${source}${backend}<model type='virtio'/></interface>`
  const nic11 = (source: string, backend = ''): string => nicOf(predicts(shared(vu(source, backend)), { caps }))
  it("writes a UNIX socket's type and mode whatever was given (`client` by default), and not a device name", () => {
    expect(nic11("<source type='unix' path='/tmp/s'/>")).toContain("<source type='unix' path='/tmp/s' mode='client'/>")
    expect(nic11("<source path='/tmp/s' mode='server'/>")).toContain("<source type='unix' path='/tmp/s' mode='server'/>")
    expect(nic11("<source type='unix' path='/tmp/s' mode='client' dev='eth0'/>")).toContain("<source type='unix' path='/tmp/s' mode='client'/>")
    // (libvirt 9.0 requires each: probe h45-src-vu-nomode-q35)
    expect(refusal(shared(vu("<source type='unix' path='/tmp/s'/>")), v9).message).toBe("Missing required attribute 'mode' in element 'source'")
  })
  it("refuses a socket without a path, unless passt's back end makes it", () => {
    expect(refusal(shared(vu("<source type='unix' mode='client'/>")), { caps }).message).toBe("Missing required attribute 'path' in element 'source'")
    expect(refusal(shared(vu('')), { caps }).message).toBe("Missing required attribute 'path' in element 'source'")
    expect(nic11('', "<backend type='passt'/>")).not.toContain('<source')
  })
  it("writes passt's source as its device name alone", () => {
    expect(nic11("<source dev='eth0'/>", "<backend type='passt'/>")).toContain("<source dev='eth0'/>")
    const xml = nic11("<source type='unix' path='/tmp/s' mode='client'><reconnect enabled='yes' timeout='3'/></source>", "<backend type='passt'/>")
    expect(xml).not.toContain('<source')
    expect(xml).not.toContain('reconnect')
  })
})

describe("libvirt 11's checks of a NIC's back end and bandwidth (11.3's virDomainNetDefValidate)", () => {
  const bw = (rates: string, type = 'network'): string => dom(nic(type, `<bandwidth>${rates}</bandwidth>`))
  it("refuses a rate past tc's limits, each attribute in turn, inbound first; libvirt 9.0 stores it (probes h45-bw-in-avg-big-q35, h45-bw-in-floor-big-q35)", () => {
    expect(refusal(bw("<inbound average='18014398509481985'/>")).message).toBe("value '18014398509481985' is too big for 'average' parameter, maximum is '18014398509481984'")
    expect(refusal(bw("<inbound average='1' peak='18014398509481985' floor='18014398509481985'/>")).message).toBe("value '18014398509481985' is too big for 'peak' parameter, maximum is '18014398509481984'")
    expect(refusal(bw("<inbound average='1' floor='18014398509481985'/><outbound average='1' burst='4194304'/>")).message).toBe("value '18014398509481985' is too big for 'floor' parameter, maximum is '18014398509481984'")
    expect(refusal(bw("<outbound average='1' burst='4194304'/>")).message).toBe("value '4194304' is too big for 'burst' parameter, maximum is '4194303'")
    // (near misses: at the limits; and 9.0 stores 2^64 - 1, as libvirtd 9.0 did)
    expect(nicOf(predicts(bw("<inbound average='18014398509481984'/><outbound average='1' burst='4194303'/>")))).toContain("<outbound average='1' burst='4194303'/>")
    expect(nicOf(predicts(bw("<inbound average='18446744073709551615'/>"), v9))).toContain("<inbound average='18446744073709551615'/>")
  })
  it("refuses passt's back end off user networking and vhost-user (libvirtd 9.0 refuses its name)", () => {
    expect(refusal(dom(nic('network', "<backend type='passt'/>"))).message).toBe("The 'passt' backend can only be used with interface type='user' or type='vhostuser'")
    expect(refusal(dom(nic('network', "<backend type='passt'/>")), v9).message).toBe("Invalid value for attribute 'type' in element 'backend': 'passt'.")
    // (near miss: on user networking it is taken)
    expect(nicOf(predicts(dom(nic('user', "<backend type='passt'/>"))))).toContain("<backend type='passt'/>")
  })
})

describe('what libvirt writes unescaped in a NIC (virDomainNetDefFormat, virNetDevVPortProfileFormat)', () => {
  it("writes a socket's address unescaped in 9.0, escaped in 11 (probes h45-esc-server-addr-q35, h45-esc-mcast-addr-quote-pc)", () => {
    const server = dom("<interface type='server'><mac address='52:54:00:45:00:01'/><source address='a&amp;b' port='5558'/><model type='virtio'/></interface>")
    expect(nicOf(predicts(server, v9))).toContain("<source address='a&b' port='5558'/>")
    expect(nicOf(predicts(server))).toContain("<source address='a&amp;b' port='5558'/>")
    const mcast = dom("<interface type='mcast'><mac address='52:54:00:45:00:01'/><source address='a&apos;b&lt;c' port='5558'/><model type='virtio'/></interface>", 'pc')
    expect(nicOf(predicts(mcast, v9))).toContain("<source address='a'b<c' port='5558'/>")
  })
  it("writes a UDP end's local address and an 802.1Qbh port's profile ID unescaped in both (probes h45-esc-udp-local-q35, h45-esc-vp-prof-q35)", () => {
    const udp = dom("<interface type='udp'><mac address='52:54:00:45:00:01'/><source address='127.0.0.1' port='5558'><local address='a&amp;b' port='1'/></source><model type='virtio'/></interface>")
    for (const o of [v9, {}]) expect(nicOf(predicts(udp, o))).toContain("<local address='a&b' port='1'/>")
    const qbh = dom("<interface type='direct'><mac address='52:54:00:45:00:01'/><source dev='eth0' mode='vepa'/><virtualport type='802.1Qbh'><parameters profileid='p&amp;q'/></virtualport><model type='virtio'/></interface>")
    for (const o of [v9, {}]) expect(nicOf(predicts(qbh, o))).toContain("<parameters profileid='p&q'/>")
    // (near misses: a bridge's and a network's names are escaped — probes h45-esc-br-q35, h45-esc-net-q35)
    expect(nicOf(predicts(dom("<interface type='bridge'><mac address='52:54:00:45:00:01'/><source bridge='b&amp;r'/><model type='virtio'/></interface>"), v9))).toContain("<source bridge='b&amp;r'/>")
    expect(nicOf(predicts(dom("<interface type='network'><mac address='52:54:00:45:00:01'/><source network='n&amp;t' portgroup='p&amp;g'/><model type='virtio'/></interface>"), v9))).toContain("<source network='n&amp;t' portgroup='p&amp;g'/>")
  })
})
