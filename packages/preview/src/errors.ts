import { VirtunedError, type Point } from '@virtuned/xml-core'

/** Every error code preview throws, with what to do about it. Codes are stable. */
export const previewErrorCatalog = {
  'preview-malformed-xml': 'The domain is not well-formed XML: libvirt refuses it as its XML reader (libxml2) reads it, in these words (`virsh define` prints the same): fix the markup at the line the message names, where its pointer shows (bytes that are not UTF-8: save the file as UTF-8, which libvirt reads whatever the XML declaration says).',
  'preview-not-qemucaps': 'Give libvirt\'s QEMU capabilities cache file (`<qemuCaps>`, e.g. /var/cache/libvirt/qemu/capabilities/*.xml), not another document.',
  'preview-bad-qemucaps': 'The capabilities file lacks a part preview needs (`<arch>`, machine types): regenerate it with libvirt, or give the file of another host.',
  'preview-arch-mismatch': 'The domain\'s `<os><type arch>` differs from the capabilities\' `<arch>`: give the capabilities of a QEMU for that architecture.',
  'preview-unknown-host-arch': 'Give the host\'s architecture by libvirt\'s name (`x86_64`, `aarch64`, `s390x`, `ppc64le`…, what `uname -m` or `virsh capabilities` says).',
  'preview-unknown-machine': 'The domain names a machine type this QEMU does not offer: pick one of the machine types (or aliases) in the capabilities file.',
  'preview-invalid-value': 'libvirt refuses this domain as it reads it (`virsh define` fails with the same message, an XML error): give what the message names a value libvirt accepts there.',
  'preview-refused': 'libvirt refuses this configuration (`virsh define` fails with the same message): change what the message names.',
  'preview-limit': 'The domain asks preview for more than it predicts (its limits are in the README): a domain this large is almost certainly a mistake; fix the number the message names.',
  'preview-no-os-type': 'The domain lacks `<os><type>`: add `<os><type>hvm</type></os>`.',
  'preview-qemu-conf-syntax': 'Fix the qemu.conf line: libvirt reads `name = value` with a "string", a number or a [ "list", ], and `#` comments (libvirtd would refuse this file too).',
  'preview-bad-argument': 'Call previewDomain(xml, options) with the domain\'s XML as a string or its bytes (a Uint8Array), and options whose `qemuCaps` is libvirt\'s QEMU capabilities cache file (its text or bytes) or what `parseQemuCaps` returned; the message names the argument or option of another type.',
  'preview-bad-host-pci': 'Give `hostPciDevices` as the host shows them: each host PCI address `DDDD:BB:SS.F` (hex, as in /sys/bus/pci/devices/) mapped to `{ iommuGroup?, pcie? }` — its IOMMU group, an integer from 0, and whether it is PCI Express.',
  'preview-bad-swtpm': 'Give `swtpm` as the TPM versions the host\'s swtpm offers (`[\'1.2\', \'2.0\']`, either or none: what `virsh domcapabilities` lists under <tpm>\'s backendVersion), or null when swtpm is not installed.',
  'preview-bad-host-cpu': 'Give `hostCpuAddressBits` as the host CPU\'s physical address bits, an integer from 0 (what `virsh capabilities` shows as <host><cpu><maxphysaddr bits>).',
  'preview-bad-host-emulators': 'Give `hostEmulators` as the paths of the host\'s QEMU binaries (`[\'/usr/bin/qemu-system-x86_64\']`).',
  'preview-qemu-conf-value': 'Give the qemu.conf setting the type libvirt expects (0 or 1 for switches, a list of strings for `security_driver` and `nvram`); libvirtd refuses to start with it otherwise.',
} as const

export type PreviewErrorCode = keyof typeof previewErrorCatalog

/** Input preview cannot predict from: a wrong capabilities file, another architecture, an unknown machine. */
export class PreviewError extends VirtunedError {
  override readonly code: PreviewErrorCode
  /** Where in the document (XPath-like), when known. */
  readonly path: string | undefined

  constructor(code: PreviewErrorCode, message: string, options: { path?: string | undefined; place?: Point | undefined } = {}) {
    super(code, message, { note: previewErrorCatalog[code], place: options.place })
    this.name = 'PreviewError'
    this.code = code
    this.path = options.path
  }
}
