// Issue 16, item 15: names from the document that are Object.prototype members (`__proto__`,
// `constructor`, `toString`…) are read and built as names like any other.
import { describe, expect, it } from 'vitest'
import { DomainModelError, parseDomain, viewDomain } from '../src/index.ts'
import { el } from '../src/_xml.ts'

const domain = (features: string, graphics = "autoport='yes'") => `<domain type='kvm'><name>p</name><memory>1024</memory><features>${features}</features><devices><graphics type='vnc' ${graphics}/></devices></domain>`

describe('names that are Object.prototype members', () => {
  it('a feature element named `__proto__` is a setting of the view, not its prototype', () => {
    const view = viewDomain(parseDomain(domain("<__proto__ state='on'/><acpi/>")))
    const attributes = view.features!.attributes
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype)
    expect(Object.keys(attributes)).toEqual(['__proto__', 'acpi'])
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toEqual({ state: 'on' })
  })

  it('`yes`/`no` attributes do not accept `constructor` or `toString`', () => {
    for (const word of ['constructor', 'toString', '__proto__']) {
      expect(() => viewDomain(parseDomain(domain('', `autoport='${word}'`)))).toThrow(DomainModelError)
    }
  })

  it('el() keeps an attribute named `__proto__`', () => {
    const built = el('x', Object.fromEntries([['__proto__', 'p'], ['a', 'b']]))
    expect(Object.keys(built.attributes)).toEqual(['__proto__', 'a'])
    expect(Object.getPrototypeOf(built.attributes)).toBe(Object.prototype)
  })
})
