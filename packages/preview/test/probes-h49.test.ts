// Video, graphics and input devices as libvirt 9.0 reads, post-parses and validates them (own probes `h49-…`, each
// defined on the sandbox libvirtd 9.0 beside preview; the expected fragments and refusals are what the daemon stored or
// said).
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const v9 = { v9: true }

describe("a video's QXL-only sizes (virDomainVideoDefValidate looks at the values held, after virDomainVideoDefPostParse)", () => {
  it('a size of 0 is none: not refused on a VGA, virtio or bochs display', () => {
    for (const model of ['vga', 'virtio', 'bochs']) {
      for (const k of ['ram', 'vram64', 'vgamem']) {
        const out = predicts(x86Domain(`<video><model type='${model}' ${k}='0'/></video>`, 'q35'), v9)
        expect(out).toContain(`<model type='${model}'`)
        expect(out).not.toContain(` ${k}=`)
      }
    }
    // (the near miss: any other size is refused in libvirt's words)
    expect(refusal(x86Domain("<video><model type='vga' ram='16384'/></video>", 'q35'), v9)).toMatchObject({ message: 'ram attribute only supported for video type qxl' })
    expect(refusal(x86Domain("<video><model type='virtio' vram64='1'/></video>", 'q35'), v9)).toMatchObject({ message: 'vram64 attribute only supported for video type qxl' })
    expect(refusal(x86Domain("<video><model type='bochs' vgamem='16384'/></video>", 'q35'), v9)).toMatchObject({ message: 'vgamem attribute only supported for video type qxl' })
  })
  it("RAM past 2^31 KiB is rounded up to a power of two in 32 bits — 0 — before the check: `ram='4294967295'` passes", () => {
    const out = predicts(x86Domain("<video><model type='vga' ram='4294967295'/></video>", 'q35'), v9)
    expect(out).toContain("<model type='vga' vram='16384' heads='1' primary='yes'/>")
    // (near misses: 2^31 itself rounds to itself and is refused; vram64 is not rounded, so its largest value is refused)
    expect(refusal(x86Domain("<video><model type='vga' ram='2147483648'/></video>", 'q35'), v9)).toMatchObject({ message: 'ram attribute only supported for video type qxl' })
    expect(refusal(x86Domain("<video><model type='vga' vram64='4294967295'/></video>", 'q35'), v9)).toMatchObject({ message: 'vram64 attribute only supported for video type qxl' })
  })
})

describe('a USB address without a bus (virDomainDeviceUSBAddressParseXML, virDomainDeviceInfoFormat)', () => {
  it('is bus 0, and the formatter writes it', () => {
    const out = predicts(x86Domain("<input type='tablet' bus='usb'><address type='usb' port='1'/></input>", 'q35'), v9)
    expect(out).toContain("<input type='tablet' bus='usb'>\n      <address type='usb' bus='0' port='1'/>\n    </input>")
    // (the near miss: a bus written is kept)
    expect(predicts(x86Domain("<input type='tablet' bus='usb'><address type='usb' bus='0' port='2'/></input>"), v9)).toContain("<address type='usb' bus='0' port='2'/>")
  })
})

describe("virDomainVideoDefValidate's checks in its order", () => {
  it('a zero resolution before a QXL-only size, that before a ramfb address, that before a virtio option', () => {
    expect(refusal(x86Domain("<video><model type='vga' vram64='1'><resolution x='0' y='600'/></model></video>", 'q35'), v9))
      .toMatchObject({ message: 'video resolution values must be greater than 0' })
    expect(refusal(x86Domain("<video><model type='ramfb' vgamem='4096'/><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/></video>", 'q35'), v9))
      .toMatchObject({ message: 'vgamem attribute only supported for video type qxl' })
    expect(refusal(x86Domain("<video><driver iommu='on'/><model type='ramfb'/><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/></video>", 'q35'), v9))
      .toMatchObject({ message: 'address not supported for video type ramfb' })
    expect(refusal(x86Domain("<video><driver ats='on'/><model type='vga' ram='65536'/></video>", 'q35'), v9))
      .toMatchObject({ message: 'ram attribute only supported for video type qxl' })
    // (the near miss: the virtio option alone)
    expect(refusal(x86Domain("<video><driver ats='on'/><model type='vga'/></video>", 'q35'), v9))
      .toMatchObject({ message: 'ats driver option is only supported for virtio devices' })
  })
  it("a none video beside others is each video's first check, before another video's own faults", () => {
    expect(refusal(x86Domain("<video><driver ats='on'/><model type='vga'/></video><video><model type='none'/></video>", 'q35'), v9))
      .toMatchObject({ message: "a 'none' video type must be the only video device defined for the domain" })
  })
})

