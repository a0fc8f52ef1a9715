// Where virtuned's defaults decide differently from virt-install, and why that is the same or
// better. The comparison test fails on any difference not accepted here; the README shows it.
export interface Difference {
  readonly verdict: string
  readonly why: string
  readonly accepts: (virtinst: string, virtuned: string, os: string) => boolean
}

export const virtinstDifferences: Readonly<Record<string, Difference>> = {
  CPU: {
    verdict: 'better',
    why: "Under TCG virt-install leaves libvirt's qemu64 CPU, which lacks x86-64-v2: RHEL 9 and other v2 baselines do not boot. virtuned asks for `maximum`, every feature TCG emulates (host-model under KVM).",
    accepts: (theirs, ours) => theirs === '(libvirt default)' && (ours === 'maximum' || ours === 'host-model'),
  },
  'Hyper-V': {
    verdict: 'better',
    why: "virt-install adds relaxed and vapic even when the host's domain capabilities do not list them (this TCG host lists only spinlocks and vendor_id); virtuned enables only what the host says it can do.",
    accepts: (theirs, ours) => ours.split(' ').every((f) => theirs.split(' ').includes(f)),
  },
  'crash (panic, vmcoreinfo)': {
    verdict: 'better',
    why: 'virtuned turns on vmcoreinfo and an ISA pvpanic device for Linux: host-side dumps of KASLR kernels can be analysed and a guest panic becomes a libvirt event. virt-install adds neither.',
    accepts: (theirs, ours) => theirs === 'none, off' && /^(isa|none), on$/.test(ours),
  },
  'root ports': {
    verdict: 'sized',
    why: 'virt-install always writes 14 root ports; virtuned writes one per PCIe device plus 4 spare hot-plug ports (the hotplug-ready policy sets any number up to 32). Unused ports still cost a bus number and firmware time.',
    accepts: (theirs, ours) => theirs === '14' && Number(ours) >= 4,
  },
  'secure boot': {
    verdict: 'better',
    why: 'Windows 11 requires Secure Boot; virt-install picks UEFI but leaves Secure Boot to the firmware default, virtuned asks for it (with enrolled keys and SMM) when the host lists secure firmware.',
    accepts: (theirs, ours, os) => theirs === 'no' && ours === 'yes' && os === 'win11',
  },
}
