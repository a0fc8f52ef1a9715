// Issue 16, items 12 (YAML), 13–16: a policy file is data. Names it writes are XML names, its
// patterns cannot stall a request, table lookups by user names never reach Object.prototype, and
// files over the limits (size, aliases, counts) are typed errors before any work is done.
import { describe, expect, it } from 'vitest'
import { parseXml, rootElement, type Element } from '@virtuned/xml-core'
import { applyPolicies, compose, definePolicy, importKubevirtPreference, importOpenstackImageProperties, maxPolicyBytes, parsePolicy, PolicyError, type Policy } from '../src/index.ts'
import { bare } from './_bases.ts'

/** The error a call throws (fails the test if it returns). */
function thrown(run: () => unknown): PolicyError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError)
    return error as PolicyError
  }
  throw new Error('expected a PolicyError')
}

const spiceDomain = bare.replace('</devices>', "<graphics type='spice' autoport='yes'/></devices>")

const attrPolicy = (attribute: string) => `name: attrinj
description: sets an attribute while converting SPICE away
version: 1
refuses: ["devices/graphics[@type='spice']"]
convert:
  - set: { path: "devices/graphics[@type='spice']", attribute: ${JSON.stringify(attribute)}, value: v }
    why: test
  - set: { path: "devices/graphics[@type='spice']", attribute: type, value: vnc }
    why: test
`

describe('item 13: names a policy writes are XML names', () => {
  it("refuses `convert.set.attribute` that is not an XML name, at the file's line and column", () => {
    for (const attribute of ["x='1'/><evil a", 'a b', '1x', 'a:b:c', '']) {
      const error = thrown(() => parsePolicy(attrPolicy(attribute), 'attr.yaml'))
      expect(error.code).toBe('policy-invalid')
      expect(error.path).toBe('convert[0].set.attribute')
      expect(error.message).toMatch(/^attr\.yaml:6:\d+: convert\[0\]\.set\.attribute: Expected an XML name/)
      expect(error.place?.line).toBe(6)
    }
  })

  it('a policy handed over as data without the schema cannot write a bad name either', () => {
    const checked = parsePolicy(attrPolicy('ok'), 'attr.yaml')
    const forged = { ...checked, convert: [{ set: { path: "devices/graphics[@type='spice']", attribute: "x='1'/><evil a", value: 'v' }, why: 'test', guestVisible: true }] } as Policy
    expect(thrown(() => applyPolicies(spiceDomain, { policies: ['attrinj'], library: { attrinj: forged }, convert: true })).code).toBe('policy-invalid')
  })

  it('a value a conversion writes is XML text', () => {
    const error = thrown(() => parsePolicy(attrPolicy('ok').replace('value: v', 'value: "a\\u0001b"'), 'attr.yaml'))
    expect(error).toMatchObject({ code: 'policy-invalid', path: 'convert[0].set.value' })
  })

  it('with a good name, the conversion writes it and the result reads back', () => {
    const policy = parsePolicy(attrPolicy('xmlns:x'), 'attr.yaml')
    const result = applyPolicies(spiceDomain, { policies: ['attrinj'], library: { attrinj: policy }, convert: true })
    const graphics = rootElement(result.document.tree)!.children.flatMap((c) => (c.type === 'element' && c.name === 'devices' ? c.children : [])).find((c): c is Element => c.type === 'element' && c.name === 'graphics')!
    expect(graphics.attributes).toEqual({ type: 'vnc', autoport: 'yes', 'xmlns:x': 'v' })
  })
})

const patternPolicy = (pattern: string) => `name: pat
description: a string parameter with a pattern
version: 1
parameters:
  label:
    type: string
    default: a
    pattern: ${JSON.stringify(pattern)}
    description: a label
prefer: "<title>\${label}</title>"
`

