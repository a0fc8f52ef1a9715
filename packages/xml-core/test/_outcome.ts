// What an engine call gives, as comparable data, for the tests that hold the WebAssembly engine to
// the TypeScript reference: its result as text (a merge's document decoded), or its error's class,
// code, operation index, path, place and message.
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

export function outcome(run: () => unknown): unknown {
  try {
    const value = run()
    if (value instanceof Uint8Array) return text(value)
    if (value && typeof value === 'object' && 'document' in value) return JSON.stringify({ ...value, document: text((value as { document: Uint8Array }).document) })
    return JSON.stringify(value)
  } catch (error) {
    const e = error as { name: string; code: string; index?: number; path?: string; place?: unknown; message: string }
    return { name: e.name, code: e.code, index: e.index, path: e.path, place: e.place, message: e.message }
  }
}
