import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { run } from '../src/index.ts'
import { memoryIo } from './_io.ts'


const fixtures = new URL('../../../fixtures/xml/', import.meta.url).pathname

describe('virtuned fmt', () => {
  it('prints libvirt style by default, or preserves the layout', async () => {
    const io = memoryIo({ 'a.xml': "<domain type=\"kvm\">\n\t<name>x</name><devices><disk/></devices></domain>" })
    expect(await run(['fmt', 'a.xml'], io)).toBe(0)
    expect(io.out).toBe("<domain type='kvm'>\n  <name>x</name>\n  <devices>\n    <disk/>\n  </devices>\n</domain>\n")
    const preserve = memoryIo({ 'a.xml': "<domain type=\"kvm\">\n\t<name>x</name></domain>" })
    expect(await run(['fmt', '--style', 'preserve', 'a.xml'], preserve)).toBe(0)
    expect(preserve.out).toBe("<domain type='kvm'>\n\t<name>x</name></domain>")
  })

  it('reads standard input and device XML', async () => {
    const io = memoryIo({}, { stdin: '<disk type="file"><target dev="vdb"/></disk>' })
    expect(await run(['fmt', '-'], io)).toBe(0)
    expect(io.out).toBe("<disk type='file'>\n  <target dev='vdb'/>\n</disk>\n")
  })

  it('reports bad XML as file:line:column: reason [code] with exit 2, no stack', async () => {
    const io = memoryIo()
    const file = join(fixtures, 'err-mismatched-tag/input.xml')
    expect(await run(['fmt', file], io)).toBe(2)
    expect(io.out).toBe('')
    expect(io.err.split('\n')[0]).toBe(`${file}:2:10: Unexpected \`</nam>\`, expected \`</name>\` [xml-mismatched-tag]`)
    expect(io.err).not.toMatch(/\n\s+at /)
  })

  it('names the root it refuses', async () => {
    const io = memoryIo({ 'n.xml': '<network><name>x</name></network>' })
    expect(await run(['fmt', 'n.xml'], io)).toBe(2)
    expect(io.err).toContain('n.xml:1:1: Unexpected root `<network>`')
    expect(io.err).toContain('[model-unexpected-root]')
  })

  it('says when a file cannot be read', async () => {
    const io = memoryIo()
    expect(await run(['fmt', '/nonexistent/x.xml'], io)).toBe(2)
    expect(io.err).toMatch(/^\/nonexistent\/x\.xml: Cannot read \/nonexistent\/x\.xml: no such file \[cli-unreadable-input\]/)
  })

  it('prints a stack with --debug', async () => {
    const io = memoryIo({ 'a.xml': '<domain>' })
    expect(await run(['fmt', 'a.xml', '--debug'], io)).toBe(2)
    expect(io.err).toMatch(/\n\s+at /)
  })
})