describe('the primary video is validated first (virDomainDefParseXML puts it at the head of the videos)', () => {
  it("a primary written second is refused for its own fault before the first video's", () => {
    const two = (first: string, second: string): string => x86Domain(`<video><model ${first}/></video><video><model ${second} primary='yes'/></video>`)
    expect(refusal(two("type='virtio' vgamem='4096'", "type='ramfb' vram64='1'"), v9)).toMatchObject({ message: 'vram64 attribute only supported for video type qxl' })
    expect(refusal(two("type='vga' vram64='1'", "type='bochs'><resolution x='0' y='600'/></model><model type='bochs'"), v9)).toMatchObject({ message: 'video resolution values must be greater than 0' })
    // (the near miss: no primary written — the first video's fault first)
    expect(refusal(x86Domain("<video><model type='virtio' vgamem='4096'/></video><video><model type='bochs' vram64='1'/></video>"), v9)).toMatchObject({ message: 'vgamem attribute only supported for video type qxl' })
  })
})

describe("an input's default bus, read before its address (virDomainInputDefParseXML)", () => {
  it("a tablet without a bus is a USB one on x86: a PCI address refused in the parser's words", () => {
    expect(refusal(x86Domain("<input type='tablet'><address type='pci' domain='0x0000' bus='0x00' slot='0x0a' function='0x0'/></input>"), v9))
      .toMatchObject({ message: 'Invalid address for a USB device' })
    // (the near miss: a virtio tablet takes that address)
    expect(predicts(x86Domain("<input type='tablet' bus='virtio'><address type='pci' domain='0x0000' bus='0x00' slot='0x0a' function='0x0'/></input>"), v9))
      .toContain("<input type='tablet' bus='virtio'>\n      <address type='pci' domain='0x0000' bus='0x00' slot='0x0a' function='0x0'/>\n    </input>")
  })
})

describe('two videos written primary (virDomainDefParseXML inserts each at the head of the videos)', () => {
  it('the later is validated first, its fault before the earlier one and before the one-primary check', () => {
    const xml = x86Domain("<video><model type='cirrus' primary='yes'><acceleration rendernode='/dev/dri/renderD128'/></model></video><video><model type='qxl' primary='yes'><acceleration accel2d='yes'/></model></video>")
    expect(refusal(xml, v9)).toMatchObject({ message: 'qemu does not support the accel2d setting' })
    // (the near miss: the later one faultless — the earlier one's fault, then)
    expect(refusal(x86Domain("<video><model type='cirrus' primary='yes'><acceleration rendernode='/dev/dri/renderD128'/></model></video><video><model type='qxl' primary='yes'/></video>"), v9))
      .toMatchObject({ message: "unsupported rendernode accel attribute without 'vhostuser'" })
    expect(refusal(x86Domain("<video><model type='cirrus' primary='yes'/></video><video><model type='qxl' primary='yes'/></video>"), v9))
      .toMatchObject({ message: 'Only one primary video device is supported' })
  })
})

describe('an input without a bus (virDomainInputDefParseXML, virDomainInputDefFormat)', () => {
  it("its default bus is written before its model: a passthrough input's virtio bus on x86", () => {
    expect(predicts(x86Domain("<input type='passthrough' model='virtio'><source evdev='/dev/input/event1'/></input>", 'q35'), v9))
      .toContain("<input type='passthrough' bus='virtio' model='virtio'>")
    // (the near miss: the bus written after the model is written back before it too)
    expect(predicts(x86Domain("<input type='tablet' model='virtio' bus='virtio'/>", 'q35'), v9)).toContain("<input type='tablet' bus='virtio' model='virtio'>")
  })
})

