// The host's QEMU binaries: libvirt looks the domain's <emulator> up first thing after parsing it
// (qemuDomainPostParseDataAlloc → virQEMUCapsCacheLookup) and refuses one the host lacks, in these words (libvirtd 9.0,
// the differential search's odd-value edits: '-1', ' /usr/bin/qemu-system-x86_64', a blank). The host is data:
// `hostEmulators`.
import { describe, expect, it } from 'vitest'
import { previewDomain, PreviewError, type PreviewOptions } from '../src/index.ts'
import { capsXml } from './_caps.ts'

const caps = capsXml()
const dom = (emulator: string, extra = ''): string => `<domain type='qemu'><name>t</name><uuid>11111111-2222-3333-4444-000000000001</uuid><memory>524288</memory><os><type arch='x86_64' machine='pc'>hvm</type></os>${extra}<devices>${emulator}</devices></domain>`
const host = ['/usr/bin/qemu-system-x86_64', '/usr/libexec/qemu-kvm']
const preview = (xml: string, options: Partial<PreviewOptions> = {}) => previewDomain(xml, { qemuCaps: caps, abiUpdate: true, ...options })
const refusal = (xml: string, options: Partial<PreviewOptions>): unknown => { try { preview(xml, options) } catch (e) { return e } return undefined }

describe.each([['11.3', 11_003_000], ['9.0', 9_000_000]])('libvirt %s', (_, libvirtVersion) => {
  it('an <emulator> the host lacks is refused, as written (not a path, blank-padded, another binary)', () => {
    for (const path of ['-1', ' /usr/bin/qemu-system-x86_64', ' ', '/opt/qemu/bin/qemu-system-x86_64']) {
      expect(refusal(dom(`<emulator>${path}</emulator>`), { libvirtVersion, hostEmulators: host })).toMatchObject({ code: 'preview-refused', message: `Cannot check QEMU binary ${path}: No such file or directory`, path: 'domain/devices/emulator' })
    }
  })
  it('before the rest of the post-parse and validation (an unknown machine, a bad vCPU count)', () => {
    const both = dom('<emulator>/nope</emulator>').replace("machine='pc'", "machine='nope'")
    expect(refusal(both, { libvirtVersion, hostEmulators: host })).toMatchObject({ message: 'Cannot check QEMU binary /nope: No such file or directory' })
    // (a parse error comes first: libvirt looks the binary up after parsing)
    expect(refusal(dom('<emulator>/nope</emulator>', '<vcpu>x</vcpu>'), { libvirtVersion, hostEmulators: host })).toMatchObject({ code: 'preview-invalid-value' })
  })
  it('near misses: one the host has, none written, an empty one (the default), or the host not known', () => {
    expect(preview(dom('<emulator>/usr/bin/qemu-system-x86_64</emulator>'), { libvirtVersion, hostEmulators: host }).xml).toContain('<emulator>/usr/bin/qemu-system-x86_64</emulator>')
    expect(preview(dom(''), { libvirtVersion, hostEmulators: [] }).xml).toContain('<emulator>/usr/bin/qemu-system-x86_64</emulator>')
    expect(preview(dom('<emulator></emulator>'), { libvirtVersion, hostEmulators: [] }).xml).toContain('<emulator>/usr/bin/qemu-system-x86_64</emulator>')
    const unknown = preview(dom('<emulator>/nope</emulator>'), { libvirtVersion })
    expect(unknown.notPredicted.map((n) => n.path)).toContain('domain/devices/emulator')
  })
})

it('hostEmulators that are not paths: a typed error', () => {
  for (const hostEmulators of ['/usr/bin/qemu', [1]] as unknown as string[][]) expect(refusal(dom(''), { hostEmulators })).toBeInstanceOf(PreviewError)
  expect(refusal(dom(''), { hostEmulators: '/x' as unknown as string[] })).toMatchObject({ code: 'preview-bad-host-emulators' })
})
