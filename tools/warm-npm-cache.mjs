#!/usr/bin/env node
// Setup step (network): puts into npm's cache the registry metadata of every third-party dependency
// that the published @virtuned packages declare, so that the consumer check
// (packages/package-check) can install the packed tarballs into a fresh app with `npm install --offline`.
// `npm ci` alone caches tarballs by integrity but not the metadata needed to resolve ranges.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const specs = new Set(['@types/node@^20.19.0'])
for (const name of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', name, 'package.json')
  if (!existsSync(file)) continue
  const manifest = JSON.parse(readFileSync(file, 'utf8'))
  if (manifest.private) continue
  for (const [dep, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    if (!dep.startsWith('@virtuned/')) specs.add(`${dep}@${range}`)
  }
}
const dir = mkdtempSync(join(tmpdir(), 'virtuned-npm-cache-'))
const run = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', ...specs], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] })
rmSync(dir, { recursive: true, force: true })
if (run.status !== 0) process.exit(run.status ?? 1)
console.log(`npm cache: metadata for ${specs.size} dependency ranges`)