describe("an event device input's source (virDomainInputDefParseXML)", () => {
  it('a missing event device path is refused before a bad grab, toggle or repeat on the same <source>', () => {
    for (const bad of ["grab='bogus'", "grabToggle='bogus'", "repeat='bogus'"]) {
      expect(refusal(x86Domain(`<input type='evdev'><source ${bad}/></input>`, 'q35'), v9)).toMatchObject({ message: 'Missing evdev path for input device' })
    }
    // (the near miss: with its path, the bad value is refused)
    expect(refusal(x86Domain("<input type='evdev'><source dev='/dev/input/event1' grab='bogus'/></input>", 'q35'), v9).message).toContain("'bogus'")
  })
})

describe("a video's and an input's generic checks before the QEMU driver's check of their address (virDomainDeviceDefValidate)", () => {
  it('a ramfb address and an evdev bus before a CCW address off s390', () => {
    const ccw = "<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0001'/>"
    expect(refusal(x86Domain(`<video><model type='ramfb' vgamem='16384'/>${ccw}</video>`), v9)).toMatchObject({ message: 'vgamem attribute only supported for video type qxl' })
    expect(refusal(x86Domain(`<video><model type='ramfb'/>${ccw}</video>`), v9)).toMatchObject({ message: 'address not supported for video type ramfb' })
    expect(refusal(x86Domain(`<input type='evdev' bus='virtio'><source dev='/dev/input/event2'/>${ccw}</input>`), v9)).toMatchObject({ message: "input evdev doesn't support bus element" })
    expect(refusal(x86Domain(`<input type='tablet' bus='xen'>${ccw}</input>`), v9)).toMatchObject({ message: 'unsupported input bus xen' })
    // (the near miss: without a generic fault, the CCW address is refused)
    expect(refusal(x86Domain(`<video><model type='virtio'/>${ccw}</video>`), v9)).toMatchObject({ message: "cannot use CCW address type for device '<null>' using machine type 'pc-i440fx-9.9'" })
  })
})

describe('a PCI address of domain, bus and slot 0 on a device not placed on PCI (virDomainDeviceInfoFormat)', () => {
  it("is empty: written `<address type='pci'/>`", () => {
    const out = predicts(x86Domain("<input type='mouse' bus='ps2'><address type='pci' domain='0x0000' bus='0x00' slot='0x00' function='0x1'/></input>", 'q35'), v9)
    expect(out).toContain("<input type='mouse' bus='ps2'>\n      <address type='pci'/>\n    </input>")
    // (the near miss: slot 1 is an address, written whole)
    expect(predicts(x86Domain("<input type='mouse' bus='ps2'><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x1'/></input>", 'q35'), v9))
      .toContain("<address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x1'/>")
  })
})

describe("a display's listens, read one after the other (virDomainGraphicsListensParseXML)", () => {
  it("the first listen's address against the display's listen attribute before the second listen's type", () => {
    for (const g of ['vnc', 'spice']) {
      expect(refusal(x86Domain(`<graphics type='${g}' listen='0.0.0.0'><listen type='address' address='127.0.0.1'/><listen type='x'/></graphics>`, 'q35'), v9))
        .toMatchObject({ message: "graphics 'listen' attribute '0.0.0.0' must match 'address' attribute of first listen element (found '127.0.0.1')" })
      // (near misses: the addresses agreeing, the second listen's type; the first listen's own type before its address)
      expect(refusal(x86Domain(`<graphics type='${g}' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/><listen type='x'/></graphics>`, 'q35'), v9).message)
        .toBe("Invalid value for attribute 'type' in element 'listen': 'x'.")
      expect(refusal(x86Domain(`<graphics type='${g}' listen='0.0.0.0'><listen type='x' address='127.0.0.1'/></graphics>`, 'q35'), v9).message)
        .toBe("Invalid value for attribute 'type' in element 'listen': 'x'.")
    }
  })
})
