// KubeVirt preferences (VirtualMachinePreference / VirtualMachineClusterPreference, as published in
// kubevirt/common-instancetypes) → a virtuned policy. A preference only fills gaps, so everything
// becomes `prefer`; fields with no libvirt meaning here are listed, never dropped silently.
import { LineCounter, parseAllDocuments } from 'yaml'
import { PolicyError } from './errors.ts'
import { checkPolicySize, definePolicy, yamlToData } from './load.ts'
import type { Policy, PolicyInput } from './schema.ts'
import { escapeXml } from '@virtuned/xml-core'

export interface KubevirtImport {
  readonly policy: Policy
  /** Spec fields (dotted paths) virtuned cannot express, with why. */
  readonly unmapped: readonly { readonly field: string; readonly reason: string }[]
}

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

const hypervNames: Readonly<Record<string, string>> = {
  relaxed: 'relaxed', vapic: 'vapic', vpindex: 'vpindex', spinlocks: 'spinlocks', synic: 'synic', synictimer: 'stimer', reset: 'reset',
  runtime: 'runtime', frequencies: 'frequencies', reenlightenment: 'reenlightenment', tlbflush: 'tlbflush', ipi: 'ipi', evmcs: 'evmcs', vendorid: 'vendor_id',
}

const timerNames: Readonly<Record<string, string>> = { hpet: 'hpet', kvm: 'kvmclock', pit: 'pit', rtc: 'rtc', hyperv: 'hypervclock' }


function enabled(v: unknown): boolean {
  return isObj(v) ? v.enabled !== false : v === true
}

/**
 * Converts one preference document (YAML or JSON text) into a policy named after it.
 * @throws PolicyError `policy-syntax` / `policy-invalid` when the text is not a KubeVirt preference.
 */
