// The CLI's own file handling, in-process on real temporary directories: strict UTF-8, atomic
// writes that keep mode and owner, devices, FIFOs and links written as shell redirection does,
// typed write errors, the tree walk of bulk runs, output layout, the --jobs cap, and validate on a
// document libxml2 stops reading.
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run, type CliIo } from '../src/index.ts'
import { expandInputs, isBulk, jobCount, outputPaths, summary } from '../src/bulk.ts'
import { InvalidUtf8Error, OutputCollisionError, WriteError } from '../src/errors.ts'
import { decodeFile, writeFileAtomic } from '../src/files.ts'
import { nodeIo } from '../src/io.ts'
import { capsXml } from '../../preview/test/_caps.ts'

const real = await nodeIo()
const isRoot = process.getuid?.() === 0

/** The real file system, with stdout and stderr captured. */
function diskIo(): CliIo & { out: string; err: string } {
  const io = { ...real, out: '', err: '', isTerminal: false, stdout: (t: string) => { io.out += t }, stderr: (t: string) => { io.err += t } }
  return io
}

const mode = (path: string) => statSync(path).mode & 0o777
const temps = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'))
const domain = (name: string) => `<domain type='kvm'><name>${name}</name><memory unit='GiB'>1</memory><os><type arch='x86_64'>hvm</type></os><devices/></domain>`
/** `café` in Latin-1: 0xE9 is not UTF-8. */
const latin1 = (name: string) => Buffer.concat([Buffer.from(`<domain type='kvm'><name>${name}caf`), Buffer.from([0xe9]), Buffer.from(`</name><memory unit='GiB'>1</memory><os><type arch='x86_64'>hvm</type></os></domain>`)])

let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'virtuned-files-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const fresh = (name: string) => { const d = join(dir, name); mkdirSync(d, { recursive: true }); return d }

describe('strict UTF-8 (issue 16 item 5)', () => {
  it('decodeFile refuses a Latin-1 byte with its offset, line and column', () => {
    const bytes = new Uint8Array(Buffer.concat([Buffer.from('<a>\n caf'), Buffer.from([0xe9]), Buffer.from('</a>')]))
    const error = (() => { try { decodeFile('x.xml', bytes); return undefined } catch (e) { return e } })()
    expect(error).toBeInstanceOf(InvalidUtf8Error)
    expect(error).toMatchObject({ code: 'xml-invalid-utf8', file: 'x.xml', place: { line: 2, column: 5, offset: 8 }, message: 'Invalid UTF-8 byte 0xe9 at byte offset 8' })
  })

  it('apply --in-place refuses a Latin-1 file and leaves it byte for byte', async () => {
    const file = join(fresh('utf8-apply'), 'g.xml')
    const bytes = latin1('g')
    writeFileSync(file, bytes)
    const io = diskIo()
    expect(await run(['apply', file, '--defaults', '--in-place'], io)).toBe(2)
    expect(io.err.split('\n')[0]).toBe(`${file}:1:30: Invalid UTF-8 byte 0xe9 at byte offset 29 [xml-invalid-utf8]`)
    expect(readFileSync(file).equals(bytes)).toBe(true)
    expect(temps(join(dir, 'utf8-apply'))).toEqual([])
  })

  it('explain, diff and policy files refuse Latin-1 too (exit 2, never U+FFFD)', async () => {
    const d = fresh('utf8-other')
    const bad = join(d, 'bad.xml')
    writeFileSync(bad, latin1('b'))
    writeFileSync(join(d, 'ok.xml'), domain('o'))
    for (const args of [['explain', bad], ['diff', bad, join(d, 'ok.xml')], ['match', bad, join(d, 'ok.xml')], ['new', '--name', 'n', '--memory', '1GiB', '--policy-file', bad]]) {
      const io = diskIo()
      expect(await run(args, io), args.join(' ')).toBe(2)
      expect(io.err, args.join(' ')).toContain('[xml-invalid-utf8]')
    }
  })
})

