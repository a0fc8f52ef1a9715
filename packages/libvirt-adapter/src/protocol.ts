// The framing of libvirt's RPC (src/rpc/virnetprotocol.x, virnetmessage.c): a 4-byte length word that
// counts itself, a 24-byte header (program, version, procedure, type, serial, status), then the XDR
// payload of the procedure. Facts from libvirt's protocol files; the code is virtuned's own.
import { LibvirtProtocolError, XdrError, type RemoteErrorFields } from './errors.ts'
import { XdrReader, XdrWriter } from './xdr.ts'

/** `VIR_NET_MESSAGE_MAX`: the largest header + payload libvirt accepts (the length word is not counted). */
export const MESSAGE_MAX = 16_777_216
/** `VIR_NET_MESSAGE_LEN_MAX`: the size of the length word. */
export const LENGTH_WORD = 4
/** `VIR_NET_MESSAGE_HEADER_MAX`: size of the serialised header. */
export const HEADER_SIZE = 24
/** `VIR_NET_MESSAGE_STRING_MAX` / `REMOTE_STRING_MAX` (libvirt ≥ 1.2): the longest string on the wire. */
export const STRING_MAX = 4_194_304
/** `VIR_UUID_BUFLEN`. */
export const UUID_LENGTH = 16
/** `REMOTE_DOMAIN_LIST_MAX`. */
export const DOMAIN_LIST_MAX = 16_384
/** `REMOTE_AUTH_TYPE_LIST_MAX`. */
export const AUTH_TYPE_LIST_MAX = 20

/** `REMOTE_PROGRAM` and `KEEPALIVE_PROGRAM` with their versions. */
export const programs = {
  remote: 0x2000_8086,
  remoteVersion: 1,
  keepalive: 0x6b65_6570,
  keepaliveVersion: 1,
} as const

/** `virNetMessageType`. */
export const messageTypes = {
  call: 0,
  reply: 1,
  message: 2,
  stream: 3,
  callWithFds: 4,
  replyWithFds: 5,
} as const

/** `virNetMessageStatus`. */
export const messageStatus = {
  ok: 0,
  error: 1,
  continue: 2,
} as const

/** `keepalive_procedure`. */
export const keepaliveProcedures = {
  ping: 1,
  pong: 2,
} as const

/** The `remote_procedure` numbers this client uses (remote_protocol.x; numbers never change). */
export const procedures = {
  CONNECT_OPEN: 1,
  CONNECT_CLOSE: 2,
  CONNECT_GET_VERSION: 4,
  CONNECT_GET_CAPABILITIES: 7,
  DOMAIN_DESTROY: 12,
  DOMAIN_GET_XML_DESC: 14,
  DOMAIN_LOOKUP_BY_NAME: 23,
  DOMAIN_LOOKUP_BY_UUID: 24,
  DOMAIN_SHUTDOWN: 33,
  CONNECT_GET_HOSTNAME: 59,
  CONNECT_SUPPORTS_FEATURE: 60,
  AUTH_LIST: 66,
  AUTH_POLKIT: 70,
  CONNECT_GET_LIB_VERSION: 157,
  DOMAIN_ATTACH_DEVICE_FLAGS: 160,
  DOMAIN_DETACH_DEVICE_FLAGS: 161,
  DOMAIN_UPDATE_DEVICE_FLAGS: 174,
  DOMAIN_CREATE_WITH_FLAGS: 196,
  DOMAIN_UNDEFINE_FLAGS: 231,
  CONNECT_LIST_ALL_DOMAINS: 273,
  CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: 316,
  CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY: 317,
  DOMAIN_EVENT_CALLBACK_LIFECYCLE: 318,
  DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED: 333,
  CONNECT_GET_DOMAIN_CAPABILITIES: 342,
  DOMAIN_DEFINE_XML_FLAGS: 350,
  DOMAIN_EVENT_CALLBACK_DEVICE_ADDED: 354,
  DOMAIN_EVENT_CALLBACK_DEVICE_REMOVAL_FAILED: 367,
  DOMAIN_DETACH_DEVICE_ALIAS: 392,
} as const

