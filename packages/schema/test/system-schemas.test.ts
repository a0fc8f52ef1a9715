// Another schema set, as the CLI passes it: the host's own libvirt schemas (Debian libvirt0 9.0,
// /usr/share/libvirt/schemas), read from disk. Same verdict as native xmllint with those files on the
// corpus — about 200 of its 11.3.0 documents use features 9.0's schema does not know.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { createValidator } from '../src/index.ts'
import { readSchemaDir, systemSchemaDir } from '../src/node.ts'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { availability } from '../../../tools/net.ts'
import { nativeVerdicts, xmllint } from './_native.ts'

const systemDir = systemSchemaDir
const system = availability('the system libvirt schemas', existsSync(join(systemDir, 'domain.rng')), 'apt-get install libvirt0, as .ci/run does through the libvirt sandbox')
const corpus = locateCorpus()

it.skipIf(system.skip || xmllint.skip || corpus.dir === undefined)(`${system.label}: xmllint's verdict on every corpus document — ${xmllint.label} ${corpus.reason}`, async () => {
  const schemas = await readSchemaDir(systemDir)
  expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['domain.rng', 'domaincommon.rng', 'basictypes.rng']))
  const validator = await createValidator({ schemas })
  expect(validator.schema).toMatchObject({ source: 'custom', version: undefined, start: 'domain.rng' })
  const files = corpusFiles(corpus.dir!, ['domains', 'domains-out', 'generic', 'generic-out'])
  const native = nativeVerdicts(join(systemDir, 'domain.rng'), files.map((f) => join(corpus.dir!, f)))
  const disagree: string[] = []
  let invalid = 0
  for (const file of files) {
    const result = validator.validate(readFileSync(join(corpus.dir!, file)))
    if (!result.valid) invalid++
    if (result.valid !== native.get(join(corpus.dir!, file))!.valid) disagree.push(file)
    if (!result.valid) expect(result.errors[0]!.line, file).toBeGreaterThan(0)
  }
  expect(disagree).toEqual([])
  expect(invalid).toBeGreaterThan(100)
})

it('readSchemaDir refuses a folder it cannot read, or one without .rng files', async () => {
  await expect(readSchemaDir('/nonexistent/virtuned')).rejects.toMatchObject({ code: 'schema-dir-unreadable' })
  const empty = mkdtempSync(join(tmpdir(), 'virtuned-schemas-'))
  try {
    await expect(readSchemaDir(empty)).rejects.toMatchObject({ code: 'schema-dir-unreadable' })
  } finally {
    rmSync(empty, { recursive: true, force: true })
  }
})
