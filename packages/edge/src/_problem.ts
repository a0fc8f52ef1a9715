// RFC 9457 problem details, shared by the handler and the Node adapter (which answers a few requests
// the Fetch standard cannot represent as a `Request` itself).

const problemBase = 'https://virtuned.dev/problems/'

/** A problem+json response: `type` is virtuned's problem page for `code`. */
export function problem(status: number, code: string, title: string, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type: problemBase + code, title, status, detail, code, ...extra }), { status, headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers } })
}
