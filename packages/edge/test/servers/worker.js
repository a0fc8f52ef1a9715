// workerd: the bundle as a module worker.
import { createHandler } from './edge.bundle.js'

const handler = createHandler()
export default { fetch: (request) => handler(request) }