export function importKubevirtPreference(text: string, file = 'preference.yaml'): KubevirtImport {
  if (typeof text !== 'string') throw new PolicyError('policy-syntax', `${file}: expected the file's text`, { file })
  checkPolicySize(text, file)
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(text, { lineCounter })
  const list = Array.isArray(docs) ? docs : [docs]
  const first = list[0]
  if (!first || first.errors.length > 0) {
    const error = first?.errors[0]
    const at = error ? lineCounter.linePos(error.pos[0]) : { line: 1, col: 1 }
    throw new PolicyError('policy-syntax', `${file}:${at.line}:${at.col}: ${error?.message.split('\n')[0] ?? 'empty document'}`, { file, place: { line: at.line, column: at.col, offset: error?.pos[0] ?? 0 } })
  }
  const object = yamlToData(first, file, lineCounter)
  if (!isObj(object) || !/^(VirtualMachinePreference|VirtualMachineClusterPreference)$/.test(String(object.kind))) {
    throw new PolicyError('policy-invalid', `${file}: expected kind VirtualMachinePreference or VirtualMachineClusterPreference, got ${isObj(object) ? String(object.kind) : typeof object}`, { file, path: 'kind' })
  }
  const metadata = isObj(object.metadata) ? object.metadata : {}
  const spec = isObj(object.spec) ? object.spec : {}
  const rawName = String(metadata.name ?? 'kubevirt-preference')
  const name = ('kv-' + rawName.toLowerCase().replace(/[^a-z0-9-]+/g, '-')).slice(0, 63).replace(/-+$/, '')
  const unmapped: { field: string; reason: string }[] = []
  const features: string[] = []
  const devices: string[] = []
  const cpu: string[] = []
  let osFirmware: string | undefined
  let osFeatures = ''
  let clock = ''
  let machine: string | undefined
  const defaults: Record<string, unknown> = {}

  const visit = (obj: Obj, prefix: string, handle: (key: string, value: unknown) => boolean) => {
    for (const [key, value] of Object.entries(obj)) {
      if (!handle(key, value)) unmapped.push({ field: `${prefix}${key}`, reason: 'no libvirt domain equivalent in virtuned yet' })
    }
  }

  visit(spec, 'spec.', (key, value) => {
    switch (key) {
      case 'devices':
        if (!isObj(value)) return false
        visit(value, 'spec.devices.', (k, v) => {
          switch (k) {
            case 'preferredDiskBus': if (['virtio', 'sata', 'scsi'].includes(String(v))) { defaults.diskBus = String(v); return true } return false
            case 'preferredInterfaceModel': {
              const model = String(v) === 'virtio' ? 'virtio' : String(v)
              if (['virtio', 'e1000e', 'e1000', 'rtl8139'].includes(model)) { defaults.nicModel = model; return true }
              return false
            }
            case 'preferredRng': devices.push("<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"); return true
            case 'preferredTPM': devices.push("<tpm model='tpm-crb'><backend type='emulator' version='2.0'" + (isObj(v) && v.persistent === true ? " persistent_state='yes'" : '') + '/></tpm>'); return true
            case 'preferredAutoattachMemBalloon': if (v === false) devices.push("<memballoon model='none'/>"); return true
            case 'preferredAutoattachSerialConsole': if (v === true) devices.push("<serial type='pty'><target port='0'/></serial><console type='pty'><target type='serial' port='0'/></console>"); return true
            case 'preferredAutoattachInputDevice': return true // an input is added below from preferredInputType/Bus
            case 'preferredInputType':
            case 'preferredInputBus': {
              const type = isObj(value) ? String(value.preferredInputType ?? 'tablet') : 'tablet'
              const bus = isObj(value) ? String(value.preferredInputBus ?? 'usb') : 'usb'
              const xml = `<input type='${escapeXml(type)}' bus='${escapeXml(bus)}'/>`
              if (!devices.includes(xml)) devices.push(xml)
              return true
            }
            case 'preferredVideoType': devices.push(`<video><model type='${escapeXml(String(v))}'/></video>`); return true
            case 'preferredSoundModel': devices.push(`<sound model='${escapeXml(String(v))}'/>`); return true
            case 'preferredPanicDeviceModel': devices.push(`<panic model='${escapeXml(String(v))}'/>`); return true
            case 'preferredNetworkInterfaceMultiQueue': if (v === true) defaults.multiqueue = true; return true
            case 'preferredDiskDedicatedIoThread': if (v === true) defaults.diskIothread = true; return true
            default: return false
          }
        })
        return true
      case 'features':
        if (!isObj(value)) return false
        visit(value, 'spec.features.', (k, v) => {
          switch (k) {
            case 'preferredAcpi': if (enabled(v)) features.push('<acpi/>'); return true
            case 'preferredApic': if (enabled(v)) features.push('<apic/>'); return true
            case 'preferredSmm': if (enabled(v)) features.push("<smm state='on'/>"); return true
            case 'preferredPvspinlock': features.push(`<pvspinlock state='${enabled(v) ? 'on' : 'off'}'/>`); return true
            case 'preferredKvm': if (isObj(v) && v.hidden === true) features.push("<kvm><hidden state='on'/></kvm>"); return true
            case 'preferredHyperv': {
              if (!isObj(v)) return false
              const parts: string[] = []
              for (const [f, setting] of Object.entries(v)) {
                const libvirt = Object.hasOwn(hypervNames, f) ? hypervNames[f] : undefined
                if (!libvirt) { unmapped.push({ field: `spec.features.preferredHyperv.${f}`, reason: 'unknown Hyper-V feature' }); continue }
                if (!enabled(setting)) continue
                if (libvirt === 'spinlocks') parts.push(`<spinlocks state='on' retries='${Number(isObj(setting) ? setting.spinlocks ?? 8191 : 8191)}'/>`)
                else if (libvirt === 'stimer') parts.push(isObj(setting) && isObj(setting.direct) && setting.direct.enabled !== false ? "<stimer state='on'><direct state='on'/></stimer>" : "<stimer state='on'/>")
                else if (libvirt === 'vendor_id') { if (isObj(setting) && typeof setting.vendorid === 'string') parts.push(`<vendor_id state='on' value='${escapeXml(setting.vendorid)}'/>`) }
                else parts.push(`<${libvirt} state='on'/>`)
              }
              if (parts.length > 0) features.push(`<hyperv mode='custom'>${parts.join('')}</hyperv>`)
              return true
            }
            default: return false
          }
        })
        return true
      case 'firmware':
        if (!isObj(value)) return false
        visit(value, 'spec.firmware.', (k, v) => {
          switch (k) {
            case 'preferredEfi': {
              const secure = isObj(v) && v.secureBoot !== false
              osFirmware = 'efi'
              if (secure) osFeatures = "<firmware><feature enabled='yes' name='secure-boot'/><feature enabled='yes' name='enrolled-keys'/></firmware>"
              if (secure) features.push("<smm state='on'/>")
              return true
            }
            case 'preferredUseEfi': if (v === true) osFirmware ??= 'efi'; return true
            case 'preferredUseSecureBoot': if (v === true && osFeatures === '') { osFirmware = 'efi'; osFeatures = "<firmware><feature enabled='yes' name='secure-boot'/></firmware>"; features.push("<smm state='on'/>") } return true
            case 'preferredUseBios': if (v === true) osFirmware ??= 'bios'; return true
            default: return false
          }
        })
        return true
      case 'clock':
        if (!isObj(value)) return false
        visit(value, 'spec.clock.', (k, v) => {
          if (k === 'preferredClockOffset' && isObj(v)) {
            clock = isObj(v.utc) || v.utc !== undefined ? "offset='utc'" : typeof v.timezone === 'string' ? `offset='timezone' timezone='${escapeXml(v.timezone)}'` : ''
            return clock !== ''
          }
          if (k === 'preferredTimer' && isObj(v)) {
            const timers: string[] = []
            for (const [t, setting] of Object.entries(v)) {
              const libvirt = Object.hasOwn(timerNames, t) ? timerNames[t] : undefined
              if (!libvirt) { unmapped.push({ field: `spec.clock.preferredTimer.${t}`, reason: 'unknown timer' }); continue }
              const present = isObj(setting) && setting.present === false ? " present='no'" : ''
              const tick = isObj(setting) && typeof setting.tickPolicy === 'string' ? ` tickpolicy='${escapeXml(setting.tickPolicy)}'` : ''
              timers.push(`<timer name='${libvirt}'${tick}${present}/>`)
            }
            clock = `${clock}|${timers.join('')}`
            return true
          }
          return false
        })
        return true
      case 'machine':
        if (isObj(value) && typeof value.preferredMachineType === 'string') { machine = value.preferredMachineType; return true }
        return false
      case 'preferredTerminationGracePeriodSeconds':
        unmapped.push({ field: 'spec.preferredTerminationGracePeriodSeconds', reason: 'a shutdown timeout belongs to the management app, not to the domain XML' })
        return true
      case 'requirements':
        unmapped.push({ field: 'spec.requirements', reason: 'minimum CPU/memory are checks, not preferences: virtuned validates them with the OS resources of osinfo instead' })
        return true
      case 'cpu':
        if (isObj(value) && Array.isArray(value.preferredCPUFeatures)) {
          const names = value.preferredCPUFeatures.filter(isObj).map((f) => `<feature policy='${escapeXml(String(f.policy ?? 'require'))}' name='${escapeXml(String(f.name))}'/>`)
          if (names.length > 0) cpu.push(`<cpu>${names.join('')}</cpu>`)
          for (const k of Object.keys(value)) if (k !== 'preferredCPUFeatures') unmapped.push({ field: `spec.cpu.${k}`, reason: 'CPU topology comes from the instancetype, which virtuned does not import' })
          return true
        }
        return false
      default:
        return false
    }
  })

  const [offset, timers] = clock.includes('|') ? clock.split('|') as [string, string] : [clock, '']
  const clockXml = offset || timers ? `<clock ${offset || "offset='utc'"}>${timers}</clock>` : ''
  const osXml = machine || osFirmware || osFeatures
    ? `<os${osFirmware ? ` firmware='${osFirmware}'` : ''}>${machine ? `<type machine='${escapeXml(machine)}'>hvm</type>` : ''}${osFeatures}</os>`
    : ''
  const prefer = [osXml, features.length ? `<features>${[...new Set(features)].join('')}</features>` : '', ...cpu, clockXml, devices.length ? `<devices>${devices.join('')}</devices>` : ''].join('')
  const annotations = isObj(metadata.annotations) ? metadata.annotations : {}
  const display = typeof annotations['openshift.io/display-name'] === 'string' ? annotations['openshift.io/display-name'] : rawName
  const input: PolicyInput = {
    name,
    version: 1,
    description: `Imported from the KubeVirt ${String(object.kind)} \`${rawName}\` (${display}).`,
    ...(prefer ? { prefer } : {}),
    ...(Object.keys(defaults).length > 0 ? { defaults: defaults as PolicyInput['defaults'] } : {}),
  }
  return { policy: definePolicy(input, file), unmapped }
}
