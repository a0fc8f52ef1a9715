export { createHandler, edgeDeviceLimits, type HandlerOptions } from './handler.ts'
export { openapi } from './openapi.ts'
export { routes, composeRequest, applyRequest, validateRequest, diffRequest, planAttachRequest, planDetachRequest, previewRequest, problemSchema, type Route } from './schemas.ts'