describe('atomic writes keep mode and owner (issue 16 item 6)', () => {
  it('apply --in-place keeps 0600 and 0640', async () => {
    const d = fresh('modes')
    for (const m of [0o600, 0o640]) {
      const file = join(d, `m${m.toString(8)}.xml`)
      writeFileSync(file, domain('m'))
      chmodSync(file, m)
      const io = diskIo()
      expect(await run(['apply', file, '--defaults', '--in-place'], io), io.err).toBe(0)
      expect(readFileSync(file, 'utf8')).toContain('<acpi/>')
      expect(mode(file).toString(8)).toBe(m.toString(8))
    }
    expect(temps(d)).toEqual([])
  })

  it('-o gives a new file the input\'s mode; an existing target keeps its own', async () => {
    const d = fresh('modes-o')
    const input = join(d, 'in.xml')
    writeFileSync(input, domain('i'))
    chmodSync(input, 0o600)
    expect(await run(['apply', input, '--defaults', '-o', join(d, 'new.xml')], diskIo())).toBe(0)
    expect(mode(join(d, 'new.xml')).toString(8)).toBe('600')
    writeFileSync(join(d, 'old.xml'), '')
    chmodSync(join(d, 'old.xml'), 0o644)
    expect(await run(['apply', input, '--defaults', '-o', join(d, 'old.xml')], diskIo())).toBe(0)
    expect(mode(join(d, 'old.xml')).toString(8)).toBe('644')
  })

  it('keeps the owner when running as root, and writes through a symbolic link', async () => {
    const d = fresh('owner')
    const file = join(d, 'o.xml')
    writeFileSync(file, 'old')
    chmodSync(file, 0o600)
    if (isRoot) chownSync(file, 4321, 4322)
    symlinkSync('o.xml', join(d, 'link.xml'))
    await writeFileAtomic(join(d, 'link.xml'), 'new')
    expect(readFileSync(file, 'utf8')).toBe('new')
    expect(statSync(join(d, 'link.xml'), { throwIfNoEntry: true }).isFile()).toBe(true)
    expect(readdirSync(d).sort()).toEqual(['link.xml', 'o.xml'])
    expect(mode(file).toString(8)).toBe('600')
    if (isRoot) expect([statSync(file).uid, statSync(file).gid]).toEqual([4321, 4322])
  })

  it('with followLinks: false, refuses a target that became a symbolic link (bulk in place)', async () => {
    const d = fresh('no-follow')
    writeFileSync(join(d, 'outside.xml'), 'outside')
    symlinkSync('outside.xml', join(d, 'x.xml'))
    await expect(writeFileAtomic(join(d, 'x.xml'), 'new', { followLinks: false })).rejects.toMatchObject({ code: 'cli-unwritable-output', errno: 'ELOOP' })
    expect(readFileSync(join(d, 'outside.xml'), 'utf8')).toBe('outside')
    expect(readdirSync(d).sort()).toEqual(['outside.xml', 'x.xml'])
  })

  it('removes its temporary file when the write fails', async () => {
    const d = fresh('cleanup')
    writeFileSync(join(d, 'x.xml'), 'old')
    // A value writeFile refuses: the failure comes after the temporary file was created.
    await expect(writeFileAtomic(join(d, 'x.xml'), Symbol('not text') as unknown as string)).rejects.toBeInstanceOf(WriteError)
    expect(readdirSync(d)).toEqual(['x.xml'])
    expect(readFileSync(join(d, 'x.xml'), 'utf8')).toBe('old')
  })
})

