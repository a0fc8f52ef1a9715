// workerd: the bundled package through its `workerd` entry (libxml2.wasm imported, compiled by workerd).
import { createValidator } from './schema.bundle.js'
import { run, valid } from './cases.js'

export default {
  async fetch(request) {
    const path = new URL(request.url).pathname
    if (path === '/ping') return new Response('up')
    // Cold start: the engine compiled by workerd is instantiated, the schema parsed, one document checked.
    if (path === '/ready') return Response.json((await createValidator()).validate(valid))
    if (request.method === 'POST') {
      // Any later request in the isolate: the validator is shared, nothing loads again.
      const validator = await createValidator()
      return Response.json(validator.validate(await request.text()))
    }
    return Response.json(await run(createValidator))
  },
}
