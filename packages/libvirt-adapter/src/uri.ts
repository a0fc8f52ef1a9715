import { LibvirtUsageError } from './errors.ts'

/** Where libvirtd listens for `qemu:///system` unless the URI names a socket. */
export const defaultSocketPath = '/var/run/libvirt/libvirt-sock'
/** libvirtd's TCP port (`tcp_port`). */
export const defaultTcpPort = 16509

/**
 * The port each network transport uses when the URI names none, as libvirt's remote driver:
 * libvirtd's `tcp_port` (16509) and `tls_port` (16514), sshd's 22 for the ssh transports.
 * `ext` runs a command and has no port.
 */
const defaultPorts: Readonly<Record<string, number>> = { tcp: defaultTcpPort, tls: 16514, ssh: 22, libssh: 22, libssh2: 22 }

/** What a libvirt URI asks for: how to reach libvirtd, and the name to open once there. */
export interface ConnectTarget {
  /** The URI as given. */
  readonly uri: string
  /** `unix`, `tcp`, or another transport (`tls`, `ssh`, …) that only `options.transport` can provide. */
  readonly transport: string
  /** The URI sent in CONNECT_OPEN: the driver and path, without transport, host or client-side parameters (`qemu:///system`). */
  readonly name: string
  /** For `unix`: the socket path. */
  readonly socketPath?: string
  /** For network transports. */
  readonly host?: string
  /** The URI's port, else the transport's: 16509 for `tcp`, 16514 for `tls`, 22 for `ssh`/`libssh`/`libssh2`; none for `ext`. */
  readonly port?: number
  /** `true` when {@link port} is the transport's default, not written in the URI (ssh then lets `~/.ssh/config` choose, as libvirt does). */
  readonly portIsDefault?: true
  /** The user before `@` in the URI (`qemu+ssh://root@host/system`), for transports that log in. */
  readonly user?: string
  /** The client-side parameters of the query (`pkipath`, `keyfile`, `no_verify`, …): what transports read; libvirtd never sees them. */
  readonly params?: Readonly<Record<string, string>>
}

/** Parameters the client consumes; libvirtd never sees them (as libvirt's remote driver does). */
const clientParameters = new Set(['socket', 'no_verify', 'no_tty', 'pkipath', 'keyfile', 'sshauth', 'known_hosts', 'known_hosts_verify', 'command', 'netcat', 'mode', 'proxy', 'name'])

/**
 * Reads a libvirt URI: `driver[+transport]://[user@][host][:port]/path[?param=value…]`.
 * Without a host the transport is `unix`; with a host and no transport it is `tls` (libvirt's rule).
 */
export function parseLibvirtUri(uri: string): ConnectTarget {
  const match = /^([a-z][a-z0-9]*)(?:\+([a-z0-9]+))?:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(uri)
  if (!match) throw new LibvirtUsageError('libvirt-bad-uri', `Unexpected URI \`${uri}\`, expected driver[+transport]://[host[:port]]/path`)
  const driver = (match[1] as string).toLowerCase()
  const authority = match[3] ?? ''
  const path = match[4] ?? '/'
  const params = new URLSearchParams(match[5] ?? '')
  const hostPort = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort)
  const plain = /^([^:]*)(?::(\d+))?$/.exec(hostPort)
  const host = bracketed ? bracketed[1] : plain ? plain[1] : undefined
  const portText = bracketed ? bracketed[2] : plain ? plain[2] : undefined
  if (host === undefined) throw new LibvirtUsageError('libvirt-bad-uri', `Unexpected host \`${hostPort}\` in \`${uri}\``)
  const transport = (match[2] ?? (host === '' ? 'unix' : 'tls')).toLowerCase()
  const kept = [...params].filter(([key]) => !clientParameters.has(key))
  const query = kept.length > 0 ? `?${new URLSearchParams(kept).toString()}` : ''
  const name = params.get('name') ?? `${driver}://${path}${query}`
  const userText = authority.includes('@') ? authority.slice(0, authority.lastIndexOf('@')) : undefined
  let user: string | undefined
  try {
    user = userText === undefined ? undefined : decodeURIComponent(userText)
  } catch {
    throw new LibvirtUsageError('libvirt-bad-uri', `Unexpected user \`${userText}\` in \`${uri}\`, expected a URI-encoded name`)
  }
  const clientParams = Object.fromEntries([...params].filter(([key]) => clientParameters.has(key)))
  const base = { uri, transport, name, params: clientParams, ...(user ? { user } : {}) }
  if (transport === 'unix') {
    if (host !== '') throw new LibvirtUsageError('libvirt-bad-uri', `Unexpected host \`${host}\` for a unix socket in \`${uri}\``)
    const socket = params.get('socket')
    // An empty `socket=` is a mistake (an unset shell variable), not a request for the default socket.
    if (socket === '') throw new LibvirtUsageError('libvirt-bad-uri', `Unexpected empty \`socket=\` in \`${uri}\`, expected a socket path such as \`?socket=/run/libvirt/virtqemud-sock\` (or leave \`socket\` out for ${defaultSocketPath})`)
    if (socket !== null) return { ...base, socketPath: socket }
    if (path !== '/system') throw new LibvirtUsageError('libvirt-bad-uri', `No default socket for \`${uri}\`: add \`?socket=/path/to/socket\``)
    return { ...base, socketPath: defaultSocketPath }
  }
  if (host === '') throw new LibvirtUsageError('libvirt-bad-uri', `\`${uri}\` needs a host for transport ${transport}`)
  if (portText === undefined) {
    const port = Object.hasOwn(defaultPorts, transport) ? defaultPorts[transport] : undefined
    return port === undefined ? { ...base, host } : { ...base, host, port, portIsDefault: true }
  }
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new LibvirtUsageError('libvirt-bad-uri', `Unexpected port \`${portText}\` in \`${uri}\``)
  return { ...base, host, port }
}