const procedureNames = new Map<number, string>(Object.entries(procedures).map(([name, number]) => [number, name]))

/** The remote_protocol.x name of a procedure number (without `REMOTE_PROC_`), or `PROC_<n>`. */
export function procedureName(procedure: number): string {
  return procedureNames.get(procedure) ?? `PROC_${procedure}`
}

/** `remote_auth_type`. */
export const authTypes = {
  none: 0,
  sasl: 1,
  polkit: 2,
} as const

/** `virDrvFeature` values this client asks about (src/libvirt_internal.h). */
export const features = {
  PROGRAM_KEEPALIVE: 10,
  REMOTE_EVENT_CALLBACK: 14,
} as const

/** A decoded message header. */
export interface MessageHeader {
  readonly program: number
  readonly version: number
  readonly procedure: number
  readonly type: number
  readonly serial: number
  readonly status: number
}

/** Writes the length word (patched by {@link finishMessage}) and the header; the payload follows. */
export function startMessage(header: MessageHeader, maxBytes = MESSAGE_MAX + LENGTH_WORD): XdrWriter {
  const writer = new XdrWriter({ maxBytes, initialBytes: 256 })
  writer.uint(0)
  writer.uint(header.program).uint(header.version).int(header.procedure).int(header.type).uint(header.serial).int(header.status)
  return writer
}

/** Patches the length word and returns the packet. */
export function finishMessage(writer: XdrWriter): Uint8Array {
  writer.patchUint(0, writer.length)
  return writer.finish()
}

/** One whole message: header, and payload as a byte range of the packet. */
export interface Packet {
  readonly header: MessageHeader
  /** The whole packet, length word included. */
  readonly bytes: Uint8Array
  /** Offset of the payload in `bytes`. */
  readonly payloadOffset: number
}

/** Decodes the header of a complete packet (length word included). Throws XdrError on a short header. */
export function decodePacket(bytes: Uint8Array): Packet {
  const reader = new XdrReader(bytes)
  reader.uint()
  const header: MessageHeader = {
    program: reader.uint(),
    version: reader.uint(),
    procedure: reader.int(),
    type: reader.int(),
    serial: reader.uint(),
    status: reader.int(),
  }
  return { header, bytes, payloadOffset: reader.offset }
}

/** A reader over a packet's payload. */
export function payloadReader(packet: Packet): XdrReader {
  return new XdrReader(packet.bytes, packet.payloadOffset)
}

/**
 * Cuts a byte stream into packets. The length word is checked as soon as it arrives (at least a
 * header, at most `VIR_NET_MESSAGE_MAX` + the word), so a hostile or broken peer cannot make the
 * client buffer 4 GiB or wait forever for bytes that will never come; the caller closes the
 * connection on the first error.
 */
export class FrameDecoder {
  #chunks: Uint8Array[] = []
  #buffered = 0
  #expected = -1
  readonly #maxPacket: number

  constructor(options: { maxPacket?: number } = {}) {
    this.#maxPacket = options.maxPacket ?? MESSAGE_MAX + LENGTH_WORD
  }

  /** Bytes held for an incomplete packet. */
  get pending(): number {
    return this.#buffered
  }

