/**
 * The recovery record judged by the clinic's rules (issue 17, procedure day points 1 and 2): the checks due with
 * the minimum observation time, the stay's time flags, what each check flags, the discharge readiness and what
 * stands against a same-day discharge. One place, so that the recovery view, the stay decision and the discharge
 * summary read the record the same way. The rules themselves are pure (shared/clinical).
 */
import { sameDayDischargeBlockers, type SameDayBlocker } from '../../../shared/clinical/discharge'
import {
  checkFlags,
  DEFAULT_VITAL_LIMITS,
  dischargeReadiness,
  observationSchedule,
  observationTimeFlags,
  type CheckFlag,
  type DischargeReadiness,
  type DischargeReadinessItem,
  type LegNeuroResult,
  type ObservationSchedule,
  type SedationRule,
  type SedationScale,
  type TimeFlag,
} from '../../../shared/clinical/observation'
import type { RecoveryFields } from '../../../shared/schemas/recovery'
import type { ClinicSettings } from '../../../shared/schemas/settings'
import type { Tx } from '../../db/tx'
import type { ObservationCheckRow, RecoveryRow } from '../../db/types'
import { requireSettings } from '../settings'
import { loadLevels } from './rows'

export const EMPTY_RECOVERY_FIELDS: RecoveryFields = { supineStartedAt: null, supineEndedAt: null, arrivedAt: null, departedAt: null, baselinePain: null, checklist: {} }

export function recoveryFieldsOf(r: RecoveryRow): RecoveryFields {
  return {
    supineStartedAt: r.supine_started_at,
    supineEndedAt: r.supine_ended_at,
    arrivedAt: r.arrived_at,
    departedAt: r.departed_at,
    baselinePain: r.baseline_pain,
    checklist: JSON.parse(r.checklist) as Partial<Record<DischargeReadinessItem, boolean>>,
  }
}

export function sedationRuleOf(settings: ClinicSettings): SedationRule {
  return { scale: settings.sedationScale, dischargeScore: settings.sedationDischargeScore }
}

/** What a recorded check flags under the clinic's settings (nothing once it is entered in error). */
export function flagsOfCheck(c: ObservationCheckRow, baselinePain: number | null, settings: ClinicSettings): CheckFlag[] {
  if (c.error_at !== null) return []
  return checkFlags(
    {
      systolic: c.systolic,
      diastolic: c.diastolic,
      heartRate: c.heart_rate,
      spo2: c.spo2,
      pain: c.pain,
      legNeuro: c.leg_neuro as LegNeuroResult,
      respiratoryRate: c.respiratory_rate,
      sedationScore: c.sedation_score,
      sedationScale: c.sedation_scale as SedationScale | null,
    },
    baselinePain,
    DEFAULT_VITAL_LIMITS,
    sedationRuleOf(settings),
  )
}

export interface RecoveryAssessment {
  schedule: ObservationSchedule | null
  timeFlags: TimeFlag[]
  readiness: DischargeReadiness
  sameDayBlockers: SameDayBlocker[]
}

export interface CheckForRules {
  id: number
  checkedAt: string
  flags: readonly CheckFlag[]
  sedationScore: number | null
  sedationScale: SedationScale | null
}

/** The rules over a recovery record already read: `live` are its current checks in time order. */
export function assessRecovery(input: {
  fields: RecoveryFields
  live: readonly CheckForRules[]
  settings: ClinicSettings
  levels: readonly { level: string; leakage: readonly string[]; leakageSymptomatic: boolean | null }[]
  now: string
}): RecoveryAssessment {
  const { fields, live, settings } = input
  const schedule = fields.arrivedAt
    ? observationSchedule({
        arrivedAt: fields.arrivedAt,
        departedAt: fields.departedAt,
        now: input.now,
        phases: settings.observationPhases,
        checkOnArrival: settings.observationCheckOnArrival,
        graceMinutes: settings.observationGraceMinutes,
        checks: live.map((c) => ({ id: c.id, checkedAt: c.checkedAt })),
        minimumObservationMinutes: settings.minimumObservationMinutes,
      })
    : null
  const timeFlags = observationTimeFlags(fields, { observationMinutes: settings.minimumObservationMinutes, supineMinutes: settings.minimumSupineMinutes })
  const latest = live.at(-1)
  const readiness = dischargeReadiness(fields.checklist, { latestCheckFlags: latest ? latest.flags : null, schedule, timeFlags })
  const sameDayBlockers = sameDayDischargeBlockers({
    arrivedAt: fields.arrivedAt,
    checks: live,
    schedule,
    checklist: readiness.items,
    timeFlags,
    sedation: sedationRuleOf(settings),
    levels: input.levels,
    timeZone: settings.timeZone,
  })
  return { schedule, timeFlags, readiness, sameDayBlockers }
}

/** Reads the procedure's recovery record, checks and levels, and judges them (for the stay decision and the summary). */
export async function loadRecoveryAssessment(db: Tx, procedureId: number, now: string): Promise<RecoveryAssessment> {
  const { settings } = await requireSettings(db)
  const rec = await db.selectFrom('procedure_recoveries').selectAll().where('procedure_id', '=', procedureId).executeTakeFirst()
  const fields = rec ? recoveryFieldsOf(rec) : EMPTY_RECOVERY_FIELDS
  const rows = await db.selectFrom('observation_checks').selectAll().where('procedure_id', '=', procedureId).where('error_at', 'is', null).orderBy('checked_at').orderBy('id').execute()
  const live = rows.map((r) => ({
    id: r.id,
    checkedAt: r.checked_at,
    flags: flagsOfCheck(r, fields.baselinePain, settings),
    sedationScore: r.sedation_score,
    sedationScale: r.sedation_scale as SedationScale | null,
  }))
  return assessRecovery({ fields, live, settings, levels: await loadLevels(db, procedureId), now })
}
