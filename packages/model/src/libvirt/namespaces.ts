// Namespaces by URI, never by prefix: a domain written back by Python's ElementTree declares
// `xmlns:ns0="http://libosinfo.org/xmlns/libvirt/domain/1.0"` on `<domain>` and writes
// `<ns0:libosinfo><ns0:os id=…/>`; libvirt and virtuned must read it exactly like `libosinfo:`.
import type { Element } from '@virtuned/xml-core'

/** libosinfo's namespace in `<metadata>` (virt-install and virt-manager record the guest OS there). */
export const libosinfoNamespace = 'http://libosinfo.org/xmlns/libvirt/domain/1.0'

/** The part of a qualified name after its prefix: `ns0:os` → `os`. */
export function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1)
}

/** The prefix of a qualified name, or `''` for an unprefixed one. */
function prefixOf(name: string): string {
  const colon = name.indexOf(':')
  return colon < 0 ? '' : name.slice(0, colon)
}

/**
 * The namespace URI of an element: its prefix's declaration on the element itself or on the
 * nearest of its `ancestors` (outermost first, as a path from the root), or `undefined`.
 */
export function namespaceOf(element: Element, ancestors: readonly Element[]): string | undefined {
  const prefix = prefixOf(element.name)
  const declaration = prefix === '' ? 'xmlns' : `xmlns:${prefix}`
  const own = element.attributes[declaration]
  if (own !== undefined) return own
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const uri = ancestors[i]!.attributes[declaration]
    if (uri !== undefined) return uri
  }
  return undefined
}

function elementChildren(element: Element | undefined): Element[] {
  const out: Element[] = []
  if (element) for (const c of element.children) if (c.type === 'element') out.push(c)
  return out
}

/** The domain's `<metadata>`, if it has one. */
function metadataOf(domain: Element): Element | undefined {
  for (const c of domain.children) if (c.type === 'element' && c.name === 'metadata') return c
  return undefined
}

/**
 * The `<metadata>` child in namespace `uri` (libvirt keeps one per namespace), whatever prefix it
 * is written with and wherever that prefix is declared.
 */
export function metadataElement(domain: Element, uri: string): Element | undefined {
  const metadata = metadataOf(domain)
  if (!metadata) return undefined
  for (const e of elementChildren(metadata)) if (namespaceOf(e, [domain, metadata]) === uri) return e
  return undefined
}

/**
 * The qualified name to write an element of namespace `uri` under `<metadata>`, and whether it
 * needs its own `xmlns:` declaration: the prefix the domain already uses for `uri` (`ns0:` when
 * ElementTree wrote it; then the element is the same one libvirt keeps and needs no new
 * declaration when its prefix is declared above it), else `preferred`.
 */
export function metadataName(domain: Element, uri: string, preferred: string, local: string): { readonly prefix: string; readonly name: string; readonly declare: boolean } {
  const existing = metadataElement(domain, uri)
  if (existing) {
    const prefix = prefixOf(existing.name)
    const declaration = prefix === '' ? 'xmlns' : `xmlns:${prefix}`
    return { prefix, name: existing.name, declare: existing.attributes[declaration] !== undefined }
  }
  return { prefix: preferred, name: `${preferred}:${local}`, declare: true }
}

/** The child of `holder` named `local` in the same namespace as `holder`. */
function childInNamespace(domain: Element, holder: Element, local: string, uri: string): Element | undefined {
  const metadata = metadataOf(domain)!
  return elementChildren(holder).find((c) => localName(c.name) === local && namespaceOf(c, [domain, metadata, holder]) === uri)
}

/** The libosinfo OS id recorded in `<metadata>` (`<libosinfo:libosinfo><libosinfo:os id=…/>`), any prefix. */
export function recordedOsId(domain: Element): string | undefined {
  const holder = metadataElement(domain, libosinfoNamespace)
  if (!holder || localName(holder.name) !== 'libosinfo') return undefined
  return childInNamespace(domain, holder, 'os', libosinfoNamespace)?.attributes.id
}
