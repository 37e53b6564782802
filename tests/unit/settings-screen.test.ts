import { describe, expect, it } from 'vitest'
import { ClinicSettings } from '../../shared/schemas/settings'
import { fieldOfError, SETTINGS_TABS, tabOfField, toFormValues, toSettings } from '../../renderer/screens/Settings/settingsForm'

describe('the Settings screen covers every setting', () => {
  it('every key of ClinicSettings is on exactly one tab', () => {
    const onTabs = SETTINGS_TABS.flatMap((t) => [...t.keys] as string[])
    expect(new Set(onTabs).size).toBe(onTabs.length)
    expect([...onTabs].sort()).toEqual(Object.keys(ClinicSettings.shape).sort())
  })

  it('puts a refusal under its field and opens its tab', () => {
    expect(fieldOfError('settings.followUpIntervals.1.weeks')).toBe('followUpIntervals.1.count')
    expect(fieldOfError('settings.observationPhases.0.forMinutes')).toBe('observationPhases.0.forMinutes')
    expect(tabOfField('followUpIntervals.1.count')).toBe('followUps')
    expect(tabOfField('settings.backupRotation.daily')).toBe('backups')
    expect(tabOfField('idleLockSeconds')).toBe('security')
    expect(tabOfField('nothing')).toBeNull()
  })

  it('edits follow-up intervals as a number and a unit, and gives the schema its shape back', () => {
    const settings = ClinicSettings.parse({ clinicName: 'Clinic' })
    const values = toFormValues(settings)
    expect(values.followUpIntervals).toEqual([
      { label: '2 weeks', count: 2, unit: 'weeks' },
      { label: '6 weeks', count: 6, unit: 'weeks' },
      { label: '3 months', count: 3, unit: 'months' },
    ])
    expect(toSettings(values)).toEqual(settings)
    const changed = toSettings({ ...values, followUpIntervals: [{ label: '10 days', count: 10, unit: 'days' }, { label: 'empty', count: '', unit: 'months' }] })
    expect(changed.followUpIntervals[0]).toEqual({ label: '10 days', days: 10 })
    // an emptied number is refused by the schema, under its field
    const r = ClinicSettings.safeParse(changed)
    expect(r.success).toBe(false)
    expect(r.error!.issues.map((i) => fieldOfError(i.path.join('.')))).toEqual(['followUpIntervals.1.count'])
  })
})
