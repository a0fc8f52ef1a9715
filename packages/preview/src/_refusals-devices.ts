// Devices libvirt refuses at define (private; see _refusal.ts): disks, host devices, IOMMUs, character
// devices, graphics, network interfaces, USB and PCI placement…, each with libvirt's words and where libvirt
// checks it.
import type { Refusal } from './_refusal.ts'

export const deviceRefusals: readonly Refusal[] = []
