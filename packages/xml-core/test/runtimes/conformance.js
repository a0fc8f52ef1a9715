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
    const keys = core.libvirtIdentityKeys
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
  return results
}