describe('-o into devices, FIFOs and links, as shell redirection (audit: -o replaced them with files)', () => {
  const mkfifo = (path: string) => expect(spawnSync('mkfifo', [path]).status, `mkfifo ${path}`).toBe(0)
  /**
   * What a reader of the FIFO gets: `cat` in a process of its own, so that when the writer never
   * opens the FIFO (it replaced it, as before), the test fails on its own instead of leaving a
   * thread of this process blocked in open(2). Killed after 4 s whatever happens.
   */
  const readFifo = (path: string) => new Promise<string>((resolve) => {
    const cat = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 4000 })
    let text = ''
    cat.stdout.setEncoding('utf8').on('data', (d: string) => { text += d })
    cat.on('close', () => resolve(text))
  })

  it('writes into a FIFO (read concurrently): no temporary file, no rename, the FIFO stays', async () => {
    const d = fresh('fifo')
    const input = join(d, 'in.xml')
    writeFileSync(input, domain('f'))
    const fifo = join(d, 'out.fifo')
    mkfifo(fifo)
    // Opening either end waits for the other: both run at once.
    const [text, exit] = await Promise.all([readFifo(fifo), run(['apply', input, '--defaults', '-o', fifo], diskIo())])
    expect(exit).toBe(0)
    expect(text).toContain('<acpi/>')
    expect(lstatSync(fifo).isFIFO()).toBe(true)
    expect(readdirSync(d).sort()).toEqual(['in.xml', 'out.fifo'])
  })

  it('follows a link to a regular file: the target is replaced atomically, the link survives', async () => {
    const d = fresh('link-regular')
    mkdirSync(join(d, 'real'))
    writeFileSync(join(d, 'real/o.xml'), 'old')
    chmodSync(join(d, 'real/o.xml'), 0o640)
    symlinkSync('real/o.xml', join(d, 'link.xml'))
    await writeFileAtomic(join(d, 'link.xml'), 'new')
    expect(lstatSync(join(d, 'link.xml')).isSymbolicLink()).toBe(true)
    expect(readlinkSync(join(d, 'link.xml'))).toBe('real/o.xml')
    expect(readFileSync(join(d, 'real/o.xml'), 'utf8')).toBe('new')
    expect(mode(join(d, 'real/o.xml')).toString(8)).toBe('640')
    expect(readdirSync(join(d, 'real'))).toEqual(['o.xml'])
  })

  it('creates the target of a dangling link through it (relative to the link, chains followed); the link stays', async () => {
    const d = fresh('link-dangling')
    mkdirSync(join(d, 'real'))
    mkdirSync(join(d, 'links'))
    symlinkSync('../real/new.xml', join(d, 'links/one.xml'))
    symlinkSync('one.xml', join(d, 'links/two.xml'))
    writeFileSync(join(d, 'in.xml'), domain('d'))
    chmodSync(join(d, 'in.xml'), 0o600)
    await writeFileAtomic(join(d, 'links/two.xml'), 'made', { modeFrom: join(d, 'in.xml') })
    expect(readFileSync(join(d, 'real/new.xml'), 'utf8')).toBe('made')
    expect(mode(join(d, 'real/new.xml')).toString(8)).toBe('600')
    expect(lstatSync(join(d, 'links/one.xml')).isSymbolicLink()).toBe(true)
    expect(lstatSync(join(d, 'links/two.xml')).isSymbolicLink()).toBe(true)
    expect(readdirSync(join(d, 'real'))).toEqual(['new.xml'])
    // A dangling link into a directory that does not exist: typed, named, nothing created.
    symlinkSync('../nowhere/x.xml', join(d, 'links/lost.xml'))
    await expect(writeFileAtomic(join(d, 'links/lost.xml'), 'x')).rejects.toMatchObject({ code: 'cli-unwritable-output', file: join(d, 'links/lost.xml'), errno: 'ENOENT' })
    expect(lstatSync(join(d, 'links/lost.xml')).isSymbolicLink()).toBe(true)
    // Even for bulk --output-dir (parents): directories are made for the path given, not for where a link points.
    await expect(writeFileAtomic(join(d, 'links/lost.xml'), 'x', { parents: true })).rejects.toMatchObject({ errno: 'ENOENT' })
    expect(existsSync(join(d, 'nowhere'))).toBe(false)
    await writeFileAtomic(join(d, 'made/below/x.xml'), 'x', { parents: true })
    expect(readFileSync(join(d, 'made/below/x.xml'), 'utf8')).toBe('x')
    // A loop of links is refused, not followed forever.
    symlinkSync('loop-b.xml', join(d, 'links/loop-a.xml'))
    symlinkSync('loop-a.xml', join(d, 'links/loop-b.xml'))
    await expect(writeFileAtomic(join(d, 'links/loop-a.xml'), 'x')).rejects.toMatchObject({ code: 'cli-unwritable-output', errno: 'ELOOP' })
  })

  it('writes through a link to a FIFO, not over the link', async () => {
    const d = fresh('link-fifo')
    mkfifo(join(d, 'pipe'))
    symlinkSync('pipe', join(d, 'out.xml'))
    const [text] = await Promise.all([readFifo(join(d, 'pipe')), writeFileAtomic(join(d, 'out.xml'), 'through')])
    expect(text).toBe('through')
    expect(lstatSync(join(d, 'out.xml')).isSymbolicLink()).toBe(true)
    expect(lstatSync(join(d, 'pipe')).isFIFO()).toBe(true)
  })

  it.skipIf(!isRoot)(`writes into a character device made with mknod${isRoot ? '' : ' (skipped: mknod needs root)'}`, async () => {
    const d = fresh('chardev')
    // 1,3 is the null device: it takes any write. Never a real /dev path.
    expect(spawnSync('mknod', ['-m', '666', join(d, 'fakenull'), 'c', '1', '3']).status).toBe(0)
    writeFileSync(join(d, 'in.xml'), domain('c'))
    const io = diskIo()
    expect(await run(['apply', join(d, 'in.xml'), '--defaults', '-o', join(d, 'fakenull')], io), io.err).toBe(0)
    const after = lstatSync(join(d, 'fakenull'))
    expect(after.isCharacterDevice()).toBe(true)
    expect(after.rdev).toBe(statSync('/dev/null').rdev)
    expect(mode(join(d, 'fakenull')).toString(8)).toBe('666')
    expect(readdirSync(d).sort()).toEqual(['fakenull', 'in.xml'])
  })

  it('refuses a directory, and a link to one, with a typed error naming the path', async () => {
    const d = fresh('dir-target')
    mkdirSync(join(d, 'a-dir'))
    symlinkSync('a-dir', join(d, 'dir-link'))
    for (const target of [join(d, 'a-dir'), join(d, 'dir-link')]) {
      const error = await writeFileAtomic(target, 'x').then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(WriteError)
      expect(error).toMatchObject({ code: 'cli-unwritable-output', file: target, errno: 'EISDIR', message: `Cannot write ${target}: it is a directory (EISDIR)` })
    }
    expect(readdirSync(join(d, 'a-dir'))).toEqual([])
    expect(lstatSync(join(d, 'dir-link')).isSymbolicLink()).toBe(true)
  })

  it('a UNIX socket cannot be opened for writing (ENXIO, as for the shell): typed, and the socket stays', async () => {
    const d = fresh('socket')
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(join(d, 'sock'), resolve))
    try {
      await expect(writeFileAtomic(join(d, 'sock'), 'x')).rejects.toMatchObject({ code: 'cli-unwritable-output', file: join(d, 'sock'), errno: 'ENXIO' })
      expect(lstatSync(join(d, 'sock')).isSocket()).toBe(true)
      expect(readdirSync(d)).toEqual(['sock'])
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('bulk in-place (followLinks: false) refuses a FIFO where its walk saw a file, without waiting for a reader', async () => {
    const d = fresh('bulk-fifo')
    mkfifo(join(d, 'x.xml'))
    await expect(writeFileAtomic(join(d, 'x.xml'), 'new', { followLinks: false })).rejects.toMatchObject({ code: 'cli-unwritable-output', errno: 'EEXIST' })
    expect(lstatSync(join(d, 'x.xml')).isFIFO()).toBe(true)
  })

  it('the built binary: -o to a link to /proc/self/fd/1 writes to its stdout (a pipe), and the link stays', () => {
    if (!existsSync(new URL('../dist/index.js', import.meta.url)) || !existsSync('/proc/self/fd/1')) return // the built binary, on Linux
    const d = fresh('proc-stdout')
    writeFileSync(join(d, 'GOOD.xml'), domain('good').replace("<os><type arch='x86_64'>", "<os><type arch='x86_64' machine='q35'>"))
    writeFileSync(join(d, 'caps.xml'), capsXml())
    symlinkSync('/proc/self/fd/1', join(d, 'mystdout'))
    // Through `| cat`, as in a shell: spawnSync's own stdout would be a socket, which Linux does
    // not let anyone open through /proc (ENXIO, for the shell's `>` too).
    const child = spawnSync('/bin/sh', ['-c', '"$@" | cat', 'sh', process.execPath, new URL('../bin/virtuned.js', import.meta.url).pathname, 'preview', 'GOOD.xml', '--qemucaps', 'caps.xml', '-o', 'mystdout'], { cwd: d, encoding: 'utf8' })
    expect(child.stderr).toBe('')
    expect(child.status).toBe(0)
    expect(child.stdout).toMatch(/^<domain type='kvm'>[^]*<\/domain>\n$/)
    expect(lstatSync(join(d, 'mystdout')).isSymbolicLink()).toBe(true)
    expect(readdirSync(d).sort()).toEqual(['GOOD.xml', 'caps.xml', 'mystdout'])
  })
})

