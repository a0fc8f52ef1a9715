// Devices libvirtd 9.0 refused or stored otherwise than preview had it, found by probing it (each case here was
// defined on the sandbox libvirtd 9.0, arch as named): the QEMU capability flags device models need (model's
// qemuDeviceFlags), video, sound, input, balloon, hub, redirection and smartcard checks.
import { describe, expect, it } from 'vitest'
import { capsXml, domainXml } from './_caps.ts'
import { refusal } from './_refusal.ts'

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
