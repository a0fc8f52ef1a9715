// Security labels as libvirt reads and writes them in an inactive definition (private): the domain's
// `<seclabel>`s (virSecurityLabelDefsParseXML, virSecurityLabelDefFormat) and a device source's
// (virSecurityDeviceLabelDefParseXML, virSecurityDeviceLabelDefFormat), what libvirt refuses in them and
// what it keeps. Every rule here was checked on libvirtd 9.0 (`virsh define` then `dumpxml --inactive`)
// and agrees with libvirt 11.3's test data (seclabel-* in the corpus).
import type { PreviewContext } from './_context.ts'
import { securityLabelLimits, withinSecurityLabelLimit } from '@virtuned/model'
import { child, kids, type N } from './_node.ts'

export type LabelProblem = { message: string; path: string; code: 'preview-invalid-value' | 'preview-refused' } | undefined

const domainLabelTypes: readonly string[] = ['none', 'dynamic', 'static']

/**
 * Whether libvirt relabels resources for a domain label: `relabel` as written, else no for static and
 * none labels, yes otherwise (a label without a type too).
 */
function domainRelabels(label: N): boolean {
  const relabel = label.attrs.relabel
  if (relabel !== undefined) return relabel === 'yes'
  return label.attrs.type !== 'static' && label.attrs.type !== 'none'
}

/**
 * A child element's text as libvirt's `string(./name[1])` reads it: an empty one is none, and so is one longer than
 * libvirt reads (model's securityLabelLimits: a device's `<label>`, a `<baselabel>`; a domain's static `<label>` is
 * then missing).
 */
function labelText(label: N, name: string): string | undefined {
  // (virXPathStringLimit: an empty label is none, a blank one a label — `<label> </label>`, libvirtd 9.0)
  const text = child(label, name)?.text ?? ''
  return text === '' || !withinSecurityLabelLimit(text, securityLabelLimits.label) ? undefined : text
}

/** A domain label's model as libvirt reads it: one longer than it reads is none (a device label's is not measured). */
function domainModel(label: N): string | undefined {
  const model = label.attrs.model
  return model === undefined || withinSecurityLabelLimit(model, securityLabelLimits.model) ? model : undefined
}

/**
 * A lone label without a model takes the host's (its first security driver's) when it is of type `none`
 * or dynamic without a base label; any other label needs a model.
 */
const takesHostModel = (label: N): boolean =>
  label.attrs.type === 'none' || (label.attrs.type === 'dynamic' && labelText(label, 'baselabel') === undefined)

/** What libvirt's parser refuses in the domain's own labels (in its order: each label, then the set). */
export function domainLabelsProblem(ctx: PreviewContext): LabelProblem {
  const labels = kids(ctx.domain, 'seclabel')
  if (labels.length === 0) return undefined
  const seen: (string | undefined)[] = []
  for (const [i, label] of labels.entries()) {
    const path = labels.length > 1 ? `domain/seclabel[${i + 1}]` : 'domain/seclabel'
    const { type, relabel } = label.attrs
    const model = domainModel(label)
    // ('default' is the enumeration's unset value: written, it is refused like any other word)
    if (type !== undefined && !domainLabelTypes.includes(type)) return { code: 'preview-invalid-value', message: `Invalid value for attribute 'type' in element 'seclabel': '${type}'.`, path: `${path}/@type` }
    if (relabel !== undefined && relabel !== 'yes' && relabel !== 'no') return { code: 'preview-invalid-value', message: `Invalid value for attribute 'relabel' in element 'seclabel': '${relabel}'.`, path: `${path}/@relabel` }
    const relabels = domainRelabels(label)
    if (type === 'dynamic' && !relabels) return { code: 'preview-refused', message: 'dynamic label type must use resource relabeling', path: `${path}/@relabel` }
    if (type === 'none' && relabels) return { code: 'preview-refused', message: "resource relabeling is not compatible with 'none' label type", path: `${path}/@relabel` }
    // (a label of model `none` is read as type none, without its children)
    if (model !== 'none' && type === 'static' && labelText(label, 'label') === undefined) return { code: 'preview-invalid-value', message: 'security label is missing', path: `${path}/label` }
    if (seen.includes(model)) return { code: 'preview-invalid-value', message: `seclabel for model ${model ?? '(null)'} is already provided`, path: `${path}/@model` }
    seen.push(model)
  }
  if (labels.length === 1) {
    const label = labels[0]!
    if (domainModel(label) === undefined && !takesHostModel(label)) return { code: 'preview-invalid-value', message: 'missing security model in domain seclabel', path: 'domain/seclabel' }
  } else {
    const at = labels.findIndex((l) => domainModel(l) === undefined)
    if (at >= 0) return { code: 'preview-invalid-value', message: 'missing security model when using multiple labels', path: `domain/seclabel[${at + 1}]` }
  }
  return undefined
}

