#!/usr/bin/env node
// virtuned composing complete domains, in a fresh Node process as virtinst-compose.py runs in its
// own Python one: spec → policies → defaults → XML, the work `virtuned new` does. Every call gets a
// different spec (tools/bench/compose-specs.mjs): nothing is repeated, so no cache keyed on an
// input can answer for an earlier call. Prints µs per domain as JSON, twice over:
// - `early`: ROUNDS rounds of 500 right after 2,000 warm-up calls — V8 is still optimizing then
//   (its background compiler keeps replacing functions for the first ~10,000 composes);
// - `distinct`: ROUNDS rounds of 500 once 20,000 distinct specs have been composed — the steady
//   state of a long-running app (a service composing domains), the figure set against virtinst's
//   (CPython does not compile: after its 200 warm-up calls, which fill its caches, it is at its steady state).
// Usage: virtuned-compose.mjs POLICIES_DIST SPECS.json ROUNDS   (SPECS.json: at least 20,000 + ROUNDS × 500 specs)
import { readFileSync } from 'node:fs'

const [dist, specsFile, roundsArg] = process.argv.slice(2)
const { compose } = await import(dist)
const cases = JSON.parse(readFileSync(specsFile, 'utf8'))
const rounds = Number(roundsArg)
const perRound = 500
const earlyWarmUp = 2000
const steadyWarmUp = 20000
if (cases.length < steadyWarmUp + rounds * perRound) throw new Error(`need at least ${steadyWarmUp + rounds * perRound} specs, got ${cases.length}`)
if (earlyWarmUp + rounds * perRound > steadyWarmUp) throw new Error(`at most ${Math.floor((steadyWarmUp - earlyWarmUp) / perRound)} rounds`)
let next = 0
let bytes = 0
const once = () => { const c = cases[next++]; return compose(c.spec, { os: c.os, policies: c.policies }).xml }
/** The median of `rounds` timed rounds of `perRound` calls, each call a spec not composed before. */
function measure() {
  const samples = []
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < perRound; i++) bytes += once().length
    samples.push(Number(process.hrtime.bigint() - start) / 1e3 / perRound)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)]
}
while (next < earlyWarmUp) bytes += once().length
const early = measure()
while (next < steadyWarmUp) bytes += once().length
const distinct = measure()
console.log(JSON.stringify({ distinct, early, earlyWarmUp, steadyWarmUp, perRound, calls: next, bytes }))
