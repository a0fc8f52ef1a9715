#!/usr/bin/env node
// Writes the playground's host presets (src/presets/*.xml): `virsh domcapabilities` of the libvirtd
// this runs against (the project's sandbox, tools/libvirt-sandbox/start.sh, by default), one file
// per preset, each headed by a comment saying what made it. Run it again when the sandbox's libvirt
// or QEMU changes; the playground's Chromium test checks that the page composes with each preset as
// the CLI's --domcaps composes with the same file.
//   node scripts/domcaps-presets.mjs [URI]
import { execFileSync } from 'node:child_process'
import { writeFileSync, mkdirSync } from 'node:fs'

const uri = process.argv[2] ?? 'qemu:///system'
const presets = [
  { id: 'kvm-q35', options: { virttype: 'kvm', arch: 'x86_64', machine: 'q35' } },
  { id: 'tcg-q35', options: { virttype: 'qemu', arch: 'x86_64', machine: 'q35' } },
  { id: 'tcg-i440fx', options: { virttype: 'qemu', arch: 'x86_64', machine: 'pc' } },
  { id: 'tcg-aarch64-virt', options: { virttype: 'qemu', arch: 'aarch64', machine: 'virt' } },
  { id: 'tcg-s390x', options: { virttype: 'qemu', arch: 's390x', machine: 's390-ccw-virtio' } },
]
const virsh = (...args) => execFileSync('virsh', ['-c', uri, ...args], { encoding: 'utf8' })
const version = virsh('version').split('\n').filter((l) => /library|hypervisor/i.test(l)).map((l) => l.trim()).join('; ')
const dir = new URL('../src/presets/', import.meta.url)
mkdirSync(dir, { recursive: true })
for (const { id, options } of presets) {
  const xml = virsh('domcapabilities', ...Object.entries(options).flatMap(([k, v]) => [`--${k}`, v]))
  // An XML comment may not hold `--`: the options are written as name=value.
  const header = `<!-- virtuned playground preset \`${id}\`: virsh domcapabilities with ${Object.entries(options).map(([k, v]) => `${k}=${v}`).join(', ')}\n     on the project's libvirt sandbox (${version}); written by packages/playground/scripts/domcaps-presets.mjs. -->\n`
  writeFileSync(new URL(`${id}.xml`, dir), header + xml.trimEnd() + '\n')
  console.log(`${id}: ${xml.length} bytes`)
}
