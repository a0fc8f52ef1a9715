// The transports libvirt's own clients use, behind one factory: unix, tcp, tls, ssh (and ext, only
// when allowed). createConnection uses it by default.
import { LibvirtUsageError } from './errors.ts'
import { extTransport, sshTransport } from './ssh.ts'
import { tlsTransport, type TlsLocateOptions } from './tls.ts'
import { nodeSocketTransport, type TransportFactory } from './transport.ts'

/** Options of {@link createRemoteTransport}. */
export interface RemoteTransportOptions {
  /** Run `qemu+ext:///…?command=PROGRAM` (it executes PROGRAM on this machine). Default false: refused with `libvirt-ext-refused`. */
  readonly allowExt?: boolean
  /** The ssh client (default `ssh` from PATH). */
  readonly sshCommand?: string
  /** Extra ssh arguments, before the host. */
  readonly sshArgs?: readonly string[]
  /** Where libvirt's default certificate paths are looked up (home, root). */
  readonly tls?: TlsLocateOptions
}

/**
 * A {@link TransportFactory} for every transport libvirt's client speaks: `unix` and `tcp` (node:net),
 * `tls` (node:tls with libvirt's certificate layout), `ssh` (and `libssh`/`libssh2`, run through the
 * system ssh), and `ext` only with `allowExt`.
 */
export function createRemoteTransport(options: RemoteTransportOptions = {}): TransportFactory {
  return (target, connect) => {
    switch (target.transport) {
      case 'unix':
      case 'tcp':
        return nodeSocketTransport(target, connect)
      case 'tls':
        return tlsTransport(target, { ...options.tls, timeoutMs: connect.timeoutMs })
      case 'ssh':
      case 'libssh':
      case 'libssh2':
        return sshTransport(target, { timeoutMs: connect.timeoutMs, ...(options.sshCommand ? { sshCommand: options.sshCommand } : {}), ...(options.sshArgs ? { sshArgs: options.sshArgs } : {}) })
      case 'ext':
        if (!options.allowExt) return Promise.reject(new LibvirtUsageError('libvirt-ext-refused', `Refused \`${target.uri}\`: transport ext runs \`${target.params?.['command'] ?? '(no command)'}\` on this machine`))
        return extTransport(target, connect)
      default:
        return Promise.reject(new LibvirtUsageError('libvirt-bad-uri', `Unexpected transport \`${target.transport}\` in \`${target.uri}\`, expected unix, tcp, tls, ssh or ext`))
    }
  }
}

/** The factory createConnection uses when `options.transport` is not given. */
export const defaultTransport: TransportFactory = createRemoteTransport()
