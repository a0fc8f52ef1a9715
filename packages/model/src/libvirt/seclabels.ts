// How long a security label's words may be before libvirt's parsers stop reading them (virSecurityLabelDefParseXML,
// virSecurityDeviceLabelDefParseXML: `STRLIM(s, VIR_SECURITY_*_BUFLEN - 1)`, a length in bytes of UTF-8).

/**
 * The longest model and label libvirt reads in a `<seclabel>`, in bytes (VIR_SECURITY_MODEL_BUFLEN and
 * VIR_SECURITY_LABEL_BUFLEN of libvirt-host.h, less their NUL; the same in libvirt 9.0 and 11.3):
 *
 * - `model`: a domain label's longer model is read as none (so a lone one takes the host's security driver); a
 *   device label's model is not measured;
 * - `label`: a domain label's longer `<label>` (static, or live) is refused as `security label is missing`, a longer
 *   `<baselabel>` is read as none, and a device label's longer `<label>` is none (not written back, and no refusal
 *   beside `relabel='no'`).
 *
 * Checked on libvirtd 9.0 (probes h42-s-model256/257, h42-s-static-label4096/4097, h42-s-base4096/4097,
 * h42-ds-label4096/4097).
 */
export const securityLabelLimits: { readonly model: number; readonly label: number } = Object.freeze({ model: 256, label: 4096 })

/** Whether libvirt reads `text` within `limit` bytes (its UTF-8 length, as C's strnlen counts it). */
export function withinSecurityLabelLimit(text: string, limit: number): boolean {
  // (each UTF-16 unit is at least one byte: most labels are measured without encoding them)
  if (text.length * 3 <= limit) return true
  if (text.length > limit) return false
  return new TextEncoder().encode(text).length <= limit
}
