// Distinct domain specs for the compose bench: every call gets a different spec (name, OS,
// memory, vCPUs, policies, 1–4 disks, 1–3 NICs), so no cache can answer for an earlier call.
// Deterministic (a seeded PRNG): both sides of the bench — virtuned and virtinst — read the same
// list from the JSON file this writes. Usage: compose-specs.mjs COUNT OUT.json
import { writeFileSync } from 'node:fs'

// Releases both the embedded OS table (osinfo-db 20221203) and Debian's osinfo-db know.
export const benchOses = ['win11', 'win10', 'win2k22', 'debian10', 'debian11', 'ubuntu20.04', 'ubuntu22.04', 'fedora37', 'rhel9.1', 'centos-stream9', 'rocky9', 'almalinux9', 'opensuse15.4', 'alpinelinux3.17', 'freebsd13.1']
const displays = ['spice', 'vnc', 'headless']
const extras = ['guest-agent', 'tpm', 'virtio', 'crash-dump', 'hotplug-ready']
const nicTypes = ['user', 'network']
const buses = [undefined, 'virtio', 'sata', 'scsi']

function mulberry32(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `count` distinct { os, policies, spec } cases. */
export function distinctSpecs(count, seed = 17) {
  const random = mulberry32(seed)
  const pick = (list) => list[Math.floor(random() * list.length)]
  const cases = []
  for (let i = 0; i < count; i++) {
    const os = pick(benchOses)
    const policies = [pick(displays), ...extras.filter(() => random() < 0.3)]
    if (policies.includes('hotplug-ready')) policies.push('pcie')
    if (os.startsWith('win') && random() < 0.5) policies.push('windows-optimized', ...(policies.includes('pcie') ? [] : ['pcie']))
    const disks = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, d) => {
      const bus = pick(buses)
      return { source: { file: `/var/lib/libvirt/images/bench-${i}-${d}.qcow2` }, format: 'qcow2', ...(bus ? { bus } : {}) }
    })
    const nics = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const type = pick(nicTypes)
      return type === 'network' ? { type, source: 'default' } : { type }
    })
    const memory = `${1 + Math.floor(random() * 16)}GiB`
    cases.push({ os, policies, spec: { name: `bench-${i}-${os}`, memory, vcpus: 1 + Math.floor(random() * 8), disks, nics } })
  }
  return cases
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [count, out] = process.argv.slice(2)
  writeFileSync(out, JSON.stringify(distinctSpecs(Number(count))))
}
