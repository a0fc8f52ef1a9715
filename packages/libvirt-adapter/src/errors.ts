import { VirtunedError } from '@virtuned/xml-core'
import { errorCodeName, errorDomainName, errorLevelName } from './codes.ts'

/**
 * Every error code this package throws, with what to do about it. Codes are stable:
 * match on them (or on {@link LibvirtError.codeName}), never on messages.
 */
export const adapterErrorCatalog = {
  'libvirt-error': 'libvirtd refused the request: `codeName`, `domainName` and the message say why (they are libvirt\'s own).',
  'libvirt-timeout': 'No reply came in time. The request may still complete on the server: check the state before retrying, or raise `timeoutMs`.',
  'libvirt-connect-failed': 'Nothing accepted the connection: is libvirtd (or virtqemud) running, is the socket path or host right, and may this user open it?',
  'libvirt-connection-lost': 'The connection dropped. Calls that were pending may or may not have run on the server; reconnect with createConnection() and check.',
  'libvirt-keepalive-timeout': 'libvirtd stopped answering keepalive pings, so the connection was closed as dead. Reconnect; raise `keepalive.count` on slow links.',
  'libvirt-closed': 'The connection was closed with close(); open a new one with createConnection().',
  'libvirt-protocol': 'The peer sent a packet that does not follow libvirt\'s remote protocol; the connection cannot be trusted and was closed. Is it really libvirtd?',
  'libvirt-message-too-large': 'The request is larger than libvirt\'s limit (VIR_NET_MESSAGE_MAX, 16 MiB; strings 4 MiB). Send less at once.',
  'libvirt-auth-unsupported': 'The server asks for an authentication this client does not speak (only "none" and polkit). Use `auth_unix_rw = "none"`, or a transport that authenticates.',
  'libvirt-bad-uri': 'Use `qemu:///system` (optionally `?socket=/path`), `qemu+unix:///system`, `qemu+tcp://host[:port]/system`, `qemu+tls://host[:port]/system[?pkipath=DIR]` or `qemu+ssh://[user@]host[:port]/system[?keyfile=KEY]`.',
  'libvirt-ext-refused': '`qemu+ext` runs the program named by `command=` on this machine: pass `createRemoteTransport({ allowExt: true })` as options.transport if you trust the URI.',
  'libvirt-tls-bad-pki': 'Fix the certificate files the message names (libvirt\'s layout: `pkipath=DIR` with cacert.pem, clientcert.pem and clientkey.pem; or /etc/pki/CA/cacert.pem and /etc/pki/libvirt/… for root, ~/.pki/libvirt/… for users).',
  'libvirt-tls-untrusted': 'The server\'s certificate is not signed by a CA in cacert.pem: put the CA that signed libvirtd\'s servercert.pem in cacert.pem (or, for a test host only, add `no_verify=1`).',
  'libvirt-tls-cert-expired': 'A certificate is expired or not yet valid: renew it (and check both clocks). The message says whose.',
  'libvirt-tls-hostname-mismatch': 'The server\'s certificate is not issued for the host name in the URI: connect with a name or IP its subjectAltName lists, or reissue servercert.pem with this name.',
  'libvirt-tls-rejected': 'libvirtd refused our client certificate (issued by a CA it does not trust, expired, or not in its tls_allowed_dn_list): get a clientcert.pem signed by the CA in libvirtd\'s ca_file.',
  'libvirt-handshake-timeout': 'The host accepted the connection but the TLS handshake or the ssh login did not finish in time: is libvirtd (or sshd) healthy there? Raise connectTimeoutMs on slow links.',
  'libvirt-ssh-auth-failed': 'sshd refused every key offered: add the public key to the remote user\'s authorized_keys, or name the right one with `keyfile=`. virtuned never prompts (BatchMode).',
  'libvirt-ssh-host-key': 'ssh does not know (or no longer trusts) this host\'s key: add it to known_hosts (`ssh-keyscan`), name a file with `known_hosts=`, or, for a test host only, add `no_verify=1`.',
  'libvirt-ssh-failed': 'ssh or the remote helper failed: the message quotes ssh. Is virt-ssh-helper (libvirt ≥ 6.8) or nc installed on the host (`proxy=netcat` / `proxy=native`)?',
  'libvirt-bad-argument': 'Fix the argument the message names.',
  'libvirt-plan-refused': 'attach(plan)/detach(plan) got a plan with `ok: false`: nothing was sent. Solve the problems it lists (each has a code), then plan again.',
  'xdr-truncated': 'The data ends before the value it announces: the packet is truncated or not XDR.',
  'xdr-limit-exceeded': 'A length or count is over the protocol\'s limit for this field.',
  'xdr-invalid-value': 'A value is outside what the field allows (a bool other than 0/1, an integer out of range).',
  'xdr-invalid-utf8': 'A string is not valid UTF-8.',
  'xdr-trailing-bytes': 'The packet has bytes after its last field: client and server disagree on the message layout.',
} as const

