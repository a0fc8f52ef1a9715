// Deno and Bun entry: node:fs works in both. Usage: <runtime> cli-runner.js DIST_INDEX_URL CASES_JSON
import { readFileSync } from 'node:fs'
import { runConformance } from './conformance.js'

const [distUrl, casesPath] = (globalThis.Deno ? Deno.args : process.argv.slice(2))
const core = await import(distUrl)
const cases = JSON.parse(readFileSync(casesPath, 'utf8'))
console.log(JSON.stringify(await runConformance(core, cases)))