/**
 * The first problem `visit` finds among the `<source>`s of a device whose labels libvirt reads — a disk's,
 * down its backing chain, or a character device's — that carry a label (walked without allocating: every
 * preview walks every disk here, and almost none has a label).
 */
export function labelledSourcesProblem(device: N, visit: (source: N) => LabelProblem): LabelProblem {
  let at: N | undefined = device
  while (at) {
    let sources = 0
    for (const c of at.children) {
      if (c.name !== 'source') continue
      // (a character device's labels are read from its first <source> alone: a UDP device's second is not looked into —
      // virDomainChrSourceDefParseXML, libvirtd 9.0)
      if (++sources > 1 && device.name !== 'disk') break
      if (c.children.length === 0) continue
      let labelled = false
      for (const k of c.children) if (k.name === 'seclabel') { labelled = true; break }
      if (!labelled) continue
      const found = visit(c)
      if (found) return found
    }
    at = device.name === 'disk' ? child(at, 'backingStore') : undefined
  }
  return undefined
}

/**
 * What libvirt's parser refuses in one source's labels (`path`: the source's). `relabelNeedsLabel`: libvirt 11's
 * parser (virSecurityDeviceLabelDefParseXML, inactive) also refuses `relabel='yes'` written without a label, which
 * 9.0 took and dropped.
 */
export function sourceLabelsProblem(source: N, path: string, relabelNeedsLabel: boolean): LabelProblem {
  const labels = kids(source, 'seclabel')
  const models: string[] = []
  for (const [i, label] of labels.entries()) {
    const at = labels.length > 1 ? `${path}/seclabel[${i + 1}]` : `${path}/seclabel`
    const { model, relabel } = label.attrs
    if (model !== undefined) {
      if (models.includes(model)) return { code: 'preview-invalid-value', message: `seclabel for model ${model} is already provided`, path: `${at}/@model` }
      models.push(model)
    }
    if (relabel !== undefined && relabel !== 'yes' && relabel !== 'no') return { code: 'preview-invalid-value', message: `Invalid value for attribute 'relabel' in element 'seclabel': '${relabel}'.`, path: `${at}/@relabel` }
    if (relabel === 'no' && labelText(label, 'label') !== undefined) return { code: 'preview-invalid-value', message: `Cannot specify a label if relabelling is turned off. model=${model ?? '<null>'}`, path: `${at}/label` }
    if (relabelNeedsLabel && relabel === 'yes' && labelText(label, 'label') === undefined) return { code: 'preview-invalid-value', message: `Cannot specify relabel if label is missing. model=${model ?? '<null>'}`, path: `${at}/@relabel` }
  }
  return undefined
}

/**
 * virSecurityDeviceLabelDefValidate: a disk's label (anywhere down its chain) overrides the domain's label of
 * the same model, which must relabel. Read on the labels as written (an inactive definition drops some device
 * labels, libvirt validates them all) with the models post-parse gives: a lone domain label without one has
 * the host's (`securityDriver`; unknown, it matches nothing), model `none` never relabels, and a device label
 * without a model matches no domain label (each has one by then).
 */
