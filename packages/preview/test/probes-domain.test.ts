// Domain-wide settings found apart from libvirtd 9.0 by probing (each case defined on the sandbox libvirtd 9.0 beside
// preview; the messages and stored lines are the daemon's).
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const dom = (extra: string, devices = '', machine = 'pc', arch = 'x86_64'): string => `<domain type='qemu'>
  <name>t</name>
  <memory unit='MiB'>512</memory>
  ${extra}
  <os><type arch='${arch}' machine='${machine}'>hvm</type></os>
  <devices>${devices}</devices>
</domain>`
const featuresOf = (xml: string): string | undefined => /<features>[\s\S]*?<\/features>/.exec(xml)?.[0]
const ppc = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'nvram'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })

describe('machine features that set nothing (virDomainFeaturesDefParse reads them as none)', () => {
  it('are not refused off pSeries: <hpt/>, a max page size of 0, <cfpc/>, <sbbc/>, <ibs/>', () => {
    expect(featuresOf(predicts(dom('<features><hpt/></features>')))).toBeUndefined()
    expect(featuresOf(predicts(dom('<features><cfpc/><sbbc/><ibs/></features>')))).toBeUndefined()
    expect(featuresOf(predicts(dom("<features><hpt><maxpagesize unit='KiB'>0</maxpagesize></hpt></features>")))).toBeUndefined()
    // (one that is set still is: qemuValidateDomainDefPSeriesFeature)
    expect(refusal(dom("<features><cfpc value='workaround'/></features>")).message).toBe("The 'cfpc' feature is not supported for architecture 'x86_64' or machine type 'pc-i440fx-9.9'")
    expect(refusal(dom("<features><hpt resizing='enabled'/></features>")).path).toBe('domain/features/hpt')
  })

  it('are not written back on pSeries; a set one is', () => {
    const pseries = (features: string): string | undefined => featuresOf(predicts(dom(`<features>${features}</features>`, '', 'pseries', 'ppc64'), { caps: ppc }))
    expect(pseries('<hpt/><cfpc/><sbbc/><ibs/>')).toBeUndefined()
    expect(pseries("<hpt resizing='enabled'><maxpagesize>0</maxpagesize></hpt><cfpc value='workaround'/>")).toBe("<features>\n    <hpt resizing='enabled'/>\n    <cfpc value='workaround'/>\n  </features>")
  })

  it('an I/O APIC without a driver is none', () => {
    expect(featuresOf(predicts(dom("<features><ioapic/><smm state='off'/></features>", '', 'q35')))).toBe("<features>\n    <smm state='off'/>\n  </features>")
    expect(featuresOf(predicts(dom("<features><ioapic driver='kvm'/></features>", '', 'q35')))).toBe("<features>\n    <ioapic driver='kvm'/>\n  </features>")
  })
})

describe('<kvm> and <capabilities> as virDomainDefFormatFeatures writes them', () => {
  it('an empty <kvm> is an open and a close tag; <capabilities/> of the default policy is not written', () => {
    expect(featuresOf(predicts(dom('<features><kvm/><capabilities/><hap/></features>')))).toBe("<features>\n    <hap state='on'/>\n    <kvm>\n    </kvm>\n  </features>")
    expect(featuresOf(predicts(dom("<features><capabilities policy='default'/><pae/></features>")))).toBe('<features>\n    <pae/>\n  </features>')
  })

  it('the policy is written when it is not the default or a capability is', () => {
    expect(featuresOf(predicts(dom("<features><capabilities policy='deny'/></features>")))).toBe("<features>\n    <capabilities policy='deny'/>\n  </features>")
    expect(featuresOf(predicts(dom('<features><capabilities><mknod/></capabilities></features>')))).toBe("<features>\n    <capabilities policy='default'>\n      <mknod state='on'/>\n    </capabilities>\n  </features>")
  })
})

describe('power management (virDomainPMStateParseXML)', () => {
  const pmOf = (xml: string): string | undefined => /<pm>[\s\S]*?<\/pm>/.exec(xml)?.[0]
  it('is written only around a state that says yes or no', () => {
    expect(pmOf(predicts(dom('<pm><suspend-to-mem/></pm>')))).toBeUndefined()
    expect(predicts(dom('<pm/>'))).not.toContain('<pm')
    expect(pmOf(predicts(dom("<pm><suspend-to-disk enabled='no'/><suspend-to-mem/></pm>")))).toBe("<pm>\n    <suspend-to-disk enabled='no'/>\n  </pm>")
    expect(pmOf(predicts(dom("<pm><suspend-to-disk enabled='no'/><suspend-to-mem enabled='yes'/></pm>")))).toBe("<pm>\n    <suspend-to-mem enabled='yes'/>\n    <suspend-to-disk enabled='no'/>\n  </pm>")
  })
})

