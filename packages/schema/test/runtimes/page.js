// Chromium: the bundled package, with the engine and schemas as lazily loaded chunks.
import { createValidator } from './schema.bundle.js'
import { run } from './cases.js'

globalThis.probe = () => run(createValidator)
// Every document given: libxml2's verdict and its problems' lines and codes.
globalThis.verdicts = async (documents) => {
  const validator = await createValidator()
  return documents.map((xml) => { const r = validator.validate(xml); return [r.valid, r.errors.map((e) => [e.line, e.code])] })
}
document.title = 'ready'
