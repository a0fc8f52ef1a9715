// OpenStack image properties (Glance metadata that Nova reads: hw_machine_type, hw_disk_bus, …) →
// a virtuned policy. Values Nova would reject are refused; properties with no libvirt-domain meaning
// here are listed, never dropped silently.
import { PolicyError } from './errors.ts'
import { checkPolicySize, definePolicy } from './load.ts'
import type { Policy, PolicyInput } from './schema.ts'
import { escapeXml } from '@virtuned/xml-core'

export interface OpenstackImport {
  readonly policy: Policy
  readonly unmapped: readonly { readonly property: string; readonly reason: string }[]
}

const diskBuses = ['virtio', 'scsi', 'sata', 'ide', 'usb']
const vifModels: Readonly<Record<string, string>> = { virtio: 'virtio', e1000: 'e1000', e1000e: 'e1000e', rtl8139: 'rtl8139', ne2k_pci: 'ne2k_pci', pcnet: 'pcnet' }
const videoModels = ['virtio', 'qxl', 'vga', 'cirrus', 'bochs', 'none']


/**
 * Converts image properties (a JSON object, as `openstack image show -f json -c properties` prints,
 * or a flat `{ "hw_disk_bus": "virtio", … }`) into a policy named `os-<name>`.
 * @throws PolicyError `policy-invalid` for a value Nova does not accept (named with the property).
 */
