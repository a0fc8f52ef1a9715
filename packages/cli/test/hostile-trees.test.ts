// Hostile trees: bulk file runs through the built binary on trees made to trip them — symbolic
// links in and out of the tree, loops, one file reached twice, names with glob characters,
// --output-dir collisions, restrictive modes, bytes that are not UTF-8, unwritable outputs,
// --jobs far over the CPUs. Each case: the exit code, the summary, and every byte outside what
// the run may touch left as it was.
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const bin = new URL('../bin/virtuned.js', import.meta.url).pathname
const built = existsSync(new URL('../dist/files.js', import.meta.url))

const virtuned = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' })
/** Not in libvirt's layout, so fmt rewrites it. */
const domain = (name: string) => `<domain type="kvm"><name>${name}</name><memory unit="GiB">1</memory><os><type arch="x86_64">hvm</type></os><devices/></domain>`
const latin1 = Buffer.concat([Buffer.from('<domain type="kvm"><name>caf'), Buffer.from([0xe9]), Buffer.from('</name></domain>')])
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8)
/** Every file under `root` (links not followed) with its bytes, to prove a run left them alone. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile()) out.set(p, readFileSync(p).toString('base64'))
    }
  }
  walk(root)
  return out
}
const tempFiles = (root: string) => [...snapshot(root).keys()].filter((p) => p.endsWith('.tmp'))

describe.skipIf(!built && process.env.CI !== 'true')(`hostile trees${built ? '' : ' (skipped: build @virtuned/cli first)'}`, () => {
  let dir: string
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'virtuned-hostile-')) })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const fresh = (name: string) => { const d = join(dir, name); mkdirSync(d, { recursive: true }); return d }

  it('symbolic links out of the tree are not followed; loops end; a file reached twice is rewritten once', () => {
    const d = fresh('links')
    mkdirSync(join(d, 'tree/sub'), { recursive: true })
    mkdirSync(join(d, 'outside'))
    writeFileSync(join(d, 'outside/o.xml'), domain('outside'))
    writeFileSync(join(d, 'tree/a.xml'), domain('a'))
    writeFileSync(join(d, 'tree/sub/b.xml'), domain('b'))
    symlinkSync('../outside', join(d, 'tree/out'))
    symlinkSync('../../outside/o.xml', join(d, 'tree/sub/o.xml'))
    symlinkSync('../a.xml', join(d, 'tree/sub/again.xml'))
    symlinkSync('..', join(d, 'tree/sub/up'))
    symlinkSync('loop2.xml', join(d, 'tree/loop1.xml'))
    symlinkSync('loop1.xml', join(d, 'tree/loop2.xml'))
    const outside = snapshot(join(d, 'outside'))
    const run = virtuned(d, 'fmt', '--in-place', 'tree', 'tree/a.xml', 'tree/**/*.xml')
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(snapshot(join(d, 'outside'))).toEqual(outside)
    expect(run.stdout.split('\n').filter((l) => l.startsWith('changed '))).toEqual(['changed tree/a.xml', 'changed tree/sub/b.xml'])
    expect(run.stdout).toContain(`skipped tree/out: a link to ${join(d, 'outside')}, outside tree`)
    expect(run.stdout).toContain(`skipped tree/sub/o.xml: a link to ${join(d, 'outside/o.xml')}, outside tree`)
    expect(run.stdout).toContain('skipped tree/loop1.xml: a symbolic link loop')
    expect(run.stdout).toContain('skipped tree/sub/again.xml: the same file as tree/a.xml')
    const skipped = run.stdout.split('\n').filter((l) => l.startsWith('skipped '))
    expect(new Set(skipped).size, 'each skipped path once, though three inputs reach it').toBe(skipped.length)
    expect(run.stdout).toMatch(/\n2 files: 2 changed, 0 unchanged, 0 not readable as libvirt XML, 0 not written; \d+ skipped\n$/)
    expect(readFileSync(join(d, 'tree/a.xml'), 'utf8')).toContain("<domain type='kvm'>")
  })

  it('a file name with glob characters is that file; --glob makes it a pattern', () => {
    const d = fresh('glob-names')
    writeFileSync(join(d, 'vm[1].xml'), domain('literal'))
    writeFileSync(join(d, 'vm1.xml'), domain('one'))
    const one = readFileSync(join(d, 'vm1.xml'))
    const literal = virtuned(d, 'fmt', '--in-place', 'vm[1].xml')
    expect(literal.status).toBe(0)
    expect(literal.stdout).toBe('changed vm[1].xml\n1 files: 1 changed, 0 unchanged, 0 not readable as libvirt XML, 0 not written\n')
    expect(readFileSync(join(d, 'vm1.xml')).equals(one)).toBe(true)
    expect(readFileSync(join(d, 'vm[1].xml'), 'utf8')).toContain('<name>literal</name>')
    const pattern = virtuned(d, 'fmt', '--check', '--glob', 'vm[1].xml')
    expect(pattern.stdout).toBe('changed vm1.xml\n1 files: 1 changed, 0 unchanged, 0 not readable as libvirt XML, 0 not written\n')
    expect(pattern.status).toBe(1)
    // A single file without --in-place prints, as before.
    expect(virtuned(d, 'fmt', 'vm[1].xml').stdout).toContain('<name>literal</name>')
  })

  it('--output-dir keeps the layout of inputs with the same base name; an output that is an input is refused', () => {
    const d = fresh('collide')
    mkdirSync(join(d, 'vms/a'), { recursive: true })
    mkdirSync(join(d, 'vms/b'), { recursive: true })
    writeFileSync(join(d, 'vms/a/x.xml'), domain('from-a'))
    writeFileSync(join(d, 'vms/b/x.xml'), domain('from-b'))
    chmodSync(join(d, 'vms/a/x.xml'), 0o600)
    const run = virtuned(d, 'apply', 'vms/a/x.xml', 'vms/b/x.xml', '--defaults', '--os', 'fedora37', '--output-dir', 'out')
    expect(run.stdout).toContain('2 files: 2 changed, 0 unchanged, 0 not readable as libvirt XML, 0 not written')
    expect(run.status).toBe(0)
    expect(readFileSync(join(d, 'out/a/x.xml'), 'utf8')).toContain('<name>from-a</name>')
    expect(readFileSync(join(d, 'out/b/x.xml'), 'utf8')).toContain('<name>from-b</name>')
    expect(mode(join(d, 'out/a/x.xml'))).toBe('600')
    const before = snapshot(join(d, 'vms'))
    const into = virtuned(d, 'apply', 'vms', '--defaults', '--output-dir', 'vms')
    expect(into.status).toBe(2)
    expect(into.stderr.split('\n')[0]).toMatch(/^vms\/a\/x\.xml: Unexpected two inputs for vms\/a\/x\.xml: .* \[cli-output-collision\]$/)
    expect(snapshot(join(d, 'vms'))).toEqual(before)
  })

  it('keeps modes 0600 and 0640 in place, and the owner as root', () => {
    const d = fresh('modes')
    writeFileSync(join(d, 'secret.xml'), domain('s'))
    writeFileSync(join(d, 'group.xml'), domain('g'))
    chmodSync(join(d, 'secret.xml'), 0o600)
    chmodSync(join(d, 'group.xml'), 0o640)
    // As root, the owner is kept too (a libvirt domain file owned by another user stays theirs).
    const root = process.getuid?.() === 0
    if (root) chownSync(join(d, 'group.xml'), 4321, 4322)
    const fmt = virtuned(d, 'fmt', '--in-place', '.')
    expect(fmt.stdout).toContain('2 files: 2 changed')
    expect(mode(join(d, 'secret.xml'))).toBe('600')
    expect(mode(join(d, 'group.xml'))).toBe('640')
    const apply = virtuned(d, 'apply', '.', '--defaults', '--in-place')
    expect(apply.stdout).toContain('2 files: 2 changed')
    expect(mode(join(d, 'secret.xml'))).toBe('600')
    expect(mode(join(d, 'group.xml'))).toBe('640')
    if (root) expect([statSync(join(d, 'group.xml')).uid, statSync(join(d, 'group.xml')).gid]).toEqual([4321, 4322])
    expect(tempFiles(d)).toEqual([])
  })

  it('refuses bytes that are not UTF-8 and leaves the file byte for byte (fmt, apply, in place and bulk)', () => {
    const d = fresh('latin1')
    writeFileSync(join(d, 'latin.xml'), latin1)
    writeFileSync(join(d, 'ok.xml'), domain('ok'))
    for (const args of [['fmt', '--in-place', '.'], ['fmt', '--in-place', 'latin.xml'], ['apply', '.', '--defaults', '--in-place'], ['apply', 'latin.xml', '--defaults', '--in-place']]) {
      const run = virtuned(d, ...args)
      expect(run.status, args.join(' ')).toBe(2)
      expect(run.stdout + run.stderr, args.join(' ')).toMatch(/latin\.xml:? ?(1:)?.*Invalid UTF-8 byte 0xe9 at byte offset 28 \[xml-invalid-utf8\]/)
      expect(readFileSync(join(d, 'latin.xml')).equals(latin1), args.join(' ')).toBe(true)
    }
    expect(tempFiles(d)).toEqual([])
  })

  it('an unwritable output directory: exit 2, counted as not written, nothing half-written', () => {
    const d = fresh('unwritable')
    mkdirSync(join(d, 'vms'))
    writeFileSync(join(d, 'vms/x.xml'), domain('x'))
    writeFileSync(join(d, 'a-file'), '')
    const run = virtuned(d, 'apply', 'vms', '--defaults', '--output-dir', 'a-file')
    expect(run.status).toBe(2)
    expect(run.stdout).toBe('error vms/x.xml: Cannot write a-file/x.xml: a part of the path is not a directory (ENOTDIR) [cli-unwritable-output]\n1 files: 0 changed, 0 unchanged, 0 not readable as libvirt XML, 1 not written\n')
    // A directory where the output file should be.
    mkdirSync(join(d, 'out/x.xml'), { recursive: true })
    const isdir = virtuned(d, 'apply', 'vms', '--defaults', '--output-dir', 'out')
    expect(isdir.status).toBe(2)
    expect(isdir.stdout).toContain('(EISDIR) [cli-unwritable-output]')
    expect(isdir.stdout).toContain('1 not written')
    expect(tempFiles(d)).toEqual([])
  })

  it('--jobs far over the CPUs is lowered with a one-line notice unless --jobs-force', () => {
    const d = fresh('jobs')
    writeFileSync(join(d, 'a.xml'), domain('a'))
    const run = virtuned(d, 'fmt', '--check', '.', '--jobs', '256')
    expect(run.stderr).toMatch(/^virtuned: --jobs 256 lowered to \d+, the number of CPUs \(--jobs-force to use 256\)\n$/)
    expect(run.stdout).toContain('1 files: 1 changed')
    expect(run.status).toBe(1)
    const forced = virtuned(d, 'fmt', '--check', '.', '--jobs', '3', '--jobs-force')
    expect(forced.stderr).toBe('')
    expect(forced.status).toBe(1)
  })
})
