// The WebAssembly module's exports (its ABI). See parser.ts for canonicalize/format,
// changes.ts for diff and merge.ts for merge. diff, merge and applyPatch take the identity table's
// length; 0 means "the table an earlier call left resident" (changes.ts loadRules, rulesResident()).
export { prepare, outputPtr, outputLen, errorOffset, canonicalize, format } from './parser'
export { diff, opsPtr, opsLen32, output2Ptr, output2Len, rulesResident } from './changes'
export { merge, mergeOutputPtr, mergeOutputLen } from './merge'
export { applyPatch, patchOutputPtr, patchOutputLen, patchFailedOp } from './patch'
