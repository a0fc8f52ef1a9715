// `qemu+tls://host[:port]/system`: libvirt's TLS transport with node:tls — libvirt's certificate
// layout (pkipath, /etc/pki, ~/.pki/libvirt), its client-side sanity checks of our own certificate,
// the server certificate checked against the host name or IP, and libvirtd's confirmation byte.
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { accessSync, constants, readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { connect as tlsConnect, type TLSSocket } from 'node:tls'
import { LibvirtConnectionError } from './errors.ts'
import { socketTransport, type Transport } from './transport.ts'
import type { ConnectTarget } from './uri.ts'

/** Where the CA, our certificate and our key are read from, and why there. */
export interface TlsFiles {
  readonly cacert: string
  readonly clientcert: string
  readonly clientkey: string
  /** `pkipath` (from the URI), `user` (~/.pki/libvirt) or `system` (/etc/pki). */
  readonly from: 'pkipath' | 'user' | 'system'
}

/** Overrides of where libvirt's default certificate paths are looked up (tests, services with another home). */
export interface TlsLocateOptions {
  /** The user's home for `~/.pki/libvirt` (default: os.homedir()). */
  readonly home?: string
  /** Use root's paths (/etc/pki) only (default: whether this process runs as root). */
  readonly root?: boolean
  /** Whether a file exists (default: it can be read). */
  readonly exists?: (path: string) => boolean
}

/** The system paths libvirt's client uses as root (and as the fallback for users). */
export const systemTlsFiles = {
  cacert: '/etc/pki/CA/cacert.pem',
  clientcert: '/etc/pki/libvirt/clientcert.pem',
  clientkey: '/etc/pki/libvirt/private/clientkey.pem',
} as const

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK)
    return true
  } catch {
    return false
  }
}

/**
 * The certificate files libvirt's client would use for this URI: `pkipath=DIR` (DIR/cacert.pem,
 * DIR/clientcert.pem, DIR/clientkey.pem); else, as root, /etc/pki/CA/cacert.pem and
 * /etc/pki/libvirt/{clientcert.pem,private/clientkey.pem}; else ~/.pki/libvirt/{cacert,clientcert,clientkey}.pem,
 * each falling back to the system file when missing (as libvirt does).
 */
export function locateTlsFiles(target: Pick<ConnectTarget, 'params'>, options: TlsLocateOptions = {}): TlsFiles {
  const pkipath = target.params?.['pkipath']
  if (pkipath) return { cacert: join(pkipath, 'cacert.pem'), clientcert: join(pkipath, 'clientcert.pem'), clientkey: join(pkipath, 'clientkey.pem'), from: 'pkipath' }
  const root = options.root ?? (typeof process.getuid === 'function' && process.getuid() === 0)
  if (root) return { ...systemTlsFiles, from: 'system' }
  const exists = options.exists ?? readable
  const dir = join(options.home ?? homedir(), '.pki', 'libvirt')
  const user = { cacert: join(dir, 'cacert.pem'), clientcert: join(dir, 'clientcert.pem'), clientkey: join(dir, 'clientkey.pem') }
  const ownCa = exists(user.cacert)
  const ownCert = exists(user.clientcert) && exists(user.clientkey)
  return {
    cacert: ownCa ? user.cacert : systemTlsFiles.cacert,
    clientcert: ownCert ? user.clientcert : systemTlsFiles.clientcert,
    clientkey: ownCert ? user.clientkey : systemTlsFiles.clientkey,
    from: ownCa || ownCert ? 'user' : 'system',
  }
}

/** Whether a URI parameter is libvirt's "true" (`1`, as libvirt parses `no_verify`). */
export function flag(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0'
}

function badPki(message: string, cause?: unknown): LibvirtConnectionError {
  return new LibvirtConnectionError('libvirt-tls-bad-pki', message, cause === undefined ? {} : { cause })
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw badPki(`Cannot read the ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`, error)
  }
}

/** The PEM blocks of a bundle, each parsed. */
function certificates(pem: string, path: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
  if (blocks.length === 0) throw badPki(`No certificate in ${path}: expected PEM (-----BEGIN CERTIFICATE-----)`)
  return blocks.map((block) => {
    try {
      return new X509Certificate(block)
    } catch (error) {
      throw badPki(`Unreadable certificate in ${path}: ${(error as Error).message}`, error)
    }
  })
}

function validity(cert: X509Certificate, now: number): 'expired' | 'not-yet-valid' | 'ok' {
  if (Date.parse(cert.validTo) < now) return 'expired'
  if (Date.parse(cert.validFrom) > now) return 'not-yet-valid'
  return 'ok'
}