describe('write errors are the user\'s (issue 16 item 12)', () => {
  it('EISDIR and ENOTDIR: exit 2, one line naming the path, no stack', async () => {
    const d = fresh('write-errors')
    const input = join(d, 'in.xml')
    writeFileSync(input, domain('w'))
    mkdirSync(join(d, 'a-directory.xml'))
    for (const [target, errno] of [[join(d, 'a-directory.xml'), 'EISDIR'], [join(input, 'below-a-file.xml'), 'ENOTDIR']] as const) {
      const io = diskIo()
      expect(await run(['apply', input, '--defaults', '-o', target], io), io.err).toBe(2)
      expect(io.err.split('\n')[0]).toMatch(new RegExp(`^${target}: Cannot write ${target}: .+ \\(${errno}\\) \\[cli-unwritable-output\\]$`))
      expect(io.err).not.toMatch(/\n\s+at |internal error/)
    }
    expect(temps(d)).toEqual([])
  })

  it.skipIf(isRoot)(`EACCES: exit 2${isRoot ? ' (skipped: root bypasses permission bits; EISDIR/ENOTDIR above cover the path)' : ''}`, async () => {
    const d = fresh('eacces')
    writeFileSync(join(d, 'in.xml'), domain('e'))
    mkdirSync(join(d, 'ro'))
    chmodSync(join(d, 'ro'), 0o500)
    const io = diskIo()
    expect(await run(['apply', join(d, 'in.xml'), '--defaults', '-o', join(d, 'ro', 'x.xml')], io)).toBe(2)
    expect(io.err).toContain('(EACCES) [cli-unwritable-output]')
  })

  it('names ENOSPC and EROFS in words', () => {
    expect(new WriteError('/x', Object.assign(new Error('x'), { code: 'ENOSPC' })).message).toBe('Cannot write /x: no space left on the device (ENOSPC)')
    expect(new WriteError('/x', Object.assign(new Error('x'), { code: 'EROFS' })).message).toBe('Cannot write /x: read-only file system (EROFS)')
  })

  it('a YAML alias bomb in a spec is bad input (exit 2), not a bug', async () => {
    const d = fresh('yaml')
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n')
    writeFileSync(join(d, 'spec.yaml'), `${bomb}\nname: x\nmemory: 1GiB\n`)
    const io = diskIo()
    expect(await run(['new', '--spec', join(d, 'spec.yaml')], io)).toBe(2)
    expect(io.err).not.toMatch(/internal error|\n\s+at /)
  })
})

