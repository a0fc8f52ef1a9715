// `qemu+ssh://[user@]host[:port]/system`: as libvirt's `ssh` transport does it — the system `ssh`
// runs `virt-ssh-helper` (or `nc -U socket`) on the host, and the RPC stream is the child's stdio.
// `qemu+ext` (a local program named by `command=`) uses the same plumbing, only when allowed.
import { spawn, type ChildProcess } from 'node:child_process'
import { LibvirtConnectionError, LibvirtUsageError } from './errors.ts'
import { defaultSocketPath, type ConnectTarget } from './uri.ts'
import { flag } from './tls.ts'
import type { Transport, TransportSink } from './transport.ts'

/** Options of {@link sshTransport}. */
export interface SshTransportOptions {
  /** Time until libvirtd's first answer comes back through ssh (TCP connect, ssh login, helper start). */
  readonly timeoutMs: number
  /** The ssh client to run (default `ssh` from PATH). */
  readonly sshCommand?: string
  /** Extra `ssh` arguments placed before the host (e.g. `['-F', '/path/config']`). */
  readonly sshArgs?: readonly string[]
}

/** Quotes a word for the remote user's POSIX shell. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/** libvirt's netcat fallback: `nc -q0` where nc needs it to exit on EOF, then `-U socket`. */
function netcatCommand(netcat: string, socket: string): string {
  const nc = shellQuote(netcat)
  return `if ${nc} -q 2>&1 | grep "requires an argument" >/dev/null 2>&1; then ARG=-q0; else ARG=; fi; exec ${nc} $ARG -U ${shellQuote(socket)}`
}

const sshAuthMethods: Readonly<Record<string, string>> = { agent: 'publickey', privkey: 'publickey', password: 'password', 'keyboard-interactive': 'keyboard-interactive' }

/**
 * The `ssh` command line libvirt's client would run for this URI: `-p`, `-l`, `-i keyfile`, `-T -e none`,
 * `no_verify=1` → `StrictHostKeyChecking=no`, `known_hosts=` → `UserKnownHostsFile`, `sshauth=` →
 * `PreferredAuthentications`, and `BatchMode=yes` (virtuned never prompts). The remote command is
 * chosen by `proxy=` as libvirt does: `native` (virt-ssh-helper), `netcat` (`nc -U socket`) or `auto`
 * (virt-ssh-helper when the host has it, else nc).
 */
export function sshCommandLine(target: ConnectTarget, options: Pick<SshTransportOptions, 'timeoutMs' | 'sshArgs'>): string[] {
  const params = target.params ?? {}
  const args = ['-T', '-e', 'none', '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${Math.max(1, Math.ceil(options.timeoutMs / 1000))}`]
  // As libvirt: `-p` only for a port the URI names, so a `Port` line of ~/.ssh/config still applies.
  if (target.port !== undefined && !target.portIsDefault) args.push('-p', String(target.port))
  if (target.user) args.push('-l', target.user)
  if (params['keyfile']) args.push('-i', params['keyfile'])
  if (flag(params['no_verify'])) args.push('-o', 'StrictHostKeyChecking=no')
  if (params['known_hosts']) args.push('-o', `UserKnownHostsFile=${params['known_hosts']}`)
  if (params['sshauth']) {
    const methods = params['sshauth'].split(',').map((m) => {
      const method = sshAuthMethods[m.trim()]
      if (!method) throw new LibvirtUsageError('libvirt-bad-uri', `Unexpected sshauth \`${m}\` in \`${target.uri}\`, expected ${Object.keys(sshAuthMethods).join(', ')}`)
      return method
    })
    args.push('-o', `PreferredAuthentications=${[...new Set(methods)].join(',')}`)
  }
  args.push(...(options.sshArgs ?? []))
  const proxy = params['proxy'] ?? 'auto'
  const socket = params['socket'] ?? defaultSocketPath
  const netcat = netcatCommand(params['netcat'] ?? 'nc', socket)
  const helper = `virt-ssh-helper ${shellQuote(target.name)}`
  let remote: string
  if (proxy === 'native') remote = helper
  else if (proxy === 'netcat') remote = `sh -c ${shellQuote(netcat)}`
  else if (proxy === 'auto') remote = `sh -c ${shellQuote(`which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then exec ${helper}; else ${netcat}; fi`)}`
  else throw new LibvirtUsageError('libvirt-bad-uri', `Unexpected proxy \`${proxy}\` in \`${target.uri}\`, expected auto, native or netcat`)
  args.push('--', target.host as string, remote)
  return args
}

/** What ssh's last words mean, as a typed error. */
export function sshExitError(where: string, code: number | null, signal: string | null, stderr: string, answered: boolean): LibvirtConnectionError {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^Warning: Permanently added/.test(l))
  const last = lines.at(-1) ?? (signal ? `killed by ${signal}` : `exit status ${code}`)
  const text = lines.join(' ')
  if (/Permission denied|Too many authentication failures|No more authentication methods/i.test(text)) return new LibvirtConnectionError('libvirt-ssh-auth-failed', `ssh to ${where} refused our key: ${last}`)
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|host key .*(not known|mismatch)/i.test(text)) return new LibvirtConnectionError('libvirt-ssh-host-key', `ssh does not trust the host key of ${where}: ${last}`)
  if (!answered && /Connection refused|Could not resolve hostname|No route to host|Network is unreachable|Connection timed out|Operation timed out|Name or service not known/i.test(text)) {
    return new LibvirtConnectionError('libvirt-connect-failed', `Cannot reach ${where} over ssh: ${last}`)
  }
  if (code === 127 || /not found|No such file or directory/i.test(text)) return new LibvirtConnectionError('libvirt-ssh-failed', `The remote side of ssh to ${where} could not start: ${last}`)
  if (answered || /closed by remote host|Connection reset|Broken pipe|Connection closed|Connection to .* closed/i.test(text)) {
    return new LibvirtConnectionError('libvirt-connection-lost', `The connection to ${where} over ssh ended: ${last}`)
  }
  return new LibvirtConnectionError('libvirt-ssh-failed', `ssh to ${where} failed: ${last}`)
}

