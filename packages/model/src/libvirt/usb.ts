// A USB address's port path as libvirt reads and writes it (device_conf.c virDomainDeviceUSBAddressParsePort,
// domain_addr.c virDomainUSBAddressPortFormatBuf): up to four port numbers (hubs nest four deep), each as
// virStrToLong_uip reads it (leading space and `+` allowed), separated by dots — or by nothing else than where
// the number ends; written back from the first level up to the first 0, joined by dots.

/** How many ports long a USB port path may be (VIR_DOMAIN_DEVICE_USB_MAX_PORT_DEPTH). */
export const usbPortDepth = 4

/** The four levels of a port path (0 past the last given), or `undefined` when libvirt cannot parse it. */
export function readUsbPort(port: string): number[] | undefined {
  const levels = [0, 0, 0, 0]
  let at = 0
  for (let depth = 0; depth < usbPortDepth; depth++) {
    const m = /^[ \t\n\v\f\r]*\+?([0-9]+)/.exec(port.slice(at))
    if (!m || BigInt(m[1]!) > 0xffffffffn) return undefined
    levels[depth] = Number(m[1])
    at += m[0].length
    if (at === port.length) return levels
    if (port[at] === '.') at++
  }
  return undefined
}

/** A port path as libvirt writes it (`1.2`), `undefined` when it writes none (its first level is 0). */
export function formatUsbPort(levels: readonly number[]): string | undefined {
  const kept: number[] = []
  for (const level of levels) { if (level === 0) break; kept.push(level) }
  return kept.length > 0 ? kept.join('.') : undefined
}

/** How many ports a USB hub has (VIR_DOMAIN_USB_HUB_PORTS): the ports libvirt gives devices behind a `<hub type='usb'>`. */
export const usbHubPorts = 8
