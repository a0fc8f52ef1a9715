// The package for Node, browsers, Deno and Bun: the engine's module is the copy inlined as base64.
export * from './_api.ts'
export { getEngine } from './inline-engine.ts'
