// The QEMU driver's XML namespace (private): what its parser reads from `<qemu:commandline>`, `<qemu:capabilities>`,
// `<qemu:override>` and `<qemu:deprecation>` and how its formatter writes it back, from libvirt 9.0.0's
// src/qemu/qemu_domain.c (qemuDomainDefNamespaceParse*, qemuDomainDefNamespaceFormatXML*; the same in 11.3) — facts,
// not code. The parser reads each part with one XPath over every top-level element of that name, so two
// `<qemu:commandline>` are written back as one; the formatter writes the arguments before the environment, the
// capabilities added before those removed, an element only when it holds something, and nothing it did not read.
import { kids, node, type N } from './_node.ts'

/** The elements of one part, in document order over every top-level element of its name. */
function partOf(domain: N, top: string, name: string): N[] {
  const out: N[] = []
  for (const c of domain.children) if (c.name === top) for (const x of c.children) if (x.name === name) out.push(x)
  return out
}

/** The override property types (qemuDomainXmlNsOverride, 0 being none). */
const propertyTypes: ReadonlySet<string> = new Set(['string', 'signed', 'unsigned', 'bool', 'remove'])

const signedPattern = /^[\t\n\v\f\r ]*[+-]?[0-9]+$/
const unsignedPattern = /^[\t\n\v\f\r ]*\+?[0-9]+$/

/**
 * The first refusal of the namespace's parser, in its order and words (arguments, environment, capabilities,
 * device overrides), with where; `undefined` when it reads all. libvirt parses the namespace last, after the rest of
 * the domain.
 */
export function qemuNamespaceProblem(domain: N): { message: string; path: string } | undefined {
  if (!domain.children.some((c) => c.name.startsWith('qemu:'))) return undefined
  for (const arg of partOf(domain, 'qemu:commandline', 'qemu:arg')) {
    if (arg.attrs.value === undefined) return { message: 'No qemu command-line argument specified', path: 'domain/qemu:commandline/qemu:arg' }
  }
  for (const env of partOf(domain, 'qemu:commandline', 'qemu:env')) {
    const name = env.attrs.name
    const path = 'domain/qemu:commandline/qemu:env/@name'
    if (name === undefined) return { message: 'No qemu environment name specified', path }
    if (!/^[A-Za-z_]/.test(name)) return { message: 'Invalid environment name, it must begin with a letter or underscore', path }
    if (!/^[A-Za-z0-9_]*$/.test(name)) return { message: 'Invalid environment name, it must contain only alphanumerics and underscore', path }
  }
  for (const device of partOf(domain, 'qemu:override', 'qemu:device')) {
    if (device.attrs.alias === undefined) return { message: "missing 'alias' attribute for qemu:device", path: 'domain/qemu:override/qemu:device' }
    for (const frontend of kids(device, 'qemu:frontend')) {
      for (const p of kids(frontend, 'qemu:property')) {
        const path = 'domain/qemu:override/qemu:device/qemu:frontend/qemu:property'
        if (p.attrs.name === undefined) return { message: "missing 'name' attribute for qemu:property", path }
        if (p.attrs.name === 'id') return { message: "property with name 'id' can't be overridden", path: `${path}/@name` }
        // (virXMLPropEnum names the element by its local name)
        const type = p.attrs.type
        if (type === undefined) return { message: "Missing required attribute 'type' in element 'property'", path }
        if (!propertyTypes.has(type)) return { message: `Invalid value for attribute 'type' in element 'property': '${type}'.`, path: `${path}/@type` }
        const value = p.attrs.value
        if (value === undefined) {
          if (type !== 'remove') return { message: "missing 'value' attribute for 'qemu:property'", path }
          continue
        }
        const invalid = { message: `invalid value '${value}' of 'value' attribute of 'qemu:property'`, path: `${path}/@value` }
        if (type === 'signed' && !(signedPattern.test(value) && BigInt(value.trim()) >= -(2n ** 63n) && BigInt(value.trim()) < 2n ** 63n)) return invalid
        if (type === 'unsigned' && !(unsignedPattern.test(value) && BigInt(value.trim().replace(/^\+/, '')) < 2n ** 64n)) return invalid
        if (type === 'bool' && value !== 'true' && value !== 'false') return invalid
        if (type === 'remove') return { message: "setting 'value' attribute of 'qemu:property' doesn't make sense with 'remove' type", path: `${path}/@value` }
      }
    }
  }
  // (the capabilities last: qemuDomainDefNamespaceParse reads them after the device overrides)
  for (const name of ['qemu:add', 'qemu:del']) {
    for (const cap of partOf(domain, 'qemu:capabilities', name)) {
      if (cap.attrs.capability === undefined) return { message: 'missing capability name', path: `domain/qemu:capabilities/${name}` }
    }
  }
  return undefined
}

