// parseSpec and validateSpec run the spec's field checks as zod compiles them (z.compile: generated code
// for what it accepts, zod's own parser for the rest) and its cross-field rules themselves, not through
// zod's refinement (spec.ts `checkSpec` says why). They must answer exactly as the schema itself:
// the same parsed spec for every spec it accepts, the same problems (paths, messages, order) for
// every one it refuses. Checked on specs near the valid ones, each with a few fields changed.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { parseSpec, validateSpec } from '../src/index.ts'
import { checkedSpecSchema } from '../src/spec.ts'

const settings = { seed: 20261203, numRuns: 3000 } as const

/** What validateSpec answers, computed from the schema's own parse. */
function bySchema(input: unknown): unknown {
  const result = checkedSpecSchema.safeParse(input)
  if (result.success) return { ok: true, spec: result.data }
  const path = (p: readonly PropertyKey[]) => p.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '')
  return {
    ok: false,
    problems: (result.error as z.ZodError).issues.map((issue) => issue.code === 'unrecognized_keys'
      ? { path: path([...issue.path, issue.keys[0]!]), message: `Unexpected key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}: the spec has no such field` }
      : { path: path(issue.path), message: issue.message }),
  }
}

const bases: readonly Record<string, unknown>[] = [
  { name: 'web', memory: '4GiB', vcpus: 2 },
  { name: 'db', memory: 8589934592, vcpus: 4, disks: [{ source: { file: '/var/lib/libvirt/images/db.qcow2' }, format: 'qcow2', bus: 'virtio' }, { device: 'cdrom', bus: 'sata' }], nics: [{ type: 'network', source: 'default', mac: '52:54:00:AB:CD:EF' }] },
  { type: 'qemu', name: 'edge', memory: '1.5 GiB', currentMemory: '1GiB', vcpus: 6, uuid: 'C7A5FDBD-EDAF-9455-926A-D65C16DB1809', features: ['smm', 'acpi', 'apic'], os: { arch: 'x86_64', machine: 'q35', firmware: 'efi', secureBoot: true, boot: ['hd', 'network'] }, cpu: { mode: 'custom', model: 'Skylake-Client', topology: { sockets: 1, cores: 3, threads: 2 } }, clock: { offset: 'utc', timers: [{ name: 'rtc', tickpolicy: 'catchup' }, { name: 'hpet', present: false }] }, events: { onCrash: 'coredump-restart' } },
  { name: 'net', memory: 1073741824, vcpus: 1, disks: [{ source: { protocol: 'rbd', name: 'pool/img' }, bus: 'scsi', target: 'sda', serial: 'ABC 1', alias: 'ua-root', bootOrder: 1, cache: 'none', discard: 'unmap' }, { source: { pool: 'default', volume: 'data' }, readonly: true, shareable: true }], nics: [{ type: 'bridge', source: 'br0', model: 'virtio', alias: 'ua-nic', bootOrder: 2 }, { type: 'user' }], graphics: [{ type: 'spice', listen: '127.0.0.1', autoport: true, password: 'pw' }, { type: 'egl-headless' }], video: { model: 'qxl', vram: '64MiB', heads: 2 }, sound: [{ model: 'ich9' }], tpm: { model: 'tpm-crb', backend: 'emulator', version: '2.0' }, rng: { source: '/dev/urandom' } },
  { name: 'k', memory: '2G', vcpus: 2, os: { kernel: '/boot/vmlinuz', initrd: '/boot/initrd', cmdline: 'console=ttyS0' }, title: 'A title', description: 'x\ny', osinfo: 'http://fedoraproject.org/fedora/40' },
]

