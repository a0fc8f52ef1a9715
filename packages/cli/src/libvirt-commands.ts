// Commands that talk to libvirtd through @virtuned/libvirt-adapter: define, dumpxml, attach, detach.
import { planWithDefaults } from './attach-plan.ts'
import { parseArgs } from 'node:util'
import { planDetach } from '@virtuned/hotplug'
import { createConnection, type LibvirtConnection } from '@virtuned/libvirt-adapter'
import { parseLibvirtXml } from '@virtuned/model'
import type { CommandContext } from './compose-commands.ts'
import { printable, UsageError } from './errors.ts'
import { hotplugDevice } from './device-options.ts'

export const defaultUri = 'qemu:///system'

/** Runs `run` on a connection to `uri`, closed afterwards whatever happens. */
export async function withConnection<T>(uri: string, run: (conn: LibvirtConnection) => Promise<T>): Promise<T> {
  const conn = await createConnection(uri)
  try {
    return await run(conn)
  } finally {
    await conn.close()
  }
}

const connect = { connect: { type: 'string', short: 'c' }, json: { type: 'boolean' } } as const

export async function defineCommand(context: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...connect, 'no-validate': { type: 'boolean' } } })
  if (positionals.length !== 1) throw new UsageError(`Unexpected ${positionals.length} files, expected one domain FILE`)
  const xml = new TextDecoder().decode(await context.read(positionals[0]!))
  parseLibvirtXml(xml)
  return withConnection(values.connect ?? defaultUri, async (conn) => {
    const domain = await conn.defineXML(xml, { validate: values['no-validate'] !== true })
    context.io.stdout(values.json ? JSON.stringify({ name: domain.name }) + '\n' : `defined ${domain.name}\n`)
    return 0
  })
}

export async function dumpxmlCommand(context: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...connect, inactive: { type: 'boolean' } } })
  if (positionals.length !== 1) throw new UsageError(`Unexpected ${positionals.length} arguments, expected one domain NAME`)
  return withConnection(values.connect ?? defaultUri, async (conn) => {
    const domain = await conn.lookupDomainByName(positionals[0]!)
    context.io.stdout(await conn.getXMLDesc(domain, { inactive: values.inactive === true }))
    return 0
  })
}

export async function attachCommand(context: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...connect, disk: { type: 'string' }, bus: { type: 'string' }, nic: { type: 'string' }, controller: { type: 'string' }, hostdev: { type: 'string' }, alias: { type: 'string' } } })
  const given = hotplugDevice(values)
  if (positionals.length !== (given ? 1 : 2)) throw new UsageError('Expected NAME DEVICE.xml, or NAME with --disk, --nic, --controller or --hostdev')
  const device = given ?? parseLibvirtXml(await context.read(positionals[1]!)).root
  return withConnection(values.connect ?? defaultUri, async (conn) => {
    const domain = await conn.lookupDomainByName(positionals[0]!)
    const live = await conn.getXMLDesc(domain)
    const element = device
    const plan = planWithDefaults(live, element, values.alias ? { alias: values.alias } : {})
    if (!plan.ok) {
      for (const p of plan.problems) context.io.stderr(printable(`${positionals[0]}: ${p.message} [${p.code}]${p.policy ? `\n  hint: the \`${p.policy}\` policy prevents this` : ''}`) + '\n')
      return 1
    }
    const result = await conn.attach(domain, plan)
    context.io.stdout(values.json ? JSON.stringify({ alias: result.alias, verified: result.verified }) + '\n' : `attached ${result.alias}${plan.guestId ? ` (the guest sees ${plan.guestId})` : ''}${result.verified ? '' : ' — but it is not in the live XML'}\n`)
    return result.verified ? 0 : 1
  })
}

export async function detachCommand(context: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...connect, alias: { type: 'string' }, disk: { type: 'string' }, mac: { type: 'string' }, timeout: { type: 'string' } } })
  if (positionals.length !== 1) throw new UsageError('Expected one domain NAME')
  if ([values.alias, values.disk, values.mac].filter((v) => v !== undefined).length !== 1) throw new UsageError('Expected exactly one of --alias, --disk, --mac')
  const timeoutMs = values.timeout === undefined ? 20_000 : Number(values.timeout) * 1000
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError(`Unexpected --timeout \`${values.timeout}\`, expected seconds`)
  return withConnection(values.connect ?? defaultUri, async (conn) => {
    const domain = await conn.lookupDomainByName(positionals[0]!)
    const plan = planDetach(await conn.getXMLDesc(domain), { ...(values.alias ? { alias: values.alias } : {}), ...(values.disk ? { disk: values.disk } : {}), ...(values.mac ? { mac: values.mac } : {}) })
    if (!plan.ok) {
      for (const p of plan.problems) context.io.stderr(printable(`${positionals[0]}: ${p.message} [${p.code}]`) + '\n')
      return 1
    }
    const result = await conn.detach(domain, plan, { timeoutMs })
    context.io.stdout(values.json ? JSON.stringify({ alias: result.alias, outcome: result.outcome, attempts: result.attempts }) + '\n' : `${result.outcome} ${result.alias} after ${result.attempts} request${result.attempts === 1 ? '' : 's'}\n`)
    return result.ok ? 0 : 1
  })
}
