// workerd entry: imports the package the way the `workerd` export condition does (a compiled .wasm module).
import * as core from './xml-core/workerd.js'
import cases from './cases.json'
import { runConformance } from './conformance.js'

export default {
  async fetch() {
    return new Response(JSON.stringify(await runConformance(core, cases)), { headers: { 'content-type': 'application/json' } })
  },
}
