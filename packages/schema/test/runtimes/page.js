// Chromium: the bundled package, with the engine and schemas as lazily loaded chunks.
import { createValidator } from './schema.bundle.js'
import { run } from './cases.js'

globalThis.probe = () => run(createValidator)
document.title = 'ready'
