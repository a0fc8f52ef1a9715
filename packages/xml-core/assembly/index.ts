// The WebAssembly module's exports (its ABI). See parser.ts for canonicalize/format,
// changes.ts for diff and merge.ts for merge.
export { prepare, outputPtr, outputLen, errorOffset, canonicalize, format } from './parser'
export { diff, output2Ptr, output2Len, rulesResident } from './changes'
export { merge, mergeOutputPtr, mergeOutputLen } from './merge'
export { applyPatch, patchOutputPtr, patchOutputLen, patchFailedOp } from './patch'
