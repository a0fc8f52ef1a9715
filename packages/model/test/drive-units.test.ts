// A disk controller's units and the SCSI models' limits, as libvirt's virDomainDiskDefAssignAddress and
// virDomainSCSIDriveAddressIsUsed have them (libvirt 9.0 and 11.3 alike).
import { describe, expect, it } from 'vitest'
import { controllerModels, driveUnitsPerController, scsiControllerUnits } from '../src/index.ts'

describe('drive units', () => {
  it('count a target name into controllers of each bus', () => {
    expect(driveUnitsPerController).toEqual({ ide: 4, sata: 6, fdc: 2, scsi: 7 })
  })
  it('give each SCSI model libvirt limits its last or reserved unit, all models libvirt knows', () => {
    expect(scsiControllerUnits.lsisas1068).toEqual({ last: 1 })
    expect(scsiControllerUnits.lsilogic).toEqual({ reserved: 7 })
    expect(scsiControllerUnits.ibmvscsi).toEqual({ last: 31, reserved: 7 })
    for (const model of Object.keys(scsiControllerUnits)) expect(controllerModels.get('scsi')).toContain(model)
    // (the default and `auto` have no limits of their own)
    expect(Object.hasOwn(scsiControllerUnits, 'auto')).toBe(false)
  })
})
