// QEMU firmware descriptors as libvirt reads them (qemu_firmware.c qemuFirmwareFetchConfigs): every
// `*.json` of the directories in order — the user's, then /etc, then /usr/share — where a name in an
// earlier directory hides the same name later (an empty file disables it), sorted by file name.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { isFirmwareDescriptor, type PreviewOptions } from '@virtuned/preview'
import { UsageError } from './errors.ts'

type FirmwareDescriptor = NonNullable<PreviewOptions['firmware']>[number]

/** The directories libvirt's QEMU driver reads descriptors from, first wins. */
export function systemFirmwareDirs(): string[] {
  return [join(homedir(), '.config/qemu/firmware'), '/etc/qemu/firmware', '/usr/share/qemu/firmware']
}

/** The descriptors of `dirs` (missing directories are skipped; `--firmware-dir` ones must exist). */
export function readFirmwareDirs(dirs: readonly string[], given: boolean): FirmwareDescriptor[] {
  const chosen = new Map<string, string>()
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      if (given) throw new UsageError(`Unexpected --firmware-dir \`${dir}\`: no such directory`, 'Give a directory of QEMU firmware descriptors (*.json), such as /usr/share/qemu/firmware.')
      continue
    }
    for (const file of readdirSync(dir)) if (file.endsWith('.json') && !chosen.has(file)) chosen.set(file, join(dir, file))
  }
  const out: FirmwareDescriptor[] = []
  for (const name of [...chosen.keys()].sort()) {
    const text = readFileSync(chosen.get(name)!, 'utf8')
    if (text.trim() === '') continue // an empty file hides a descriptor of the same name
    let json: unknown
    try { json = JSON.parse(text) } catch { continue } // libvirt skips a file it cannot parse
    if (isFirmwareDescriptor(json)) out.push({ ...json, name })
  }
  return out
}
