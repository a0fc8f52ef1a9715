// serveNode in-process: how many requests it works on at once (audit: 24 concurrent 1 MiB
// validations took a 512 MiB heap down, 120 took 158 s), and bodies for what node:http answers
// on its own with none. The handler is a stub that holds each request until the test lets it go,
// so that nothing here depends on timing: the test waits for states, never for durations.
import type { Server } from 'node:http'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createHandler, problemSchema } from '../src/index.ts'
import { serveNode, type ServeNodeOptions } from '../src/node.ts'

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/**
 * A server whose handler reads the body, then waits until `letGo()`: `read` counts the requests
 * that got past their body (admitted), `failed` those whose body failed (no slot for them).
 */
async function heldServer(options: ServeNodeOptions) {
  const state = { started: 0, read: 0, failed: 0 }
  const waiting: (() => void)[] = []
  const handler = async (request: Request): Promise<Response> => {
    state.started++
    if (request.method === 'GET') return Response.json({ get: true })
    let text: string
    try {
      text = await request.text()
    } catch {
      state.failed++
      return Response.json({ failed: true }, { status: 400 })
    }
    state.read++
    if (text === 'throw') throw new Error('a bug in the handler')
    if (text !== 'quick') await new Promise<void>((resolve) => waiting.push(resolve))
    return Response.json({ length: text.length })
  }
  const server = await serveNode(handler, options)
  servers.push(server)
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const post = async (body = 'x') => {
    const response = await fetch(base + '/v1/validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    return { status: response.status, headers: response.headers, body: await response.json() as Record<string, unknown> }
  }
  const letGo = () => { for (const resolve of waiting.splice(0)) resolve() }
  return { state, base, post, letGo, waiting }
}

/** Until `condition()` holds (polled every 5 ms; the test's own timeout is the bound). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
}

/** Raw bytes on a new connection; what comes back until the server closes it (or 5 s). */
function raw(port: number, bytes: string): Promise<{ status?: number; headers: string; body: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let text = ''
    const finish = () => {
      clearTimeout(timer)
      socket.destroy()
      const [head = '', ...rest] = text.split('\r\n\r\n')
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]
      resolve({ ...(status ? { status: Number(status) } : {}), headers: head, body: rest.join('\r\n\r\n') })
    }
    const timer = setTimeout(finish, 5000)
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => { text += d })
    socket.on('error', () => undefined)
    socket.on('close', finish)
    socket.write(bytes)
  })
}

const expectBusy = (answer: { status: number; headers: Headers; body: Record<string, unknown> }) => {
  expect(answer.status).toBe(503)
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  expect(answer.headers.get('retry-after')).toBe('1')
  expect(problemSchema.parse(answer.body)).toMatchObject({ status: 503, code: 'edge-busy' })
}

