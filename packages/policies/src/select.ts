// The DSL's paths into a domain are model's (`selectAll`, `rewriteAll` of @virtuned/model): one
// path language for policies' `when`/`refuses`/`convert` and the defaults' conditions.
export { selectAll, selectIdentities, selectsAny } from '@virtuned/model'
