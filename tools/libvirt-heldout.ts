// Preview's held-out score: libvirt 11.3.0's whole qemuxmlconftest suite minus the pairs the shared corpus
// samples. The shared corpus is a sample of that release's tests; this tool fetches the release itself (the
// same tarball the corpus came from, Debian's `libvirt_11.3.0.orig.tar.xz`, checked by its sha256) with
// `apt-get source --download-only`, and lays out a corpus-shaped directory of the pairs the shared corpus
// does NOT hold — outputs, their inputs, the capabilities and firmware descriptors of libvirt's tests, and the
// parse errors libvirt expects (from its `.err` files) — for `tools/preview-score.ts` to score:
//
//   npx tsx tools/libvirt-heldout.ts [DIR]          (default node_modules/.cache/libvirt-heldout; a setup step:
//                                                    it reaches deb.debian.org once, then works offline)
//   VIRTUNED_CORPUS=DIR/corpus npx tsx --conditions=@virtuned/source tools/preview-score.ts [--misses] [--refusals]
//
// With `--release 9.0.0` it fetches libvirt 9.0.0 instead (Debian bookworm's tarball, the libvirtd of the sandbox)
// and lays out that release's own qemuxml2xmltest suite — every `<arch>-latest` pair (the `-inactive` output where
// the test has one: `virsh define` parses inactive) and the parse errors qemuxml2argvtest expects — to score preview
// reproducing 9.0:
//   npx tsx tools/libvirt-heldout.ts --release 9.0.0 [DIR]     (default node_modules/.cache/libvirt-9.0.0)
//   VIRTUNED_CORPUS=DIR/corpus npx tsx --conditions=@virtuned/source tools/preview-score.ts --libvirt-version 9000000 [--misses] [--refusals]
//
// With `--release 12.9.0` it fetches libvirt 12.9.0 (Debian trixie-backports' tarball, newer than any release
// preview is tuned on) and lays out that release's WHOLE qemuxmlconftest suite the way the held-out corpus is laid
// out (no pair left out: the shared corpus samples 11.3 only), to score preview beyond the releases it reproduces
// (libvirt's test capabilities say `<selfvers>0</selfvers>`, which preview reads as 11.3):
//   npx tsx tools/libvirt-heldout.ts --release 12.9.0 [DIR]    (default node_modules/.cache/libvirt-12.9.0)
//   VIRTUNED_CORPUS=DIR/corpus npx tsx --conditions=@virtuned/source tools/preview-score.ts [--misses] [--refusals]
//
// Nothing from the tarball goes into this repository. Needs apt-get (root for its lists) and tar with xz.
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { locateCorpus } from './corpus.ts'

/** The releases this tool fetches: Debian's tarball of each (by its sha256), the suite and package version it is in. */
const releases = {
  '11.3.0': { sha256: '6bcb0c42c4580436fea262ced56f68a6afe20f7390b1bea2116718cc034a0283', suite: 'trixie', package: 'libvirt=11.3.0-3+deb13u3', marker: 'qemuxmlconftest.c' },
  '9.0.0': { sha256: 'deca5cff1b7baac297bca9663907c61f71a47183371dc7ac019c107806d5435a', suite: 'bookworm', package: 'libvirt=9.0.0-4+deb12u2', marker: 'qemuxml2xmltest.c' },
  '12.9.0': { sha256: 'dcf579d8a949f4cbf56820529d48f200382a48ea12855ffded7c16a189353cd7', suite: 'trixie-backports', package: 'libvirt=12.9.0-1~bpo13+1', marker: 'qemuxmlconftest.c' },
} as const
type Release = keyof typeof releases

/** Download (once) and unpack a libvirt release's source into `dir` (default 11.3.0); returns the unpacked tree. */
export function fetchLibvirtSource(dir: string, release: Release = '11.3.0'): string {
  const { sha256, suite, package: pkg, marker } = releases[release]
  const tree = join(dir, `libvirt-${release}`)
  if (existsSync(join(tree, 'tests', marker))) return tree
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `libvirt_${release}.orig.tar.xz`)
  if (!existsSync(file)) {
    // a private apt configuration: only the suite's deb-src list, lists and cache under `dir`
    const apt = join(dir, 'apt')
    for (const d of ['lists/partial', 'cache/archives/partial']) mkdirSync(join(apt, d), { recursive: true })
    writeFileSync(join(apt, 'sources.list'), `deb-src http://deb.debian.org/debian ${suite} main\n`)
    const options = ['-o', `Dir::Etc::SourceList=${join(apt, 'sources.list')}`, '-o', 'Dir::Etc::SourceParts=-', '-o', `Dir::State::Lists=${join(apt, 'lists')}`, '-o', `Dir::Cache=${join(apt, 'cache')}`]
    execFileSync('apt-get', [...options, 'update'], { stdio: 'inherit' })
    // (the package's .dsc and signature may be missing on a mirror: only the tarball is needed, and its digest is checked)
    try { execFileSync('apt-get', [...options, 'source', '--download-only', pkg], { cwd: dir, stdio: 'inherit' }) } catch {
      // (a mirror may list a version in the suite's index and not hold its tarball yet, or any more)
      if (!existsSync(file)) throw new Error(`libvirt ${release}: apt-get source --download-only ${pkg} (Debian ${suite}) did not fetch libvirt_${release}.orig.tar.xz`)
    }
  }
  const digest = createHash('sha256').update(readFileSync(file)).digest('hex')
  if (digest !== sha256) throw new Error(`${file}: sha256 ${digest}, expected ${sha256} (Debian's libvirt ${release} tarball)`)
  execFileSync('tar', ['-xJf', file, '-C', dir, `libvirt-${release}/tests`, `libvirt-${release}/src`], { stdio: 'inherit' })
  return tree
}