export function relabelConflict(ctx: PreviewContext, disk: N, path: string | (() => string), securityDriver: string | undefined): LabelProblem {
  const labels = kids(ctx.domain, 'seclabel')
  const refusing: string[] = []
  for (const l of labels) {
    const model = domainModel(l) ?? (labels.length === 1 && takesHostModel(l) ? securityDriver : undefined)
    if (model !== undefined && (model === 'none' || !domainRelabels(l))) refusing.push(model)
  }
  if (refusing.length === 0) return undefined
  return labelledSourcesProblem(disk, (source) => {
    for (const label of kids(source, 'seclabel')) {
      const model = label.attrs.model
      // (the device's path made only for a refusal: most domains relabel)
      if (model !== undefined && refusing.includes(model)) return { code: 'preview-refused', message: 'label overrides require relabeling to be enabled at the domain level', path: `${typeof path === 'string' ? path : path()}/source/seclabel` }
    }
    return undefined
  })
}

/**
 * A source's labels as an inactive definition keeps them: a label that relabels and names no label is not
 * written (nor is `labelskip`, live state); the others with `relabel` spelt out. Whether anything changed.
 */
export function writeSourceLabels(source: N): boolean {
  let changed = false
  const children: N[] = []
  for (const c of source.children) {
    if (c.name !== 'seclabel') { children.push(c); continue }
    const relabels = c.attrs.relabel !== 'no'
    const label = labelText(c, 'label')
    if (relabels && label === undefined) { changed = true; continue }
    const attrs: Record<string, string> = {}
    if (c.attrs.model !== undefined) attrs.model = c.attrs.model
    attrs.relabel = relabels ? 'yes' : 'no'
    // (the first `<label>`, and only when it names one)
    const kept = label === undefined ? [] : [child(c, 'label')!]
    if (Object.keys(c.attrs).join() !== Object.keys(attrs).join() || c.attrs.relabel !== attrs.relabel || kept.length !== c.children.length) {
      c.attrs = attrs
      c.children = kept
      changed = true
    }
    children.push(c)
  }
  if (changed) source.children = children
  return changed
}

/**
 * The domain's labels as an inactive definition keeps them (`securityDriver`: the host's first security
 * model, `undefined` when unknown): a label without a type is not written; model `none` means type none;
 * a none label is type and model only; a dynamic one keeps its base label, a static one its label (image
 * labels and a dynamic label's label are live state); a lone label without a model takes the host's.
 * Returns the labels whose model stays unknown (for the caller to list as not predicted).
 */
export function writeDomainLabels(ctx: PreviewContext, securityDriver: string | undefined): { readonly unknownModel: boolean; readonly changed: readonly string[] } {
  const labels = kids(ctx.domain, 'seclabel')
  if (labels.length === 0) return { unknownModel: false, changed: [] }
  const changed: string[] = []
  let unknownModel = false
  const lone = labels.length === 1
  const kept: N[] = []
  for (const label of labels) {
    const before = JSON.stringify([label.attrs, label.children.map((c) => c.name)])
    const type = label.attrs.type
    let model = domainModel(label)
    // (model `none` makes any label type none, one without a type too: libvirtd 9.0 writes `<seclabel model='none'/>` back
    // as `<seclabel type='none' model='none'/>`)
    if (type === undefined && model !== 'none') { changed.push('a label without a type (libvirt keeps none)'); continue }
    if (model === undefined && lone) {
      if (securityDriver === undefined) unknownModel = true
      else model = securityDriver
    }
    const stored = model === 'none' ? 'none' : type!
    const attrs: Record<string, string> = { type: stored }
    if (model !== undefined) attrs.model = model
    if (stored !== 'none') attrs.relabel = domainRelabels(label) ? 'yes' : 'no'
    label.attrs = attrs
    // (the first of each, and only when it says something: libvirt reads `string(./label[1])`)
    const keep = stored === 'dynamic' ? 'baselabel' : stored === 'static' ? 'label' : undefined
    label.children = keep !== undefined && labelText(label, keep) !== undefined ? [child(label, keep)!] : []
    if (JSON.stringify([label.attrs, label.children.map((c) => c.name)]) !== before) changed.push(stored)
    kept.push(label)
  }
  if (kept.length !== labels.length) ctx.domain.children = ctx.domain.children.filter((c) => c.name !== 'seclabel' || kept.includes(c))
  return { unknownModel, changed }
}
