// The host's swtpm, which libvirt asks at define about a TPM of the emulator or external backend
// (qemu_capabilities.c virQEMUCapsFillDomainDeviceTPMCaps: those backends only where swtpm is installed, the versions its
// swtpm_setup offers; qemu_validate.c qemuValidateDomainDeviceDefTPM checks the version first). The host is data: the
// `swtpm` option, or the test host's (both versions). Expectations in libvirt's words (9.0 and 11.3 alike; its own tests
// tpm-emulator and tpm-emulator-tpm2 refused with TEST_TPM_ENV_VAR set).
import { describe, expect, it } from 'vitest'
import { previewDomain, PreviewError, type PreviewOptions } from '../src/index.ts'
import { capsXml } from './_caps.ts'

const caps = capsXml()
const x86 = (tpm: string, machine = 'q35'): string => `<domain type='qemu'><name>t</name><uuid>11111111-2222-3333-4444-000000000001</uuid><memory>1048576</memory><os><type arch='x86_64' machine='${machine}'>hvm</type></os><devices>${tpm}</devices></domain>`
const emulator = (version?: string, model = 'tpm-tis'): string => `<tpm model='${model}'><backend type='emulator'${version ? ` version='${version}'` : ''}/></tpm>`
const external = "<tpm model='tpm-crb'><backend type='external'><source type='unix' mode='connect' path='/tmp/swtpm.sock'/></backend></tpm>"
const preview = (xml: string, options: Partial<PreviewOptions> = {}) => previewDomain(xml, { qemuCaps: caps, abiUpdate: true, ...options })
const refusal = (xml: string, options: Partial<PreviewOptions>): unknown => { try { preview(xml, options) } catch (e) { return e } return undefined }

describe.each([['11.3', 11_003_000], ['9.0', 9_000_000]])('libvirt %s', (_, libvirtVersion) => {
  it("a version the host's swtpm does not offer is refused, before anything else of the TPM (a TIS TPM on x86 is 1.2 unless told)", () => {
    expect(refusal(x86(emulator()), { libvirtVersion, swtpm: ['2.0'] })).toMatchObject({ code: 'preview-refused', message: "TPM version '1.2' is not supported" })
    expect(refusal(x86(emulator('2.0')), { libvirtVersion, swtpm: ['1.2'] })).toMatchObject({ code: 'preview-refused', message: "TPM version '2.0' is not supported" })
    // (before the 1.2 checks: a CRB TPM 1.2 is refused for its version first)
    expect(refusal(x86(emulator('1.2', 'tpm-crb')), { libvirtVersion, swtpm: ['2.0'] })).toMatchObject({ message: "TPM version '1.2' is not supported" })
  })
  it('without swtpm: an emulated TPM for its version, an external one for its backend; a passthrough one as ever', () => {
    expect(refusal(x86(emulator('2.0')), { libvirtVersion, swtpm: null })).toMatchObject({ message: "TPM version '2.0' is not supported" })
    expect(refusal(x86(external), { libvirtVersion, swtpm: null })).toMatchObject({ message: 'The QEMU executable /usr/bin/qemu-system-x86_64 does not support TPM backend type external' })
    const passthrough = x86("<tpm model='tpm-tis'><backend type='passthrough'><device path='/dev/tpm0'/></backend></tpm>")
    expect(preview(passthrough, { libvirtVersion, swtpm: null }).xml).toBe(preview(passthrough, { libvirtVersion }).xml)
  })
  it('near misses: the versions offered are stored as libvirt stores them; without `swtpm`, the same and listed as not predicted', () => {
    const stored = preview(x86(emulator('2.0')), { libvirtVersion, swtpm: ['1.2', '2.0'] })
    expect(stored.xml).toContain("<backend type='emulator' version='2.0'/>")
    expect(stored.notPredicted.filter((n) => n.path === 'domain/devices/tpm')).toEqual([])
    expect(preview(x86(emulator('2.0')), { libvirtVersion, swtpm: ['2.0'] }).xml).toBe(stored.xml)
    const unknown = preview(x86(emulator('2.0')), { libvirtVersion })
    expect(unknown.xml).toBe(stored.xml)
    expect(unknown.notPredicted.filter((n) => n.path === 'domain/devices/tpm').map((n) => n.reason)).toEqual([expect.stringContaining("host's swtpm")])
    expect(preview(x86(external), { libvirtVersion, swtpm: ['2.0'] }).xml).toContain("<backend type='external'>")
  })
})

it("the test host's swtpm offers both versions (qemuxmlconftest's mock, its environment unset)", () => {
  const result = preview(x86(emulator()), { testHost: 'latest' })
  expect(result.xml).toContain("<backend type='emulator' version='1.2'/>")
  expect(result.notPredicted.filter((n) => n.path === 'domain/devices/tpm')).toEqual([])
})

it('an swtpm option that is not versions: a typed error', () => {
  for (const swtpm of [['3.0'], '2.0', [2]] as unknown as NonNullable<PreviewOptions['swtpm']>[]) {
    const error = refusal(x86(emulator()), { swtpm })
    expect(error).toBeInstanceOf(PreviewError)
    expect(error).toMatchObject({ code: 'preview-bad-swtpm' })
  }
})
