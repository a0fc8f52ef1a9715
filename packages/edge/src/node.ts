// Node-only: serve the handler with node:http (Node 20 has Request/Response but no Deno.serve).
// One request must never take the server down: every listener here catches what it can throw, the
// body stream stops at the handler's cancel and honours backpressure, what node:http rejects (bad
// request lines, headers over the limit, timeouts, a missing Host, an unknown Expect) is answered
// as problem+json, and only a few requests are worked on at once (the rest wait in a bounded queue
// or get 503).
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
  /**
   * Requests worked on at once (default 2). The work is synchronous CPU work on one event loop, so
   * more at once adds memory and latency, not throughput. A request takes a slot once its body has
   * arrived whole (a slow upload holds none) and gives it back once its answer is handed to the
   * connection; GET and HEAD (no body, no work) take none.
   */
  readonly maxConcurrent?: number
  /**
   * Requests that may be in the server besides those worked on — receiving their body or waiting
   * for a slot (default 16). One more gets 503 `edge-busy` as it arrives, its body unread.
   */
  readonly maxQueued?: number
  /**
   * Longest a request waits for a slot, in ms from its arrival (default 10 000); then 503
   * `edge-busy`. A slow upload that finds a slot free when its body ends is not refused.
   */
  readonly queueTimeoutMs?: number
}

/** Seconds a client told 503 `edge-busy` is asked to wait before sending the request again. */
const busyRetryAfter = '1'

/** The answer to a request that found no place (server full) or no slot (waited `queueTimeoutMs`). */
const busy = () => problem(503, 'edge-busy', 'Service unavailable', 'Too many requests are being worked on; send it again after Retry-After seconds', {}, { 'retry-after': busyRetryAfter })

/** Gives a slot back; calls after the first do nothing. */
type Release = () => void

interface Gate {
  /** A place for a request that just arrived, or `undefined` when `limit + queued` are inside. */
  arrive(): Release | undefined
  /**
   * A slot for its work, or `undefined` when none came by `deadline` (a `performance.now()` time)
   * or the response closed (the client went away) first.
   */
  enter(res: ServerResponse, deadline: number): Promise<Release | undefined>
}

/**
 * Two bounds. At most `limit + queued` requests inside (receiving their body, waiting for a slot,
 * worked on): one more is refused as it arrives, before its body is read — when the work is behind,
 * shedding early is what keeps the answers of the others fast. And at most `limit` slots for the
 * work, taken in the order the bodies end.
 */
function createGate(limit: number, queued: number): Gate {
  let inside = 0
  let active = 0
  const waiting: (() => void)[] = []
  const slot = (): Release => {
    let held = true
    return () => {
      if (!held) return
      held = false
      // Handed straight to the first in line: `active` stays as it is.
      const next = waiting.shift()
      if (next) next()
      else active--
    }
  }
  return {
    arrive() {
      if (inside >= limit + queued) return undefined
      inside++
      let held = true
      return () => {
        if (held) inside--
        held = false
      }
    },
    enter(res, deadline) {
      if (active < limit) {
        active++
        return Promise.resolve(slot())
      }
      const wait = deadline - performance.now()
      if (wait <= 0) return Promise.resolve(undefined)
      // No bound of its own: those waiting are inside, and `arrive` bounds those.
      return new Promise((resolve) => {
        const settle = (release: Release | undefined) => {
          clearTimeout(timer)
          res.off('close', leave)
          resolve(release)
        }
        const admit = () => settle(slot())
        const leave = () => {
          const at = waiting.indexOf(admit)
          if (at >= 0) waiting.splice(at, 1)
          settle(undefined)
        }
        const timer = setTimeout(leave, wait)
        res.once('close', leave)
        waiting.push(admit)
      })
    },
  }
}

/** A whole number of at least `min`, or a RangeError naming the option. */
function count(name: string, value: number | undefined, fallback: number, min: number): number {
  const n = value ?? fallback
  if (!Number.isInteger(n) || n < min) throw new RangeError(`Unexpected \`${name}\` ${n}, expected a whole number of at least ${min}`)
  return n
}

/** Methods the Fetch standard forbids in a `Request` (node:http hands `CONNECT` to a listener of its own). */
const forbiddenMethods = new Set(['CONNECT', 'TRACE', 'TRACK'])

