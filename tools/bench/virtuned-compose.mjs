#!/usr/bin/env node
// virtuned composing complete domains, in a fresh Node process as virtinst-compose.py runs in its
// own Python one: spec → policies → defaults → XML, the work `virtuned new` does. Every call gets a
// different spec (tools/bench/compose-specs.mjs): nothing is repeated, so no cache keyed on an
// input can answer for an earlier call. Prints µs per domain as JSON.
// Usage: virtuned-compose.mjs POLICIES_DIST SPECS.json ROUNDS
import { readFileSync } from 'node:fs'

const [dist, specsFile, roundsArg] = process.argv.slice(2)
const { compose } = await import(dist)
const cases = JSON.parse(readFileSync(specsFile, 'utf8'))
const rounds = Number(roundsArg)
const perRound = 500
const warmCount = cases.length - rounds * perRound
if (warmCount < 1000) throw new Error(`need at least ${rounds * perRound + 1000} specs, got ${cases.length}`)
let next = 0
const once = () => { const c = cases[next++]; return compose(c.spec, { os: c.os, policies: c.policies }).xml }
// A long-running app composes many domains: warm up (the JIT settles) on specs that are not timed.
let bytes = 0
while (next < warmCount) bytes += once().length
const samples = []
for (let r = 0; r < rounds; r++) {
  const start = process.hrtime.bigint()
  for (let i = 0; i < perRound; i++) bytes += once().length
  samples.push(Number(process.hrtime.bigint() - start) / 1e3 / perRound)
}
samples.sort((a, b) => a - b)
console.log(JSON.stringify({ distinct: samples[Math.floor(samples.length / 2)], perRound, calls: next, bytes }))
