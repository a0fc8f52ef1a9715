// Node-only: serve the handler with node:http (Node 20 has Request/Response but no Deno.serve).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v)
    else if (value !== undefined) headers.set(key, value)
  }
  const method = req.method ?? 'GET'
  const init: RequestInit & { duplex?: 'half' } = { method, headers }
  if (method !== 'GET' && method !== 'HEAD') {
    // A ReadableStream body: the handler enforces its size limit while reading.
    init.body = new ReadableStream({
      start(controller) {
        req.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)))
        req.on('end', () => controller.close())
        req.on('error', (error) => controller.error(error))
      },
    })
    init.duplex = 'half'
  }
  return new Request(new URL(req.url ?? '/', origin), init)
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status
  response.headers.forEach((value, key) => res.setHeader(key, value))
  res.end(new Uint8Array(await response.arrayBuffer()))
}

/** Serves a fetch handler on `hostname:port` (port 0: any free one); resolves once listening. */
export function serveNode(handler: (request: Request) => Promise<Response>, options: { port?: number; hostname?: string } = {}): Promise<Server> {
  const hostname = options.hostname ?? '127.0.0.1'
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host ?? hostname}`
    toRequest(req, origin).then(handler).then((response) => send(res, response)).catch(() => {
      res.statusCode = 500
      res.end()
    })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, hostname, () => resolve(server))
  })
}
