// The options each command accepts: the one list that completion offers, `--help` may name, and an
// unknown option is compared with ("did you mean"). test/flags.test.ts checks it against what each
// command's parser really accepts, and every command's --help against it.
import { nearest } from './device-options.ts'

const bulk = ['--jobs', '--jobs-force', '--glob'] as const
const compose = ['--os', '--domcaps', '--qemucaps', '--connect', '--virt-type', '--arch', '--osinfo-db', '--profile', '--policy', '--policy-file', '--force', '--convert', '--explain', '--json', '--output'] as const

/** Long options by command (`--help` and `--debug` are accepted everywhere). */
export const commandFlags: Readonly<Record<string, readonly string[]>> = {
  fmt: ['--style', '--in-place', '--check', ...bulk],
  roundtrip: ['--style', ...bulk],
  match: ['--json'],
  'plan-attach': ['--disk', '--nic', '--controller', '--hostdev', '--bus', '--alias', '--seed', '--qemucaps', '--json'],
  'plan-detach': ['--alias', '--disk', '--mac', '--json'],
  demo: [],
  new: ['--name', '--memory', '--vcpus', '--disk', '--nic', '--controller', '--hostdev', '--spec', '--validate', ...compose],
  apply: ['--defaults', '--in-place', '--output-dir', '--validate', ...compose, ...bulk],
  explain: compose.filter((f) => f !== '--output'),
  defaults: ['--json'],
  policies: [],
  completion: [],
  validate: ['--schema-dir', '--no-schema', '--json', ...bulk],
  diff: ['--json'],
  preview: ['--qemucaps', '--abi-update', '--security-info', '--libvirt-test-host', '--host-arch', '--firmware-dir', '--qemu-conf', '--host-pci', '--swtpm', '--qemu-rdp', '--host-cpu-bits', '--host-emulator', '--explain', '--json', '--output', '--output-dir'],
  patch: ['--output'],
  define: ['--connect', '--no-validate', '--json'],
  dumpxml: ['--connect', '--inactive', '--json'],
  attach: ['--disk', '--nic', '--controller', '--hostdev', '--bus', '--alias', '--connect', '--json'],
  detach: ['--alias', '--disk', '--mac', '--timeout', '--connect', '--json'],
  fleet: ['--concurrency', '--tag', '--kind', '--for', '--json', '--disk', '--nic', '--bus', '--alias', '--mac', '--os', '--policy', '--convert', '--force', '--output-dir', '--no-validate', '--inactive', '--timeout'],
  edit: ['--connect', '--edit', '--add-device', '--remove-device', '--disk', '--nic', '--network', '--print-diff', '--print-xml', '--define', '--no-define', '--update', '--confirm', '--in-place', '--output'],
}

/** Short options and the long ones they stand for. */
export const shortFlags: Readonly<Record<string, string>> = { '-o': '--output', '-c': '--connect', '-j': '--jobs' }

/** Subcommands and positional words completion offers after a command. */
export const subcommands: Readonly<Record<string, readonly string[]>> = {
  defaults: ['list', 'show', 'os'],
  policies: ['list', 'show', 'import', 'schema'],
  completion: ['bash'],
}

/**
 * node:util's parseArgs errors (`ERR_PARSE_ARGS_*`) in virtuned's words: what was unexpected,
 * what was expected, and for an unknown option the nearest one the command takes.
 */
export function parseArgsMessage(command: string | undefined, error: Error & { code?: unknown }): { message: string; note: string } {
  const help = command && commandFlags[command] ? `Run \`virtuned ${command} --help\` for its options.` : 'Run `virtuned --help` for the commands and options.'
  const quoted = /'([^']+)'/.exec(error.message)?.[1]
  const option = quoted?.replace(/ <value>$/, '')
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const known = command ? commandFlags[command] ?? [] : []
      const near = option && option.startsWith('--') ? nearest(option, known) : undefined
      const name = option ?? 'option'
      return { message: `Unexpected option \`${name}\`${command ? ` for \`virtuned ${command}\`` : ''}${near ? `, did you mean \`${near}\`?` : ''}`, note: known.length > 0 ? `\`virtuned ${command}\` takes ${known.join(', ')}. ${help}` : help }
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(error.message)) return { message: `Unexpected value for \`${option}\`, which takes none`, note: help }
      if (/ambiguous/.test(error.message)) return { message: `Expected a value after \`${option}\``, note: `A value that starts with \`-\` is written \`${option}=-value\`. ${help}` }
      return { message: `Expected a value after \`${option}\``, note: help }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return { message: `Unexpected argument \`${quoted ?? ''}\`${command ? ` for \`virtuned ${command}\`` : ''}`, note: help }
    default:
      return { message: error.message, note: help }
  }
}
