import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DefaultsError, compileOsTable, defaultOsTable, parseOsinfoXml, resolveOs } from '../src/index.ts'
import { loadOsinfoDb, systemOsinfoDir } from '../src/node.ts'

const parent = `<libosinfo version="0.0.1"><os id="http://example.org/ex/1">
  <short-id>ex1</short-id><name>Example 1</name><name xml:lang="de">Beispiel 1</name><version>1</version><family>linux</family><distro>ex</distro>
  <firmware arch="x86_64" type="efi"/>
  <resources arch="x86_64"><minimum><ram>1073741824</ram><n-cpus>1</n-cpus></minimum><recommended><ram>2147483648</ram></recommended></resources>
  <devices><device id="http://pcisig.com/pci/1af4/1041"/><device id="http://pcisig.com/pci/1b36/0100"/></devices>
</os></libosinfo>`
const childOs = `<libosinfo version="0.0.1"><os id="http://example.org/ex/2">
  <short-id>ex2</short-id><name>Example 2</name><version>2</version><family>linux</family><distro>ex</distro>
  <derives-from id="http://example.org/ex/1"/>
  <firmware arch="x86_64" type="bios" supported="false"/>
  <devices><device id="http://pcisig.com/pci/1b36/0100" supported="false"/><device id="http://pcisig.com/pci/1af4/1050"/></devices>
</os></libosinfo>`

describe('osinfo-db', () => {
  it('resolves inheritance: devices added and withdrawn, firmware and resources inherited', () => {
    const table = compileOsTable([...parseOsinfoXml(parent), ...parseOsinfoXml(childOs)], 'test')
    const ex2 = table.entries.find((e) => e.shortId === 'ex2')!
    expect(ex2.devices).toEqual(['virtio1.0-gpu', 'virtio1.0-net'])
    expect(ex2.firmware).toBe('efi-required')
    expect(ex2.recRam).toBe(2147483648)
    expect(ex2.name).toBe('Example 2')
    expect(table.entries.find((e) => e.shortId === 'ex1')!.firmware).toBe('efi')
  })

  it('falls back to the nearest release of a family in a given table', () => {
    const table = compileOsTable([...parseOsinfoXml(parent), ...parseOsinfoXml(childOs)], 'test-db')
    const r = resolveOs('ex7', table)
    expect(r.entry.shortId).toBe('ex2')
    expect(r.recordAs).toBe('http://example.org/ex/7')
    expect(r.warning).toContain('test-db does not know `ex7`')
    expect(resolveOs('ex0', table).entry.shortId).toBe('ex1')
  })

  it('reports a file that is not osinfo XML with its name', () => {
    expect(() => parseOsinfoXml('<libosinfo><os', 'bad.xml')).toThrow(DefaultsError)
    expect(() => parseOsinfoXml('<html/>', 'page.xml')).toThrow(/page.xml: expected a <libosinfo> document/)
  })

  it('reports a missing database directory', () => {
    expect(() => loadOsinfoDb('/nonexistent/osinfo')).toThrow(/cannot read the osinfo-db directory/)
  })

  it('knows the OSes the defaults are tested with', () => {
    for (const id of ['win11', 'win10', 'win2k22', 'debian11', 'fedora37', 'rhel9.0', 'ubuntu22.04', 'alpinelinux3.17', 'opensuse15.4', 'freebsd13.1']) {
      expect(resolveOs(id).warning, id).toBeUndefined()
    }
    expect(resolveOs('win11').entry.firmware).toBe('efi-required')
    expect(resolveOs('win11').entry.installableDrivers).toContain('virtio1.0-block')
  })
})

const installed = existsSync(`${systemOsinfoDir}/os`)
const run = installed || process.env.CI === 'true'
describe.skipIf(!run)(`the embedded table matches the installed osinfo-db${installed ? '' : ' (skipped: osinfo-db not installed)'}`, () => {
  it('is what scripts/gen-os-table.ts makes from /usr/share/osinfo', () => {
    expect(installed, 'CI must have osinfo-db installed (.ci/run)').toBe(true)
    const table = loadOsinfoDb()
    expect(table.source).toBe(defaultOsTable.source)
    expect(table.entries).toEqual(defaultOsTable.entries)
  })
})
