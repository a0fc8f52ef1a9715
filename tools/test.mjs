#!/usr/bin/env node
// `npm test`: build what is needed and run every package's tests through Nx (cached),
// then sum the packages' Vitest JSON reports into one closing line that any CI reads:
// "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const packages = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'package.json')))
const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'test', '--output-style=stream', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })

let passed = 0, failed = 0, skipped = 0, failedFiles = 0
const missing = []
for (const name of packages) {
  const dir = join(root, 'packages', name, '.reports')
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : []
  if (files.length === 0) { missing.push(name); continue }
  for (const file of files) {
    const report = JSON.parse(readFileSync(join(dir, file), 'utf8'))
    passed += report.numPassedTests
    failed += report.numFailedTests
    // A test file that fails to load has no failed tests of its own, but it failed.
    failedFiles += report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.every((a) => a.status !== 'failed')).length
    skipped += report.numPendingTests + (report.numTodoTests ?? 0)
  }
}
if (missing.length > 0) console.log(`no test report from: ${missing.join(', ')}`)
if (failedFiles > 0) console.log(`${failedFiles} test file(s) failed to run`)
console.log(`tests: ${passed} passed, ${failed + failedFiles} failed, ${skipped} skipped`)
process.exit(nx.status !== 0 || failed + failedFiles > 0 || missing.length > 0 ? 1 : 0)