/** Bytes the body stream holds before it pauses the socket (the handler reads faster than that). */
const bodyHighWaterMark = 64 * 1024

/**
 * The request body as a web stream: chunks are copied (a view would pin the socket's read buffer),
 * the request is paused when the stream's queue is full and resumed on pull, and once the handler
 * cancels (a body over the limit) nothing more is enqueued and the request stays paused, so TCP
 * flow control holds the client back until the answer is sent and the connection closed. The end
 * of the body is held back until `admit` resolves: the handler's work starts after it has read the
 * whole body, so that is where a request waits for its slot; refused (`false`), the stream errors
 * and the handler answers at once, without the work.
 */
function bodyStream(req: IncomingMessage, admit: () => Promise<boolean>): ReadableStream<Uint8Array> {
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
        admit().then((admitted) => {
          try {
            if (admitted) controller.close()
            else controller.error(new Error('No slot for this request'))
          } catch {
            // The handler cancelled the stream meanwhile.
          }
        }, () => undefined)
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

function toRequest(req: IncomingMessage, url: URL, method: string, admit: () => Promise<boolean>): Request {
  const init: RequestInit & { duplex?: 'half' } = { method, headers: headersOf(req) }
  if (method !== 'GET' && method !== 'HEAD') {
    // A ReadableStream body: the handler enforces its size limit while reading.
    init.body = bodyStream(req, admit)
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
  const gate = createGate(count('maxConcurrent', options.maxConcurrent, 2, 1), count('maxQueued', options.maxQueued, 16, 0))
  const queueTimeout = count('queueTimeoutMs', options.queueTimeoutMs, 10_000, 0)
  const server = createServer({
    headersTimeout,
    requestTimeout,
    // How often node:http looks for requests over those times (its default, 30 s, is longer than them).
    connectionsCheckingInterval: Math.max(100, Math.min(headersTimeout, requestTimeout) / 4),
    // Refused in the listener instead, with a body.
    requireHostHeader: false,
  }, (req, res) => {
    // Counted from the arrival: while the event loop is busy with others' work, bodies are read
    // slowly too, and that wait is the client's as much as the wait for a slot.
    const deadline = performance.now() + queueTimeout
    // GET and HEAD have no body and do no work (the OpenAPI document, refusals): they take no place.
    const place = req.method === 'GET' || req.method === 'HEAD' ? () => undefined : gate.arrive()
    if (!place) {
      send(req, res, busy()).catch(() => res.destroy())
      return
    }
    let release: Release | undefined
    let refused = false
    let answered = false
    const admit = async (): Promise<boolean> => {
      const slot = await gate.enter(res, deadline)
      // A handler that answered without reading its body to the end: the slot is not needed.
      if (answered) slot?.()
      else if (slot) release = slot
      else refused = true
      return release !== undefined
    }
    const answer = async (): Promise<Response> => {
      // RFC 9112 §3.2 (node:http's own answer to it, with requireHostHeader, has no body).
      if (req.headers.host === undefined && req.httpVersion === '1.1') return problem(400, 'bad-host', 'Bad request', 'An HTTP/1.1 request needs a Host header')
      const url = urlOf(req, hostname)
      if (!url) return problem(400, 'bad-host', 'Bad request', 'The Host header or the request target is malformed')
      const method = req.method ?? 'GET'
      if (forbiddenMethods.has(method)) return refuseForbidden(handler, req, url)
      let request: Request
      try {
        request = toRequest(req, url, method, admit)
      } catch {
        return problem(400, 'bad-http', 'Bad request', 'The request cannot be read (a header value is malformed)')
      }
      const response = await handler(request)
      if (!refused) return response
      // The handler saw its body fail (and did no work): the answer is that there was no slot.
      await response.body?.cancel()
      return busy()
    }
    answer().then((response) => send(req, res, response)).catch(() => fail(req, res)).catch(() => res.destroy()).finally(() => {
      answered = true
      release?.()
      place()
    })
  })
  server.on('clientError', onClientError)
  // An Expect other than 100-continue: node:http's own 417 has no body.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    send(req, res, problem(417, 'expectation-failed', 'Expectation failed', 'Unexpected `Expect` header, expected none or `100-continue`')).catch(() => res.destroy())
  })
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
