// workerd: the bundled package through its `workerd` entry (libxml2.wasm imported, compiled by workerd).
import { createValidator } from './schema.bundle.js'
import { run } from './cases.js'

export default {
  async fetch(request) {
    if (request.method === 'POST') {
      // Any later request in the isolate: the validator is shared, nothing loads again.
      const validator = await createValidator()
      return Response.json(validator.validate(await request.text()))
    }
    return Response.json(await run(createValidator))
  },
}