describe('virtuned roundtrip', () => {
  it('passes lossless files and closes with a count line', async () => {
    const io = memoryIo()
    const files = ['ok-declaration-comments', 'ok-metadata-namespaces', 'ok-non-ascii'].map((c) => join(fixtures, c, 'input.xml'))
    expect(await run(['roundtrip', ...files], io)).toBe(0)
    expect(io.out).toBe('3 passed, 0 failed\n')
  })

  it('counts unreadable input as failed, exit 2', async () => {
    const io = memoryIo()
    expect(await run(['roundtrip', join(fixtures, 'ok-non-ascii/input.xml'), join(fixtures, 'err-doctype/input.xml')], io)).toBe(2)
    expect(io.out).toBe('1 passed, 1 failed\n')
    expect(io.err).toContain('[xml-doctype-refused]')
  })

  const corpus = locateCorpus()
  it.skipIf(!corpus.dir)(`round-trips the hot-plug corpus${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, async () => {
    const files = corpusFiles(corpus.dir!, ['hotplug']).map((f) => join(corpus.dir!, f))
    const io = memoryIo()
    expect(await run(['roundtrip', ...files], io)).toBe(0)
    expect(io.out).toBe(`${files.length} passed, 0 failed\n`)
  })
})

describe('usage', () => {
  it('has --help for virtuned and every command', async () => {
    for (const args of [['--help'], ['fmt', '--help'], ['roundtrip', '--help'], ['demo', '--help'], ['help', 'fmt'], ['match', '--help'], ['plan-attach', '--help'], ['plan-detach', '--help'], ...['new', 'apply', 'explain', 'defaults', 'policies', 'validate', 'diff', 'patch', 'define', 'dumpxml', 'attach', 'detach', 'completion'].map((c) => [c, '--help'])]) {
      const io = memoryIo()
      expect(await run(args, io)).toBe(0)
      expect(io.out).toMatch(/^(virtuned —|Usage: virtuned)/)
    }
  })

  it('refuses unknown commands and options with exit 2 and a hint', async () => {
    for (const args of [['bogus'], ['fmt', '--bogus', 'x'], ['fmt', '--style', 'ugly', 'x'], ['fmt'], ['roundtrip']]) {
      const io = memoryIo()
      expect(await run(args, io)).toBe(2)
      expect(io.err).toMatch(/^virtuned: .+\n  hint: /)
    }
  })

  it('demo composes the example spec, validates it and explains what was added', async () => {
    const io = memoryIo()
    const code = await run(['demo'], io)
    expect(io.err).toBe('')
    expect(code).toBe(0)
    expect(io.out).toContain("<domain type='kvm'>")
    expect(io.out).toContain("machine='q35'")
    expect(io.out).toContain("<graphics type='spice' autoport='yes'>")
    expect(io.out).toMatch(/# Validation: (valid for libvirt's RelaxNG schema|well-formed and read back by the model)/)
    expect(io.out).toContain('#  policy pcie: ')
    expect(io.out).toContain('#  default pcie-root-ports: ')
    expect(io.out).toMatch(/# web-01: 2 GiB memory, 2 vCPUs, \d+ devices/)
  })
})

const bare = `<domain type='kvm'><name>g</name><memory unit='KiB'>2097152</memory><vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/g.qcow2'/></disk></devices></domain>`

describe('virtuned new, apply, explain', () => {
  it('new prints a complete domain from flags', async () => {
    const io = memoryIo()
    expect(await run(['new', '--os', 'debian11', '--name', 'web', '--memory', '2GiB', '--vcpus', '2', '--disk', 'size=10G', '--nic', 'network=default', '--policy', 'spice,hotplug-ready:ports=2'], io)).toBe(0)
    expect(io.out).toContain('<name>web</name>')
    expect(io.out).toContain("<source file='/var/lib/libvirt/images/web.qcow2'/>")
    expect(io.out).toContain("<target dev='vda' bus='virtio'/>")
    expect(io.out).toContain("<graphics type='spice'")
    expect(io.err).toContain('warning: No domain capabilities given')
  })

  it('new --explain says what each policy and default added and why', async () => {
    const io = memoryIo()
    expect(await run(['new', '--os', 'win11', '--name', 'w', '--memory', '4GiB', '--disk', 'size=64G', '--explain'], io)).toBe(0)
    expect(io.err).toContain('default:tpm-crb')
    expect(io.err).toContain('why: Windows 11 requires a TPM 2.0')
    expect(io.err).toContain('source: virtinst')
  })

  it('new --spec reads YAML; -o writes the file (atomically, through the io)', async () => {
    const io = memoryIo({ 'spec.yaml': 'name: s\nmemory: 1GiB\nvcpus: 1\nnics:\n  - type: user\n' })
    expect(await run(['new', '--spec', 'spec.yaml', '--os', 'alpinelinux3.17', '-o', 'out.xml'], io)).toBe(0)
    expect(io.written['out.xml']).toContain("<interface type='user'>")
    expect(io.out).toBe('')
  })

  it('new refuses bad flags with exit 2 and a hint', async () => {
    for (const args of [['new'], ['new', '--name', 'x', '--memory', 'lots'], ['new', '--name', 'x', '--memory', '1G', '--disk', 'sise=1G'], ['new', '--name', 'x', '--memory', '1G', '--os', 'nosuchos'], ['new', '--name', 'x', '--memory', '1G', '--policy', 'nope']]) {
      const io = memoryIo()
      expect(await run(args, io), args.join(' ')).toBe(2)
      expect(io.err).toMatch(/hint: /)
      expect(io.err).not.toMatch(/\n\s+at /)
    }
  })

  it('apply --defaults fills an existing domain; conflicts exit 2 listing every clash', async () => {
    const io = memoryIo({ 'g.xml': bare })
    expect(await run(['apply', 'g.xml', '--defaults', '--os', 'fedora37'], io)).toBe(0)
    expect(io.out).toContain('<acpi/>')
    const pc = memoryIo({ 'g.xml': bare.replace("arch='x86_64'", "arch='x86_64' machine='pc'") })
    expect(await run(['apply', 'g.xml', '--defaults', '--policy', 'pcie'], pc)).toBe(2)
    expect(pc.err).toContain('/domain/os/type/@machine: user has "pc", pcie requires "q35" [policy-conflict]')
    const forced = memoryIo({ 'g.xml': bare.replace("arch='x86_64'", "arch='x86_64' machine='pc'") })
    expect(await run(['apply', 'g.xml', '--defaults', '--policy', 'pcie', '--force', '--in-place'], forced)).toBe(0)
    expect(forced.written['g.xml']).toContain("machine='q35'")
  })

  it('explain lists who set what', async () => {
    const io = memoryIo({ 'g.xml': bare })
    expect(await run(['explain', 'g.xml', '--os', 'debian11', '--policy', 'vnc'], io)).toBe(0)
    expect(io.out).toMatch(/^# g.xml: \d+ nodes after composing; \d+ from the file, \d+ added by policies and defaults:/)
    expect(io.out).toContain('policy:vnc')
    expect(io.out).toContain('default:rng-virtio')
  })

  it('defaults list/show/os and policies list/show/schema', async () => {
    const list = memoryIo()
    expect(await run(['defaults', 'list'], list)).toBe(0)
    expect(list.out).toContain('2026.11: ')
    expect(list.out).toContain('hyperv-enlightenments')
    const show = memoryIo()
    expect(await run(['defaults', 'show', 'pvpanic'], show)).toBe(0)
    expect(show.out).toContain("fill: <devices><panic model='isa'/></devices>")
    const os = memoryIo()
    expect(await run(['defaults', 'os', 'win1'], os)).toBe(0)
    expect(os.out).toContain('win11')
    const policies = memoryIo()
    expect(await run(['policies', 'list'], policies)).toBe(0)
    expect(policies.out).toContain('hotplug-ready')
    const imported = memoryIo()
    expect(await run(['policies', 'import', 'openstack', new URL('../../../fixtures/policies/import/openstack-linux.json', import.meta.url).pathname, 'debian'], imported)).toBe(0)
    expect(JSON.parse(imported.out)).toMatchObject({ name: 'os-debian', defaults: { diskBus: 'scsi', nicModel: 'virtio', multiqueue: true } })
    expect(imported.err).toContain('not mapped: hw_cdrom_bus')
    const kube = memoryIo()
    expect(await run(['policies', 'import', 'kubevirt', new URL('../../../fixtures/policies/import/kubevirt-windows.yaml', import.meta.url).pathname], kube)).toBe(0)
    expect(JSON.parse(kube.out)).toMatchObject({ name: 'kv-example-windows' })
    const withFile = memoryIo()
    expect(await run(['new', '--name', 'k', '--memory', '4GiB', '--os', 'win11', '--disk', 'size=10G', '--policy-file', new URL('../../../fixtures/policies/import/kubevirt-windows.yaml', import.meta.url).pathname, '--policy', 'kv-example-windows'], withFile)).toBe(0)
    expect(withFile.out).toContain("<target dev='sda' bus='sata'/>")
    const schema = memoryIo()
    expect(await run(['policies', 'schema'], schema)).toBe(0)
    expect(JSON.parse(schema.out)).toHaveProperty('properties.name')
  })
})

const haveSchemas = existsSync('/usr/share/libvirt/schemas/domain.rng')
/** The set `validate` uses here: the host's libvirt schemas when installed, else the ones shipped with virtuned. */
const schemaLine = haveSchemas ? 'schema: /usr/share/libvirt/schemas (host libvirt)\n' : 'schema: libvirt 11.3.0 (shipped with virtuned)\n'
const shippedDir = new URL('../../schema/schemas/libvirt-11.3.0', import.meta.url).pathname
describe('virtuned validate, diff, patch', () => {
  it("validate: libvirt's schema without xmllint — valid, invalid (exit 1, file:line:column: message [code]), unreadable (exit 2)", async () => {
    // A disk without a target is not valid for libvirt: the defaults give it one.
    const noTarget = memoryIo({ 'g.xml': bare })
    expect(await run(['validate', 'g.xml'], noTarget)).toBe(1)
    expect(noTarget.out).toContain('g.xml:1:') // all on line 1
    expect(noTarget.out).toContain('Missing element `<target>` in `<disk>`: the schema requires it. [schema-missing-element]')
    const complete = bare.replace("<source file='/i/g.qcow2'/>", "<source file='/i/g.qcow2'/><target dev='vda' bus='virtio'/>")
    const good = memoryIo({ 'g.xml': complete })
    expect(await run(['validate', 'g.xml'], good)).toBe(0)
    expect(good.out).toBe(`${schemaLine}g.xml: valid\n`)
    const bad = memoryIo({ 'b.xml': complete.replace('<vcpu>2</vcpu>', '<vcpu>two</vcpu>') })
    expect(await run(['validate', 'b.xml'], bad)).toBe(1)
    expect(bad.out).toMatch(/^schema: .+\nb\.xml:1:\d+: .+ \[schema-[a-z-]+\]\n/)
    const broken = memoryIo({ 'x.xml': '<domain><name>' })
    expect(await run(['validate', 'x.xml'], broken)).toBe(1)
    expect(broken.err).toContain('x.xml:1:15:')
    expect(await run(['validate', '/nonexistent.xml'], memoryIo())).toBe(2)
    const json = memoryIo({ 'g.xml': complete, 'x.xml': '<domain><name>' })
    expect(await run(['validate', '--json', 'g.xml', 'x.xml'], json)).toBe(1)
    expect(JSON.parse(json.out)).toEqual([
      { file: 'g.xml', valid: true, schema: 'checked', schemaSet: schemaLine.slice(8, -1), errors: [] },
      { file: 'x.xml', valid: false, schema: 'skipped', errors: [{ line: 1, column: 15, code: expect.stringMatching(/^xml-/), message: expect.any(String) }] },
    ])
  })

  it("validate: the issue's domain (bogus type, unknown device) refused with each problem at its line and column, in any schema set", async () => {
    const bogus = "<domain type='bogus'>\n  <name>bogus</name>\n  <memory>1048576</memory>\n  <os><type>hvm</type></os>\n  <devices>\n    <frobnicator/>\n  </devices>\n</domain>\n"
    for (const args of [[], ['--schema-dir', shippedDir]]) {
      const io = memoryIo({ 'bogus.xml': bogus })
      expect(await run(['validate', ...args, 'bogus.xml'], io)).toBe(1)
      const lines = io.out.split('\n')
      expect(lines[0]).toBe(args.length ? `schema: ${shippedDir} (--schema-dir)` : schemaLine.slice(0, -1))
      expect(lines).toContain('bogus.xml:1:1: Invalid value `bogus` for attribute `type` of `<domain>`: expected one of `bhyve`, `hvf`, `hyperv`, `kqemu`, `kvm`, `lxc`, `openvz`, `phyp`, `qemu`, `test`, `uml`, `vbox`, … (15 in all). [schema-bad-value]')
      expect(lines.find((l) => l.startsWith('bogus.xml:6:5: Unknown element `<frobnicator>` in `<devices>`: expected one of `audio`'))).toMatch(/\[schema-unknown-element\]$/)
      const json = memoryIo({ 'bogus.xml': bogus })
      expect(await run(['validate', '--json', ...args, 'bogus.xml'], json)).toBe(1)
      expect(JSON.parse(json.out)[0].errors).toEqual(expect.arrayContaining([
        expect.objectContaining({ line: 6, column: 5, code: 'schema-unknown-element', path: '/domain/devices/frobnicator', expected: expect.arrayContaining(['disk']) }),
      ]))
    }
    // A device alone: libvirt has no schema for it, and says so.
    const disk = memoryIo({ 'disk.xml': "<disk type='file'><source file='/a.qcow2'/><target dev='vdb'/></disk>" })
    expect(await run(['validate', 'disk.xml'], disk)).toBe(0)
    expect(disk.out).toBe('disk.xml: well-formed (libvirt has no schema for a <disk> alone)\n')
  })

  it('new/apply --validate: the output checked against libvirt\'s schema; invalid → exit 1, problems on stderr at the output\'s lines, no file written', async () => {
    const made = memoryIo()
    expect(await run(['new', '--name', 'w', '--memory', '1GiB', '--disk', 'size=1G', '--nic', 'network=default', '--validate'], made)).toBe(0)
    expect(made.out).toContain("<domain type='kvm'>")
    expect(made.err).toContain(`virtuned: schema: ${schemaLine.slice(8, -1)}: the output is valid\n`)
    const withUnknown = bare.replace('</devices>', '<frobnicator/></devices>')
    const shown = memoryIo({ 'u.xml': withUnknown })
    expect(await run(['apply', 'u.xml', '--defaults', '--validate'], shown)).toBe(1)
    const line = shown.out.split('\n').findIndex((l) => l.includes('<frobnicator/>')) + 1
    expect(line).toBeGreaterThan(1)
    expect(shown.err).toMatch(new RegExp(`virtuned: schema: .+: the output is invalid\\n[^]*<output>:${line}:5: Unknown element \`<frobnicator>\` in \`<devices>\``))
    const toFile = memoryIo({ 'u.xml': withUnknown })
    expect(await run(['apply', 'u.xml', '--defaults', '--validate', '-o', 'out.xml'], toFile)).toBe(1)
    expect(toFile.written).toEqual({})
    expect(toFile.err).toContain(`out.xml:${line}:5: Unknown element`)
    expect(toFile.err).toContain('virtuned: out.xml not written: the result fails libvirt\'s schema (exit 1)')
    const policiesOnly = memoryIo({ 'u.xml': withUnknown })
    expect(await run(['apply', 'u.xml', '--policy', 'spice', '--validate', '--json'], policiesOnly)).toBe(1)
    expect(JSON.parse(policiesOnly.out).schema).toMatchObject({ valid: false, errors: expect.arrayContaining([expect.objectContaining({ code: 'schema-unknown-element', path: '/domain/devices/frobnicator' })]) })
    // Without --validate nothing changes: the same apply exits 0.
    expect(await run(['apply', 'u.xml', '--defaults'], memoryIo({ 'u.xml': withUnknown }))).toBe(0)
  })

  it('validate: the host\'s schemas when installed, else the set shipped with virtuned', async () => {
    const { checkSchema, schemaSetFor } = await import('../src/schema.ts')
    expect(schemaSetFor('domain', undefined, '/nonexistent')).toEqual({ dir: undefined, label: 'libvirt 11.3.0 (shipped with virtuned)' })
    expect(schemaSetFor('domain', undefined, shippedDir)).toEqual({ dir: shippedDir, label: `${shippedDir} (host libvirt)` })
    expect(schemaSetFor('disk', undefined, '/nonexistent')).toBeUndefined()
    const check = await checkSchema("<domain type='kvm'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><frobnicator/></devices></domain>", 'domain', undefined, '/nonexistent')
    expect(check).toMatchObject({ schema: 'libvirt 11.3.0 (shipped with virtuned)', problems: [{ code: 'schema-unknown-element', line: 1 }, expect.anything(), expect.anything()] })
  })

  it('diff prints identity-keyed changes (exit 1), and patch applies them', async () => {
    const after = bare.replace('<vcpu>2</vcpu>', '<vcpu>4</vcpu>')
    const io = memoryIo({ 'a.xml': bare, 'b.xml': after })
    expect(await run(['diff', 'a.xml', 'b.xml', '--json'], io)).toBe(1)
    const patch = memoryIo({ 'a.xml': bare, 'p.json': io.out })
    expect(await run(['patch', 'a.xml', 'p.json'], patch)).toBe(0)
    expect(patch.out).toContain('<vcpu>4</vcpu>')
    expect(await run(['diff', 'a.xml', 'a.xml'], memoryIo({ 'a.xml': bare }))).toBe(0)
    // a broken second document is named (not `virtuned:1:9`)
    const broken = memoryIo({ 'a.xml': bare, 'b.xml': '<domain>' })
    expect(await run(['diff', 'a.xml', 'b.xml'], broken)).toBe(2)
    expect(broken.err).toMatch(/^b\.xml:1:9: /)
  })
})

describe('the built binary', () => {
  const bin = new URL('../bin/virtuned.js', import.meta.url).pathname
  it.skipIf(!existsSync(new URL('../dist/index.js', import.meta.url)) && process.env.CI !== 'true')('exits 2 with one clear line on bad input', () => {
    const result = spawnSync(process.execPath, [bin, 'fmt', '-'], { input: '<domain><name>x</domain>', encoding: 'utf8' })
    expect(result.status).toBe(2)
    expect(result.stderr.split('\n')[0]).toBe('<stdin>:1:16: Unexpected `</domain>`, expected `</name>` [xml-mismatched-tag]')
  })
})

describe('virtuned match, plan-attach, plan-detach', () => {
  const live = "<domain type='qemu'><os><type machine='q35'>hvm</type></os><devices><controller type='pci' index='1' model='pcie-root-port'/><disk type='file'><source file='/i/a'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk></devices></domain>"
  const full = "<domain type='qemu'><os><type machine='q35'>hvm</type></os><devices><controller type='pci' index='1' model='pcie-root-port'/><disk type='file'><source file='/i/a'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/><address type='pci' bus='0x01'/></disk></devices></domain>"
  const files = { 'live.xml': live, 'full.xml': full, 'disk.xml': "<disk type='file'><source file='/i/b'/></disk>" }

  it('plans an attach and prints the device XML', async () => {
    const io = memoryIo(files)
    expect(await run(['plan-attach', 'live.xml', 'disk.xml', '--seed', 'b'], io)).toBe(0)
    expect(io.out).toContain("<target dev='vdb' bus='virtio'/>")
    expect(io.out).toMatch(/<alias name='ua-disk-[0-9a-z]{7}'\/>/)
    expect(io.out).toContain('the guest sees /dev/disk/by-id/virtio-vt-')
  })

  it('takes a disk or NIC from the command line', async () => {
    const io = memoryIo(files)
    expect(await run(['plan-attach', 'live.xml', '--disk', '/vm/b.qcow2', '--alias', 'data'], io)).toBe(0)
    expect(io.out).toContain("<source file='/vm/b.qcow2'/>")
    expect(io.out).toContain("<alias name='ua-data'/>")
    const nic = memoryIo(files)
    expect(await run(['plan-attach', 'live.xml', '--nic', 'default', '--json'], nic)).toBe(0)
    expect(JSON.parse(nic.out)).toMatchObject({ ok: true, kind: 'interface', mac: expect.stringMatching(/^52:54:00:/) })
    expect(await run(['plan-attach', 'live.xml', '--disk', 'a', '--nic', 'b'], memoryIo(files))).toBe(2)
  })

  it('says why an attach cannot work, and which policy prevents it', async () => {
    const io = memoryIo(files)
    expect(await run(['plan-attach', 'full.xml', 'disk.xml'], io)).toBe(1)
    expect(io.err).toContain('[NO_FREE_HOTPLUG_SLOT]')
    expect(io.err).toContain('the `hotplug-ready` policy prevents this')
  })

  it('plans a detach by target and matches two versions', async () => {
    const io = memoryIo(files)
    expect(await run(['plan-detach', 'live.xml', '--disk', 'vda'], io)).toBe(0)
    expect(io.out).toBe('virtio-disk0\n')
    const m = memoryIo(files)
    expect(await run(['match', 'live.xml', 'full.xml'], m)).toBe(0)
    expect(m.out).toContain("same     disk[target/@dev='vda'] (by key)")
    const j = memoryIo(files)
    expect(await run(['match', 'live.xml', 'full.xml', '--json'], j)).toBe(0)
    expect(JSON.parse(j.out).pairs).toHaveLength(2)
    expect(await run(['plan-detach', 'live.xml'], memoryIo(files))).toBe(2)
  })
})
