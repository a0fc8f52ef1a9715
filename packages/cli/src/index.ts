export { run } from './main.ts'
export { nodeIo, type CliIo } from './io.ts'
export { formatError, UsageError, InputError } from './errors.ts'
export { exampleDomainXml } from './example.ts'
