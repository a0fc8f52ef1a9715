// For tests that start servers: a free loopback port, and whether a runtime binary is there.
import { createServer } from 'node:net'

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** A runtime that is missing fails in CI and skips elsewhere, with the reason in the test name. */
export function availability(what: string, present: boolean, hint: string): { skip: boolean; label: string } {
  if (present) return { skip: false, label: what }
  if (process.env.CI === 'true') return { skip: false, label: `${what} (missing: ${hint})` }
  return { skip: true, label: `${what} (skipped: not installed — ${hint})` }
}
