#!/usr/bin/env node
// A stand-in for the system `ssh` in the transport tests: records its arguments, then behaves as
// FAKE_SSH_MODE says — `proxy` pipes stdio to the fake libvirtd's socket (as virt-ssh-helper would),
// `deny`, `hostkey` and `refused` print what OpenSSH prints and exit 255, `hang` never answers.
import { appendFileSync } from 'node:fs'
import { connect } from 'node:net'

if (process.env.FAKE_SSH_ARGS) appendFileSync(process.env.FAKE_SSH_ARGS, JSON.stringify(process.argv.slice(2)) + '\n')
// The host (the argument after `--`) can choose too: deny-1, hang-2, refused-3 (for many hosts at once).
const args = process.argv.slice(2)
const host = args[args.indexOf('--') + 1] ?? ''
const mode = /^(deny|hostkey|refused|hang)-/.exec(host)?.[1] ?? process.env.FAKE_SSH_MODE ?? 'proxy'
const fail = (line) => {
  process.stderr.write(line + '\n')
  process.exit(255)
}
if (mode === 'deny') fail('root@fake: Permission denied (publickey).')
else if (mode === 'hostkey') fail('@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\nHost key verification failed.')
else if (mode === 'refused') fail('ssh: connect to host fake port 22: Connection refused')
else if (mode === 'hang') setInterval(() => {}, 60_000)
else {
  const socket = connect(process.env.FAKE_SSH_SOCKET)
  process.stdin.pipe(socket)
  socket.pipe(process.stdout)
  socket.on('close', () => fail('Connection to fake closed by remote host.'))
  socket.on('error', () => {})
  process.stdin.on('end', () => process.exit(0))
}
