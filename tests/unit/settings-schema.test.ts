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
