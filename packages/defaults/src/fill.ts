// One value of a device-level rule, filled in by xml-core's merge (fill mode: never over a value).
import { getEngine, rootElement, type Element, type IdentityKeys, type Root } from '@virtuned/xml-core'

/** A device is merged on its own: its children are matched by name, nothing else. */
const deviceKeys: IdentityKeys = { rules: [] }

// The layer for `disk` + `target/@bus` + `virtio` is the same every time: kept (bounded, like the
// rules' fragments) so that xml-core's per-layer caches serve every composition.
const layers = new Map<string, Root>()

function layerFor(device: string, path: string, value: string): Root {
  const key = `${device}\u0000${path}\u0000${value}`
  let layer = layers.get(key)
  if (!layer) {
    const [childName, attr] = path.split('/@') as [string, string]
    layer = { type: 'root', children: [{ type: 'element', name: device, attributes: {}, children: [{ type: 'element', name: childName, attributes: { [attr]: value }, children: [] }] }] }
    if (layers.size < 1000) layers.set(key, layer)
  }
  return layer
}

/** The device with `child/@attr` filled in where it lacks it; the same object when it has it. */
export function fillDeviceValue(device: Element, path: string, value: string): Element {
  const merged = getEngine().mergeTree({ type: 'root', children: [device] }, [{ name: 'device default', mode: 'fill', document: layerFor(device.name, path, value) }], deviceKeys)
  return merged.provenance.length === 0 ? device : rootElement(merged.document)!
}