describe('serveNode works on at most maxConcurrent requests, queues maxQueued, and answers 503 edge-busy beyond', () => {
  it('admits maxConcurrent, queues maxQueued in order, refuses one more at once with 503 and Retry-After', async () => {
    const { state, post, letGo } = await heldServer({ maxConcurrent: 2, maxQueued: 1, queueTimeoutMs: 60_000 })
    const held = [post('first'), post('second')]
    await until(() => state.read === 2)
    // Two more: one waits in the queue, the other finds it full. Which is which is up to the network.
    const third = post('third')
    const fourth = post('fourth')
    const first = await Promise.race([third, fourth])
    expectBusy(first)
    expect(state.read).toBe(2)
    letGo()
    for (const answer of await Promise.all(held)) expect(answer.status).toBe(200)
    // The queued one gets its slot, and is answered once let go.
    await until(() => state.read === 3)
    letGo()
    const [a, b] = await Promise.all([third, fourth])
    expect([a.status, b.status].sort()).toEqual([200, 503])
  })

  it('answers 503 to a request that waited queueTimeoutMs for a slot', async () => {
    const { state, post, letGo } = await heldServer({ maxConcurrent: 1, maxQueued: 4, queueTimeoutMs: 50 })
    const held = post('held')
    await until(() => state.read === 1)
    expectBusy(await post('waits'))
    expect(state.read).toBe(1)
    letGo()
    expect((await held).status).toBe(200)
  })

  it('gives no slot to a body still arriving: a slow upload does not hold the others back', async () => {
    const { state, base, post } = await heldServer({ maxConcurrent: 1, maxQueued: 1 })
    const port = Number(new URL(base).port)
    // 10 of 1000 bytes, then nothing: its handler waits for the rest, outside the limit.
    const slow = raw(port, 'POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n0123456789')
    await until(() => state.started === 1)
    const answer = await post('quick')
    expect(answer).toMatchObject({ status: 200, body: { length: 5 } })
    expect(state.read).toBe(1)
    for (const server of servers) server.closeAllConnections()
    await slow
  })

  it('takes a client that left the queue out of it, and gives the slot back after a handler error', async () => {
    const { state, base, post, letGo } = await heldServer({ maxConcurrent: 1, maxQueued: 2, queueTimeoutMs: 60_000 })
    const held = post('held')
    await until(() => state.read === 1)
    // A queued client goes away: its place is freed (its body fails, the handler does no work).
    const socket = connect(Number(new URL(base).port), '127.0.0.1')
    socket.on('error', () => undefined)
    socket.write('POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\nleft')
    await until(() => state.started === 2)
    socket.destroy()
    await until(() => state.failed === 1)
    // The slot goes to the next in line, not to the client that left (that would leave it waiting).
    const queued = post('queued')
    await until(() => state.started === 3)
    letGo()
    expect((await held).status).toBe(200)
    await until(() => state.read === 2)
    letGo()
    expect((await queued).status).toBe(200)
    // A handler that throws: 500, and its slot and place are free for the next request.
    expect((await post('throw')).status).toBe(500)
    expect((await post('quick')).status).toBe(200)
    expect((await post('throw')).status).toBe(500)
    expect((await post('throw')).status).toBe(500)
    const after = await Promise.all([post('quick'), post('quick')])
    expect(after.map((a) => a.status)).toEqual([200, 200])
  })

  it('refuses as it arrives, its body unread, a request over maxConcurrent + maxQueued; GET and HEAD take no place; bad options are refused', async () => {
    const { state, base, post, letGo } = await heldServer({ maxConcurrent: 1, maxQueued: 0 })
    const held = post('held')
    await until(() => state.read === 1)
    const got = await fetch(base + '/v1/openapi.json')
    expect([got.status, await got.json()]).toEqual([200, { get: true }])
    expectBusy(await post('refused'))
    // 10 bytes of 1 MB sent: the 503 comes without waiting for the rest, and the handler never sees it.
    const partial = await raw(Number(new URL(base).port), 'POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n0123456789')
    expect(partial.status).toBe(503)
    expect(partial.headers).toMatch(/\r\nretry-after: 1\r\n/i)
    expect(problemSchema.parse(JSON.parse(partial.body))).toMatchObject({ code: 'edge-busy' })
    expect(state.started).toBe(2) // the held request and the GET
    letGo()
    expect((await held).status).toBe(200)
    for (const options of [{ maxConcurrent: 0 }, { maxConcurrent: 1.5 }, { maxQueued: -1 }, { queueTimeoutMs: Number.NaN }]) {
      expect(() => serveNode(createHandler(), options), JSON.stringify(options)).toThrow(RangeError)
    }
  })

  it('serves the real handler under the limit', async () => {
    const server = await serveNode(createHandler(), { maxConcurrent: 1, maxQueued: 8 })
    servers.push(server)
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/validate`
    const body = JSON.stringify({ xml: "<domain type='kvm'><name>ok</name><memory>1048576</memory></domain>" })
    const answers = await Promise.all(Array.from({ length: 6 }, () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (r) => [r.status, (await r.json() as { name?: string }).name])))
    expect(answers).toEqual(Array(6).fill([200, 'ok']))
  })
})

describe('what node:http answers without a body gets problem+json', () => {
  it('HTTP/1.1 without Host: 400 bad-host; HTTP/1.0 without Host is served', async () => {
    const server = await serveNode(createHandler())
    servers.push(server)
    const port = (server.address() as { port: number }).port
    const body = '{"xml":"<domain><name>x</name></domain>"}'
    const missing = await raw(port, `POST /v1/validate HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`)
    expect(missing.status).toBe(400)
    expect(missing.headers).toMatch(/\r\ncontent-type: application\/problem\+json/i)
    expect(problemSchema.parse(JSON.parse(missing.body))).toMatchObject({ status: 400, code: 'bad-host', detail: 'An HTTP/1.1 request needs a Host header' })
    const old = await raw(port, `POST /v1/validate HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`)
    expect(old.status).toBe(200)
    expect(JSON.parse(old.body)).toMatchObject({ name: 'x' })
  })

  it('Expect other than 100-continue: 417 expectation-failed; 100-continue still works', async () => {
    const server = await serveNode(createHandler())
    servers.push(server)
    const port = (server.address() as { port: number }).port
    const body = '{"xml":"<domain><name>x</name></domain>"}'
    const bogus = await raw(port, `POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: bogus\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`)
    expect(bogus.status).toBe(417)
    expect(problemSchema.parse(JSON.parse(bogus.body))).toMatchObject({ status: 417, code: 'expectation-failed' })
    const continued = await raw(port, `POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`)
    expect(continued.headers).toMatch(/^HTTP\/1\.1 100 Continue/)
    expect(continued.body).toMatch(/^HTTP\/1\.1 200 OK/)
  })
})
