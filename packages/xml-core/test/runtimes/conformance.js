// Runtime-neutral conformance run: plain ESM JavaScript with no imports of its own, so Node, Deno,
// Bun, workerd and Chromium all load it unchanged. `core` is the built @virtuned/xml-core module
// as that runtime resolves it; `cases` is [{ name, input (base64 of the bytes) }].

function fromBase64(text) {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

function outcome(run) {
  try {
    return { ok: new TextDecoder().decode(run()) }
  } catch (error) {
    const place = error && error.place
    return { error: { name: error && error.name, code: error && error.code, line: place && place.line, column: place && place.column, offset: place && place.offset } }
  }
}

/** Identity rules for the diff/patch/merge cases: disks by target, NICs by MAC, controllers by type and index. */
const conformanceKeys = {
  userAliases: true,
  rules: [
    { path: 'domain/devices/disk', key: ['target/@dev'] },
    { path: 'domain/devices/interface', key: ['mac/@address'], normalize: { 'mac/@address': 'lowercase' } },
    { path: 'domain/devices/controller', key: ['@type', '@index'] },
    { path: 'domain/devices/console', key: ['target/@type', 'target/@port'] },
    { path: 'domain/devices/video', key: [] },
    { path: 'domain/os/boot', key: ['@dev'] },
    { path: 'domain/features/*', key: [] },
    { path: 'domain/clock/timer', key: ['@name'] },
    { path: 'domain/metadata/*', key: [] },
  ],
}

/** Every engine the runtime can create: the TypeScript reference, and the WebAssembly one if present. */
export async function createEngines(core, options = {}) {
  const engines = [core.createReferenceEngine()]
  if (typeof core.createEngine === 'function') engines.push(await core.createEngine(options))
  return engines
}

export async function runConformance(core, cases, options = {}) {
  const engines = await createEngines(core, options)
  const results = []
  for (const engine of engines) {
    for (const testCase of cases) {
      const input = fromBase64(testCase.input)
      for (const comments of [true, false]) {
        results.push({ engine: engine.kind, case: testCase.name, op: 'canonicalize', comments, ...outcome(() => engine.canonicalize(input, { comments })) })
      }
      results.push({ engine: engine.kind, case: testCase.name, op: 'format', ...outcome(() => engine.format(input)) })
    }
    // Diff, patch and merge between neighbouring cases, on the engines that offer them.
    if (typeof engine.diff !== 'function') continue
    // A small identity table of its own (libvirt's lives in @virtuned/model; the engines only need a table).
    const keys = conformanceKeys
    const json = (value) => new TextEncoder().encode(JSON.stringify(value))
    for (let i = 0; i + 1 < cases.length; i++) {
      const a = fromBase64(cases[i].input)
      const b = fromBase64(cases[i + 1].input)
      const name = `${cases[i].name} → ${cases[i + 1].name}`
      results.push({ engine: engine.kind, case: name, op: 'diff+applyPatch', ...outcome(() => engine.applyPatch(a, engine.diff(a, b, keys), keys)) })
      results.push({ engine: engine.kind, case: name, op: 'merge', ...outcome(() => {
        const merged = engine.merge(a, [{ name: 'next', mode: 'fill', document: b }, { name: 'strict', mode: 'require', document: b }], keys)
        return json({ document: new TextDecoder().decode(merged.document), conflicts: merged.conflicts, provenance: merged.provenance })
      }) })
    }
  }
  // Which engine the libvirt packages get here (getEngine): the WebAssembly one in every runtime.
  if (typeof core.getEngine === 'function') results.push({ engine: 'getEngine', case: 'the shared engine', op: 'kind', kind: core.getEngine().kind })
  return results
}
