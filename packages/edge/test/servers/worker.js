// workerd: the bundle as a module worker. workerd refuses to compile WebAssembly from bytes, so
// libxml2 (the schema check of /v1/validate) comes as a module listed in the config, compiled.
import wasm from './libxml2.wasm'
import { createHandler } from './edge.bundle.js'

const handler = createHandler({ schemaModule: wasm })
export default { fetch: (request) => handler(request) }