/**
 * A {@link Transport} over a child process's stdin/stdout. Until the first byte comes back the
 * handshake timer runs; an exit of the child ends the stream with the error `describe` makes of
 * its stderr. `close()` ends stdin and terminates the child (SIGTERM, then SIGKILL after 1 s).
 */
export function childTransport(child: ChildProcess, options: { readonly timeoutMs: number; readonly where: string; readonly describe: (code: number | null, signal: string | null, stderr: string, answered: boolean) => LibvirtConnectionError }): Transport {
  let sink: TransportSink | undefined
  let ended = false
  let closing = false
  let answered = false
  let stderr = ''
  let endError: Error | undefined
  const early: Uint8Array[] = []
  let earlyEnd: { error?: Error } | undefined
  let killTimer: ReturnType<typeof setTimeout> | undefined
  const finish = (error?: Error) => {
    if (ended) return
    ended = true
    clearTimeout(handshake)
    clearTimeout(killTimer)
    if (sink) sink.end(error)
    else earlyEnd = error ? { error } : {}
  }
  const terminate = () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    killTimer = setTimeout(() => child.kill('SIGKILL'), 1000)
    killTimer.unref?.()
  }
  const handshake = setTimeout(() => {
    if (answered || ended) return
    endError = new LibvirtConnectionError('libvirt-handshake-timeout', `No answer from libvirtd on ${options.where} within ${options.timeoutMs} ms (ssh login or the remote helper did not finish)`)
    terminate()
  }, options.timeoutMs)
  child.stdout?.on('data', (chunk: Buffer) => {
    answered = true
    clearTimeout(handshake)
    if (sink) sink.data(chunk)
    else early.push(chunk)
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096)
  })
  // Writes after the child died fail with EPIPE: the exit reports why.
  child.stdin?.on('error', () => {})
  child.on('error', (error) => {
    endError ??= new LibvirtConnectionError('libvirt-ssh-failed', `Cannot run the transport's command for ${options.where}: ${error.message}`, { cause: error })
    terminate()
    finish(endError)
  })
  child.on('close', (code, signal) => {
    if (closing && endError === undefined) return finish()
    finish(endError ?? options.describe(code, signal, stderr, answered))
  })
  return {
    attach(next) {
      sink = next
      for (const chunk of early.splice(0)) next.data(chunk)
      if (earlyEnd) next.end(earlyEnd.error)
    },
    write(bytes) {
      if (!ended && child.stdin && !child.stdin.destroyed) child.stdin.write(bytes)
    },
    close() {
      if (closing) return
      closing = true
      child.stdin?.end()
      terminate()
    },
  }
}

/** Spawns a transport's child and resolves once it runs (a missing program is a typed error). */
function spawnChild(command: string, args: readonly string[], where: string, timeoutMs: number, describe: Parameters<typeof childTransport>[1]['describe']): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: process.env })
    const onError = (error: NodeJS.ErrnoException) => {
      reject(new LibvirtConnectionError('libvirt-ssh-failed', error.code === 'ENOENT' ? `Cannot run \`${command}\` for ${where}: not installed or not on PATH (Debian: openssh-client)` : `Cannot run \`${command}\` for ${where}: ${error.message}`, { cause: error }))
    }
    child.once('error', onError)
    child.once('spawn', () => {
      child.off('error', onError)
      resolve(childTransport(child, { timeoutMs, where, describe }))
    })
  })
}

/** Opens `qemu+ssh://…` by running the system ssh (see {@link sshCommandLine}). */
export function sshTransport(target: ConnectTarget, options: SshTransportOptions): Promise<Transport> {
  let args: string[]
  try {
    args = sshCommandLine(target, options)
  } catch (error) {
    return Promise.reject(error)
  }
  const where = `${target.user ? `${target.user}@` : ''}${target.host}${target.port !== undefined ? `:${target.port}` : ''}`
  return spawnChild(options.sshCommand ?? 'ssh', args, where, options.timeoutMs, (code, signal, stderr, answered) => sshExitError(where, code, signal, stderr, answered))
}

/** Opens `qemu+ext:///system?command=PROGRAM`: runs PROGRAM (no shell, no arguments) and speaks RPC on its stdio. */
export function extTransport(target: ConnectTarget, options: { readonly timeoutMs: number }): Promise<Transport> {
  const command = target.params?.['command']
  if (!command) return Promise.reject(new LibvirtUsageError('libvirt-bad-uri', `\`${target.uri}\` needs \`command=/path/to/program\` for transport ext`))
  return spawnChild(command, [], command, options.timeoutMs, (code, signal, stderr, answered) => {
    const last = stderr.trim().split('\n').at(-1) || (signal ? `killed by ${signal}` : `exit status ${code}`)
    return new LibvirtConnectionError(answered ? 'libvirt-connection-lost' : 'libvirt-ssh-failed', `${command} ended: ${last}`)
  })
}
