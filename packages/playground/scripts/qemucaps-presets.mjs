#!/usr/bin/env node
// Writes the playground's QEMU capabilities presets (src/presets/qemucaps/<arch>.xml), the host data
// the Preview tab predicts from: libvirt's own QEMU capabilities cache files (`<qemuCaps>`), as the
// libvirtd this runs beside wrote them — the project's sandbox (tools/libvirt-sandbox/start.sh) keeps
// them in /var/cache/libvirt/qemu/capabilities, one file per QEMU binary, named by a hash. The file
// for each architecture is found by its `<emulator>`; each preset is headed by a comment saying what
// made it. Run it again (as root: the cache is readable by root only) when the sandbox's libvirt or
// QEMU changes.
// Beside them it writes firmware.json: the same host's QEMU firmware descriptors, which libvirt's
// firmware autoselection reads (`<os firmware='efi'>`), in libvirt's order — by file name, a file in
// /etc/qemu/firmware hiding the one of the same name in /usr/share/qemu/firmware, an empty file
// hiding both (qemu_firmware.c's lookup for the system daemon).
//   node scripts/qemucaps-presets.mjs [CACHE-DIR [FIRMWARE-ROOT]]
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

const cache = process.argv[2] ?? '/var/cache/libvirt/qemu/capabilities'
// x86_64 is required; aarch64 and s390x are written when the sandbox's libvirtd has probed them.
const wanted = [
  { arch: 'x86_64', emulator: '/usr/bin/qemu-system-x86_64', required: true },
  { arch: 'aarch64', emulator: '/usr/bin/qemu-system-aarch64' },
  { arch: 's390x', emulator: '/usr/bin/qemu-system-s390x' },
]
const tag = (xml, name) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]
/** libvirt's version encoding (9000000 = 9.0.0). */
const version = (n) => n === undefined ? 'unknown' : `${Math.floor(n / 1e6)}.${Math.floor(n / 1e3) % 1e3}.${n % 1e3}`

const files = readdirSync(cache).filter((f) => f.endsWith('.xml')).map((f) => {
  const path = join(cache, f)
  const xml = readFileSync(path, 'utf8')
  return { path, xml, emulator: tag(xml, 'emulator'), mtime: statSync(path).mtimeMs }
})
const dir = new URL('../src/presets/qemucaps/', import.meta.url)
mkdirSync(dir, { recursive: true })
for (const { arch, emulator, required } of wanted) {
  // One file per binary; should an old one linger, the newest is libvirtd's current view.
  const file = files.filter((f) => f.emulator === emulator).sort((a, b) => b.mtime - a.mtime)[0]
  if (!file) {
    if (required) throw new Error(`no capabilities cache for ${emulator} in ${cache}: start the sandbox libvirtd once (tools/libvirt-sandbox/start.sh)`)
    console.log(`${arch}: no cache file for ${emulator} (skipped)`)
    continue
  }
  if (tag(file.xml, 'arch') !== arch) throw new Error(`${file.path}: <arch> is ${tag(file.xml, 'arch')}, expected ${arch}`)
  const qemu = version(Number(tag(file.xml, 'version')))
  const libvirt = version(Number(tag(file.xml, 'selfvers')))
  const pkg = tag(file.xml, 'package') ?? 'unknown package'
  // An XML comment may not hold `--`.
  const header = `<!-- virtuned playground QEMU capabilities preset \`${arch}\`: libvirt's QEMU capabilities cache for ${emulator}\n     (QEMU ${qemu}, ${pkg}; libvirt ${libvirt}), copied unchanged from the project's libvirt sandbox\n     (${file.path}) by packages/playground/scripts/qemucaps-presets.mjs. -->\n`
  writeFileSync(new URL(`${arch}.xml`, dir), header + file.xml.trimEnd() + '\n')
  console.log(`${arch}: ${file.path}, ${file.xml.length} bytes (QEMU ${qemu}, libvirt ${libvirt})`)
}

const root = process.argv[3] ?? '/'
const chosen = new Map()
for (const d of ['etc/qemu/firmware', 'usr/share/qemu/firmware']) {
  const dir = join(root, d)
  if (!existsSync(dir)) continue
  for (const f of readdirSync(dir)) if (f.endsWith('.json') && !chosen.has(f)) chosen.set(f, join(dir, f))
}
const descriptors = []
for (const name of [...chosen.keys()].sort()) {
  const text = readFileSync(chosen.get(name), 'utf8')
  if (text.trim() === '') continue // masked
  const json = JSON.parse(text)
  // QEMU's descriptors carry a comment array libvirt ignores; keep what preview reads.
  delete json.comment
  descriptors.push({ name, ...json })
}
writeFileSync(new URL('firmware.json', dir), JSON.stringify({
  about: `virtuned playground: the QEMU firmware descriptors of the project's libvirt sandbox (${[...chosen.values()].join(', ')}), in libvirt's order, written by packages/playground/scripts/qemucaps-presets.mjs; the Preview uses them with the QEMU capabilities presets.`,
  descriptors,
}, null, 2) + '\n')
console.log(`firmware.json: ${descriptors.length} descriptors (${descriptors.map((d) => d.name).join(', ')})`)