/** Only the attributes libvirt reads (in the order its formatter writes them), the namespace declarations kept. */
function only(n: N, attributes: readonly string[]): N {
  const attrs: Record<string, string> = {}
  for (const a of attributes) if (n.attrs[a] !== undefined) attrs[a] = n.attrs[a]!
  return node(n.name, attrs)
}

/**
 * The namespace's elements as the formatter writes them: one `<qemu:commandline>` (arguments, then environment), one
 * `<qemu:capabilities>` (added, then removed), one `<qemu:override>` (each device with its frontend's properties), then
 * `<qemu:deprecation>`, each only with something in it, where the first of them stood. Namespace
 * declarations on the elements stay (the caller moves them to `<domain>`). Whether anything changed.
 */
export function formatQemuNamespace(domain: N): boolean {
  if (!domain.children.some((c) => read.has(c.name))) return false
  const declarations = (top: string): Record<string, string> => {
    const out: Record<string, string> = {}
    for (const c of domain.children) if (c.name === top) for (const k in c.attrs) if (k === 'xmlns' || k.startsWith('xmlns:')) out[k] = c.attrs[k]!
    return out
  }
  const withChildren = (name: string, children: N[]): N | undefined => (children.length === 0 ? undefined : { ...node(name, declarations(name)), children })
  const commandline = withChildren('qemu:commandline', [
    ...partOf(domain, 'qemu:commandline', 'qemu:arg').map((a) => only(a, ['value'])),
    ...partOf(domain, 'qemu:commandline', 'qemu:env').map((e) => only(e, ['name', 'value'])),
  ])
  const capabilities = withChildren('qemu:capabilities', [
    ...partOf(domain, 'qemu:capabilities', 'qemu:add').map((a) => only(a, ['capability'])),
    ...partOf(domain, 'qemu:capabilities', 'qemu:del').map((d) => only(d, ['capability'])),
  ])
  const override = withChildren('qemu:override', partOf(domain, 'qemu:override', 'qemu:device').map((device) => {
    const properties: N[] = []
    for (const frontend of kids(device, 'qemu:frontend')) for (const p of kids(frontend, 'qemu:property')) properties.push(only(p, ['name', 'type', 'value']))
    const out = only(device, ['alias'])
    if (properties.length > 0) out.children = [{ ...node('qemu:frontend', {}), children: properties }]
    return out
  }))
  // (`string(./qemu:deprecation/@behavior)`: the first such attribute in the document, of whichever element has one —
  // an empty one is none, virXPathString)
  const behavior = domain.children.find((c) => c.name === 'qemu:deprecation' && c.attrs.behavior !== undefined)?.attrs.behavior
  const deprecation = behavior === undefined || behavior === '' ? undefined : node('qemu:deprecation', { ...declarations('qemu:deprecation'), behavior })
  // (in the formatter's order, where the first of them stood)
  const parts = [commandline, capabilities, override, deprecation].filter((n): n is N => n !== undefined)
  const children: N[] = []
  let placed = false
  for (const c of domain.children) {
    if (!read.has(c.name)) { children.push(c); continue }
    if (!placed) { children.push(...parts); placed = true }
  }
  domain.children = children
  return true
}

/** The namespace's top-level elements the parser reads. */
const read: ReadonlySet<string> = new Set(['qemu:commandline', 'qemu:capabilities', 'qemu:override', 'qemu:deprecation'])
