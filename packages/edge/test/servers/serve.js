// Starts the edge handler on 127.0.0.1:PORT in whichever runtime runs this file (Deno, Bun or
// Node), then prints `listening`. Usage: <runtime> serve.js BUNDLE_URL PORT [NODE_ADAPTER_URL [NODE_OPTIONS_JSON]]
const [bundle, port, nodeAdapter, nodeOptions] = typeof Deno !== 'undefined' ? Deno.args : process.argv.slice(2)
const { createHandler } = await import(bundle)
const handler = createHandler()
if (typeof Deno !== 'undefined') {
  Deno.serve({ port: Number(port), hostname: '127.0.0.1', onListen: () => console.log('listening') }, handler)
} else if (typeof Bun !== 'undefined') {
  Bun.serve({ port: Number(port), hostname: '127.0.0.1', fetch: handler })
  console.log('listening')
} else {
  const { serveNode } = await import(nodeAdapter)
  await serveNode(handler, { ...(nodeOptions ? JSON.parse(nodeOptions) : {}), port: Number(port) })
  console.log('listening')
}