describe('item 14: parameter patterns run in linear time and are checked at load', () => {
  it('`(a+)+` against 40 a and a `!` answers at once (a backtracking RegExp took 76 s on 30)', () => {
    const policy = parsePolicy(patternPolicy('(a+)+'), 'pat.yaml')
    const started = performance.now()
    const error = thrown(() => applyPolicies(bare, { policies: [`pat:label=${'a'.repeat(40)}!`], library: { pat: policy } }))
    // A generous ceiling: it proves "no exponential backtracking", not a speed.
    expect(performance.now() - started).toBeLessThan(2000)
    expect(error.code).toBe('policy-bad-parameter')
    expect(applyPolicies(bare, { policies: [`pat:label=${'a'.repeat(40)}`], library: { pat: policy } }).applied).toEqual(['pat'])
  })

  it('the whole value must match', () => {
    const policy = parsePolicy(patternPolicy('[a-z]+|[0-9]+'), 'pat.yaml')
    expect(applyPolicies(bare, { policies: ['pat:label=abc'], library: { pat: policy } }).applied).toEqual(['pat'])
    expect(thrown(() => applyPolicies(bare, { policies: ['pat:label=abc1'], library: { pat: policy } })).code).toBe('policy-bad-parameter')
  })

  it('an invalid pattern, a lookaround or a backreference is a typed error at the key, not a crash', () => {
    for (const pattern of ['(', 'a(?=b)', '(a)\\1', '[z-a]', 'x'.repeat(1001)]) {
      const error = thrown(() => parsePolicy(patternPolicy(pattern), 'pat.yaml'))
      expect(error.code, pattern).toBe('policy-invalid')
      expect(error.path).toBe('parameters.label.pattern')
      expect(error.message).toMatch(/^pat\.yaml:8:\d+: parameters\.label\.pattern: /)
    }
    expect(thrown(() => definePolicy({ name: 'p', description: 'd', version: 1, parameters: { label: { type: 'string', default: 'a', pattern: '(', description: 'x' } } })).code).toBe('policy-invalid')
  })
})

describe('item 15: names that are Object.prototype members are names like any other', () => {
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']

  it('a parameter named after one is unknown unless declared', () => {
    for (const name of names) {
      const error = thrown(() => applyPolicies(bare, { policies: [`spice:${name}=1`] }))
      expect(error.code, name).toBe('policy-bad-parameter')
      expect(error.message).toContain(`Unknown parameter \`${name}\``)
    }
  })

  it('`${constructor}` in prefer is an undeclared parameter, never `function Object()`', () => {
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
      const policy = definePolicy({ name: 'proto', description: 'd', version: 1, prefer: `<title>\${${name}}</title>` })
      const error = thrown(() => applyPolicies(bare, { policies: ['proto'], library: { proto: policy } }))
      expect(error.message).toContain('declares no such parameter')
    }
  })

  it('a policy called after one is unknown', () => {
    for (const name of ['toString', 'constructor', '__proto__']) expect(thrown(() => applyPolicies(bare, { policies: [name] })).code).toBe('policy-unknown')
  })

  it('a declared parameter named `constructor` works', () => {
    const policy = definePolicy({ name: 'proto', description: 'd', version: 1, parameters: { constructor: { type: 'string', default: 'x', description: 'd' } }, prefer: '<title>${constructor}</title>' })
    expect(applyPolicies(bare, { policies: ['proto:constructor=mine'], library: { proto: policy } }).document.tree).toSatisfy((tree: unknown) => JSON.stringify(tree).includes('"mine"'))
    expect(compose(bare, { policies: ['proto'], library: { proto: policy } }).xml).toContain('<title>x</title>')
  })

  it('host conditions, KubeVirt and OpenStack tables look up own entries only', () => {
    const policy = definePolicy({ name: 'cond', description: 'd', version: 1, when: { hostEnum: { toString: 'x' }, hostSupports: ['constructor'] }, prefer: '<title>t</title>' })
    expect(applyPolicies(bare, { policies: ['cond'], library: { cond: policy } }).skipped).toEqual([{ policy: 'cond', because: 'the host does not list toString=x' }])
    const kubevirt = importKubevirtPreference('kind: VirtualMachinePreference\nmetadata: { name: p }\nspec:\n  features:\n    preferredHyperv: { toString: {}, constructor: {} }\n  clock:\n    preferredTimer: { valueOf: {} }\n')
    expect(kubevirt.unmapped.map((u) => u.field)).toEqual(['spec.features.preferredHyperv.toString', 'spec.features.preferredHyperv.constructor', 'spec.clock.preferredTimer.valueOf'])
    expect(thrown(() => importOpenstackImageProperties('{"hw_vif_model": "toString"}')).code).toBe('policy-invalid')
  })

  it('paths select by own attributes only', () => {
    const policy = definePolicy({ name: 'sel', description: 'd', version: 1, when: { has: ["devices/graphics[@constructor='function Object() { [native code] }']"] }, prefer: '<title>t</title>' })
    expect(applyPolicies(spiceDomain, { policies: ['sel'], library: { sel: policy } }).skipped).toHaveLength(1)
    const own = definePolicy({ name: 'sel', description: 'd', version: 1, when: { has: ["devices/graphics[@toString='x']"] }, prefer: '<title>t</title>' })
    expect(applyPolicies(spiceDomain.replace("<graphics type='spice'", "<graphics toString='x' type='spice'"), { policies: ['sel'], library: { sel: own } }).applied).toEqual(['sel'])
  })

  it('a conversion may set an attribute named `__proto__`, and it is written', () => {
    const policy = parsePolicy(attrPolicy('__proto__'), 'attr.yaml')
    const result = compose(spiceDomain, { policies: ['attrinj'], library: { attrinj: policy }, convert: true })
    expect(result.xml).toMatch(/<graphics type='vnc' [^>]*__proto__='v'/)
    expect(rootElement(parseXml(result.xml))).toBeDefined()
  })
})