/** What {@link loadTlsCredentials} read: PEM text for node:tls. */
export interface TlsCredentials {
  readonly files: TlsFiles
  readonly ca: string | undefined
  readonly cert: string | undefined
  readonly key: string | undefined
}

/**
 * Reads the CA and our certificate and key, and checks them the way libvirt's client does before it
 * connects: our certificate must be current, issued by a CA in cacert.pem, and match our key.
 * With `no_verify=1` a missing CA is allowed. Throws `libvirt-tls-bad-pki` or `libvirt-tls-cert-expired`.
 */
export function loadTlsCredentials(target: Pick<ConnectTarget, 'params'>, options: TlsLocateOptions & { readonly now?: number } = {}): TlsCredentials {
  const files = locateTlsFiles(target, options)
  const noVerify = flag(target.params?.['no_verify'])
  const exists = options.exists ?? readable
  const ca = noVerify && !exists(files.cacert) ? undefined : readPem(files.cacert, 'CA certificate')
  const haveCert = exists(files.clientcert)
  const haveKey = exists(files.clientkey)
  if (haveCert !== haveKey) throw badPki(haveCert ? `Missing the client key ${files.clientkey} for ${files.clientcert}` : `Missing the client certificate ${files.clientcert} for ${files.clientkey}`)
  if (!haveCert) return { files, ca, cert: undefined, key: undefined }
  const cert = readPem(files.clientcert, 'client certificate')
  const key = readPem(files.clientkey, 'client key')
  const now = options.now ?? Date.now()
  const [own] = certificates(cert, files.clientcert)
  const state = validity(own!, now)
  if (state !== 'ok') {
    throw new LibvirtConnectionError('libvirt-tls-cert-expired', state === 'expired'
      ? `Our client certificate ${files.clientcert} expired on ${own!.validTo}: renew it`
      : `Our client certificate ${files.clientcert} is not valid before ${own!.validFrom}: check the clock`)
  }
  let privateKey
  try {
    privateKey = createPrivateKey(key)
  } catch (error) {
    throw badPki(`Unreadable private key ${files.clientkey}: ${(error as Error).message}`, error)
  }
  if (!own!.checkPrivateKey(privateKey)) throw badPki(`The client key ${files.clientkey} does not belong to the certificate ${files.clientcert}`)
  if (ca !== undefined && !noVerify) {
    const authorities = certificates(ca, files.cacert)
    if (!authorities.some((authority) => own!.checkIssued(authority) && own!.verify(authority.publicKey))) {
      throw badPki(`The client certificate ${files.clientcert} (issuer ${own!.issuer.replace(/\n/g, ', ')}) is not issued by a CA in ${files.cacert}`)
    }
  }
  return { files, ca, cert, key }
}

/** Options of {@link tlsTransport}. */
export interface TlsTransportOptions extends TlsLocateOptions {
  /** Time for the TCP connect, the TLS handshake and libvirtd's check of our certificate, together. */
  readonly timeoutMs: number
}

const untrustedCodes = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|CERT_SIGNATURE_FAILURE|CERT_UNTRUSTED|CERT_REJECTED|INVALID_CA)$/

/** libvirtd's certificate problem, as a typed error; undefined when it is fine. */
function serverCertificateError(socket: TLSSocket, where: string): LibvirtConnectionError | undefined {
  if (socket.authorized) return undefined
  const code = String(socket.authorizationError ?? '')
  const peer = socket.getPeerCertificate()
  if (code === 'CERT_HAS_EXPIRED') return new LibvirtConnectionError('libvirt-tls-cert-expired', `libvirtd's certificate at ${where} expired on ${peer.valid_to}`)
  if (code === 'CERT_NOT_YET_VALID') return new LibvirtConnectionError('libvirt-tls-cert-expired', `libvirtd's certificate at ${where} is not valid before ${peer.valid_from}`)
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new LibvirtConnectionError('libvirt-tls-hostname-mismatch', `libvirtd's certificate at ${where} is not issued for this host name: it names ${peer.subjectaltname || `CN=${peer.subject?.CN ?? '?'}`}`)
  }
  if (untrustedCodes.test(code)) return new LibvirtConnectionError('libvirt-tls-untrusted', `libvirtd's certificate at ${where} is not signed by a CA in cacert.pem (${code}; issuer ${peer.issuer?.CN ?? '?'})`)
  return new LibvirtConnectionError('libvirt-tls-untrusted', `libvirtd's certificate at ${where} was not accepted: ${code}`)
}

