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
