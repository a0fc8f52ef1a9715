// Issue 17: every path `--explain` prints selects exactly one node of the printed domain (read as
// XPath reads it) — a disk before the only NIC no longer makes the NIC `interface[2]`, and a
// console without a target is not `console[target/@type=''][target/@port='']`.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseXml, selectPath } from '@virtuned/xml-core'
import { run, type CliIo } from '../src/index.ts'
import { nodeIo } from '../src/io.ts'

const real = await nodeIo()

async function cli(args: string[]) {
  const io = {
    out: '', err: '',
    writeFileAtomic: async () => { throw new Error('no writes expected') },
    relaxng: real.relaxng,
    stdout: (text: string) => { io.out += text },
    stderr: (text: string) => { io.err += text },
    readFile: async (path: string) => new Uint8Array(readFileSync(path)),
    readStdin: async () => new Uint8Array(),
  } satisfies CliIo & { out: string; err: string }
  const code = await run(args, io)
  return { code, out: io.out, err: io.err }
}

describe('virtuned new --explain', () => {
  for (const [os, policies] of [['win11', 'spice,windows-optimized'], ['debian11', 'vnc,hotplug-ready'], ['freebsd13.1', 'pcie']] as const) {
    it(`${os} with ${policies}: every printed path names one node`, async () => {
      const r = await cli(['new', '--name', 'g', '--os', os, '--memory', '2GiB', '--vcpus', '2', '--disk', 'size=10G', '--disk', 'size=1G', '--nic', 'network=default', '--policy', policies, '--explain'])
      expect(r.code, r.err).toBe(0)
      const paths = r.err.split('\n').filter((l) => /^ {2}(policy|default):/.test(l)).map((l) => l.trim().split(/\s+/).at(-1)!)
      expect(paths.length).toBeGreaterThan(5)
      expect(paths.filter((p) => /interface\[2\]|=''/.test(p))).toEqual([])
      const tree = parseXml(r.out)
      expect(paths.map((p) => [p, selectPath(tree, p).length]).filter(([, n]) => n !== 1)).toEqual([])
    })
  }
})
