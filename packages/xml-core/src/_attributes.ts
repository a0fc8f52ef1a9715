// Attribute tables are plain objects keyed by names from the input: a name such as `toString`,
// `constructor` or `__proto__` must read and write as an attribute, never as a member of
// Object.prototype (reads) or as the prototype setter (writes).

/** The value of an own attribute, or undefined: `toString` is not an attribute unless the element has one. */
export function attributeOf(attributes: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(attributes, name) ? attributes[name] : undefined
}

/** Whether the element has the attribute (own: never a prototype member). */
export function hasAttribute(attributes: Readonly<Record<string, string>>, name: string): boolean {
  return Object.hasOwn(attributes, name)
}

/** Writes an attribute as an own data property (`attributes['__proto__'] = v` would set the prototype). */
export function writeAttribute(attributes: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(attributes, name, { value, writable: true, enumerable: true, configurable: true })
  else attributes[name] = value
}

/**
 * A copy of an attribute table: its own attributes, in order. A loop rather than `{ ...attributes }`:
 * every set of attribute names is a hidden class of its own, so a spread's inline cache sees dozens
 * of them (a compose copies root, `<devices>`, `<os>`, disks…) and goes megamorphic, and every copy
 * then takes V8's generic clone path, several times slower than this loop.
 */
export function copyAttributes(attributes: Readonly<Record<string, string>>): Record<string, string> {
  const copy: Record<string, string> = {}
  for (const name in attributes) if (Object.hasOwn(attributes, name)) writeAttribute(copy, name, attributes[name]!)
  return copy
}
