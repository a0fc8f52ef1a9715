// Devices libvirtd 9.0 refused or stored otherwise than preview had it, found by probing it (each case here was
// defined on the sandbox libvirtd 9.0, arch as named): the QEMU capability flags device models need (model's
// qemuDeviceFlags), video, sound, input, balloon, hub, redirection and smartcard checks.
import { describe, expect, it } from 'vitest'
import { capsXml, domainXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const s390Caps = capsXml({ arch: 's390x', flags: ['virtio-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
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