export function importOpenstackImageProperties(input: string | Readonly<Record<string, unknown>>, name = 'image', file = 'properties.json'): OpenstackImport {
  let properties: Record<string, unknown>
  if (typeof input === 'string') {
    checkPolicySize(input, file)
    try {
      const parsed = JSON.parse(input) as unknown
      properties = (typeof parsed === 'object' && parsed !== null && 'properties' in parsed ? (parsed as { properties: unknown }).properties : parsed) as Record<string, unknown>
    } catch (error) {
      throw new PolicyError('policy-syntax', `${file}: not JSON: ${(error as Error).message}`, { file })
    }
  } else properties = { ...input }
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) throw new PolicyError('policy-invalid', `${file}: expected an object of image properties`, { file })
  const bad = (property: string, value: unknown, expected: string) => new PolicyError('policy-invalid', `${file}: ${property}: unexpected ${JSON.stringify(value)}, expected ${expected}`, { file, path: property })
  const unmapped: { property: string; reason: string }[] = []
  const devices: string[] = []
  const features: string[] = []
  const defaults: Record<string, unknown> = {}
  let machine: string | undefined
  let firmware: string | undefined
  let secureBoot = false
  let clock = ''
  for (const [key, raw] of Object.entries(properties)) {
    const value = typeof raw === 'string' ? raw : String(raw)
    switch (key) {
      case 'hw_machine_type':
        if (!/^[a-zA-Z0-9_.-]+$/.test(value)) throw bad(key, raw, 'a machine type such as q35 or pc-q35-8.2')
        machine = value
        break
      case 'hw_disk_bus':
        if (!diskBuses.includes(value)) throw bad(key, raw, diskBuses.join(', '))
        if (['virtio', 'sata', 'scsi', 'ide'].includes(value)) defaults.diskBus = value
        else unmapped.push({ property: key, reason: 'usb root disks are not a defaults choice; add the disk with bus usb yourself' })
        if (value === 'scsi') devices.push("<controller type='scsi' index='0' model='virtio-scsi'/>")
        break
      case 'hw_scsi_model':
        if (value !== 'virtio-scsi') throw bad(key, raw, 'virtio-scsi')
        devices.push("<controller type='scsi' index='0' model='virtio-scsi'/>")
        break
      case 'hw_cdrom_bus':
        unmapped.push({ property: key, reason: 'the CD-ROM bus is chosen where a CD-ROM is added (`virtuned new --disk device=cdrom,bus=…`)' })
        if (!diskBuses.includes(value)) throw bad(key, raw, diskBuses.join(', '))
        break
      case 'hw_vif_model':
        if (!Object.hasOwn(vifModels, value)) throw bad(key, raw, Object.keys(vifModels).join(', '))
        if (['virtio', 'e1000e', 'e1000', 'rtl8139'].includes(value)) defaults.nicModel = value
        else unmapped.push({ property: key, reason: `${value} is not a defaults choice; set the NIC model on the interface` })
        break
      case 'hw_vif_multiqueue_enabled':
        if (value !== 'true' && value !== 'false') throw bad(key, raw, 'true or false')
        if (value === 'true') defaults.multiqueue = true
        break
      case 'hw_video_model':
        if (!videoModels.includes(value)) throw bad(key, raw, videoModels.join(', '))
        devices.push(`<video><model type='${escapeXml(value)}'/></video>`)
        break
      case 'hw_pointer_model':
        if (value !== 'usbtablet' && value !== 'ps2mouse') throw bad(key, raw, 'usbtablet or ps2mouse')
        if (value === 'usbtablet') devices.push("<input type='tablet' bus='usb'/>")
        break
      case 'hw_firmware_type':
        if (value !== 'uefi' && value !== 'bios') throw bad(key, raw, 'uefi or bios')
        firmware = value === 'uefi' ? 'efi' : 'bios'
        break
      case 'os_secure_boot':
        if (!['required', 'optional', 'disabled'].includes(value)) throw bad(key, raw, 'required, optional or disabled')
        secureBoot = value === 'required'
        if (value === 'optional') unmapped.push({ property: key, reason: '"optional" is Nova deciding per host; virtuned needs required or disabled' })
        break
      case 'hw_tpm_version':
        if (value !== '2.0' && value !== '1.2') throw bad(key, raw, '2.0 or 1.2')
        devices.push(`<tpm model='${value === '2.0' ? 'tpm-crb' : 'tpm-tis'}'><backend type='emulator' version='${value}'/></tpm>`)
        break
      case 'hw_tpm_model':
        if (value !== 'tpm-tis' && value !== 'tpm-crb') throw bad(key, raw, 'tpm-tis or tpm-crb')
        break // taken with hw_tpm_version below
      case 'hw_rng_model':
        if (value !== 'virtio') throw bad(key, raw, 'virtio')
        devices.push("<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>")
        break
      case 'hw_qemu_guest_agent':
        if (value !== 'yes' && value !== 'no' && value !== 'true' && value !== 'false') throw bad(key, raw, 'yes or no')
        if (value === 'yes' || value === 'true') devices.push("<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>")
        break
      case 'hw_pmu':
        features.push(`<pmu state='${value === 'true' || value === 'yes' ? 'on' : 'off'}'/>`)
        break
      case 'os_type':
        if (value === 'windows') {
          clock = "<clock offset='localtime'><timer name='rtc' tickpolicy='catchup'/><timer name='pit' tickpolicy='delay'/><timer name='hpet' present='no'/><timer name='hypervclock' present='yes'/></clock>"
          features.push("<hyperv mode='custom'><relaxed state='on'/><vapic state='on'/><spinlocks state='on' retries='8191'/></hyperv>")
        } else if (value !== 'linux') throw bad(key, raw, 'windows or linux')
        break
      default:
        unmapped.push({ property: key, reason: key.startsWith('hw_') || key.startsWith('os_') ? 'not mapped by virtuned yet' : 'not a hardware property' })
    }
  }
  const tpmModel = properties.hw_tpm_model
  const devicesXml = devices.map((d) => (typeof tpmModel === 'string' && d.startsWith('<tpm') ? d.replace(/model='tpm-(crb|tis)'/, `model='${escapeXml(tpmModel)}'`) : d))
  if (secureBoot) features.push("<smm state='on'/>")
  const os = machine || firmware || secureBoot
    ? `<os${firmware ? ` firmware='${firmware}'` : secureBoot ? " firmware='efi'" : ''}>${machine ? `<type machine='${escapeXml(machine)}'>hvm</type>` : ''}${secureBoot ? "<firmware><feature enabled='yes' name='secure-boot'/><feature enabled='yes' name='enrolled-keys'/></firmware>" : ''}</os>`
    : ''
  const prefer = [os, features.length ? `<features>${features.join('')}</features>` : '', clock, devicesXml.length ? `<devices>${devicesXml.join('')}</devices>` : ''].join('')
  const policyName = ('os-' + name.toLowerCase().replace(/[^a-z0-9-]+/g, '-')).slice(0, 63).replace(/-+$/, '')
  const policy: PolicyInput = {
    name: policyName,
    version: 1,
    description: `Imported from the OpenStack image properties of \`${name}\`.`,
    ...(prefer ? { prefer } : {}),
    ...(Object.keys(defaults).length ? { defaults: defaults as PolicyInput['defaults'] } : {}),
  }
  return { policy: definePolicy(policy, file), unmapped }
}
