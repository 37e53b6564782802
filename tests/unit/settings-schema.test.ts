import { describe, expect, it } from 'vitest'
import { ClinicSettings } from '../../shared/schemas/settings'

describe('clinic settings: the time zone', () => {
  it('accepts an IANA zone and refuses an unknown one, naming the field', () => {
    expect(ClinicSettings.parse({ clinicName: 'Clinic', timeZone: 'Europe/Lisbon' }).timeZone).toBe('Europe/Lisbon')
    const bad = ClinicSettings.safeParse({ clinicName: 'Clinic', timeZone: 'Mars/Olympus_Mons' })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues).toMatchObject([{ path: ['timeZone'], message: 'must be an IANA time zone such as America/New_York' }])
  })
})

describe('clinic settings: the backup rotation', () => {
  const rotation = (r: unknown) => ClinicSettings.safeParse({ clinicName: 'Clinic', backupRotation: r })
  it('defaults to 7 days, 4 weeks and 12 months', () => {
    expect(ClinicSettings.parse({ clinicName: 'Clinic' }).backupRotation).toEqual({ daily: 7, weekly: 4, monthly: 12 })
  })
  it('keeps at least one day (the backup just made) and at most 90 days, 104 weeks, 120 months', () => {
    expect(rotation({ daily: 1, weekly: 0, monthly: 0 }).success).toBe(true)
    expect(rotation({ daily: 90, weekly: 104, monthly: 120 }).success).toBe(true)
    expect(rotation({ daily: 0, weekly: 0, monthly: 0 }).error?.issues).toMatchObject([{ path: ['backupRotation', 'daily'], message: 'must be 1 to 90 days' }])
    expect(rotation({ daily: 91, weekly: 105, monthly: 121 }).error?.issues.map((i) => i.path.join('.'))).toEqual(['backupRotation.daily', 'backupRotation.weekly', 'backupRotation.monthly'])
    expect(rotation({ daily: 1.5, weekly: 0, monthly: 0 }).error?.issues).toMatchObject([{ message: 'must be a whole number' }])
    expect(rotation({ daily: 7, weekly: 4, monthly: 12, yearly: 2 }).success).toBe(false)
  })
})