describe('the tree walk of bulk runs (issue 16 items 7 and 8)', () => {
  it('stays in the tree, ends loops, visits each file once, and lists what it skipped', async () => {
    const d = fresh('walk')
    mkdirSync(join(d, 'tree/sub'), { recursive: true })
    mkdirSync(join(d, 'outside'))
    writeFileSync(join(d, 'outside/o.xml'), domain('o'))
    writeFileSync(join(d, 'tree/a.xml'), domain('a'))
    symlinkSync('../outside', join(d, 'tree/out'))
    symlinkSync('../outside/o.xml', join(d, 'tree/o-link.xml'))
    symlinkSync('../a.xml', join(d, 'tree/sub/a-link.xml'))
    symlinkSync('.', join(d, 'tree/loop'))
    symlinkSync('self.xml', join(d, 'tree/self.xml'))
    symlinkSync('sub', join(d, 'tree/sub-again'))
    const tree = join(d, 'tree')
    const { files, skipped } = await expandInputs([tree, join(tree, 'a.xml'), `${tree}/`])
    expect(files.map((f) => f.path)).toEqual([join(tree, 'a.xml')])
    const reasons = Object.fromEntries(skipped.map((s) => [s.path.slice(tree.length + 1), s.reason]))
    expect(reasons).toEqual({
      'out': `a link to ${join(d, 'outside')}, outside ${tree}`,
      'o-link.xml': `a link to ${join(d, 'outside/o.xml')}, outside ${tree}`,
      'loop': `a link to a directory already visited (${tree})`,
      'self.xml': 'a symbolic link loop',
      'sub-again': `a link to a directory already visited (${join(tree, 'sub')})`,
      'sub/a-link.xml': `the same file as ${join(tree, 'a.xml')}`,
    })
  })

  it('a glob walks its fixed directory under the same rules', async () => {
    const d = fresh('walk-glob')
    mkdirSync(join(d, 'vms/x'), { recursive: true })
    writeFileSync(join(d, 'vms/x/1.xml'), domain('1'))
    writeFileSync(join(d, 'vms/2.xml'), domain('2'))
    writeFileSync(join(d, 'elsewhere.xml'), domain('e'))
    symlinkSync('../elsewhere.xml', join(d, 'vms/e.xml'))
    symlinkSync('..', join(d, 'vms/up'))
    const { files, skipped } = await expandInputs([`${d}/vms/**/*.xml`])
    expect(files.map((f) => f.path.slice(d.length + 1))).toEqual(['vms/2.xml', 'vms/x/1.xml'])
    expect(skipped.map((s) => s.path.slice(d.length + 1)).sort()).toEqual(['vms/e.xml', 'vms/up'])
    expect((await expandInputs([`${d}/vms/*.xml`])).files.map((f) => f.path.slice(d.length + 1))).toEqual(['vms/2.xml'])
  })

  it('an existing path is that path even with glob characters; --glob makes it a pattern', async () => {
    const d = fresh('literal')
    writeFileSync(join(d, 'vm[1].xml'), domain('literal'))
    writeFileSync(join(d, 'vm1.xml'), domain('one'))
    const name = join(d, 'vm[1].xml')
    expect((await expandInputs([name])).files.map((f) => f.path)).toEqual([name])
    expect(await isBulk([name])).toBe(false)
    expect((await expandInputs([name], { glob: true })).files.map((f) => f.path)).toEqual([join(d, 'vm1.xml')])
    expect(await isBulk([name], { glob: true })).toBe(true)
    expect((await expandInputs([join(d, 'vm[2].xml').replace('[2]', '[0-9]')])).files.map((f) => f.path)).toEqual([join(d, 'vm1.xml')])
  })
})

