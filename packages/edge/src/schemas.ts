// Request bodies of the edge API, as zod schemas (also the source of the OpenAPI document).
import { domainSpecSchema } from '@virtuned/model'
import { z } from 'zod'

const xml = z.string().min(1).describe('Libvirt XML as text')
const policies = z.array(z.string().regex(/^[a-z][a-z0-9-]*(:[a-zA-Z0-9]+=[^,]*(,[a-zA-Z0-9]+=[^,]*)*)?$/, 'Expected a policy name, optionally with parameters: `hotplug-ready:ports=4`')).max(32).default([])

const composeCommon = {
  os: z.string().min(1).optional().describe('libosinfo short id or URI, e.g. `debian11`, `win11`'),
  policies,
  profile: z.string().optional().describe('defaults profile, e.g. `2026.11`'),
  domcaps: z.string().optional().describe('the host: `virsh domcapabilities` XML; left out, a common KVM x86_64 host is assumed'),
  force: z.boolean().default(false).describe("let a policy's `require` win over a value of the domain"),
  convert: z.boolean().default(false).describe('convert a domain that contradicts a policy (e.g. i440fx → q35)'),
}

export const composeRequest = z.strictObject({
  spec: z.lazy(() => domainSpecSchema).describe('the abstract domain spec').optional(),
  xml: xml.optional().describe('domain XML to start from, instead of a spec'),
  ...composeCommon,
}).refine((b) => (b.spec === undefined) !== (b.xml === undefined), { message: 'Expected exactly one of `spec` and `xml`' })

export const applyRequest = z.strictObject({ xml, ...composeCommon })
export const explainRequest = composeRequest
export const validateRequest = z.strictObject({ xml: xml.describe('a domain, a device, or `virsh domcapabilities` output') })
export const diffRequest = z.strictObject({ a: xml, b: xml })

const diskSpec = z.strictObject({ disk: z.record(z.string(), z.unknown()) })
const nicSpec = z.strictObject({ nic: z.record(z.string(), z.unknown()) })
export const planAttachRequest = z.strictObject({
  xml: xml.describe('the live domain XML (`virsh dumpxml`)'),
  device: z.union([xml.describe('device XML such as <disk>…</disk>'), diskSpec, nicSpec]),
  alias: z.string().optional(),
  seed: z.string().optional(),
  flags: z.enum(['live', 'config', 'live+config']).optional(),
})
export const planDetachRequest = z.strictObject({
  xml: xml.describe('the live domain XML'),
  alias: z.string().optional(),
  disk: z.string().optional(),
  mac: z.string().optional(),
  device: xml.optional(),
}).refine((b) => [b.alias, b.disk, b.mac, b.device].filter((v) => v !== undefined).length === 1, { message: 'Expected exactly one of `alias`, `disk`, `mac`, `device`' })

export const previewRequest = z.strictObject({
  xml: xml.describe('the domain XML, as it would be given to `virsh define`'),
  qemuCaps: xml.describe("the host's QEMU capabilities cache file (`<qemuCaps>`, /var/cache/libvirt/qemu/capabilities/*.xml)"),
  abiUpdate: z.boolean().default(false).describe('parse as `virsh define` does (USB controller models and addresses may change)'),
  testHost: z.enum(['latest', 'versioned']).optional().describe("reproduce the host libvirt's qemuxmlconftest simulates"),
  qemuConf: z.string().max(1 << 20).optional().describe("the host's qemu.conf text (/etc/libvirt/qemu.conf): its settings that act on define (`security_driver`, `nographics_allow_host_audio`, `vnc_allow_host_audio`, `nvram`, `spice_tls`)"),
  securityInfo: z.boolean().optional().describe('keep graphics passwords, as `virsh dumpxml --security-info` does (default: as plain `dumpxml`, without them)'),
  hostArch: z.string().max(32).optional().describe("the host's architecture (`x86_64`, `aarch64`…), which libvirt gives a domain naming none (default: the capabilities' when they show the host's KVM)"),
  // (a host lists a few hundred PCI devices, a few thousand with SR-IOV functions: bounded well past that)
  swtpm: z.union([z.array(z.enum(['1.2', '2.0'])).max(2), z.null()]).optional().describe("the TPM versions the host's swtpm offers (`virsh domcapabilities`, <tpm>'s backendVersion), null without swtpm: libvirt checks an emulated TPM against them"),
  hostEmulators: z.array(z.string().max(4096)).max(1024).optional().describe("the QEMU binaries the host has, by path: a domain naming another `<emulator>` is refused as libvirt refuses it"),
  hostCpuAddressBits: z.number().int().min(0).max(255).optional().describe("the host CPU's physical address bits (`virsh capabilities`: <maxphysaddr bits>), which libvirt holds an emulated CPU's to"),
  hostPciDevices: z.record(z.string().max(16), z.strictObject({ iommuGroup: z.number().int().min(0).optional(), pcie: z.boolean().optional() }))
    .refine((devices) => Object.keys(devices).length <= 65536, { message: 'Expected at most 65536 host PCI devices' }).optional()
    .describe("the host's PCI devices, `{ \"0000:01:00.0\": { \"iommuGroup\": 5, \"pcie\": true } }` as /sys/bus/pci/devices shows them: whether each is PCI Express and its IOMMU group place host devices"),
})

/** RFC 9457 problem details, with virtuned's stable code and the place in the input. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  hint: z.string().optional(),
  place: z.object({ line: z.number(), column: z.number(), offset: z.number() }).optional(),
  path: z.string().optional(),
  issues: z.array(z.unknown()).optional(),
})

export const routes = {
  '/v1/compose': { schema: composeRequest, summary: 'A complete domain from a spec or XML: policies, then defaults; with the explanation.' },
  '/v1/apply': { schema: applyRequest, summary: 'Defaults and policies added to an existing domain.' },
  '/v1/validate': { schema: validateRequest, summary: "Well-formedness, the model's checks, and libvirt's RelaxNG schema as libxml2 judges it (`schema: { checked, valid, errors: [{ code, message, line, column, path, expected? }], errorCount?, truncated? }`) for `<domain>` and `<domainCapabilities>`; a device alone has no schema in libvirt and is not checked. At most `maxErrors` (100) errors, the first ones: when there are more, `errorCount` is their number and `truncated` is `true`." },
  '/v1/explain': { schema: explainRequest, summary: 'Which policy, default or user input sets each node of the composed domain (`{ origins: [{ path, source, why? }], originCount?, truncated?, rules, warnings }`). At most `maxOrigins` (20,000) origins, the first ones: when there are more, `originCount` is their number and `truncated` is `true`.' },
  '/v1/diff': { schema: diffRequest, summary: 'The identity-keyed patch from `a` to `b`.' },
  '/v1/plan-attach': { schema: planAttachRequest, summary: 'The device XML to hot-plug into a live domain, or the problems that prevent it.' },
  '/v1/plan-detach': { schema: planDetachRequest, summary: 'What to send to detach a device of a live domain.' },
  '/v1/preview': { schema: previewRequest, summary: 'The domain as libvirt stores it after `virsh define` (`virsh dumpxml --inactive`), predicted from the host\'s QEMU capabilities: `{ xml, explanation: [{ path, rule, why }], notPredicted: [{ path, reason }] }`.' },
} as const

export type Route = keyof typeof routes
