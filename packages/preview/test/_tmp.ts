import { previewDomain } from '../src/index.ts'
import { readFileSync } from 'node:fs'
const caps = readFileSync(process.argv[2]!, 'utf8')
const xml = process.argv[3]!
try { console.log(previewDomain(xml, { qemuCaps: caps, libvirtVersion: 9_000_000 }).xml) } catch (e) { console.log((e as any).message, (e as any).path) }