describe('--output-dir layout (issue 16 item 9)', () => {
  it('keeps the layout under the common directory of the inputs', () => {
    const files = [{ path: '/in/vms/a/x.xml', real: '/in/vms/a/x.xml', base: '/in/vms' }, { path: '/in/vms/b/x.xml', real: '/in/vms/b/x.xml', base: '/in/vms' }]
    expect(outputPaths(files, '/out')).toEqual(['/out/a/x.xml', '/out/b/x.xml'])
    expect(outputPaths([{ path: '/in/a/x.xml', real: '/in/a/x.xml', base: '/in/a' }, { path: '/in/b/x.xml', real: '/in/b/x.xml', base: '/in/b' }], '/out')).toEqual(['/out/a/x.xml', '/out/b/x.xml'])
  })

  it('refuses two inputs for one output, and an output that is an input', () => {
    expect(() => outputPaths([{ path: '/in/x.xml', real: '/r/1.xml', base: '/in' }, { path: '/in/x.xml', real: '/r/2.xml', base: '/in' }], '/out')).toThrow(OutputCollisionError)
    expect(() => outputPaths([{ path: '/in/x.xml', real: '/in/x.xml', base: '/in' }], '/in')).toThrow(OutputCollisionError)
  })
})

describe('--jobs (issue 16 item 11)', () => {
  it('is lowered to the CPU count with a notice unless forced', () => {
    expect(jobCount('256', false, 2)).toEqual({ workers: 2, notice: 'virtuned: --jobs 256 lowered to 2, the number of CPUs (--jobs-force to use 256)' })
    expect(jobCount('256', true, 2)).toEqual({ workers: 256 })
    expect(jobCount('2', false, 4)).toEqual({ workers: 2 })
    expect(jobCount(undefined, false, 32)).toEqual({ workers: 8 })
    expect(() => jobCount('0', false, 2)).toThrow(/--jobs `0`/)
  })
})

