// How bytes reach libvirtd. The client only needs an ordered, reliable byte stream; a unix socket
// and plain TCP come with the package (node:net), and a TLS or SSH stream fits the same interface.
import { createConnection as netConnect, type Socket } from 'node:net'
import { LibvirtConnectionError, LibvirtUsageError } from './errors.ts'
import type { ConnectTarget } from './uri.ts'

/** Receives what a transport reads. `end` is called exactly once, with the cause if the stream failed. */
export interface TransportSink {
  data(chunk: Uint8Array): void
  end(error?: Error): void
}

/**
 * An ordered, reliable byte stream to libvirtd. Implement it for a transport the package does not
 * ship (TLS with `node:tls`, an SSH channel): `write` queues bytes, `close` ends the stream and
 * later calls `sink.end()`, and `attach` is called once before anything is written.
 */
export interface Transport {
  attach(sink: TransportSink): void
  write(bytes: Uint8Array): void
  close(): void
}

/** Opens a transport for a parsed URI. */
export type TransportFactory = (target: ConnectTarget, options: { readonly timeoutMs: number }) => Promise<Transport>

/** Wraps a connected `node:net` (or `node:tls`) socket as a {@link Transport}. */
export function socketTransport(socket: Socket): Transport {
  let sink: TransportSink | undefined
  let ended = false
  const early: Uint8Array[] = []
  let earlyEnd: { error?: Error } | undefined
  const finish = (error?: Error) => {
    if (ended) return
    ended = true
    if (sink) sink.end(error)
    else earlyEnd = error ? { error } : {}
  }
  socket.on('data', (chunk: Buffer) => {
    if (sink) sink.data(chunk)
    else early.push(chunk)
  })
  socket.on('error', (error) => finish(error))
  socket.on('close', () => finish())
  socket.on('end', () => socket.destroy())
  return {
    attach(next) {
      sink = next
      for (const chunk of early.splice(0)) next.data(chunk)
      if (earlyEnd) next.end(earlyEnd.error)
    },
    write(bytes) {
      if (!ended && !socket.destroyed) socket.write(bytes)
    },
    close() {
      if (!socket.destroyed) socket.destroy()
    },
  }
}

/** The built-in factory: a unix socket (`qemu:///system`, `?socket=`) or plain TCP (`qemu+tcp://`). */
export const nodeSocketTransport: TransportFactory = (target, options) => {
  if (target.transport !== 'unix' && target.transport !== 'tcp') {
    return Promise.reject(new LibvirtUsageError('libvirt-bad-uri', `Transport \`${target.transport}\` of \`${target.uri}\` is not built in; pass options.transport (a TransportFactory) for TLS or SSH`))
  }
  const where = target.transport === 'unix' ? (target.socketPath as string) : `${target.host}:${target.port}`
  return new Promise((resolve, reject) => {
    const socket = target.transport === 'unix' ? netConnect({ path: target.socketPath as string }) : netConnect({ host: target.host as string, port: target.port as number })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new LibvirtConnectionError('libvirt-connect-failed', `Cannot connect to libvirtd at ${where}: no answer within ${options.timeoutMs} ms`))
    }, options.timeoutMs)
    const fail = (error: Error) => {
      clearTimeout(timer)
      socket.destroy()
      reject(new LibvirtConnectionError('libvirt-connect-failed', `Cannot connect to libvirtd at ${where}: ${error.message}`, { cause: error }))
    }
    socket.once('error', fail)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.off('error', fail)
      socket.setNoDelay?.(true)
      resolve(socketTransport(socket))
    })
  })
}
