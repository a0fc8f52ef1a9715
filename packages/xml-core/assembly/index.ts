// The WebAssembly module's exports (its ABI). See parser.ts for canonicalize/format and
// changes.ts for diff, applyPatch and merge.
export { prepare, outputPtr, outputLen, errorOffset, canonicalize, format } from './parser'
export { diff, output2Ptr, output2Len } from './changes'
