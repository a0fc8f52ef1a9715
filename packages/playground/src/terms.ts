// Messages in the page's own terms: the packages speak to CLI users (`--domcaps`, `--force`); the
// page has controls instead, named here as they are labelled.
const replacements: readonly [RegExp, string][] = [
  [/\(use --domcaps or --connect for the real host\)/g, '(choose a host preset or paste its `virsh domcapabilities` under “Host”)'],
  [/use --domcaps or --connect for the real host/g, 'choose a host preset or paste its `virsh domcapabilities` under “Host”'],
  [/--domcaps( FILE)?|--connect( URI)?/g, 'the host’s capabilities (under “Host”)'],
  [/^--force: /g, 'Policies override my values: '],
  [/pass --force/g, 'tick “let policies override my values”'],
  [/\(?--force\)?/g, '“let policies override my values”'],
  [/[Ww]ith --convert/g, 'With “convert contradicting domains”'],
  [/\(?--convert\)?/g, '“convert contradicting domains”'],
  [/\(`--policy name:param=value`\)/g, ''],
  [/--policy(-file)? ?/g, 'the policy '],
  [/--os ([\w.-]+)/g, 'the guest OS $1'],
  [/--os\b/g, 'the guest OS'],
  [/--profile\b/g, 'the defaults profile'],
  [/--virt-type ([\w]+)/g, 'virt type $1'],
  [/--arch ([\w]+)/g, 'architecture $1'],
  // @virtuned/preview speaks to API users (its `firmware` option).
  [/firmware descriptors: pass `firmware` to predict it\./g, 'firmware descriptors (/usr/share/qemu/firmware/*.json), which the page has only for its QEMU capabilities presets: libvirt picks the loader and NVRAM on the host.'],
]

/** A package's message with its command-line options replaced by the page's controls. */
export function inPageTerms(message: string): string {
  let out = message
  for (const [pattern, replacement] of replacements) out = out.replace(pattern, replacement)
  return out
}