describe('bulk summary', () => {
  it('counts write failures as not written, not as unreadable XML (issue 16 item 12)', () => {
    const { lines, exit } = summary([{ file: 'a.xml', status: 'unwritable', message: 'Cannot write out/a.xml: permission denied (EACCES) [cli-unwritable-output]' }, { file: 'b.xml', status: 'changed' }], 'apply', [{ path: 'l.xml', reason: 'a symbolic link loop' }])
    expect(lines).toEqual(['error a.xml: Cannot write out/a.xml: permission denied (EACCES) [cli-unwritable-output]', 'changed b.xml', 'skipped l.xml: a symbolic link loop', '2 files: 1 changed, 0 unchanged, 0 not readable as libvirt XML, 1 not written; 1 skipped'])
    expect(exit).toBe(2)
  })
})

describe('validate without xmllint (issue 16 item 10, issue 20)', () => {
  it('a 12 MB text node: libxml2 (WebAssembly) refuses it as xmllint does, located, the file is invalid (exit 1)', async () => {
    const file = join(fresh('huge'), 'huge.xml')
    writeFileSync(file, domain('h').replace('</name>', `</name><description>${'a'.repeat(12 * 1024 * 1024)}</description>`))
    const io = diskIo()
    expect(await run(['validate', file], io)).toBe(1)
    expect(io.out).toMatch(new RegExp(`\\n${file.replace(/[.]/g, '\\.')}:1:\\d+: Not well-formed XML: Resource limit exceeded: Text node too long, try XML_PARSE_HUGE \\[xml-malformed\\]\\n`))
    expect(io.err).not.toMatch(/EPIPE|\n\s+at /)
    // The process as users run it, with no xmllint to be found (an empty PATH): the same verdict.
    if (existsSync(new URL('../dist/index.js', import.meta.url))) {
      const child = spawnSync(process.execPath, [new URL('../bin/virtuned.js', import.meta.url).pathname, 'validate', file], { encoding: 'utf8', env: { ...process.env, PATH: '' } })
      expect(child.stderr).not.toMatch(/EPIPE|\n\s+at /)
      expect(child.stdout).toContain('Text node too long')
      expect(child.status).toBe(1)
    }
  }, 30_000)

  it('validate DIR (worker threads, the built binary): the schema set named once, each invalid domain FAIL with its first problem located', () => {
    if (!existsSync(new URL('../dist/bulk-worker.js', import.meta.url))) return // bulk workers run from dist/: build @virtuned/cli first (npm test does)
    const dir = fresh('bulk-schema')
    writeFileSync(join(dir, 'good.xml'), domain('good'))
    writeFileSync(join(dir, 'bogus.xml'), "<domain type='bogus'>\n  <name>bogus</name>\n  <memory>1048576</memory>\n  <os><type>hvm</type></os>\n  <devices>\n    <frobnicator/>\n  </devices>\n</domain>\n")
    writeFileSync(join(dir, 'disk.xml'), "<disk type='file'><source file='/a.qcow2'/><target dev='vdb'/></disk>")
    const child = spawnSync(process.execPath, [new URL('../bin/virtuned.js', import.meta.url).pathname, 'validate', '--jobs', '2', dir], { encoding: 'utf8', env: { ...process.env, PATH: '' } })
    expect(child.stderr).toBe('')
    expect(child.status).toBe(1)
    const lines = child.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^schema: (\/usr\/share\/libvirt\/schemas \(host libvirt\)|libvirt 11\.3\.0 \(shipped with virtuned\))$/)
    expect(lines).toContain(`FAIL ${join(dir, 'bogus.xml')}: 1:1: Invalid value \`bogus\` for attribute \`type\` of \`<domain>\`: expected one of \`bhyve\`, \`hvf\`, \`hyperv\`, \`kqemu\`, \`kvm\`, \`lxc\`, \`openvz\`, \`phyp\`, \`qemu\`, \`test\`, \`uml\`, \`vbox\`, … (15 in all). [schema-bad-value] (and 2 more: virtuned validate FILE lists them)`)
    expect(lines.at(-1)).toBe('3 files: 2 valid, 1 invalid, 0 not readable as libvirt XML')
  }, 30_000)
})

