/**
 * The Settings screen's form values and the tabs they sit on. The form holds the settings as the schema has
 * them (one schema for the form and the router), except the follow-up intervals, which the form edits as a
 * label, a number and a unit; `toSettings` gives the schema's shape back and `fieldOfError` puts the schema's
 * messages under the form's fields.
 */
import type { ClinicSettings } from '../../../shared/schemas/settings'

export type IntervalUnit = 'days' | 'weeks' | 'months'
export interface IntervalRow {
  label: string
  count: number | string
  unit: IntervalUnit
}
export type SettingsValues = Omit<ClinicSettings, 'followUpIntervals'> & { followUpIntervals: IntervalRow[] }

export const SETTINGS_TABS = [
  { id: 'clinic', label: 'Clinic', keys: ['clinicName', 'mrnPrefix'] },
  { id: 'schedule', label: 'Schedule', keys: ['timeZone'] },
  {
    id: 'procedure',
    label: 'Procedure day',
    keys: [
      'observationPhases',
      'observationCheckOnArrival',
      'observationGraceMinutes',
      'minimumSupineMinutes',
      'minimumObservationMinutes',
      'sedationScale',
      'sedationDischargeScore',
      'inrMax',
      'plateletsMin',
      'labMaxAgeDays',
      'fastingHours',
      'pregnancyAgeFrom',
      'pregnancyAgeTo',
      'overnightBeds',
    ],
  },
  { id: 'followUps', label: 'Follow-ups', keys: ['followUpIntervals', 'followUpHideOverdueAfterDays'] },
  { id: 'discharge', label: 'Discharge templates', keys: ['dischargeActivityGuidelines', 'dischargeWarningSigns'] },
  { id: 'backups', label: 'Backups', keys: ['backupFolder', 'backupTime', 'backupRotation'] },
  {
    id: 'reminders',
    label: 'Reminders',
    keys: ['smtpHost', 'smtpPort', 'smtpTls', 'smtpUser', 'reminderFrom', 'reminderPhone', 'reminderDaysBefore', 'reminderPlace', 'reminderTemplate', 'reminderBring'],
  },
  { id: 'letters', label: 'Letters', keys: ['letterhead', 'letterConsultationTemplate', 'letterProcedureTemplate'] },
  { id: 'documents', label: 'Documents', keys: ['documentMaxMegabytes'] },
  { id: 'security', label: 'Security', keys: ['idleLockSeconds'] },
] as const satisfies readonly { id: string; label: string; keys: readonly (keyof ClinicSettings)[] }[]
export type SettingsTab = (typeof SETTINGS_TABS)[number]['id']

/** The tab a form error's field is on ('observationPhases.1.everyMinutes' is on Procedure day). */
export function tabOfField(field: string): SettingsTab | null {
  const key = field.replace(/^settings\./, '').split('.')[0]
  return SETTINGS_TABS.find((t) => (t.keys as readonly string[]).includes(key ?? ''))?.id ?? null
}

export function intervalRows(intervals: readonly ClinicSettings['followUpIntervals'][number][]): IntervalRow[] {
  return intervals.map((iv) =>
    'days' in iv ? { label: iv.label, count: iv.days, unit: 'days' } : 'weeks' in iv ? { label: iv.label, count: iv.weeks, unit: 'weeks' } : { label: iv.label, count: iv.months, unit: 'months' },
  )
}

export function toFormValues(s: ClinicSettings): SettingsValues {
  return { ...s, followUpIntervals: intervalRows(s.followUpIntervals) }
}

/** The settings the form holds, in the schema's shape (not yet validated: the schema does that). */
export function toSettings(v: SettingsValues): ClinicSettings {
  return {
    ...v,
    // an emptied number goes as 0, which the schema refuses under the number with its range ("must be 1 to 24")
    followUpIntervals: v.followUpIntervals.map((r) => ({ label: r.label, [r.unit]: r.count === '' ? 0 : Number(r.count) })) as ClinicSettings['followUpIntervals'],
  }
}

/** A schema message's field as the form names it: the router's 'settings.' prefix off, an interval's unit as `count`. */
export function fieldOfError(path: string): string {
  return path.replace(/^settings\./, '').replace(/^(followUpIntervals\.\d+)\.(days|weeks|months)$/, '$1.count')
}
