// Node, Deno and Bun: the bundled package (default entry), result as JSON on stdout.
import { createValidator } from './schema.bundle.js'
import { run } from './cases.js'

console.log(JSON.stringify(await run(createValidator)))