describe('<resource> (virDomainResourceDefParse, virDomainDefResourceValidate)', () => {
  const unknown = { name: 'PreviewError', code: 'preview-refused', message: 'An error occurred, but the cause is unknown', path: 'domain/resource' }
  it('with neither a partition nor an application ID fails without a cause', () => {
    expect(refusal(dom('<resource/>'))).toEqual(unknown)
    expect(refusal(dom('<resource><partition/></resource>'))).toEqual(unknown)
    expect(refusal(dom("<resource><fibrechannel appid=''/></resource>"))).toEqual(unknown)
    expect(predicts(dom('<resource><partition>/machine</partition></resource>'))).toContain('<partition>/machine</partition>')
  })

  it('a Fibre Channel application ID printable, of at most 128 characters', () => {
    const appid = (value: string) => refusal(dom(`<resource><fibrechannel appid='${value}'/></resource>`))
    expect(appid('a'.repeat(129))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "Fibre Channel 'appid' string length must be between [1, 128]", path: 'domain/resource/fibrechannel/@appid' })
    expect(appid('ab&#9;c')).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "Fibre Channel 'appid' is not a printable string", path: 'domain/resource/fibrechannel/@appid' })
    expect(predicts(dom(`<resource><fibrechannel appid='${'a'.repeat(128)}'/></resource>`))).toContain(`<fibrechannel appid='${'a'.repeat(128)}'/>`)
  })
})

