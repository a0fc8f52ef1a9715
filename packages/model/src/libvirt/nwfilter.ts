// A network filter reference's parameters as libvirt's parser keeps them (src/conf/nwfilter_params.c
// virNWFilterParseParamAttributes, libvirt 9.0.0; the same in 11.3): a <parameter> is kept only with a name and a value,
// the name of VALID_VARNAME's characters (ASCII letters, digits, `_`), the value not empty and of VALID_VARVALUE's
// (those and `.` and `:`); any other is skipped without a word.

const varName = /^[A-Za-z0-9_]*$/
const varValue = /^[A-Za-z0-9_.:]+$/

/** Whether virNWFilterParseParamAttributes keeps a `<parameter name value>` (`undefined`: the attribute is not written). */
export function nwfilterParameterKept(name: string | undefined, value: string | undefined): boolean {
  return name !== undefined && value !== undefined && varName.test(name) && varValue.test(value)
}
