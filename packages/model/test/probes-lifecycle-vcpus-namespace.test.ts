// Reads found by defining probes h22-* on libvirtd 9.0 (small devices): model's tables say them so.
import { describe, expect, it } from 'vitest'
import { attributeReadProblem, attributeReads } from '../src/index.ts'

const read = (path: string, attribute: string) => attributeReads.get(path)!.find((r) => r[0] === attribute)!

describe('a shared memory device', () => {
  it("reads its MSI vectors in base 0 and writes them only when not 0 (virDomainShmemDefFormat: `if (def->msi.vectors)`)", () => {
    const vectors = read('devices/shmem/msi', 'vectors')
    expect(vectors[2]).toMatchObject({ base: 0, decimal: true, zeroUnwritten: true })
    expect(attributeReadProblem('0', vectors, 'msi')).toBeUndefined()
    expect(attributeReadProblem('x', vectors, 'msi')).toBe("Invalid value for attribute 'vectors' in element 'msi': 'x'. Expected non-negative integer value")
  })
})

describe('spaprVioAssignedKinds', () => {
  it("lists the devices qemuDomainAssignSpaprVIOAddresses walks, in its order, TPMs last; not a balloon's or an RNG's", async () => {
    const { spaprVioAssignedKinds } = await import('../src/index.ts')
    expect(spaprVioAssignedKinds).toEqual(['interface', 'controller', 'serial', 'nvram', 'tpm'])
    expect(spaprVioAssignedKinds).not.toContain('memballoon')
  })
})
