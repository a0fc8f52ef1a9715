// The OpenAPI 3.1 document of the edge API, generated from the same zod schemas the handler checks.
import { z } from 'zod'
import { problemSchema, routes } from './schemas.ts'

const toSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>

function build(): Record<string, unknown> {
  const paths: Record<string, unknown> = {}
  const problem = { description: 'RFC 9457 problem details', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }
  for (const [path, route] of Object.entries(routes)) {
    paths[path] = {
      post: {
        summary: route.summary,
        operationId: path.slice(4).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
        requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.schema) } } },
        responses: {
          200: { description: 'The result, as JSON (XML as strings)', content: { 'application/json': { schema: { type: 'object' } } } },
          400: problem, 409: problem, 413: problem, 415: problem, 422: problem,
          503: { ...problem, description: 'Too many requests in flight (`edge-busy`): `serveNode` only', headers: { 'Retry-After': { description: 'Seconds to wait before sending it again', schema: { type: 'integer' } } } },
        },
      },
    }
  }
  paths['/v1/openapi.json'] = { get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } } }
  return {
    openapi: '3.1.0',
    info: { title: 'virtuned edge API', version: '0.1.0', description: 'Compose, explain, validate and diff libvirt domain XML, and plan hot-(un)plug, with virtuned.' },
    paths,
    components: { schemas: { Problem: toSchema(problemSchema) } },
  }
}

let cached: Record<string, unknown> | undefined

/** The document, built on first use (zod's JSON Schema conversion is not free). */
export function openapi(): Record<string, unknown> {
  return (cached ??= build())
}
