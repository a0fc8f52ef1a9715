// Devices libvirtd 9.0 refused or stored otherwise than preview had it, found by probing it (each case here was
// defined on the sandbox libvirtd 9.0, arch as named): the QEMU capability flags device models need (model's
// qemuDeviceFlags), video, sound, input, balloon, hub, redirection and smartcard checks.
import { describe, expect, it } from 'vitest'
import { capsXml, domainXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const s390Caps = capsXml({ arch: 's390x', flags: ['virtio-ccw', 'zpci', 'qemu-xhci'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
const s390 = (devices: string): string => domainXml('s390-ccw-virtio', devices, '', 's390x')
const refused = (message: string, path: string) => ({ name: 'PreviewError', code: 'preview-refused', message, path })

describe('TPM backends as the domain capabilities offer them (virQEMUCapsFillDomainDeviceTPMCaps)', () => {
  it('offers an external backend only with the tpm-emulator flag (h2-tpm-ext-s390)', () => {
    const tpm = "<tpm model='tpm-tis'><backend type='external'><source type='unix' mode='connect' path='/tmp/tpm.sock'/></backend></tpm>"
    const words = refused('The QEMU executable /usr/bin/qemu-system-s390x does not support TPM backend type external', 'domain/devices/tpm[1]/backend/@type')
    expect(refusal(s390(tpm), { caps: s390Caps, v9: true })).toEqual(words)
    expect(refusal(s390(tpm), { caps: s390Caps })).toEqual(words)
  })
})

const x86 = (devices: string, machine = 'pc'): string => domainXml(machine, devices)
/** The domain's videos, each on one line, without the PCI address libvirt assigned. */
const videoOf = (xml: string): string[] => [...xml.matchAll(/<video>[\s\S]*?<\/video>/g)].map((m) => m[0].replace(/\s*<address type='pci'[^>]*\/>/, '').replace(/\s+/g, ' '))

describe('video (qemuValidateDomainDeviceDefVideo, virDomainVideoDefPostParse, virDomainDefPostParseVideo)', () => {
  it('refuses a resolution on a model QEMU sets none for (h1-v8, v8c, v8e)', () => {
    for (const [type, v9] of [['cirrus', true], ['vmvga', false], ['ramfb', true]] as const) {
      expect(refusal(x86(`<video><model type='${type}'><resolution x='800' y='600'/></model></video>`), { v9 })).toEqual(refused('model resolution is not supported', 'domain/devices/video[1]/model/resolution'))
    }
    expect(predicts(x86("<video><model type='vga'><resolution x='800' y='600'/></model></video>"))).toContain("<resolution x='800' y='600'/>")
  })

  it('refuses a model the domain capabilities never offer (h1-v24)', () => {
    expect(refusal(x86("<video><model type='xen'/></video>"), { v9: true })).toEqual(refused("domain configuration does not support video model 'xen'", 'domain/devices/video[1]/model/@type'))
    expect(refusal(x86("<video><model type='gop'/></video>")).message).toBe("domain configuration does not support video model 'gop'")
  })

  it('rounds RAM and VRAM up to a power of two before validating them (h1-v9b, v9g, v37, v9e, v9h, v9j)', () => {
    expect(videoOf(predicts(x86("<video><model type='vmvga' vram='1000'/></video>"), { v9: true }))).toEqual(["<video> <model type='vmvga' vram='1024' heads='1' primary='yes'/> </video>"])
    expect(videoOf(predicts(x86("<video><model type='vga' vram='600'/></video>")))).toEqual(["<video> <model type='vga' vram='1024' heads='1' primary='yes'/> </video>"])
    // above 2^31 a size rounds to 0: the primary video's second post-parse gives it the default again, another keeps none
    expect(videoOf(predicts(x86("<video><model type='qxl' vram='3000000000'/></video>"), { v9: true }))).toEqual(["<video> <model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'/> </video>"])
    expect(videoOf(predicts(x86("<video><model type='vga' vram='3000000000'/></video>")))).toEqual(["<video> <model type='vga' vram='16384' heads='1' primary='yes'/> </video>"])
    expect(videoOf(predicts(x86("<video><model type='vga'/></video><video><model type='qxl' vram='3000000000'/></video>"), { v9: true })))
      .toEqual(["<video> <model type='vga' vram='16384' heads='1' primary='yes'/> </video>", "<video> <model type='qxl' ram='65536' vgamem='16384' heads='1'/> </video>"])
    // a VRAM that stays below 1 MiB is still refused, and a QXL one rounded past UINT_MAX / 1024
    expect(refusal(x86("<video><model type='vga' vram='512'/></video>")).message).toBe("value for 'vram' must be at least 1 MiB (1024 KiB)")
    expect(refusal(x86("<video><model type='qxl' vram='4194303'/></video>")).message).toBe("value for 'vram' must be less than '4194303'")
  })

  it('clears a primary video of type none but for its alias before validating it (h1-v28..v32)', () => {
    const bare = ["<video> <model type='none'/> </video>"]
    expect(videoOf(predicts(x86("<video><model type='none'/><driver iommu='on'/></video>"), { v9: true }))).toEqual(bare)
    expect(videoOf(predicts(x86("<video><driver name='vhostuser'/><model type='none'/></video>")))).toEqual(bare)
    expect(videoOf(predicts(x86("<video><model type='none' vram='512' heads='3'><resolution x='0' y='5'/></model></video>"), { v9: true }))).toEqual(bare)
    expect(videoOf(predicts(x86("<video><model type='none' ram='1024' vgamem='1' vram64='5'/></video>")))).toEqual(bare)
    expect(videoOf(predicts(x86("<video><model type='none'/><address type='pci' domain='0' bus='0' slot='9' function='0'/><alias name='ua-v'/></video>"), { v9: true })))
      .toEqual(["<video> <model type='none'/> <alias name='ua-v'/> </video>"])
  })
})

const armCaps = capsXml({ arch: 'aarch64', flags: ['virtio-gpu', 'qemu-xhci', 'usb-kbd', 'virtio-pci-non-transitional', 'gpex-pcihost', 'pcie-root-port'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' defaultCPU='cortex-a15-arm-cpu'/>" })
const arm = (devices: string): string => domainXml('virt', devices, '', 'aarch64')
const usb = "<controller type='usb' model='qemu-xhci'/>"

describe('sound (qemuValidateDomainDeviceDefSound)', () => {
  it("needs each HDA codec's QEMU device, usb-audio for a USB card, and refuses ICH7 (h1-s4, s4c, s4d, s2b, s1b)", () => {
    for (const [codec, device] of [['micro', 'hda-micro'], ['duplex', 'hda-duplex'], ['output', 'hda-output']]) {
      expect(refusal(s390(`<sound model='ich6'><codec type='${codec}'/></sound>`), { caps: s390Caps, v9: true })).toEqual(refused(`${device} not supported in this QEMU binary`, 'domain/devices/sound[1]/codec[1]/@type'))
    }
    expect(refusal(s390(`${usb}<sound model='usb'/>`), { caps: s390Caps })).toEqual(refused('usb-audio controller is not supported by this QEMU binary', 'domain/devices/sound[1]/@model'))
    expect(refusal(x86("<sound model='ich7'><address type='pci' domain='0' bus='0' slot='5' function='0'/></sound>"), { v9: true })).toEqual(refused("sound card model 'ich7' is not supported by qemu", 'domain/devices/sound[1]/@model'))
    expect(predicts(x86("<sound model='ich6'><codec type='micro'/></sound>"))).toContain("<codec type='micro'/>")
  })
})

describe('input (virDomainInputDefParseXML, virDomainInputDefValidate, qemuValidateDomainDeviceDefInput)', () => {
  it('needs an i8042 for PS/2 off x86, usb-kbd for a USB keyboard, the virtio device (its CCW one on s390) (h1-i1, i4, i13b, i13)', () => {
    expect(refusal(arm("<input type='mouse' bus='ps2'/>"), { caps: armCaps, v9: true })).toEqual(refused('ps2 is not supported by this QEMU binary', 'domain/devices/input[1]/@bus'))
    expect(refusal(s390(`${usb}<input type='keyboard' bus='usb'/>`), { caps: s390Caps })).toEqual(refused('usb keyboard is not supported by this QEMU binary', 'domain/devices/input[1]/@type'))
    // (a passthrough device on s390 is virtio at a CCW address, and QEMU has no CCW virtio-input-host)
    const withHost = capsXml({ arch: 's390x', flags: ['virtio-ccw', 'virtio-input-host', 'virtio-tablet', 'virtio-tablet-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
    const passthrough = "<input type='passthrough'><source evdev='/dev/input/event2'/></input>"
    expect(refusal(s390(passthrough), { caps: withHost, v9: true })).toEqual(refused('virtio-input-host is not supported by this QEMU binary', 'domain/devices/input[1]/@type'))
    expect(refusal(s390(`<input type='tablet'/>${passthrough}`), { caps: s390Caps }).message).toBe('virtio-tablet is not supported by this QEMU binary')
    expect(refusal(s390(`<input type='tablet'/>${passthrough}`), { caps: withHost })).toEqual(refused('virtio-input-host is not supported by this QEMU binary', 'domain/devices/input[2]/@type'))
  })

  it("gives an s390 input device the virtio bus, an evdev one too, and writes no bus for none (h1-i13a, i13c, i7, i11, i16, i17a)", () => {
    const withTablet = capsXml({ arch: 's390x', flags: ['virtio-ccw', 'virtio-tablet', 'virtio-tablet-ccw', 'virtio-mouse', 'virtio-mouse-ccw', 'virtio-keyboard', 'virtio-keyboard-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
    expect(predicts(s390("<input type='tablet'/>"), { caps: withTablet, v9: true })).toContain("<input type='tablet' bus='virtio'>")
    expect(predicts(s390("<input type='mouse'/><input type='keyboard'/>"), { caps: withTablet })).toMatch(/<input type='mouse' bus='virtio'>[\s\S]*<input type='keyboard' bus='virtio'>/)
    expect(refusal(s390("<input type='evdev'><source dev='/dev/input/event1'/></input>"), { caps: withTablet, v9: true })).toEqual(refused("input evdev doesn't support bus element", 'domain/devices/input[1]/@bus'))
    const mice = predicts(x86("<input type='mouse' bus='none'/><input type='tablet' bus='none'/>"), { v9: true })
    expect(mice).toContain("<input type='mouse'/>\n    <input type='tablet'/>")
    expect(mice).toContain("<input type='mouse' bus='ps2'/>")
    expect(predicts(x86("<input type='evdev' bus='none'><source dev='/dev/input/event3'/></input>"))).toContain("<input type='evdev'>")
  })
})

describe('balloons, hubs, redirection, smartcards (qemu_validate.c)', () => {
  it("refuses a balloon QEMU has not, with or without an address (h1-m1b, m1c)", () => {
    const words = refused("Memory balloon device type 'xen' is not supported by this version of qemu", 'domain/devices/memballoon[1]/@model')
    expect(refusal(x86("<memballoon model='xen'><address type='pci' domain='0' bus='0' slot='6' function='0'/></memballoon>"), { v9: true })).toEqual(words)
    // (no PCI slot is sought for it first: a virtio balloon alone takes one)
    expect(refusal(s390("<memballoon model='xen'/>"), { caps: s390Caps })).toEqual(words)
  })

  it('needs usb-hub, usb-redir and the smartcard mode’s CCID device (h1-hb1, rd1, sc4, sc9, sc5)', () => {
    expect(refusal(s390(`${usb}<hub type='usb'/>`), { caps: s390Caps, v9: true })).toEqual(refused('usb-hub not supported by QEMU binary', 'domain/devices/hub[1]/@type'))
    expect(refusal(s390(`${usb}<redirdev bus='usb' type='pty'/>`), { caps: s390Caps })).toEqual(refused('USB redirection is not supported by this version of QEMU', 'domain/devices/redirdev[1]/@bus'))
    expect(refusal(s390(`${usb}<smartcard mode='host'/>`), { caps: s390Caps, v9: true })).toEqual(refused('this QEMU binary lacks smartcard host mode support', 'domain/devices/smartcard[1]/@mode'))
    expect(refusal(s390(`${usb}<smartcard mode='host-certificates'><certificate>a</certificate><certificate>b</certificate><certificate>c</certificate></smartcard>`), { caps: s390Caps }).message).toBe('this QEMU binary lacks smartcard host mode support')
    expect(refusal(s390(`${usb}<smartcard mode='passthrough' type='pty'/>`), { caps: s390Caps })).toEqual(refused('this QEMU binary lacks smartcard passthrough mode support', 'domain/devices/smartcard[1]/@mode'))
    // (on x86 QEMU has them all)
    expect(predicts(x86(`${usb}<hub type='usb'/><redirdev bus='usb' type='pty'/><smartcard mode='host'/>`))).toContain("<smartcard mode='host'>")
  })
})

describe('character device sources (virDomainChrSourceDefValidate)', () => {
  it('refuses an nmdm device with one end only (h1-r14, rd10)', () => {
    const words = 'Should define both master and slave path attributes for nmdm device'
    expect(refusal(x86("<rng model='virtio'><backend model='egd' type='nmdm'><source master='/dev/nmdm0A'/></backend></rng>"), { v9: true })).toEqual(refused(words, 'domain/devices/rng[1]/backend/source'))
    expect(refusal(x86("<redirdev bus='usb' type='nmdm'><source slave='/dev/nmdm0B'/></redirdev>")).message).toBe(words)
  })
})

describe('the order libvirt validates devices in (virDomainDeviceInfoIterateFlags: the audio backends last)', () => {
  it("checks a sound device's audio ID with the sound devices — post-parse's audio 1 when none is written (h1-o1, o9, o11)", () => {
    const missing = { name: 'PreviewError', code: 'preview-invalid-value', message: 'no audio device with ID 5', path: 'domain/devices/sound[1]/audio/@id' }
    expect(refusal(x86("<video><model type='vga' heads='2'/></video><sound model='ich6'><audio id='5'/></sound>"), { v9: true })).toEqual(missing)
    expect(refusal(x86("<input type='tablet' bus='ps2'/><sound model='ich6'><audio id='5'/></sound>"))).toEqual(missing)
    expect(predicts(x86("<sound model='ich6'><audio id='1'/></sound>"))).toContain("<audio id='1' type='none'/>")
  })

  it('checks the audio backends after every other device (h1-o3, o8)', () => {
    expect(refusal(x86("<audio id='1' type='spice'/><vsock><cid address='2'/></vsock>"), { v9: true })).toEqual(refused('guest CIDs must be >= 3', 'domain/devices/vsock[1]/cid/@address'))
    expect(refusal(x86("<audio id='1' type='none'/><audio id='1' type='none'/><shmem name='..'><model type='ivshmem-plain'/></shmem>"))).toEqual(refused("shmem name cannot be equal to '..'", 'domain/devices/shmem[1]/@name'))
    expect(refusal(x86("<audio id='1' type='spice'/>")).message).toBe('Spice audio is not supported without spice graphics')
  })
})

describe("a filesystem's target read with virXPathString (string(./target/@dir))", () => {
  it('is none when empty: refused as missing, naming the source (differential seed 484 on libvirtd 9.0)', () => {
    const fs = (target: string) => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><filesystem type='mount'><source dir='/export/to/guest3'/>${target}</filesystem></devices></domain>`
    expect(refusal(fs("<target dir=''/>")).message).toBe('missing target information for device /export/to/guest3')
    expect(refusal(fs('')).message).toBe('missing target information for device /export/to/guest3')
    expect(predicts(fs("<target dir='tag'/>"))).toContain("<target dir='tag'/>")
  })
})

describe("a boot loadparm as virStringToUpper leaves it (`-` is `_`)", () => {
  it('names the value in the refusal as libvirt read it (differential seed 486 on libvirtd 9.0)', () => {
    const s390 = capsXml({ arch: 's390x', flags: ['virtio-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' maxCpus='248'/>" })
    const disk = (loadparm: string) => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices><disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='vda' bus='virtio'/><boot order='1' loadparm='${loadparm}'/></disk></devices></domain>`
    expect(refusal(disk('-1'), { caps: s390 }).message).toBe("invalid loadparm value '_1', expecting chars in set of [a-zA-Z0-9.] and blank spaces")
  })
})