  /** Feeds bytes; returns the complete packets they finish. Throws LibvirtProtocolError on a bad length word. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (chunk.length > 0) {
      this.#chunks.push(chunk)
      this.#buffered += chunk.length
    }
    const packets: Uint8Array[] = []
    for (;;) {
      if (this.#expected < 0) {
        if (this.#buffered < LENGTH_WORD) break
        const head = this.#take(LENGTH_WORD, false)
        const length = new DataView(head.buffer, head.byteOffset, LENGTH_WORD).getUint32(0)
        if (length < LENGTH_WORD + HEADER_SIZE) throw new LibvirtProtocolError('libvirt-protocol', `Packet of ${length} bytes received, too small for a header (want at least ${LENGTH_WORD + HEADER_SIZE})`)
        if (length > this.#maxPacket) throw new LibvirtProtocolError('libvirt-protocol', `Packet of ${length} bytes received, over the limit of ${this.#maxPacket} (VIR_NET_MESSAGE_MAX)`)
        this.#expected = length
      }
      if (this.#buffered < this.#expected) break
      packets.push(this.#take(this.#expected, true))
      this.#expected = -1
    }
    return packets
  }

  /** Copies the first `count` buffered bytes; consumes them when `consume`. */
  #take(count: number, consume: boolean): Uint8Array {
    const first = this.#chunks[0]
    if (first && first.length >= count) {
      const out = first.subarray(0, count)
      if (consume) {
        if (first.length === count) this.#chunks.shift()
        else this.#chunks[0] = first.subarray(count)
        this.#buffered -= count
      }
      return consume ? new Uint8Array(out) : out
    }
    const out = new Uint8Array(count)
    let filled = 0
    let index = 0
    while (filled < count) {
      const chunk = this.#chunks[index] as Uint8Array
      const part = Math.min(chunk.length, count - filled)
      out.set(chunk.subarray(0, part), filled)
      filled += part
      if (consume) {
        if (part === chunk.length) this.#chunks.shift()
        else {
          this.#chunks[0] = chunk.subarray(part)
          index = 0
        }
      } else index++
    }
    if (consume) this.#buffered -= count
    return out
  }
}

/** A domain as libvirt names it on the wire (`remote_nonnull_domain`). `id` is -1 when not running. */
export interface DomainRef {
  readonly name: string
  /** The 16 raw bytes of the UUID (see {@link uuidToString}). */
  readonly uuid: Uint8Array
  readonly id: number
}

export function writeDomain(writer: XdrWriter, domain: DomainRef): void {
  writer.string(domain.name, STRING_MAX).fixedOpaque(domain.uuid, UUID_LENGTH).int(domain.id)
}

export function readDomain(reader: XdrReader): DomainRef {
  return { name: reader.string(STRING_MAX), uuid: reader.fixedOpaque(UUID_LENGTH), id: reader.int() }
}

/** `remote_string` (a pointer to a string). */
export function readOptionalString(reader: XdrReader): string | undefined {
  return reader.optional((r) => r.string(STRING_MAX))
}

export function writeOptionalString(writer: XdrWriter, value: string | undefined): void {
  writer.optional(value, (w, v) => w.string(v, STRING_MAX))
}

/** `remote_error` / `virNetMessageError`. The `dom` and `net` pointers are read and dropped (unused by libvirt). */
export function readRemoteError(reader: XdrReader): RemoteErrorFields {
  const code = reader.int()
  const domain = reader.int()
  const message = readOptionalString(reader)
  const level = reader.int()
  reader.optional(readDomain)
  const str1 = readOptionalString(reader)
  const str2 = readOptionalString(reader)
  const str3 = readOptionalString(reader)
  const int1 = reader.int()
  const int2 = reader.int()
  reader.optional((r) => ({ name: r.string(STRING_MAX), uuid: r.fixedOpaque(UUID_LENGTH) }))
  return { code, domain, message, level, str1, str2, str3, int1, int2 }
}

/** Writes a `remote_error` (for tests and fakes). */
export function writeRemoteError(writer: XdrWriter, error: Partial<RemoteErrorFields> & { code: number }): void {
  writer.int(error.code).int(error.domain ?? 0)
  writeOptionalString(writer, error.message)
  writer.int(error.level ?? 2)
  writer.bool(false)
  writeOptionalString(writer, error.str1)
  writeOptionalString(writer, error.str2)
  writeOptionalString(writer, error.str3)
  writer.int(error.int1 ?? 0).int(error.int2 ?? 0)
  writer.bool(false)
}

/** `8b4c…` ⇄ 16 bytes. */
export function uuidToString(uuid: Uint8Array): string {
  const hex = Array.from(uuid, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

/** Parses a UUID in libvirt's forms (with or without dashes). Throws XdrError when it is not 32 hex digits. */
export function uuidFromString(text: string): Uint8Array {
  const hex = text.replace(/-/g, '')
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new XdrError('xdr-invalid-value', `Unexpected UUID \`${text}\`, expected 32 hexadecimal digits`, 0)
  const bytes = new Uint8Array(UUID_LENGTH)
  for (let i = 0; i < UUID_LENGTH; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}
