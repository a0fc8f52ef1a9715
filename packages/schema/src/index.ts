export {
  createValidator, libvirtSchemaVersion,
  type CreateValidatorOptions, type SchemaValidator, type SchemaResult, type SchemaProblem, type SchemaProblemCode, type SchemaInfo,
} from './validator.ts'
export { SchemaError, schemaErrorCatalog, type SchemaErrorCode } from './errors.ts'