/** A stable error code of this package (a key of {@link adapterErrorCatalog}). */
export type AdapterErrorCode = keyof typeof adapterErrorCatalog

/** The fields of libvirt's `virNetMessageError` (`remote_error`) as sent on the wire. */
export interface RemoteErrorFields {
  readonly code: number
  readonly domain: number
  readonly message: string | undefined
  readonly level: number
  readonly str1: string | undefined
  readonly str2: string | undefined
  readonly str3: string | undefined
  readonly int1: number
  readonly int2: number
}

/**
 * libvirtd answered a call with an error. Carries libvirt's own numbers (`libvirtCode`, `domain`,
 * `level`) and their names from virterror.h (`codeName`, e.g. `VIR_ERR_NO_DOMAIN`; `domainName`, e.g.
 * `VIR_FROM_QEMU`), so callers can branch on data rather than on message text.
 */
export class LibvirtError extends VirtunedError {
  override readonly code: 'libvirt-error'
  /** libvirt's `virErrorNumber`. */
  readonly libvirtCode: number
  /** Its name in virterror.h (`VIR_ERR_…`/`VIR_WAR_…`), or `undefined` for a number newer than this table. */
  readonly codeName: string | undefined
  /** libvirt's `virErrorDomain`: which part of libvirt raised it. */
  readonly domain: number
  readonly domainName: string | undefined
  /** libvirt's `virErrorLevel` (1 warning, 2 error). */
  readonly level: number
  readonly levelName: string | undefined
  readonly str1: string | undefined
  readonly str2: string | undefined
  readonly str3: string | undefined
  readonly int1: number
  readonly int2: number
  /** The remote procedure that failed (its name in remote_protocol.x, e.g. `DOMAIN_DEFINE_XML_FLAGS`). */
  readonly procedure: string

  constructor(fields: RemoteErrorFields, procedure: string) {
    const codeName = errorCodeName(fields.code)
    super('libvirt-error', fields.message ?? `libvirt error ${codeName ?? fields.code} in ${procedure}`, { note: adapterErrorCatalog['libvirt-error'] })
    this.name = 'LibvirtError'
    this.code = 'libvirt-error'
    this.libvirtCode = fields.code
    this.codeName = codeName
    this.domain = fields.domain
    this.domainName = errorDomainName(fields.domain)
    this.level = fields.level
    this.levelName = errorLevelName(fields.level)
    this.str1 = fields.str1
    this.str2 = fields.str2
    this.str3 = fields.str3
    this.int1 = fields.int1
    this.int2 = fields.int2
    this.procedure = procedure
  }
}

/** A call that got no reply within its timeout. The connection stays usable; a late reply is dropped. */
export class LibvirtTimeoutError extends VirtunedError {
  override readonly code: 'libvirt-timeout'
  readonly procedure: string
  readonly timeoutMs: number

  constructor(procedure: string, timeoutMs: number) {
    super('libvirt-timeout', `No reply to ${procedure} within ${timeoutMs} ms`, { note: adapterErrorCatalog['libvirt-timeout'] })
    this.name = 'LibvirtTimeoutError'
    this.code = 'libvirt-timeout'
    this.procedure = procedure
    this.timeoutMs = timeoutMs
  }
}

