// Issue 16 item 3: an element's start place was computed when the element closed, after its
// children had moved the cursor on, so each one rescanned the input from the top: 8,000 disks
// took 14 s to parse. Start places are now taken at the start tag.
import { describe, expect, it } from 'vitest'
import { parseXml, rootElement, type Element } from '../src/index.ts'

describe('positions', () => {
  it('cost linear time: 10,000 elements with children, one per line, parse well inside 5 s', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `  <disk type='file'><source file='/d${i}'/><target dev='vd${i}'/></disk>`)
    const xml = `<domain>\n<devices>\n${lines.join('\n')}\n</devices>\n</domain>`
    const start = performance.now()
    const tree = parseXml(xml)
    expect(performance.now() - start).toBeLessThan(5000)
    const devices = rootElement(tree)!.children.find((c): c is Element => c.type === 'element')!
    const disks = devices.children.filter((c): c is Element => c.type === 'element')
    expect(disks).toHaveLength(10_000)
    const last = disks.at(-1)!
    expect(last.position?.start).toMatchObject({ line: 10_002, column: 3 })
    expect(last.position?.end.line).toBe(10_002)
    const source = last.children.find((c): c is Element => c.type === 'element')!
    expect(source.position?.start).toMatchObject({ line: 10_002, column: 21 })
    expect(xml.slice(last.position!.start.offset, last.position!.end.offset)).toBe(lines.at(-1)!.trim())
  })
})
