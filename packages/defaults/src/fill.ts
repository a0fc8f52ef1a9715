// One value of a device-level rule, filled in by xml-core's merge (fill mode: never over a value).
import { mergeTrees, rootElement, type Element, type IdentityKeys, type Root } from '@virtuned/xml-core'

/** A device is merged on its own: its children are matched by name, nothing else. */
const deviceKeys: IdentityKeys = { rules: [] }

/** The device with `child/@attr` filled in where it lacks it; the same object when it has it. */
export function fillDeviceValue(device: Element, path: string, value: string): Element {
  const [childName, attr] = path.split('/@') as [string, string]
  const layer: Root = { type: 'root', children: [{ type: 'element', name: device.name, attributes: {}, children: [{ type: 'element', name: childName, attributes: { [attr]: value }, children: [] }] }] }
  const merged = mergeTrees({ type: 'root', children: [device] }, [{ name: 'device default', mode: 'fill', document: layer }], deviceKeys)
  return merged.provenance.length === 0 ? device : rootElement(merged.document)!
}