/** Codes of {@link LibvirtConnectionError}. */
export type ConnectionErrorCode = 'libvirt-connect-failed' | 'libvirt-connection-lost' | 'libvirt-keepalive-timeout' | 'libvirt-closed'
  | 'libvirt-tls-bad-pki' | 'libvirt-tls-untrusted' | 'libvirt-tls-cert-expired' | 'libvirt-tls-hostname-mismatch' | 'libvirt-tls-rejected'
  | 'libvirt-handshake-timeout' | 'libvirt-ssh-auth-failed' | 'libvirt-ssh-host-key' | 'libvirt-ssh-failed'

/**
 * The connection is not (or no longer) usable: it could not be opened, it dropped, keepalive declared
 * the peer dead, or it was closed. Pending calls are rejected with it, and so is every later call.
 */
export class LibvirtConnectionError extends VirtunedError {
  override readonly code: ConnectionErrorCode

  constructor(code: ConnectionErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { note: adapterErrorCatalog[code], cause: options.cause })
    this.name = 'LibvirtConnectionError'
    this.code = code
  }
}

/** The peer broke the protocol (bad length word, wrong program or version, undecodable reply), or a request is over its limits. */
export class LibvirtProtocolError extends VirtunedError {
  override readonly code: 'libvirt-protocol' | 'libvirt-message-too-large'

  constructor(code: 'libvirt-protocol' | 'libvirt-message-too-large', message: string, options: { cause?: unknown } = {}) {
    super(code, message, { note: adapterErrorCatalog[code], cause: options.cause })
    this.name = 'LibvirtProtocolError'
    this.code = code
  }
}

/** Codes of {@link LibvirtUsageError}. */
export type UsageErrorCode = 'libvirt-bad-uri' | 'libvirt-bad-argument' | 'libvirt-auth-unsupported' | 'libvirt-plan-refused' | 'libvirt-ext-refused'

/** Misuse: a URI this client cannot open, an argument of the wrong shape, an authentication it does not speak, a refused plan. */
export class LibvirtUsageError extends VirtunedError {
  override readonly code: UsageErrorCode

  constructor(code: UsageErrorCode, message: string) {
    super(code, message, { note: adapterErrorCatalog[code] })
    this.name = 'LibvirtUsageError'
    this.code = code
  }
}

/** Codes of {@link XdrError}. */
export type XdrErrorCode = 'xdr-truncated' | 'xdr-limit-exceeded' | 'xdr-invalid-value' | 'xdr-invalid-utf8' | 'xdr-trailing-bytes'

/** XDR data that cannot be decoded (or a value that cannot be encoded). `offset` is the byte where it went wrong. */
export class XdrError extends VirtunedError {
  override readonly code: XdrErrorCode
  readonly offset: number

  constructor(code: XdrErrorCode, message: string, offset: number) {
    super(code, message, { note: adapterErrorCatalog[code] })
    this.name = 'XdrError'
    this.code = code
    this.offset = offset
  }
}

/**
 * Whether an error is libvirt/QEMU saying the device is *already being unplugged* (QEMU's
 * "Device X is already in the process of unplug", or libvirt's own wording for a removal it is
 * still waiting for). A retried detach that gets this is still pending, not failed: keep waiting
 * for the device-removed event.
 */
export function isUnplugInProgress(error: unknown): boolean {
  if (!(error instanceof LibvirtError)) return false
  return /already in the process of unplug|already being (?:unplugged|detached|removed)|unplug (?:is )?already in progress|detach(?:ment)? (?:is )?already in progress/i.test(error.message)
}

/** Whether an error is libvirt saying the device (alias) does not exist in the domain. */
export function isDeviceMissing(error: unknown): boolean {
  if (!(error instanceof LibvirtError)) return false
  return error.codeName === 'VIR_ERR_DEVICE_MISSING' || /no device found|device not found|not found in domain/i.test(error.message)
}
