import { z } from 'zod'
import { requiredText, Version } from './common'
import { BackupRotation } from './backupSettings'
import { ReminderSettingsFields } from './reminderSettings'
import { DocumentSettingsFields } from './documentSettings'
import { LetterSettingsFields } from './letterSettings'
import { ActivityGuidelinesTemplate, FollowUpIntervals, ObservationGraceMinutes, ObservationPhases, OvernightBeds, WarningSignsTemplate } from './procedureSettings'
import { MinimumObservationMinutes, MinimumSupineMinutes, SedationDischargeScore, SedationScaleSetting } from './procedureSettings'
import { FastingHours, InrMax, LabMaxAgeDays, PlateletsMin, PregnancyAgeFrom, PregnancyAgeTo } from './procedureSettings'

export const IDLE_LOCK_MIN_SECONDS = 15
export const IDLE_LOCK_MAX_SECONDS = 4 * 3600

/** `followUpHideOverdueAfterDays`: from a month to ten years; a year by default. */
export const FOLLOW_UP_HIDE_MIN_DAYS = 30
export const FOLLOW_UP_HIDE_MAX_DAYS = 3650
const FollowUpHideOverdueAfterDays = z
  .number({ message: 'must be a number' })
  .int({ message: 'must be whole days' })
  .min(FOLLOW_UP_HIDE_MIN_DAYS, { message: `must be ${FOLLOW_UP_HIDE_MIN_DAYS} to ${FOLLOW_UP_HIDE_MAX_DAYS} days` })
  .max(FOLLOW_UP_HIDE_MAX_DAYS, { message: `must be ${FOLLOW_UP_HIDE_MIN_DAYS} to ${FOLLOW_UP_HIDE_MAX_DAYS} days` })
  .default(365)

/**
 * Every clinic-wide setting, with its default. Stored as one JSON document so that a
 * later feature adds a setting here (with a default) without a migration.
 */
export const ClinicSettings = z.object({
  clinicName: requiredText(120),
  mrnPrefix: z
    .string({ message: 'is required' })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{1,6}$/, { message: 'must be 1 to 6 letters' })
    .default('SC'),
  idleLockSeconds: z
    .number({ message: 'must be a number' })
    .int({ message: 'must be whole seconds' })
    .min(IDLE_LOCK_MIN_SECONDS, { message: `must be at least ${IDLE_LOCK_MIN_SECONDS} seconds` })
    .max(IDLE_LOCK_MAX_SECONDS, { message: 'must be at most 4 hours' })
    .default(600),
  timeZone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz })
        return true
      } catch {
        return false
      }
    }, { message: 'must be an IANA time zone such as America/New_York' })
    .default('America/New_York'),
  // the procedure day (observation checks, overnight beds, follow-ups, discharge texts)
  observationPhases: ObservationPhases,
  observationCheckOnArrival: z.boolean({ message: 'must be yes or no' }).default(true),
  observationGraceMinutes: ObservationGraceMinutes,
  // the observation stay kept and the sedation recovery score (issue 17): minimums and the discharge threshold
  minimumObservationMinutes: MinimumObservationMinutes,
  minimumSupineMinutes: MinimumSupineMinutes,
  sedationScale: SedationScaleSetting,
  sedationDischargeScore: SedationDischargeScore,
  // the pre-procedure checklist's thresholds (issue 17, point 3): the keys of shared/clinical/preProcedure.ts PreProcedurePolicy
  inrMax: InrMax,
  plateletsMin: PlateletsMin,
  labMaxAgeDays: LabMaxAgeDays,
  fastingHours: FastingHours,
  pregnancyAgeFrom: PregnancyAgeFrom,
  pregnancyAgeTo: PregnancyAgeTo,
  overnightBeds: OvernightBeds,
  followUpIntervals: FollowUpIntervals,
  /**
   * Follow-ups overdue by more than this many days are not listed on Follow-ups due (issue 23 point 4): misses of
   * long ago that nobody will book. They are not deleted; the screen says how many are hidden and why. Exactly
   * this many days overdue is still listed.
   */
  followUpHideOverdueAfterDays: FollowUpHideOverdueAfterDays,
  dischargeActivityGuidelines: ActivityGuidelinesTemplate,
  dischargeWarningSigns: WarningSignsTemplate,
  /** Where backups go; '' means the `backups` folder next to the database. An absolute path otherwise. */
  backupFolder: z
    .string({ message: 'must be text' })
    .trim()
    .max(1000, { message: 'must be at most 1000 characters' })
    .refine((f) => f === '' || /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(f), { message: 'must be a full folder path, such as /srv/backups or D:\\Backups' })
    .default(''),
  /** Clinic local time of the daily backup, HH:MM (24-hour); missed backups run when the app next starts. */
  backupTime: z
    .string({ message: 'must be text' })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time written HH:MM, such as 19:30' })
    .default('19:00'),
  /**
   * What the daily backups' rotation keeps: the newest backup of each of the last `daily` days, `weekly` weeks and
   * `monthly` months (electron/services/backupRotation.ts). Manual and pre-update backups are never rotated.
   */
  backupRotation: BackupRotation,
  // reminders sent by the app (issue 21 point 3): SMTP server, From, phone, days before, place, text; no password here
  ...ReminderSettingsFields,
  // documents on the chart (issue 19 point 3): the size limit
  ...DocumentSettingsFields,
  // letters to the referrer (issue 19 point 4): the letterhead and the two templates
  ...LetterSettingsFields,
}).superRefine((s, ctx) => {
  if (s.pregnancyAgeFrom > s.pregnancyAgeTo) ctx.addIssue({ code: 'custom', path: ['pregnancyAgeTo'], message: `must not be below the first age (${s.pregnancyAgeFrom})` })
  if (s.smtpHost !== '' && s.reminderFrom === '') ctx.addIssue({ code: 'custom', path: ['reminderFrom'], message: 'is required when an SMTP server is set (the address the reminders come from)' })
})
export type ClinicSettings = z.infer<typeof ClinicSettings>

export const UpdateSettings = z.object({
  version: Version,
  settings: ClinicSettings,
  /**
   * The administrator saw the warning that the chosen backup folder is inside the database's folder on the same
   * disk (a failing disk would take the backups with the database) and keeps it anyway.
   */
  confirmBackupFolderOnSameDisk: z.boolean({ message: 'must be yes or no' }).optional(),
})
export type UpdateSettings = z.infer<typeof UpdateSettings>

/** `settings.chooseBackupFolder`: the system's folder dialog (the desktop app only). */
export const ChooseFolderResult = z.object({
  /** false where no system dialog can open (the development bridge in a browser): type the path instead */
  available: z.boolean(),
  /** the folder chosen, or null when the dialog was cancelled */
  folder: z.string().nullable(),
})
export type ChooseFolderResult = z.infer<typeof ChooseFolderResult>

export const SettingsView = z.object({ version: Version, settings: ClinicSettings })
export type SettingsView = z.infer<typeof SettingsView>
