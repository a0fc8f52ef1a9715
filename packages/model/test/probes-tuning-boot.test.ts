// The tuning facts libvirt 9.0's parser and formatter showed (probes h20-…: fixtures/preview/probes/tuning-boot.xml):
// a real-time scheduler's priority (virDomainSchedulerParseCommonAttrs) and the tuning elements written only when
// they hold something (virDomainDefFormatInternal).
import { describe, expect, it } from 'vitest'
import { attributeReadProblem, attributeReads, conditionValue, emptyUnwritten } from '../src/index.ts'

describe("attributeReads: a scheduler's priority", () => {
  it('is read as a required int for fifo and rr alone, after the scheduler', () => {
    for (const element of ['vcpusched', 'iothreadsched', 'emulatorsched']) {
      const reads = attributeReads.get(`cputune/${element}`)!
      const priority = reads.find(([name]) => name === 'priority')!
      expect(reads.indexOf(priority)).toBeGreaterThan(reads.findIndex(([name]) => name === 'scheduler'))
      expect(attributeReadProblem('x', priority, element)).toBe(`Invalid value for attribute 'priority' in element '${element}': 'x'. Expected integer value`)
      expect(attributeReadProblem(undefined, priority, element)).toBe(`Missing required attribute 'priority' in element '${element}'`)
      expect(attributeReadProblem('-5', priority, element)).toBeUndefined()
      const when = priority[2]!.when!
      expect(conditionValue(when, { name: element, attrs: { scheduler: 'rr' }, children: [] })).toBe('rr')
      expect(when.values).toEqual(['fifo', 'rr'])
    }
  })
})

describe('emptyUnwritten: the tuning elements', () => {
  it('lists <blkiotune>, <iothreadids> and <defaultiothread>', () => {
    for (const path of ['blkiotune', 'iothreadids', 'defaultiothread']) expect(emptyUnwritten.has(path), path).toBe(true)
  })
})
