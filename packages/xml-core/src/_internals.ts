// Engine internals that tests reach for and the public API does not export.
export interface EngineInternals {
  /** Current size of the instance's linear memory, in bytes. */
  memoryBytes(): number
  /** The raw WASM answer for canonicalize (or format): return code and error offset (0 = ok). */
  raw(bytes: Uint8Array, comments: boolean, op?: 'canonicalize' | 'format'): { code: number; offset: number; output?: Uint8Array }
  /** Make the next call trap (to test recovery); only for tests. */
  trapNextCall(): void
}

export const engineInternals = new WeakMap<object, EngineInternals>()