/** The test names qemuxmlconftest.c expects refused at parse time with an arch's newest capabilities. */
function parseErrorTests(source: string): { name: string; arch: string }[] {
  const out: { name: string; arch: string }[] = []
  for (const m of source.matchAll(/DO_TEST_CAPS_(ARCH_)?LATEST_PARSE_ERROR\("([^"]+)"(?:,\s*"([^"]+)")?\)/g)) out.push({ name: m[2]!, arch: m[3] ?? 'x86_64' })
  return out
}

/**
 * Lay out a qemuxmlconftest suite under `dir/corpus` from the unpacked tree: the pairs and parse errors the shared
 * corpus does not hold (the held-out corpus of 11.3), or with `shared` undefined the whole suite (a newer release);
 * returns its path and what it holds.
 */
export function layOutHeldOut(tree: string, dir: string, shared: string | undefined, release: Release = '11.3.0'): { corpus: string; pairs: number; refusals: number } {
  const data = join(tree, 'tests', 'qemuxmlconfdata')
  const corpus = join(dir, 'corpus')
  rmSync(corpus, { recursive: true, force: true })
  mkdirSync(join(corpus, 'domains-out'), { recursive: true })
  symlinkSync(data, join(corpus, 'domains'))
  symlinkSync(join(tree, 'tests', 'qemucapabilitiesdata'), join(corpus, 'qemucaps'))
  symlinkSync(join(tree, 'tests', 'qemufirmwaredata'), join(corpus, 'firmware'))
  const sampled = new Set(shared ? readdirSync(join(shared, 'domains-out')) : [])
  let pairs = 0
  for (const f of readdirSync(data)) {
    // outputs are NAME.<arch>-<qemu>….xml beside an input NAME.xml
    const dot = f.indexOf('.')
    if (!f.endsWith('.xml') || dot < 0 || f.indexOf('-', dot) < 0 || sampled.has(f)) continue
    if (!existsSync(join(data, `${f.slice(0, dot)}.xml`))) continue
    symlinkSync(join(data, f), join(corpus, 'domains-out', f))
    pairs++
  }
  // libvirt's expected parse errors the shared corpus does not list, in its file's shape
  const listed = new Set((shared ? readFileSync(join(shared, 'expected-parse-errors.txt'), 'utf8') : '').split('\n').filter((l) => !l.startsWith('#')).map((l) => { const c = l.split('\t'); return `${c[0]}\t${c[3]}` }))
  const rows: string[] = []
  for (const { name, arch } of parseErrorTests(readFileSync(join(tree, 'tests', 'qemuxmlconftest.c'), 'utf8'))) {
    const err = join(data, `${name}.${arch}-latest.err`)
    if (!existsSync(err) || !existsSync(join(data, `${name}.xml`)) || listed.has(`domains/${name}.xml\t${arch}-latest`)) continue
    rows.push(['domains/' + name + '.xml', 'parse', 'always', `${arch}-latest`, readFileSync(err, 'utf8').trim().split('\n')[0]!].join('\t'))
  }
  const what = shared ? 'beyond the shared corpus (tools/libvirt-heldout.ts)' : `(tools/libvirt-heldout.ts --release ${release})`
  writeFileSync(join(corpus, 'expected-parse-errors.txt'), `# libvirt ${release}'s expected parse errors ${what}\n${rows.join('\n')}\n`)
  return { corpus, pairs, refusals: rows.length }
}

/**
 * Lay out libvirt 9.0.0's own qemuxml2xmltest suite under `dir/corpus`: every `<arch>-latest` output (the test's
 * `-inactive` one where it has two) beside its qemuxml2argvdata input, the capabilities files under the names the
 * scorer reads (`caps_<ver>_<arch>.xml`; 9.0 names them `caps_<ver>.<arch>.xml`), its firmware descriptors, and the
 * parse errors qemuxml2argvtest expects with the newest capabilities.
 */
