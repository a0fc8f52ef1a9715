// Writes preview's mutable form as libvirt prints it (private): the same text as xml-core's
// `toXml({ type: 'root', children: [toElement(n)] })` (libvirt style), without building that tree first.
// Subtrees kept as written (<metadata>) go through xml-core's serializer itself.
import { escapeXml, toXml } from '@virtuned/xml-core'
import type { N } from './_node.ts'

// libvirt's text escaping (xml-core's libvirt style): `& < > ' "` and carriage return; tab and newline stay.
const textEscapes: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;', '\r': '&#13;' }
const textPattern = /[&<>'"\r]/g

function escapeText(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 0x26 || c === 0x3c || c === 0x3e || c === 0x27 || c === 0x22 || c === 0x0d) return value.replace(textPattern, (m) => textEscapes[m]!)
  }
  return value
}

const pads: string[] = []
const padOf = (depth: number): string => (pads[depth] ??= '  '.repeat(depth))

function write(n: N, depth: number, out: string): string {
  if (n.raw) return out + toXml({ ...n.raw, name: n.name, attributes: { ...n.attrs } }, { indent: depth })
  out += padOf(depth) + '<' + n.name
  const attrs = n.attrs
  for (const name in attrs) out += ' ' + name + "='" + escapeXml(attrs[name]!) + "'"
  const children = n.children
  if (children.length > 0) {
    out += '>\n'
    for (let i = 0; i < children.length; i++) out = write(children[i]!, depth + 1, out)
    return out + padOf(depth) + '</' + n.name + '>\n'
  }
  if (n.text !== undefined) return out + '>' + escapeText(n.text) + '</' + n.name + '>\n'
  return out + '/>\n'
}

/** The domain as libvirt formats it, ending with a newline. */
export function writeDomain(domain: N): string {
  return write(domain, 0, '')
}