describe('input size limits (issue 16 item 16)', () => {
  it('reads no more than the limit + 1 bytes of a large file', async () => {
    const file = join(fresh('limits-read'), 'big.bin')
    writeFileSync(file, Buffer.alloc(3 * 1024 * 1024, 0x61))
    expect((await real.readFile(file, 1000)).byteLength).toBe(1001)
    expect((await real.readFile(file)).byteLength).toBe(3 * 1024 * 1024)
  })

  it('a policy file over 1 MiB and a spec over 1 MiB are refused before parsing (exit 2, one line)', async () => {
    const d = fresh('limits-cli')
    const policy = join(d, 'huge.yaml')
    writeFileSync(policy, 'name: huge\ndescription: "' + 'x'.repeat(2 * 1024 * 1024) + '"\n')
    const spec = join(d, 'spec.yaml')
    writeFileSync(spec, 'name: s\nmemory: 1GiB\nvcpus: 1\ndescription: "' + 'y'.repeat(1024 * 1024) + '"\n')
    for (const [args, file, limit] of [
      [['new', '--name', 'n', '--memory', '1GiB', '--policy-file', policy], policy, 1024 * 1024],
      [['new', '--spec', spec], spec, 1024 * 1024],
    ] as const) {
      const io = diskIo()
      expect(await run([...args], io)).toBe(2)
      expect(io.err.split('\n')[0]).toBe(`${file}: larger than the limit of ${limit} bytes for ${file === policy ? 'a policy file' : 'a spec file'} [cli-input-too-large]`)
    }
  })

  it('a bulk run reports a file over the XML limit without reading it', async () => {
    const d = fresh('limits-bulk')
    writeFileSync(join(d, 'ok.xml'), domain('ok'))
    writeFileSync(join(d, 'huge.xml'), Buffer.alloc(17 * 1024 * 1024, 0x20))
    // Bulk runs use worker threads, which load the built files: the built binary, as hostile-trees does.
    const cli = spawnSync(process.execPath, [new URL('../bin/virtuned.js', import.meta.url).pathname, 'fmt', '--check', d], { encoding: 'utf8' })
    expect(cli.status).not.toBe(0)
    expect(cli.stdout + cli.stderr).toContain('huge.xml')
    expect(cli.stdout + cli.stderr).toContain('cli-input-too-large')
  })
})

describe('messages name the place once', () => {
  it('a policy error that starts with file:line:column is printed with it once', async () => {
    const d = fresh('place-once')
    const policy = join(d, 'attr.yaml')
    writeFileSync(policy, "name: attrinj\ndescription: x\nconvert:\n  - when: { has: devices/graphics }\n    set: { path: devices/graphics, attribute: \"x='1'/><evil a\", value: v }\n")
    const io = diskIo()
    expect(await run(['new', '--name', 'n', '--memory', '1GiB', '--policy-file', policy], io)).toBe(2)
    const first = io.err.split('\n')[0]!
    expect(first).toMatch(new RegExp(`^${policy.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(:\\d+:\\d+)?: `))
    expect(first.split(policy).length - 1).toBe(1)
  })
})
