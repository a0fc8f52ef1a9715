// The tools' command lines: node's parseArgs, strict, with a one-line error instead of a stack trace. An option a tool
// does not know (a typo, `--help`) stops it before it does anything — no download into a directory named `--bogus`, no
// 500 domains defined on a flag that was never read. Usage is in each tool's header.
import { parseArgs, type ParseArgsConfig } from 'node:util'

/** `config` read from the command line (strict), or exit 2 with `tool: what is wrong`. */
export function toolArgs<const C extends Omit<ParseArgsConfig, 'args' | 'strict'>>(tool: string, config: C): ReturnType<typeof parseArgs<C & { strict: true }>> {
  try {
    return parseArgs({ ...config, strict: true as const })
  } catch (error) {
    console.error(`${tool}: ${(error as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*/, '')} (usage: the header of tools/${tool}.ts)`)
    process.exit(2)
  }
}
