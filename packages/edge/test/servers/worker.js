// workerd: the bundle as a module worker. workerd refuses to compile WebAssembly from bytes, so
// libxml2 (the schema check of /v1/validate) comes as a module listed in the config, compiled.
// xml-core's engine likewise: the compiled xml-core.wasm, so routes merge and diff in WebAssembly.
import wasm from './libxml2.wasm'
import engine from './xml-core.wasm'
import { createHandler } from './edge.bundle.js'

const handler = createHandler({ schemaModule: wasm, engineModule: engine })
export default { fetch: (request) => handler(request) }