export function layOutRelease9(tree: string, dir: string): { corpus: string; pairs: number; refusals: number } {
  const tests = join(tree, 'tests')
  const corpus = join(dir, 'corpus')
  rmSync(corpus, { recursive: true, force: true })
  for (const d of ['domains-out', 'qemucaps']) mkdirSync(join(corpus, d), { recursive: true })
  symlinkSync(join(tests, 'qemuxml2argvdata'), join(corpus, 'domains'))
  symlinkSync(join(tests, 'qemufirmwaredata'), join(corpus, 'firmware'))
  for (const f of readdirSync(join(tests, 'qemucapabilitiesdata'))) {
    const m = /^caps_(\d+\.\d+\.\d+)\.([a-z0-9_]+)((?:\+[^.]+)?)\.xml$/.exec(f)
    if (m) symlinkSync(join(tests, 'qemucapabilitiesdata', f), join(corpus, 'qemucaps', `caps_${m[1]}_${m[2]}${m[3]}.xml`))
  }
  const outputs = join(tests, 'qemuxml2xmloutdata')
  let pairs = 0
  for (const f of readdirSync(outputs)) {
    const m = /^(.+?)(-inactive|-active)?\.([a-z0-9_]+-latest(?:\.abi-update)?(?:\+[^.]+)?)\.xml$/.exec(f)
    if (!m || m[2] === '-active' || !existsSync(join(tests, 'qemuxml2argvdata', `${m[1]}.xml`))) continue
    if (m[2] === undefined && existsSync(join(outputs, `${m[1]}-inactive.${m[3]}.xml`))) continue
    symlinkSync(join(outputs, f), join(corpus, 'domains-out', `${m[1]}.${m[3]}.xml`))
    pairs++
  }
  const rows: string[] = []
  for (const { name, arch } of parseErrorTests(readFileSync(join(tests, 'qemuxml2argvtest.c'), 'utf8'))) {
    const err = join(tests, 'qemuxml2argvdata', `${name}.${arch}-latest.err`)
    if (!existsSync(err) || !existsSync(join(tests, 'qemuxml2argvdata', `${name}.xml`))) continue
    rows.push(['domains/' + name + '.xml', 'parse', 'always', `${arch}-latest`, readFileSync(err, 'utf8').trim().split('\n')[0]!].join('\t'))
  }
  writeFileSync(join(corpus, 'expected-parse-errors.txt'), `# libvirt 9.0.0's expected parse errors (tools/libvirt-heldout.ts --release 9.0.0)\n${rows.join('\n')}\n`)
  return { corpus, pairs, refusals: rows.length }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.on('uncaughtException', (error) => { console.error(`libvirt-heldout: ${error.message}`); process.exit(1) })
  const { toolArgs } = await import('./args.ts')
  const { values, positionals: args } = toolArgs('libvirt-heldout', { allowPositionals: true, options: { release: { type: 'string', default: '11.3.0' } } })
  const release = values.release
  if (args.length > 1) { console.error(`libvirt-heldout: expected at most one DIR, got ${args.join(' ')}`); process.exit(2) }
  if (!Object.hasOwn(releases, release)) { console.error(`libvirt-heldout: --release ${release}: one of ${Object.keys(releases).join(', ')}`); process.exit(2) }
  if (release === '12.9.0') {
    const dir = resolve(args[0] ?? join(import.meta.dirname, '..', 'node_modules', '.cache', `libvirt-${release}`))
    const { corpus, pairs, refusals } = layOutHeldOut(fetchLibvirtSource(dir, release), dir, undefined, release)
    console.log(`libvirt-heldout: libvirt ${release}'s whole suite, ${pairs} pairs and ${refusals} expected parse errors in ${corpus}`)
    console.log(`score them: VIRTUNED_CORPUS=${corpus} npx tsx --conditions=@virtuned/source tools/preview-score.ts --misses --refusals`)
    process.exit(0)
  }
  if (release === '9.0.0') {
    const dir = resolve(args[0] ?? join(import.meta.dirname, '..', 'node_modules', '.cache', 'libvirt-9.0.0'))
    const { corpus, pairs, refusals } = layOutRelease9(fetchLibvirtSource(dir, '9.0.0'), dir)
    console.log(`libvirt-heldout: libvirt 9.0.0's own suite, ${pairs} pairs and ${refusals} expected parse errors in ${corpus}`)
    console.log(`score them: VIRTUNED_CORPUS=${corpus} npx tsx --conditions=@virtuned/source tools/preview-score.ts --libvirt-version 9000000 --misses --refusals`)
    process.exit(0)
  }
  const dir = resolve(args[0] ?? join(import.meta.dirname, '..', 'node_modules', '.cache', 'libvirt-heldout'))
  const { dir: shared, reason } = locateCorpus()
  if (!shared) { console.error(`libvirt-heldout: ${reason}`); process.exit(2) }
  const tree = fetchLibvirtSource(dir)
  const { corpus, pairs, refusals } = layOutHeldOut(tree, dir, shared)
  console.log(`libvirt-heldout: ${pairs} pairs and ${refusals} expected parse errors beyond the shared corpus in ${corpus}`)
  console.log(`score them: VIRTUNED_CORPUS=${corpus} npx tsx --conditions=@virtuned/source tools/preview-score.ts --misses --refusals`)
}