const paths: readonly (readonly (string | number)[])[] = [
  ['name'], ['memory'], ['currentMemory'], ['vcpus'], ['uuid'], ['title'], ['description'], ['osinfo'], ['type'], ['features'], ['os'], ['os', 'arch'], ['os', 'machine'],
  ['os', 'firmware'], ['os', 'secureBoot'], ['os', 'boot'], ['os', 'kernel'], ['cpu'], ['cpu', 'topology'], ['clock'], ['clock', 'timers'], ['events'], ['disks'], ['nics'], ['graphics'], ['video'], ['sound'],
  ['tpm'], ['rng'], ['extra'], ['disks', 0], ['disks', 0, 'target'], ['disks', 0, 'bus'], ['disks', 0, 'source'], ['disks', 0, 'device'], ['disks', 0, 'format'], ['disks', 0, 'serial'],
  ['disks', 0, 'alias'], ['disks', 0, 'bootOrder'], ['disks', 1, 'target'], ['disks', 0, 'extra'], ['nics', 0, 'type'], ['nics', 0, 'source'], ['nics', 0, 'mac'], ['nics', 0, 'model'],
  ['nics', 0, 'alias'], ['nics', 0, 'bootOrder'], ['graphics', 0], ['graphics', 0, 'port'], ['video', 'vram'], ['video', 'model'], ['sound', 0], ['tpm', 'version'], ['rng', 'backend'],
]

const values: readonly unknown[] = [
  undefined, null, 0, -1, 1.5, 1024, 4096, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, '', ' ', '4GiB', '1.5G', '1 KB', '512 MiB', '3 XB', 'abc', 'x\ny', 'a/b', '\uD800', 'vda', 'sdb', 'VDA',
  '52:54:00:AB:CD:EF', '53:54:00:ab:cd:ef', 'C7A5FDBD-EDAF-9455-926A-D65C16DB1809', 'ua-x', 'ua-', true, false, [], {}, ['acpi', 'apic', 'acpi'], ['apic', 'acpi', 'smm'], ['hd', 'hd'],
  { file: '/x' }, { block: 'rel' }, { pool: 'p', volume: 'v' }, { protocol: 'nbd', name: 'n' }, { protocol: 'nbd', name: 'n', host: { name: 'h', port: 70000 } }, 'virtio', 'scsi', 'user', 'network',
  'br0', 'efi', 'bios', { onPoweroff: 'destroy' }, { onPoweroff: undefined }, { offset: 'utc', timers: [{ name: 'kvmclock', tickpolicy: 'delay' }] }, { sockets: 1, cores: 2, threads: 1 },
  { firmware: 'efi', secureBoot: true }, { secureBoot: true }, { initrd: '/i' }, { backend: 'passthrough', version: '2.0' }, { model: 'virtio', backend: 'builtin', source: '/dev/urandom' },
  [{ type: 'vnc' }, { type: 'vnc' }], [{ model: 'ac97' }], { type: 'sdl', port: 5900 },
]

/** A copy of `spec` with `value` at `path` (parents made as needed; `undefined` deletes). */
function withValue(spec: Record<string, unknown>, path: readonly (string | number)[], value: unknown, remove: boolean): Record<string, unknown> {
  const out = structuredClone(spec)
  let at: Record<string | number, unknown> = out
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!
    if (at[key] === undefined || at[key] === null || typeof at[key] !== 'object') at[key] = typeof path[i + 1] === 'number' ? [] : {}
    at = at[key] as Record<string | number, unknown>
  }
  const last = path[path.length - 1]!
  if (remove) delete at[last]
  else at[last] = structuredClone(value)
  return out
}

const change = fc.record({ path: fc.constantFrom(...paths), value: fc.constantFrom(...values), remove: fc.boolean() })
const specNearValid = fc.tuple(fc.constantFrom(...bases), fc.array(change, { maxLength: 3 }))
  .map(([base, changes]) => changes.reduce((spec, c) => withValue(spec, c.path, c.value, c.remove && c.value === undefined), base))

describe('the compiled spec schema', () => {
  it('answers exactly as the schema: the same spec, or the same problems in the same order', () => {
    let accepted = 0
    fc.assert(fc.property(specNearValid, (spec) => {
      const want = bySchema(spec)
      expect(validateSpec(spec)).toEqual(want)
      if ((want as { ok: boolean }).ok) {
        accepted++
        expect(parseSpec(spec)).toEqual((want as { spec: unknown }).spec)
      } else expect(() => parseSpec(spec)).toThrow()
    }), settings)
    // Both sides of the fast path are exercised.
    expect(accepted).toBeGreaterThan(settings.numRuns / 10)
  })
})
