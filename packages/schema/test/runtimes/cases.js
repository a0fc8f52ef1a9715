// Runtime-neutral cases: the same two domains checked in Node, Deno, Bun, workerd and Chromium.
export const valid = "<domain type='kvm'>\n  <name>ok</name>\n  <memory unit='MiB'>512</memory>\n  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n  <devices><disk type='file' device='disk'><source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk></devices>\n</domain>\n"
export const invalid = "<domain type='bogus'>\n  <name>bad</name>\n  <memory unit='MiB'>512</memory>\n  <os><type>hvm</type></os>\n  <devices>\n    <frobnicator/>\n  </devices>\n</domain>\n"

/** Both verdicts, with the time the first validator took (cold: engine + schema). */
export async function run(createValidator) {
  const started = performance.now()
  const validator = await createValidator()
  const cold = performance.now() - started
  return { cold, schema: validator.schema, valid: validator.validate(valid), invalid: validator.validate(invalid) }
}
