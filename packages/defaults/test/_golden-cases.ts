// The golden cases of fixtures/defaults: one bare domain, ten OSes, three hosts (assumed, and the
// corpus's KVM q35 and TCG domain capabilities when the corpus is there).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { locateCorpus } from '../../../tools/corpus.ts'
import { assumedHost, parseDomainCapabilities, type HostCapabilities } from '../src/index.ts'

export const corpus = locateCorpus()

/** A domain as `virtuned new` writes it before defaults: one thin disk, one NIC, SPICE. */
export const bare = `<domain type='kvm'>
  <name>guest</name>
  <memory unit='KiB'>4194304</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/guest.qcow2'/></disk>
    <interface type='network'><source network='default'/></interface>
    <graphics type='spice'/>
  </devices>
</domain>`

export const oses = ['win11', 'win10', 'win2k22', 'debian11', 'fedora37', 'rhel9.0', 'ubuntu22.04', 'alpinelinux3.17', 'opensuse15.4', 'freebsd13.1']

export function hosts(): [string, HostCapabilities][] {
  const out: [string, HostCapabilities][] = [['assumed', assumedHost]]
  if (corpus.dir) {
    for (const [name, file] of [['kvm-q35', 'qemu_10.0.0-q35.x86_64.xml'], ['tcg', 'qemu_10.0.0-tcg.x86_64.xml']] as const) {
      out.push([name, parseDomainCapabilities(readFileSync(join(corpus.dir, 'domcaps', file)), file)])
    }
  }
  return out
}