describe('the vmcoreinfo feature (qemuValidateDomainDefFeatures)', () => {
  it('on (as `<vmcoreinfo/>` is) needs the QEMU device; off does not', () => {
    const s390 = capsXml({ arch: 's390x', flags: ['virtio-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
    const on = { name: 'PreviewError', code: 'preview-refused', message: 'vmcoreinfo is not available with this QEMU binary', path: 'domain/features/vmcoreinfo' }
    const s390x = (features: string): string => dom(`<features>${features}</features>`, '', 's390-ccw-virtio', 's390x')
    expect(refusal(s390x("<vmcoreinfo state='on'/>"), { caps: s390 })).toEqual(on)
    expect(refusal(s390x('<vmcoreinfo/>'), { caps: s390 })).toEqual(on)
    expect(predicts(s390x("<vmcoreinfo state='off'/>"), { caps: s390 })).toContain("<vmcoreinfo state='off'/>")
    expect(predicts(dom('<features><vmcoreinfo/></features>'))).toContain("<vmcoreinfo state='on'/>")
  })
})

describe("a loader's NVRAM (qemuValidateDomainDefNvram)", () => {
  const q35 = (nvram: string): string => dom('<features><acpi/></features>', '', 'q35').replace('</type>', `</type><loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>${nvram}`)
  const refused = (message: string, path: string) => ({ name: 'PreviewError', code: 'preview-refused', message, path })
  it('a file, a block device or a network image', () => {
    expect(refusal(q35("<nvram type='dir'><source dir='/tmp'/></nvram>"))).toEqual(refused("unsupported nvram disk type 'dir'", 'domain/os/nvram/@type'))
    expect(refusal(q35("<nvram type='volume'><source pool='default' volume='x.fd'/></nvram>"))).toEqual(refused("unsupported nvram disk type 'volume'", 'domain/os/nvram/@type'))
    expect(predicts(q35("<nvram type='file'><source file='/tmp/x.fd'/></nvram>"))).toContain("<source file='/tmp/x.fd'/>")
  })

  it('without slices or reservations; a network one as a disk would be (TFTP gone, NFS without a port)', () => {
    expect(refusal(q35("<nvram type='file'><source file='/tmp/x.fd'><slices><slice type='storage' offset='0' size='1048576'/></slices></source></nvram>"))).toEqual(refused('slices are not supported with NVRAM', 'domain/os/nvram/source/slices'))
    expect(refusal(q35("<nvram type='file'><source file='/tmp/x.fd'><reservations managed='yes'/></source></nvram>"))).toEqual(refused('persistent reservations are not supported with NVRAM', 'domain/os/nvram/source/reservations'))
    expect(refusal(q35("<nvram type='network'><source protocol='tftp' name='x.fd'><host name='h.example'/></source></nvram>"))).toEqual(refused("'tftp' protocol is not supported with this QEMU binary", 'domain/os/nvram/source/@protocol'))
    expect(refusal(q35("<nvram type='network'><source protocol='nfs' name='/x.fd'><host name='h.example' port='2049'/></source></nvram>"))).toEqual(refused("port cannot be specified in 'nfs' protocol host", 'domain/os/nvram/source/host/@port'))
    expect(predicts(q35("<nvram type='network'><source protocol='nbd' name='x'><host name='h.example' port='10809'/></source></nvram>"))).toContain("<source protocol='nbd' name='x'>")
  })

  it('a typed one needs a <source>: else libvirt fails without a cause', () => {
    expect(refusal(q35("<nvram type='file'/>"))).toEqual(refused('An error occurred, but the cause is unknown', 'domain/os/nvram'))
  })
})

describe('vCPUs online at boot', () => {
  it("none online leaves vCPU 0 offline (qemuDomainDefVcpusPostParse)", () => {
    expect(refusal(dom("<vcpu current='0'>2</vcpu>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "vcpu 0 can't be offline", path: 'domain/vcpu/@current' })
  })

  it('on pSeries whole cores, the count a <vcpus> list makes too (qemuValidateDomainVCpuTopology)', () => {
    const ppc9 = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'nvram', 'query-hotpluggable-cpus'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' maxCpus='1024' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
    const pseries = (vcpus: string): string => dom(`<vcpu>4</vcpu><vcpus>${vcpus}</vcpus><cpu><topology sockets='1' cores='2' threads='2'/></cpu>`, '', 'pseries', 'ppc64')
    const one = "<vcpu id='0' enabled='yes' hotpluggable='no'/><vcpu id='1' enabled='no' hotpluggable='yes'/><vcpu id='2' enabled='no' hotpluggable='yes'/><vcpu id='3' enabled='no' hotpluggable='yes'/>"
    expect(refusal(pseries(one), { caps: ppc9, v9: true })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'vCPUs count must be a multiple of the vCPU hotplug granularity (2)', path: 'domain/vcpus' })
    expect(predicts(pseries(one.replace("id='1' enabled='no' hotpluggable='yes'", "id='1' enabled='yes' hotpluggable='no'")), { caps: ppc9, v9: true })).toContain("<vcpu id='1' enabled='yes' hotpluggable='no'/>")
  })
})

describe('<cputune> numbers (virDomainDefCputuneValidate)', () => {
  it('checked as strtoull read them: leading blanks taken', () => {
    const cputune = (inner: string): string => dom(`<cputune>${inner}</cputune>`)
    expect(refusal(cputune('<shares> 1</shares>'), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "Value of cputune 'shares' must be in range [2, 262144]", path: 'domain/cputune/shares' })
    expect(refusal(cputune('<period>  999</period>'))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "Value of cputune 'period' must be in range [1000, 1000000]", path: 'domain/cputune/period' })
    expect(predicts(cputune('<period> 5000</period><quota> -1</quota>'))).toContain('<period>5000</period>\n    <quota>-1</quota>')
  })
})

describe('x86 machines without PCI (qemuDomainDefAddDefaultDevices)', () => {
  const machines = "<machine type='tcg' name='pc-i440fx-9.9' alias='pc' default='yes'/><machine type='tcg' name='isapc'/><machine type='tcg' name='microvm'/><machine type='tcg' name='pc-q35-9.9' alias='q35'/><cpu type='tcg' name='qemu64' typename='qemu64-x86_64-cpu' usable='yes'/>"
  const caps = capsXml({ machines })
  it('isapc gets a balloon, microvm a balloon and a USB controller, with no PCI bus for them', () => {
    expect(refusal(dom("<vcpu>2</vcpu><features><htm state='on'/></features>", '', 'isapc'), { caps }).message).toBe('No PCI buses available')
    expect(refusal(dom('', "<memballoon model='none'/>", 'microvm'), { caps }).message).toBe('No PCI buses available')
    expect(predicts(dom('', "<memballoon model='none'/>", 'isapc'), { caps })).toContain("<memballoon model='none'/>")
  })

  it("libvirt 9.0 gives microvm the PS/2 mouse and keyboard too", () => {
    const xml = predicts(dom('', "<controller type='usb' model='none'/><memballoon model='none'/>", 'microvm'), { caps, v9: true })
    expect(xml).toContain("<input type='mouse' bus='ps2'/>\n    <input type='keyboard' bus='ps2'/>")
  })
})

describe('huge pages shared without guest NUMA nodes (qemuValidateDomainDefMemory)', () => {
  const arm = capsXml({ arch: 'aarch64', flags: ['cpu-max'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' maxCpus='512' defaultCPU='cortex-a15-arm-cpu' defaultRAMid='mach-virt.ram'/><machine type='tcg' name='akita' maxCpus='1' defaultCPU='pxa270-c0-arm-cpu'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/><cpu type='tcg' name='pxa270-c0' typename='pxa270-c0-arm-cpu' usable='yes'/>" })
  const shared = (machine: string, access = 'shared'): string => dom(`<memoryBacking><hugepages><page size='2048' unit='KiB'/></hugepages><access mode='${access}'/></memoryBacking>`, '', machine, 'aarch64')
  it('refused where the machine has no default RAM backend the capabilities name', () => {
    expect(refusal(shared('akita'), { caps: arm })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "memory access mode 'shared' not supported without guest numa node", path: 'domain/memoryBacking/access/@mode' })
    expect(predicts(shared('akita', 'private'), { caps: arm })).toContain("<access mode='private'/>")
    expect(predicts(shared('virt'), { caps: arm })).toContain("<access mode='shared'/>")
  })
})

describe("the QEMU driver's domain checks in qemuValidateDomainDef's order (domainValidationSteps)", () => {
  const first = (xml: string, o: Parameters<typeof refusal>[1] = {}): string => refusal(xml, o).message
  const htm = "<features><htm state='on'/></features>"
  it('lifecycle, timers, boot, vCPU topology, cache tuning before the features', () => {
    expect(first(dom("<on_poweroff>preserve</on_poweroff><clock offset='utc'><timer name='platform'/></clock>"))).toBe("qemu driver doesn't support the 'preserve' action for 'on_reboot'/'on_poweroff'")
    expect(first(dom(`${htm}<clock offset='utc'><timer name='platform'/></clock>`))).toBe("unsupported timer type (name) 'platform'")
    expect(first(dom(`${htm}<cpu><topology sockets='1' cores='2' threads='1'/></cpu>`))).toBe("CPU topology doesn't match maximum vcpu count")
    expect(first(dom(`<features><acpi/><htm state='on'/></features>`).replace('</type>', "</type><loader readonly='yes' type='pflash' secure='yes'>/usr/share/OVMF/OVMF_CODE.fd</loader>"))).toBe('Secure boot is supported with q35 machine types only')
    expect(first(dom(`<cputune><cachetune vcpus='0'><cache id='0' level='3' type='both' size='3' unit='MiB'/></cachetune></cputune>${htm}`))).toBe('cachetune is only supported for KVM domains')
  })

  it('SMBIOS, then the panic devices, then the TPMs, then launch security — before any device', () => {
    const sev = "<launchSecurity type='sev'><policy>0x0003</policy></launchSecurity>"
    expect(first(dom(`<sysinfo type='fwcfg'><entry name='bad'>x</entry></sysinfo>${sev}`))).toBe('Invalid firmware name')
    expect(first(dom(sev, "<panic model='s390'/>"))).toBe("only S390 guests support panic device of model 's390'")
    const tpm = (model: string): string => `<tpm model='${model}'><backend type='emulator' version='2.0'/></tpm>`
    expect(first(dom('', `${tpm('tpm-tis')}${tpm('tpm-crb')}<panic model='s390'/>`, 'q35'))).toBe("only S390 guests support panic device of model 's390'")
  })

  it('the CPU: address bits, then the cache, then the mode; vmport in the features as libvirt walks them', () => {
    const arm = capsXml({ arch: 'aarch64', flags: [], machines: "<machine type='tcg' name='virt-9.9' alias='virt' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>" })
    const aarch64 = (extra: string): string => dom(extra, '', 'virt', 'aarch64')
    expect(first(aarch64("<cpu mode='host-passthrough' migratable='on'><cache mode='passthrough'/></cpu>"), { caps: arm })).toBe("CPU cache specification is not supported for 'aarch64' architecture")
    expect(first(aarch64("<cpu><cache mode='disable'/></cpu><features><pvspinlock/></features>"), { caps: arm })).toBe("CPU cache specification is not supported for 'aarch64' architecture")
    expect(first(aarch64("<cpu mode='maximum'><maxphysaddr mode='passthrough'/></cpu>"), { caps: arm })).toBe("CPU maximum physical address bits specification is not supported for 'aarch64' architecture")
    expect(first(aarch64("<features><vmport state='on'/><ioapic driver='qemu'/></features>"), { caps: arm })).toBe('vmport is not available with this QEMU binary')
  })
})

describe('the BIOS serial console (qemuValidateDomainDef, before the lifecycle actions)', () => {
  it('needs a serial port — a console of another target is none — as an XML error', () => {
    const xml = dom('<on_poweroff>preserve</on_poweroff>', "<console type='pty'><target type='virtio'/></console>").replace('</type>', "</type><bios useserial='yes'/>")
    expect(refusal(xml)).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'need at least one serial port to use BIOS serial output', path: 'domain/os/bios/@useserial' })
    expect(predicts(dom('', "<console type='pty'/>").replace('</type>', "</type><bios useserial='yes'/>"))).toContain("<bios useserial='yes'/>")
  })
})