/** TLS alerts that mean libvirtd refused our certificate during the handshake. */
const rejectedAlert = /ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|DECRYPT_ERROR|HANDSHAKE_FAILURE)/

/**
 * Opens `qemu+tls://host[:port]/…`: TCP, then TLS with our certificate, the server's certificate
 * checked against cacert.pem and the URI's host name or IP (unless `no_verify=1`), then libvirtd's
 * one-byte confirmation that it accepted our certificate. Everything within `timeoutMs`.
 */
export function tlsTransport(target: ConnectTarget, options: TlsTransportOptions): Promise<Transport> {
  let credentials: TlsCredentials
  try {
    credentials = loadTlsCredentials(target, options)
  } catch (error) {
    return Promise.reject(error)
  }
  const host = target.host as string
  const port = target.port as number
  const where = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`
  const noVerify = flag(target.params?.['no_verify'])
  const ours = credentials.cert === undefined ? `(none: no ${credentials.files.clientcert})` : credentials.files.clientcert
  return new Promise((resolve, reject) => {
    let phase: 'connect' | 'handshake' | 'confirm' = 'connect'
    let settled = false
    const socket = tlsConnect({
      host,
      port,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(credentials.ca !== undefined ? { ca: credentials.ca } : {}),
      ...(credentials.cert !== undefined ? { cert: credentials.cert, key: credentials.key as string } : {}),
      // Checked below, to say which check failed (node would only say "socket hang up" or a raw code).
      rejectUnauthorized: false,
    })
    const fail = (error: LibvirtConnectionError) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.off('data', onConfirm)
      socket.destroy()
      reject(error)
    }
    const timer = setTimeout(() => {
      fail(phase === 'connect'
        ? new LibvirtConnectionError('libvirt-connect-failed', `Cannot connect to libvirtd at ${where} (TLS): no answer within ${options.timeoutMs} ms`)
        : new LibvirtConnectionError('libvirt-handshake-timeout', `The TLS ${phase === 'handshake' ? 'handshake' : 'certificate check'} with libvirtd at ${where} did not finish within ${options.timeoutMs} ms`))
    }, options.timeoutMs)
    socket.once('connect', () => {
      phase = 'handshake'
    })
    const onError = (error: NodeJS.ErrnoException) => {
      const code = String(error.code ?? '')
      if (phase === 'connect') {
        const why = code === 'ECONNREFUSED' ? 'connection refused (is libvirtd listening with listen_tls?)' : code === 'ENOTFOUND' ? 'no such host' : error.message
        fail(new LibvirtConnectionError('libvirt-connect-failed', `Cannot connect to libvirtd at ${where} (TLS): ${why}`, { cause: error }))
      } else if (rejectedAlert.test(code)) {
        fail(new LibvirtConnectionError('libvirt-tls-rejected', `libvirtd at ${where} refused our client certificate ${ours} (${error.message.replace(/^.*alert /, 'alert ').trim()})`, { cause: error }))
      } else {
        fail(new LibvirtConnectionError(phase === 'confirm' ? 'libvirt-tls-rejected' : 'libvirt-connection-lost', `TLS with libvirtd at ${where} failed: ${error.message}`, { cause: error }))
      }
    }
    const onClose = () => {
      fail(phase === 'confirm'
        ? new LibvirtConnectionError('libvirt-tls-rejected', `libvirtd at ${where} closed the connection after the handshake: it refused our client certificate ${ours} or our address`)
        : new LibvirtConnectionError('libvirt-connection-lost', `libvirtd at ${where} closed the connection during the TLS handshake`))
    }
    // libvirtd writes one byte, 1, once it has accepted our certificate; otherwise it closes.
    const onConfirm = (chunk: Buffer) => {
      socket.off('data', onConfirm)
      if (settled) return
      if (chunk[0] !== 1) return fail(new LibvirtConnectionError('libvirt-tls-rejected', `libvirtd at ${where} did not confirm our client certificate (got byte ${chunk[0]})`))
      settled = true
      clearTimeout(timer)
      socket.pause()
      socket.off('error', onError)
      socket.off('close', onClose)
      if (chunk.length > 1) socket.unshift(chunk.subarray(1))
      socket.setNoDelay(true)
      const transport = socketTransport(socket)
      socket.resume()
      resolve(transport)
    }
    socket.on('error', onError)
    socket.once('close', onClose)
    socket.once('secureConnect', () => {
      if (!noVerify) {
        const problem = serverCertificateError(socket, where)
        if (problem) return fail(problem)
      }
      phase = 'confirm'
      socket.on('data', onConfirm)
    })
  })
}
