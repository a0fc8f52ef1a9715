/**
 * The XML tree every virtuned package shares: plain, immutable-by-convention data
 * shaped like xast (https://github.com/syntax-tree/xast), so a reader who knows
 * the unified ecosystem knows this too.
 *
 * What is kept: element order, every attribute in document order, text (with its
 * whitespace), CDATA sections, comments, processing instructions and the XML
 * declaration (an instruction named `xml`). What is not kept, because XML says it
 * carries no meaning: the quote character around an attribute value, whitespace
 * inside tags, and which character reference spelled a character (`&#65;` is `A`).
 */

/** A place in the source. `offset` counts UTF-8 bytes from the start; `column` counts code points, both as every virtuned tool reports them. */
export interface Point {
  readonly line: number
  readonly column: number
  readonly offset: number
}

export interface Position {
  readonly start: Point
  readonly end: Point
}

export interface Root {
  readonly type: 'root'
  readonly children: readonly RootContent[]
  readonly position?: Position
}

export interface Element {
  readonly type: 'element'
  /** Qualified name as written, e.g. `disk` or `libosinfo:libosinfo`. */
  readonly name: string
  /** Attributes in document order (JS keeps insertion order for non-numeric keys, and XML names never start with a digit). */
  readonly attributes: Readonly<Record<string, string>>
  readonly children: readonly ElementContent[]
  readonly position?: Position
}

export interface Text {
  readonly type: 'text'
  readonly value: string
  readonly position?: Position
}

export interface Cdata {
  readonly type: 'cdata'
  readonly value: string
  readonly position?: Position
}

export interface Comment {
  readonly type: 'comment'
  readonly value: string
  readonly position?: Position
}

/** A processing instruction; the XML declaration is the instruction named `xml`. */
export interface Instruction {
  readonly type: 'instruction'
  readonly name: string
  readonly value: string
  readonly position?: Position
}

export type ElementContent = Element | Text | Cdata | Comment | Instruction
export type RootContent = Element | Text | Comment | Instruction
export type Node = Root | ElementContent

/** The document element of a root, or `undefined` when there is none. */
export function rootElement(root: Root): Element | undefined {
  for (let ci = 0; ci < root.children.length; ci++) { const child = root.children[ci]!; if (child.type === 'element') return child }
  return undefined
}

/**
 * `element` with other children: `{ ...element, children }`, built as the one object literal every
 * element is built from (a source position, when there is one, is kept). A spread's result is a hidden
 * class of its own per place that spreads; a few of those in one tree (a sorted root, `<os>`,
 * `<devices>`) make every reader of the tree's nodes — serializer, merge, facts — megamorphic.
 */
export function withChildren(element: Element, children: readonly ElementContent[]): Element {
  if (element.position !== undefined) return { ...element, children }
  return { type: 'element', name: element.name, attributes: element.attributes, children }
}
