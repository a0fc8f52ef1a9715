// The tuning facts libvirt 9.0's parser and formatter showed (probes h20-…: fixtures/preview/probes/tuning-boot.xml):
// a real-time scheduler's priority (virDomainSchedulerParseCommonAttrs) and the tuning elements written only when
// they hold something (virDomainDefFormatInternal).
import { describe, expect, it } from 'vitest'
import { attributeReadProblem, attributeReads, conditionValue, emptyUnwritten, settingReadParts, settingRepeatedReadParts } from '../src/index.ts'

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

describe('settingRepeatedReadParts: the schedulers and I/O thread IDs, element by element', () => {
  it("reads a scheduler's thread set, then its scheduler and priority, then looks its threads up ('')", () => {
    expect(settingRepeatedReadParts['cputune/vcpusched']).toEqual(['@vcpus', '@scheduler', '@priority', ''])
    expect(settingRepeatedReadParts['cputune/iothreadsched']).toEqual(['@iothreads', '@scheduler', '@priority', ''])
    // (both parts of <cputune>, the vCPUs' before the I/O threads' and the emulator's)
    const cputune = settingReadParts.cputune!
    expect(cputune.indexOf('vcpusched')).toBeLessThan(cputune.indexOf('iothreadsched'))
    expect(cputune.indexOf('iothreadsched')).toBeLessThan(cputune.indexOf('emulatorsched'))
  })
  it("reads an I/O thread's ID and pool sizes before the duplicate check", () => {
    expect(settingReadParts.iothreadids).toEqual(['iothread'])
    // (11.3 reads its <poll> then)
    expect(settingRepeatedReadParts['iothreadids/iothread']).toEqual(['@id', '@thread_pool_min', '@thread_pool_max', 'poll', ''])
  })
})

describe("attributeReads: a cache monitor's level", () => {
  it('is a required unsigned int of a cache tune\'s monitors alone (a memory tune\'s monitor has none)', () => {
    const [read] = attributeReads.get('cputune/cachetune/monitor')!
    expect(attributeReadProblem(undefined, read!, 'monitor')).toBe("Missing required attribute 'level' in element 'monitor'")
    expect(attributeReads.get('cputune/memorytune/monitor')).toBeUndefined()
  })
})
