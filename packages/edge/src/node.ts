// Node-only: serve the handler with node:http (Node 20 has Request/Response but no Deno.serve).
// One request must never take the server down: every listener here catches what it can throw, the
// body stream stops at the handler's cancel and honours backpressure, and what node:http rejects
// (bad request lines, headers over the limit, timeouts) is answered as problem+json.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { problem } from './_problem.ts'

export interface ServeNodeOptions {
  /** Port to listen on (default 0: any free one). */
  readonly port?: number
  /** Address to listen on (default `127.0.0.1`). */
  readonly hostname?: string
  /** Time a client has to send the request line and headers, in ms (default 10 000); then 408. */
  readonly headersTimeoutMs?: number
  /** Time a client has to send the whole request, body included, in ms (default 30 000); then 408. */
  readonly requestTimeoutMs?: number
  /** Told of server-level errors (e.g. `EMFILE` on accept), which never stop the server (default: `console.error`). */
  readonly onError?: (error: Error) => void
}

/** Methods the Fetch standard forbids in a `Request` (node:http hands `CONNECT` to a listener of its own). */
const forbiddenMethods = new Set(['CONNECT', 'TRACE', 'TRACK'])

/** Bytes the body stream holds before it pauses the socket (the handler reads faster than that). */
const bodyHighWaterMark = 64 * 1024

/**
 * The request body as a web stream: chunks are copied (a view would pin the socket's read buffer),
 * the request is paused when the stream's queue is full and resumed on pull, and once the handler
 * cancels (a body over the limit) nothing more is enqueued and the request stays paused, so TCP
 * flow control holds the client back until the answer is sent and the connection closed.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false
  let onData: (chunk: Buffer) => void = () => undefined
  const stop = () => {
    settled = true
    req.off('data', onData)
    req.pause()
  }
  return new ReadableStream<Uint8Array>({
    start(controller) {
      onData = (chunk) => {
        if (settled) return
        try {
          controller.enqueue(new Uint8Array(chunk))
        } catch {
          // The stream was closed under us (its reader went away): never throw from a 'data' listener.
          stop()
          return
        }
        if ((controller.desiredSize ?? 0) <= 0) req.pause()
      }
      req.on('data', onData)
      req.on('end', () => {
        if (settled) return
        settled = true
        controller.close()
      })
      req.on('error', (error) => {
        if (settled) return
        stop()
        controller.error(error)
      })
      // 'close' before 'end': the client went away mid-body (or a timeout destroyed the request).
      req.on('close', () => {
        if (settled || req.complete) return
        stop()
        controller.error(new Error('The client closed the connection before the body was complete'))
      })
    },
    pull() {
      if (!settled) req.resume()
    },
    cancel() {
      stop()
    },
  }, { highWaterMark: bodyHighWaterMark, size: (chunk) => chunk.byteLength })
}

/** The URL of a request, or `undefined` when its `Host` or target is malformed (answered 400). */
function urlOf(req: IncomingMessage, fallbackHost: string): URL | undefined {
  const host = req.headers.host ?? fallbackHost
  // RFC 3986 host [":" port]: a reg-name or IPv4 address, or an IP literal in brackets; nothing else.
  if (!/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::\d{1,5})?$/.test(host)) return undefined
  const target = req.url ?? '/'
  try {
    const url = target.startsWith('/') ? new URL(`http://${host}${target}`) : new URL(target)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined
  } catch {
    return undefined
  }
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v)
    else if (value !== undefined) headers.set(key, value)
  }
  return headers
}

function toRequest(req: IncomingMessage, url: URL, method: string): Request {
  const init: RequestInit & { duplex?: 'half' } = { method, headers: headersOf(req) }
  if (method !== 'GET' && method !== 'HEAD') {
    // A ReadableStream body: the handler enforces its size limit while reading.
    init.body = bodyStream(req)
    init.duplex = 'half'
  }
  return new Request(url, init)
}

/**
 * TRACE and TRACK cannot be a `Request`: they are answered here, 405 with the methods the handler
 * gives for the path in answer to OPTIONS (or its 404 when there is no such path).
 */
async function refuseForbidden(handler: (request: Request) => Promise<Response>, req: IncomingMessage, url: URL): Promise<Response> {
  const probe = await handler(new Request(url, { method: 'OPTIONS' }))
  if (probe.status === 404) return probe
  await probe.body?.cancel()
  const allow = probe.headers.get('allow') ?? ''
  return problem(405, 'method-not-allowed', 'Method not allowed', `${req.method} is not served here${allow ? `; use ${allow.split(',')[0]!.trim()}` : ''}`, {}, { allow })
}

/** How long a connection whose body was left unread stays open after the answer, for the client to read it. */
const lingerMs = 2000

