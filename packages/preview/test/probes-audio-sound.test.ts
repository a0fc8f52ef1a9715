// Audio backends, sound cards, smartcards, USB redirection and its filter, watchdogs, panic notifiers and leases as
// libvirtd 9.0 stores them (virDomainAudioDefParseXML / …Format, virDomainSoundDefParseXML / …Format,
// virDomainSmartcardDefParseXML, virDomainRedirFilterDefFormat, virDomainPanicDefParseXML, qemuDomainDefPostParse):
// each case was defined on the sandbox libvirtd 9.0 (the probes h25-… of
// fixtures/preview/probes/audio-sound-small-devices.xml), and preview says what it stored or refused.
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const q35 = (devices: string): string => x86Domain(devices, 'q35')
const other = (devices: string, arch: string, machine: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='${arch}' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
const ppc = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
const arm = capsXml({ arch: 'aarch64', flags: ['virtio-pci-non-transitional', 'gpex-pcihost', 'pcie-root-port', 'virtio-mmio'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' defaultCPU='cortex-a15-arm-cpu'/>" })
const s390 = capsXml({ arch: 's390x', flags: ['virtio-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })

describe('audio IDs are written back with %d (virDomainAudioDefFormat, virDomainSoundDefFormat, virDomainGraphicsDefFormat)', () => {
  it('an ID past 2^31 - 1 comes back negative, on the backend and on the sound card naming it (h25-au-id-2p31, -2p32m1, -sound-ref-big)', () => {
    expect(predicts(q35("<audio id='2147483648' type='none'/>"), { v9: true })).toContain("<audio id='-2147483648' type='none'/>")
    expect(predicts(q35("<audio id='4294967295' type='none'/>"), { v9: true })).toContain("<audio id='-1' type='none'/>")
    const xml = predicts(q35("<sound model='ich9'><audio id='3000000000'/></sound><audio id='3000000000' type='none'/>"), { v9: true })
    expect(xml).toContain("<sound model='ich9'>\n      <audio id='-1294967296'/>")
    expect(xml).toContain("<audio id='-1294967296' type='none'/>")
  })

  it("a VNC display's audio too; the largest int stays as written (h25-au-vnc-ref-big, -id-2p31m1)", () => {
    expect(predicts(q35("<graphics type='vnc'><audio id='3000000000'/></graphics><audio id='3000000000' type='none'/>"), { v9: true })).toContain("<audio id='-1294967296'/>\n    </graphics>")
    expect(predicts(q35("<audio id='2147483647' type='none'/>"), { v9: true })).toContain("<audio id='2147483647' type='none'/>")
  })
})

describe("an OSS backend's own settings (virDomainAudioDefParseXML)", () => {
  it('a DSP policy is an int, refused negative in its own words, the value as read (h25-au-oss-dsp-neg, -neg07, -min)', () => {
    expect(refusal(q35("<audio id='1' type='oss' dspPolicy='-1'/>"), { v9: true })).toMatchObject({ code: 'preview-invalid-value', message: "cannot parse 'dspPolicy' value '-1'" })
    expect(refusal(q35("<audio id='1' type='oss' dspPolicy='-07'/>"), { v9: true }).message).toBe("cannot parse 'dspPolicy' value '-7'")
    expect(refusal(q35("<audio id='1' type='oss' dspPolicy='-2147483648'/>"), { v9: true }).message).toBe("cannot parse 'dspPolicy' value '-2147483648'")
  })

  it('past an int, empty or hex it is not read at all (h25-au-oss-dsp-big, -empty, -hex)', () => {
    expect(refusal(q35("<audio id='1' type='oss' dspPolicy='2147483648'/>"), { v9: true }).message).toBe("Invalid value for attribute 'dspPolicy' in element 'audio': '2147483648'. Expected integer value")
    expect(refusal(q35("<audio id='1' type='oss' dspPolicy=''/>"), { v9: true }).message).toBe("Invalid value for attribute 'dspPolicy' in element 'audio': ''. Expected integer value")
    expect(refusal(q35("<audio id='1' type='oss' dspPolicy='0x1'/>"), { v9: true }).message).toBe("Invalid value for attribute 'dspPolicy' in element 'audio': '0x1'. Expected integer value")
  })

  it('-0 and +5 read as 0 and 5, written so; 2^31 - 1 stays (h25-au-oss-dsp-neg0, -plus, -max)', () => {
    expect(predicts(q35("<audio id='1' type='oss' dspPolicy='-0'/>"), { v9: true })).toContain("<audio id='1' type='oss' dspPolicy='0'/>")
    expect(predicts(q35("<audio id='1' type='oss' dspPolicy='+5'/>"), { v9: true })).toContain("<audio id='1' type='oss' dspPolicy='5'/>")
    expect(predicts(q35("<audio id='1' type='oss' dspPolicy='2147483647'/>"), { v9: true })).toContain("dspPolicy='2147483647'")
  })

  it('tryMMap and exclusive are yes or no (h25-au-oss-mmap-bad, -excl-bad)', () => {
    expect(refusal(q35("<audio id='1' type='oss' tryMMap='on'/>"), { v9: true }).message).toBe("Invalid value for attribute 'tryMMap' in element 'audio': 'on'.")
    expect(refusal(q35("<audio id='1' type='oss' exclusive='true'/>"), { v9: true }).message).toBe("Invalid value for attribute 'exclusive' in element 'audio': 'true'.")
  })

  it("another type does not read them: they are dropped (h25-au-none-dsp-neg)", () => {
    expect(predicts(q35("<audio id='1' type='none' dspPolicy='-1' tryMMap='x'/>"), { v9: true })).toContain("<audio id='1' type='none'/>")
  })
})

describe("an SDL backend's driver (virDomainAudioDefParseXML: virDomainAudioSDLDriver, NONZERO)", () => {
  it("esd, alsa, arts, pulseaudio are taken (h25-au-sdl-driver, -esd, -arts)", () => {
    expect(predicts(q35("<audio id='1' type='sdl' driver='esd'/>"), { v9: true })).toContain("<audio id='1' type='sdl' driver='esd'/>")
    expect(predicts(q35("<audio id='1' type='sdl' driver='arts'/>"), { v9: true })).toContain("<audio id='1' type='sdl' driver='arts'/>")
  })

  it("an empty one (the enumeration's 0), default and another name are refused (h25-au-sdl-driver-empty, -default, -bad)", () => {
    expect(refusal(q35("<audio id='1' type='sdl' driver=''/>"), { v9: true }).message).toBe("Invalid value for attribute 'driver' in element 'audio': ''.")
    expect(refusal(q35("<audio id='1' type='sdl' driver='default'/>"), { v9: true }).message).toBe("Invalid value for attribute 'driver' in element 'audio': 'default'.")
    expect(refusal(q35("<audio id='1' type='sdl' driver='oss'/>"), { v9: true }).message).toBe("Invalid value for attribute 'driver' in element 'audio': 'oss'.")
  })

  it('an ALSA backend does not read a driver (h25-au-alsa-driver-bad)', () => {
    expect(predicts(q35("<audio id='1' type='alsa' driver='bad'/>"), { v9: true })).toContain("<audio id='1' type='alsa'/>")
  })
})

describe('a sound card (virDomainSoundDefFormat)', () => {
  it('writes its codecs, then its audio backend, then its address, whatever the order written (h25-snd-order)', () => {
    const xml = predicts(q35("<sound model='ich9'><address type='pci' domain='0' bus='0' slot='5' function='0'/><audio id='1'/><codec type='micro'/></sound>"), { v9: true })
    expect(xml).toContain("<sound model='ich9'>\n      <codec type='micro'/>\n      <audio id='1'/>\n      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n    </sound>")
  })
})

describe('a smartcard (virDomainSmartcardDefParseXML, virDomainDeviceCcidAddressParseXML)', () => {
  it("a host card reads no certificates nor database: they are dropped (h25-sc-host-certs-ignored)", () => {
    const xml = predicts(q35("<smartcard mode='host'><certificate>a</certificate><certificate>b</certificate><certificate>c</certificate><database>/x</database></smartcard>"), { v9: true })
    expect(xml).toContain("<smartcard mode='host'>\n      <address type='ccid' controller='0' slot='0'/>\n    </smartcard>")
  })

  it('a card of host certificates keeps them (h25-sc-certs3-db)', () => {
    const xml = predicts(q35("<smartcard mode='host-certificates'><certificate>a</certificate><certificate>b</certificate><certificate>c</certificate><database>/etc/pki/nssdb</database></smartcard>"), { v9: true })
    expect(xml).toContain('<certificate>c</certificate>\n      <database>/etc/pki/nssdb</database>')
  })

  it('a CCID address written without its slot is at slot 0, written (h25-sc-addr-ccid-noslot)', () => {
    expect(predicts(q35("<smartcard mode='host'><address type='ccid' controller='0'/></smartcard>"), { v9: true })).toContain("<address type='ccid' controller='0' slot='0'/>")
  })
})

describe('a USB redirection filter (virDomainRedirFilterDefFormat)', () => {
  it('without a rule is not written (h25-rd-filter-empty, -nousbdev)', () => {
    expect(predicts(q35('<redirfilter/>'), { v9: true })).not.toContain('redirfilter')
    expect(predicts(q35('<redirfilter><foo/></redirfilter>'), { v9: true })).not.toContain('redirfilter')
  })

  it('with one, it is (h25-rd-filter-only)', () => {
    expect(predicts(q35("<redirfilter><usbdev allow='yes'/></redirfilter>"), { v9: true })).toContain("<redirfilter>\n      <usbdev allow='yes'/>\n    </redirfilter>")
  })
})

describe("a panic device of model `default` (virDomainPanicModel's 0: no model to post-parse)", () => {
  it('takes the machine\'s default model: isa on x86, pseries, s390 (h25-pn-default-x86q, -ppc, -s390)', () => {
    expect(predicts(q35("<panic model='default'/>"), { v9: true })).toContain("<panic model='isa'/>")
    expect(predicts(other("<panic model='default'/>", 'ppc64', 'pseries'), { v9: true, caps: ppc })).toContain("<panic model='pseries'/>")
    expect(predicts(other("<panic model='default'/>", 's390x', 's390-ccw-virtio'), { v9: true, caps: s390 })).toContain("<panic model='s390'/>")
  })

  it("on ARM virt libvirt 9.0's default is the ISA one its QEMU lacks (h25-pn-default-arm)", () => {
    expect(refusal(other("<panic model='default'/>", 'aarch64', 'virt'), { v9: true, caps: arm }).message).toBe('the QEMU binary does not support the ISA panic device')
  })

  it("is the same model as a written isa one: both refused as duplicates (h25-pn-two-default)", () => {
    expect(refusal(q35("<panic model='default'/><panic model='isa'/>"), { v9: true }).message).toBe("Multiple panic devices with model 'isa'")
  })
})

describe('two audio backends sharing an ID (virDomainAudioDefValidate, before qemuValidateDomainDeviceDefAudio)', () => {
  it('the first is refused for the ID before its own QEMU check, whichever comes first (h25-au-dup-and-spice, -spice-and-dup)', () => {
    expect(refusal(q35("<audio id='1' type='spice'/><audio id='1' type='none'/>"), { v9: true }).message).toBe('audio ID 1 is used multiple times')
    expect(refusal(q35("<audio id='1' type='none'/><audio id='1' type='spice'/>"), { v9: true }).message).toBe('audio ID 1 is used multiple times')
    // (the near miss: IDs apart, the SPICE backend without SPICE graphics is refused for that)
    expect(refusal(q35("<audio id='1' type='spice'/><audio id='2' type='none'/>"), { v9: true }).message).toBe('Spice audio is not supported without spice graphics')
  })
})

describe('a USB redirection filter is read rule by rule (virDomainRedirFilterUSBDevDefParseXML)', () => {
  it("the first rule's allow is refused before the second rule's class (h25-rd-filter-first-bad)", () => {
    expect(refusal(q35("<redirfilter><usbdev allow='x'/><usbdev class='0x100' allow='yes'/></redirfilter>"), { v9: true }).message).toBe("Invalid value for attribute 'allow' in element 'usbdev': 'x'.")
    expect(refusal(q35("<redirfilter><usbdev allow='yes'/><usbdev class='0x100' allow='x'/></redirfilter>"), { v9: true }).message).toBe('Invalid USB Class code 0x100')
  })

  it('within a rule: the class, the vendor, the version, then allow', () => {
    expect(refusal(q35("<redirfilter><usbdev class='0x100' vendor='x' allow='yes'/></redirfilter>"), { v9: true }).message).toBe('Invalid USB Class code 0x100')
    expect(refusal(q35("<redirfilter><usbdev vendor='x' version='9' allow='yes'/></redirfilter>"), { v9: true }).message).toBe("Invalid value for attribute 'vendor' in element 'usbdev': 'x'. Expected integer value")
    expect(refusal(q35("<redirfilter><usbdev version='9' allow='x'/></redirfilter>"), { v9: true }).message).toBe('Cannot parse USB device version 9')
  })
})

describe("a smartcard's database is `string(./database/text())`: its first text node (virDomainSmartcardDefParseXML)", () => {
  const card = (database: string): string => q35(`<smartcard mode='host-certificates'><certificate>a</certificate><certificate>b</certificate><certificate>c</certificate><database>${database}</database></smartcard>`)

  it('a comment, a CDATA section or an element ends it (h25-tx-db-0, -2, -11)', () => {
    expect(predicts(card('/x<!--c-->z'), { v9: true })).toContain('<database>/x</database>')
    expect(predicts(card('<![CDATA[/y]]>z'), { v9: true })).toContain('<database>/y</database>')
    expect(predicts(card('<y>/in</y>/out'), { v9: true })).toContain('<database>/out</database>')
  })

  it('none at all — an element alone, a comment and blank text — is no path, refused without a word (h25-tx-db-10, -7)', () => {
    expect(refusal(card('<y>/in</y>'), { v9: true }).message).toBe('An error occurred, but the cause is unknown')
    expect(refusal(card('<!--c--> '), { v9: true }).message).toBe('An error occurred, but the cause is unknown')
  })

  it('plain text is the path, its entities read (h25-sc-certs3-db, h25-tx-db-3)', () => {
    expect(predicts(card('/&amp;x'), { v9: true })).toContain('<database>/&amp;x</database>')
  })
})

describe('an audio direction is read in the parser\'s order (virDomainAudioCommonParse, virDomainAudioOSSParse)', () => {
  it('fixed settings without the mixing engine are refused before the voices are read (h25-fz-au-67)', () => {
    expect(refusal(q35("<audio id='1' type='none'><output fixedSettings='yes' voices='-1'/></audio>"), { v9: true }).message).toBe('fixed audio settings requires mixing engine')
    // (the near misses: a bad engine switch is read first; settings without fixed ones are looked at after the voices)
    expect(refusal(q35("<audio id='1' type='none'><output mixingEngine='x' fixedSettings='yes'/></audio>"), { v9: true }).message).toBe("Invalid value for attribute 'mixingEngine' in element 'output': 'x'.")
    expect(refusal(q35("<audio id='1' type='none'><output voices='0'><settings/></output></audio>"), { v9: true }).message).toBe("Invalid value for attribute 'voices' in element 'output': Zero is not permitted")
  })

  it("an OSS direction's poll switch is read before its buffer count (h25-fz2-au-230)", () => {
    expect(refusal(q35("<audio id='2' type='oss'><input tryPoll='x' bufferCount='-1'/></audio>"), { v9: true }).message).toBe("Invalid value for attribute 'tryPoll' in element 'input': 'x'.")
  })
})

describe("an audio backend's attributes in its formatter's order (virDomainAudioDefFormat, virDomainAudioCommonFormat)", () => {
  it('JACK names, ports, then the exact-name switch; OSS switches and policy; SDL after the timer period (h25-fz2-au-301)', () => {
    const xml = predicts(q35("<audio id='1' type='jack'><output exactName='no' connectPorts='p' clientName='c' serverName='s'/></audio><audio id='2' type='oss' dspPolicy='1' exclusive='no' tryMMap='yes'><input tryPoll='yes' bufferCount='2' dev='d' voices='1' mixingEngine='yes'/></audio><audio id='3' type='sdl' driver='esd' timerPeriod='5'/>"), { v9: true })
    expect(xml).toContain("<output serverName='s' clientName='c' connectPorts='p' exactName='no'/>")
    expect(xml).toContain("<audio id='2' type='oss' tryMMap='yes' exclusive='no' dspPolicy='1'>\n      <input mixingEngine='yes' voices='1' dev='d' bufferCount='2' tryPoll='yes'/>")
    expect(xml).toContain("<audio id='3' type='sdl' timerPeriod='5' driver='esd'/>")
  })
})

describe('the order of refusals within one device (virDomainDeviceDefValidate: generic, then the QEMU driver\'s; the parsers)', () => {
  it("a sound card's missing audio backend is refused before its address's QEMU check (h25-c1-mix-237)", () => {
    expect(refusal(q35("<sound model='ac97'><audio id='2'/><address type='ccw' cssid='0xfe' ssid='0' devno='0x0009'/></sound>"), { v9: true }).message).toBe('no audio device with ID 2')
  })

  it('a second redirection filter is counted before any filter is read (h25-c1-mix-44)', () => {
    expect(refusal(q35("<redirfilter><usbdev allow='x'/></redirfilter><redirfilter><usbdev allow='yes'/></redirfilter>"), { v9: true }).message).toBe('only one set of redirection filter rule is supported')
    // (the near miss: one filter, its rule's fault)
    expect(refusal(q35("<redirfilter><usbdev allow='x'/></redirfilter>"), { v9: true }).message).toBe("Invalid value for attribute 'allow' in element 'usbdev': 'x'.")
  })

  it("a filter's first rule is read whole before the second's vendor (h25-c1-mix-122)", () => {
    expect(refusal(q35("<redirfilter><usbdev version='2.0' allow='x'/><usbdev class='0x100' vendor='x' allow='no'/></redirfilter>"), { v9: true }).message).toBe("Invalid value for attribute 'allow' in element 'usbdev': 'x'.")
  })

  it("a redirected device's bus, then its type, before its boot order and address (h25-c1-mix-123, -18, -235)", () => {
    expect(refusal(q35("<redirdev bus='pci' type='spicevmc'><address type='none'/></redirdev>"), { v9: true }).message).toBe("unknown redirdev bus 'pci'")
    expect(refusal(q35("<redirdev bus='usb' type='x'><address type='isa' iobase='0x505'/></redirdev>"), { v9: true }).message).toBe("unknown redirdev character device type 'x'")
    expect(refusal(q35("<redirdev bus='usb' type='x'><boot order='0'/></redirdev>"), { v9: true }).message).toBe("unknown redirdev character device type 'x'")
  })

  it("a smartcard's mode's needs before its address (h25-c1-mix-290)", () => {
    expect(refusal(q35("<smartcard mode='host-certificates'><certificate>a</certificate><address type='none'/></smartcard>"), { v9: true }).message).toBe('host-certificates mode needs exactly three certificates')
    expect(refusal(q35("<smartcard mode='passthrough'><address type='none'/></smartcard>"), { v9: true }).message).toBe('passthrough mode requires a character device type attribute')
  })
})

describe('qemuValidateDomainSmartcardDef counts the domain\'s smartcards on the first', () => {
  it('two cards: the first is refused for the count before its SPICE source (h25-d1-valid-36)', () => {
    expect(refusal(q35("<smartcard mode='passthrough' type='spicevmc'/><smartcard mode='host'/>"), { v9: true }).message).toBe('this QEMU binary lacks multiple smartcard support')
    // (the near miss: that card alone is refused for its source)
    expect(refusal(q35("<smartcard mode='passthrough' type='spicevmc'/>"), { v9: true }).message).toBe("chardev 'spicevmc' not supported without spice graphics")
  })
})

describe("a D-Bus display's audio backend is a D-Bus one (qemuValidateDomainDeviceDefDBusGraphics: a display's check)", () => {
  it('refused with the display, before the audio backends\' own checks (h25-e1-gfx-35, -146)', () => {
    expect(refusal(q35("<audio id='1' type='spice'/><graphics type='dbus'><audio id='1'/></graphics>"), { v9: true })).toMatchObject({ code: 'preview-refused', message: "The associated audio is not of 'dbus' kind." })
  })

  it("the backend post-parse adds for a VNC display counts; with a D-Bus display alone none is added, and none found passes (h25-gfx-dbus-ref)", () => {
    expect(refusal(q35("<graphics type='vnc'/><graphics type='dbus'><audio id='1'/></graphics>"), { v9: true }).message).toBe("The associated audio is not of 'dbus' kind.")
    expect(predicts(q35("<graphics type='dbus'><audio id='1'/></graphics>"), { v9: true })).not.toContain("<audio id='1' type")
  })
})

describe("libvirt 11's PipeWire backend (virDomainAudioPipewireAudioParse, from 11.3's source)", () => {
  it('reads a direction\'s latency NONZERO, where PulseAudio\'s 0 is none', () => {
    expect(refusal(q35("<audio id='1' type='pipewire'><input latency='0'/></audio>")).message).toBe("Invalid value for attribute 'latency' in element 'input': Zero is not permitted")
    expect(refusal(q35("<audio id='1' type='pipewire'><input latency='x'/></audio>")).message).toBe("Invalid value for attribute 'latency' in element 'input': 'x'. Expected non-negative integer value")
    expect(predicts(q35("<audio id='1' type='pulseaudio'><input latency='0'/></audio>"))).toContain("<audio id='1' type='pulseaudio'/>")
    expect(predicts(q35("<audio id='1' type='pipewire' runtimeDir='/r'><input latency='+07' name='n'/></audio>"))).toContain("<audio id='1' type='pipewire' runtimeDir='/r'>\n      <input name='n' latency='7'/>")
  })

  it('is not a type libvirt 9.0 knows', () => {
    expect(refusal(q35("<audio id='1' type='pipewire'/>"), { v9: true }).message).toBe("Invalid value for attribute 'type' in element 'audio': 'pipewire'.")
  })
})

describe("libvirt 11's sound card settings (virDomainSoundDefParseXML, virDomainSoundDefFormat, from 11.3's source)", () => {
  it("a USB card's multichannel switch, read (yes or no) and written for that model alone", () => {
    expect(predicts(q35("<sound model='usb' multichannel='yes'/>"))).toContain("<sound model='usb' multichannel='yes'>")
    expect(refusal(q35("<sound model='usb' multichannel='x'/>")).message).toBe("Invalid value for attribute 'multichannel' in element 'sound': 'x'.")
    expect(predicts(q35("<sound model='ich9' multichannel='yes'/>"))).toContain("<sound model='ich9'>")
  })

  it("a virtio card's streams: NONZERO, written with %d, 2 unless given; another model's dropped", () => {
    expect(refusal(q35("<sound model='virtio' streams='0'/>")).message).toBe("Invalid value for attribute 'streams' in element 'sound': Zero is not permitted")
    expect(predicts(q35("<sound model='virtio' streams='+4'/>"))).toContain("<sound model='virtio' streams='4'>")
    expect(predicts(q35("<sound model='virtio' streams='3000000000'/>"))).toContain("<sound model='virtio' streams='-1294967296'>")
    expect(predicts(q35("<sound model='virtio'/>"))).toContain("<sound model='virtio' streams='2'>")
    expect(predicts(q35("<sound model='ich9' streams='4'/>"))).toContain("<sound model='ich9'>")
  })

  it('libvirt 9.0 reads neither: dropped, whatever the value (h25-un-sound-attr; seen on libvirtd 9.0)', () => {
    expect(predicts(q35("<sound model='usb' multichannel='x'/><sound model='ich9' streams='0'/>"), { v9: true })).toMatch(/<sound model='usb'>[\s\S]*<sound model='ich9'>/)
  })
})

describe("an attribute in a namespace is read by its local name (virXMLPropString's xmlGetProp: the first of that name)", () => {
  const ns = "xmlns:x='urn:x'"
  it('a prefixed attribute stands for the plain one, written without its prefix (h25-nsa-audio-id, -wd)', () => {
    expect(predicts(q35(`<audio ${ns} x:id='1' type='none' x:timerPeriod='7'/>`), { v9: true })).toContain("<audio id='1' type='none' timerPeriod='7'/>")
    expect(predicts(q35(`<watchdog ${ns} x:model='ib700' x:action='pause'/>`), { v9: true })).toContain("<watchdog model='ib700' action='pause'/>")
  })

  it('the first of a name in the element wins, prefixed or not (h25-nsa-audio-first-plain, -first-ns)', () => {
    expect(predicts(q35(`<audio ${ns} id='1' type='none' timerPeriod='5' x:timerPeriod='7'/>`), { v9: true })).toContain("<audio id='1' type='none' timerPeriod='5'/>")
    expect(predicts(q35(`<audio ${ns} id='1' type='none' x:timerPeriod='7' timerPeriod='5'/>`), { v9: true })).toContain("<audio id='1' type='none' timerPeriod='7'/>")
  })

  it("on the sound card, its codecs and audio, a redirected device, a lease's target, a smartcard, a panic device, a backend's settings; not on an alias, read with XPath (h25-nsb-all, -alias)", () => {
    const xml = predicts(q35(`<graphics type='spice'/><sound ${ns} x:model='ich9'><codec x:type='micro'/><audio x:id='1'/><alias x:name='ua-s'/></sound><redirdev ${ns} x:bus='usb' x:type='spicevmc'/><lease ${ns}><lockspace>a</lockspace><key>k</key><target x:path='/l' x:offset='5'/></lease><panic ${ns} x:model='hyperv'/><smartcard ${ns} mode='passthrough' x:type='pty'/><audio ${ns} id='1' type='spice'><output mixingEngine='yes' fixedSettings='yes'><settings x:frequency='8000'/></output></audio>`), { v9: true })
    expect(xml).toContain("<sound model='ich9'>\n      <codec type='micro'/>\n      <audio id='1'/>\n      <address")
    expect(xml).toContain("<target path='/l' offset='5'/>")
    expect(xml).toContain("<smartcard mode='passthrough' type='pty'>")
    expect(xml).toContain("<redirdev bus='usb' type='spicevmc'>")
    expect(xml).toContain("<panic model='hyperv'/>")
    expect(xml).toContain("<settings frequency='8000'/>")
    expect(xml).not.toContain('ua-s')
  })

  it('and is refused as the plain one would be; xml:id is an id too (h25-nsa-audio-zero, -xml-id)', () => {
    expect(refusal(q35(`<audio ${ns} id='1' type='none' x:timerPeriod='0'/>`), { v9: true }).message).toBe("Invalid value for attribute 'timerPeriod' in element 'audio': Zero is not permitted")
    expect(predicts(q35("<audio xml:id='2' type='none'/>"), { v9: true })).toContain("<audio id='2' type='none'/>")
  })
})

describe("a device's address reads its attributes by local name too (virDomainDeviceAddressParseXML, device_conf.c)", () => {
  const ns = "xmlns:x='urn:x'"
  it('a prefixed type and numbers are the address\'s, written plain; the first of a name wins (h25-nsc-sound-addr, -wd-addr, -both-first)', () => {
    expect(predicts(q35(`<sound ${ns} model='ich9'><address x:type='pci' domain='0' x:bus='0' slot='9' function='0'/></sound>`), { v9: true })).toContain("<address type='pci' domain='0x0000' bus='0x00' slot='0x09' function='0x0'/>")
    expect(predicts(q35(`<sound ${ns} model='ich9'><address type='pci' domain='0' bus='0' slot='9' x:slot='10' function='0'/></sound>`), { v9: true })).toContain("slot='0x09'")
    expect(predicts(x86Domain(`<panic ${ns} model='isa'><address x:type='isa' x:iobase='0x506'/></panic>`), { v9: true })).toContain("<address type='isa' iobase='0x506'/>")
  })
})