describe('item 16 and YAML aliases: limits, checked before parsing', () => {
  const bomb = (() => {
    let yaml = 'a: &a [x, x, x, x, x, x, x, x, x]\n'
    let previous = 'a'
    for (let i = 0; i < 9; i++) {
      yaml += `b${i}: &b${i} [${Array(9).fill(`*${previous}`).join(', ')}]\n`
      previous = `b${i}`
    }
    return yaml
  })()

  it('a policy file over 1 MiB is policy-too-large, before it is parsed', () => {
    expect(maxPolicyBytes).toBe(1024 * 1024)
    const big = `name: big\ndescription: "${'x'.repeat(1024 * 1024)}"\nversion: 1\n`
    expect(thrown(() => parsePolicy(big, 'big.yaml'))).toMatchObject({ code: 'policy-too-large', file: 'big.yaml' })
    expect(thrown(() => importKubevirtPreference(big, 'big.yaml')).code).toBe('policy-too-large')
    expect(thrown(() => importOpenstackImageProperties(`{"x": "${'x'.repeat(1024 * 1024)}"}`)).code).toBe('policy-too-large')
    // Bytes, not UTF-16 units: 400 000 × `é` is 800 000 bytes (under), × `𝄞` 1.6 MB (over).
    expect(thrown(() => parsePolicy(`name: n\ndescription: "${'é'.repeat(400_000)}"\nversion: 1\nfoo: 1\n`)).code).toBe('policy-invalid')
    expect(thrown(() => parsePolicy(`name: n\ndescription: "${'𝄞'.repeat(400_000)}"\nversion: 1\n`)).code).toBe('policy-too-large')
  })

  it('a billion-laughs alias bomb is policy-too-many at a line and column, in policies and KubeVirt files', () => {
    const started = performance.now()
    const error = thrown(() => parsePolicy(bomb, 'bomb.yaml'))
    expect(error.code).toBe('policy-too-many')
    expect(error.message).toMatch(/^bomb\.yaml:2:\d+: aliases expand more than 100 times/)
    expect(thrown(() => importKubevirtPreference(`kind: VirtualMachinePreference\nspec:\n  ${bomb.replaceAll('\n', '\n  ')}`, 'kv.yaml')).code).toBe('policy-too-many')
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('too many parameters, conversion steps or requested policies are refused', () => {
    const parameters = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`p${i}`, { type: 'boolean', default: true, description: 'd' }]))
    expect(thrown(() => definePolicy({ name: 'many', description: 'd', version: 1, parameters })).message).toContain('at most 64 parameters')
    const convert = Array.from({ length: 257 }, () => ({ remove: 'devices/sound', why: 'w' }))
    expect(thrown(() => definePolicy({ name: 'many', description: 'd', version: 1, convert })).message).toContain('at most 256 conversion steps')
    expect(thrown(() => applyPolicies(bare, { policies: Array.from({ length: 257 }, () => 'spice') })).code).toBe('policy-too-many')
  })
})
