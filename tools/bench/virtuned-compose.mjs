#!/usr/bin/env node
// virtuned composing a complete domain, in a fresh Node process as virtinst-compose.py runs in its
// own Python one: spec → policies (`spice`) → defaults → XML, the work `virtuned new` does.
// Prints µs per domain as JSON. Usage: virtuned-compose.mjs POLICIES_DIST ROUNDS
const [dist, roundsArg] = process.argv.slice(2)
const { compose } = await import(dist)
const rounds = Number(roundsArg)
// A long-running app composes many domains: warm up for about a second (the JIT has settled by
// then; 200 calls measured tier-up, not steady state), then time `rounds` rounds of `perRound`
// calls each and report the median round.
const perRound = 500
const out = {}
for (const [os, memory] of [['win11', '4GiB'], ['debian11', '2GiB']]) {
  const spec = { name: `bench-${os}`, memory, vcpus: 2, disks: [{ source: { file: '/var/lib/libvirt/images/bench.qcow2' }, format: 'qcow2' }], nics: [{ type: 'user' }] }
  const once = () => compose(spec, { os, policies: ['spice'] })
  const warmUntil = performance.now() + 1000
  let warmCalls = 0
  while (performance.now() < warmUntil || warmCalls < 2000) { once(); warmCalls++ }
  const samples = []
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < perRound; i++) once()
    samples.push(Number(process.hrtime.bigint() - start) / 1e3 / perRound)
  }
  samples.sort((a, b) => a - b)
  out[os] = samples[Math.floor(samples.length / 2)]
}
console.log(JSON.stringify({ ...out, perRound }))