async function send(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  const body = new Uint8Array(await response.arrayBuffer())
  if (res.headersSent || res.destroyed) return
  res.statusCode = response.status
  response.headers.forEach((value, key) => res.setHeader(key, value))
  // A body that came with the headers is parsed only after this tick's callbacks: one turn later.
  if (!req.complete) await new Promise((resolve) => setImmediate(resolve))
  if (res.destroyed) return
  if (req.complete) {
    res.end(body)
    return
  }
  // A body the handler did not read to its end (over the limit, or never looked at): the answer is
  // the last thing on this connection. Not closed at once: closing a socket with unread bytes resets
  // it, and a client still sending would often lose the answer with its next write. So the whole
  // answer is written, but ended (which lets node:http close the connection) only once the client
  // has closed, or after `lingerMs`. Meanwhile the request stays paused: TCP flow control holds the
  // client back, and nothing more is read or kept.
  res.setHeader('content-length', body.byteLength)
  res.setHeader('connection', 'close')
  res.flushHeaders()
  if (body.byteLength > 0) res.write(body)
  const end = () => {
    clearTimeout(timer)
    res.end()
  }
  const timer = setTimeout(end, lingerMs)
  req.socket.once('close', end)
}

/** The 500 for a failure in the adapter or handler itself: problem+json if nothing was sent yet. */
async function fail(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (res.headersSent) {
    res.destroy()
    return
  }
  await send(req, res, problem(500, 'internal', 'Internal error', 'An unexpected error occurred; this is a bug in virtuned.'))
}

function rawProblem(status: number, reason: string, code: string, detail: string, allow?: string): string {
  const body = JSON.stringify({ type: `https://virtuned.dev/problems/${code}`, title: reason, status, detail, code })
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json; charset=utf-8\r\n${allow === undefined ? '' : `Allow: ${allow}\r\n`}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
}

/** What node:http's parser or timers refused, as problem+json (its default answer has no body). */
function onClientError(error: Error & { code?: string }, socket: Duplex): void {
  socket.on('error', () => undefined)
  const pending = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage
  if (socket.writable && (!pending || !pending.headersSent)) {
    const answer =
      error.code === 'HPE_HEADER_OVERFLOW' ? rawProblem(431, 'Request Header Fields Too Large', 'headers-too-large', 'The request headers are over the limit')
      : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW' ? rawProblem(413, 'Payload Too Large', 'payload-too-large', 'The chunk extensions are over the limit')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? rawProblem(408, 'Request Timeout', 'request-timeout', 'The request was not received in time; send it again')
      : error.code === 'ECONNRESET' ? undefined
      : rawProblem(400, 'Bad Request', 'bad-http', 'The request is not valid HTTP/1.1')
    if (answer) socket.write(answer)
  }
  socket.destroy()
}

/**
 * Serves a fetch handler on `hostname:port` (port 0: any free one); resolves once listening.
 * No request can stop the server: errors of one request end in that request's answer (or its
 * connection), server-level errors go to `onError`.
 */
export function serveNode(handler: (request: Request) => Promise<Response>, options: ServeNodeOptions = {}): Promise<Server> {
  const hostname = options.hostname ?? '127.0.0.1'
  const headersTimeout = options.headersTimeoutMs ?? 10_000
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 30_000, headersTimeout)
  const onError = options.onError ?? ((error: Error) => console.error(`@virtuned/edge: ${error.message}`))
  const server = createServer({
    headersTimeout,
    requestTimeout,
    // How often node:http looks for requests over those times (its default, 30 s, is longer than them).
    connectionsCheckingInterval: Math.max(100, Math.min(headersTimeout, requestTimeout) / 4),
  }, (req, res) => {
    const answer = async (): Promise<Response> => {
      const url = urlOf(req, hostname)
      if (!url) return problem(400, 'bad-host', 'Bad request', 'The Host header or the request target is malformed')
      const method = req.method ?? 'GET'
      if (forbiddenMethods.has(method)) return refuseForbidden(handler, req, url)
      let request: Request
      try {
        request = toRequest(req, url, method)
      } catch {
        return problem(400, 'bad-http', 'Bad request', 'The request cannot be read (a header value is malformed)')
      }
      return handler(request)
    }
    answer().then((response) => send(req, res, response)).catch(() => fail(req, res)).catch(() => res.destroy())
  })
  server.on('clientError', onClientError)
  // CONNECT (a proxy tunnel) is not a route: 405, and the connection closes.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => undefined)
    socket.end(rawProblem(405, 'Method Not Allowed', 'method-not-allowed', 'CONNECT is not served here', ''))
    // node:http no longer watches this socket (no timeouts): close it even if the client does not.
    const timer = setTimeout(() => socket.destroy(), lingerMs)
    socket.once('close', () => clearTimeout(timer))
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, hostname, () => {
      server.off('error', reject)
      server.on('error', onError)
      resolve(server)
    })
  })
}
