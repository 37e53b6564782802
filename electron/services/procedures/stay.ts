/**
 * The overnight-stay decision: same-day discharge or an overnight stay, who decided and when, with the
 * reasons. The clinic's overnight beds per night are a setting: deciding a stay when they are full is a
 * `conflict` the screen can confirm through (`confirmOverCapacity`), like the duplicate-patient warning.
 *
 * A same-day discharge follows the recovery record (issue 17, point 2): while anything in it stands against
 * sending the patient home (recoveryRules.ts: a flagged or missed check, the readiness checklist, the sedation
 * score, an early departure or short supine rest, a symptomatic cement leak), it is refused unless the physician
 * gives an override reason; the reason and the blockers it overrode are kept on the decision and in the audit.
 */
import { addDays } from '../../../shared/clinical/dates'
import type { VertebralLevel } from '../../../shared/clinical/levels'
import { bedsLeft, describeStayReasons, DISPOSITION_LABELS, type Disposition, type StayReason } from '../../../shared/clinical/observation'
import { AppError } from '../../../shared/result'
import type { SameDayBlockerView, StaysList, StayView } from '../../../shared/schemas/recovery'
import type { Tx } from '../../db/tx'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { enteredInErrorIds } from '../records/enteredInError'
import { clinicToday } from '../records/today'
import { requireSettings } from '../settings'
import { assertProcedureOpen, loadProcedure, userName } from './rows'
import { loadRecoveryAssessment } from './recoveryRules'

export async function loadStay(db: Tx, procedureId: number): Promise<StayView | null> {
  const r = await db.selectFrom('stay_decisions').selectAll().where('procedure_id', '=', procedureId).executeTakeFirst()
  if (!r) return null
  const reasons = JSON.parse(r.reasons) as StayReason[]
  const disposition = r.disposition as Disposition
  return {
    procedureId,
    disposition,
    dispositionLabel: DISPOSITION_LABELS[disposition],
    night: r.night,
    reasons,
    otherText: r.other_text,
    reasonsText: describeStayReasons(reasons, r.other_text),
    note: r.note,
    overCapacity: r.over_capacity === 1,
    overrideReason: r.override_reason,
    overriddenBlockers: JSON.parse(r.override_blockers) as SameDayBlockerView[],
    decidedBy: r.decided_by,
    decidedByName: await userName(db, r.decided_by),
    decidedAt: r.decided_at,
    version: r.version,
  }
}

/** Overnight stays decided for a night, other than `exceptProcedureId`'s, on procedure notes not entered in error. */
async function staysForNight(db: Tx, night: string, exceptProcedureId: number): Promise<number> {
  const bad = enteredInErrorIds(db, 'procedure')
  const r = await db
    .selectFrom('stay_decisions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('night', '=', night)
    .where('disposition', '=', 'overnight')
    .where('procedure_id', '!=', exceptProcedureId)
    .where('procedure_id', 'not in', bad)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function decideStay(
  ctx: ServiceContext,
  input: { procedureId: number; version?: number; disposition: Disposition; reasons: StayReason[]; otherText: string; note: string; confirmOverCapacity: boolean; overrideReason?: string },
): Promise<StayView> {
  const actor = requireActor(ctx)
  const proc = await loadProcedure(ctx.db, input.procedureId, 'procedureId')
  await assertProcedureOpen(ctx.db, proc)
  const existing = await ctx.db.selectFrom('stay_decisions').selectAll().where('procedure_id', '=', proc.id).executeTakeFirst()
  if (existing && input.version === undefined) {
    throw new AppError('conflict', `A decision was already recorded by ${await userName(ctx.db, existing.decided_by)}; reload it and change it instead.`, { version: 'is required to change the decision' })
  }
  if (existing && existing.version !== input.version) {
    throw new AppError('conflict', 'The overnight-stay decision was changed since you opened it; reload to see it.', { version: 'is out of date' })
  }
  if (!existing && input.version !== undefined) throw new AppError('conflict', 'There is no decision to change yet; reload.', { version: 'no decision recorded yet' })

  // a same-day discharge against the recovery record needs the physician's reason, kept with what it overrode
  const blockers = input.disposition === 'sameDay' ? (await loadRecoveryAssessment(ctx.db, proc.id, nowIso(ctx))).sameDayBlockers : []
  const overrideReason = blockers.length > 0 ? (input.overrideReason ?? '') : ''
  if (blockers.length > 0 && !overrideReason) {
    throw new AppError(
      'invalid_input',
      `Please correct: Override reason is required to discharge the patient home the same day against the recovery record: ${blockers.map((b) => b.message).join('; ')}. Give the reason, or keep the patient overnight.`,
      { overrideReason: `is required: ${blockers.length} finding${blockers.length === 1 ? '' : 's'} of the recovery record stand${blockers.length === 1 ? 's' : ''} against a same-day discharge` },
      { blockers },
    )
  }

  const night = input.disposition === 'overnight' ? proc.procedure_date : null
  let overCapacity = false
  if (night) {
    const { settings } = await requireSettings(ctx.db)
    const occupied = await staysForNight(ctx.db, night, proc.id)
    overCapacity = bedsLeft(settings.overnightBeds, occupied) === 0
    if (overCapacity && !input.confirmOverCapacity) {
      throw new AppError(
        'conflict',
        `All ${settings.overnightBeds} overnight bed${settings.overnightBeds === 1 ? ' is' : 's are'} taken on the night of ${night} (${occupied} stay${occupied === 1 ? '' : 's'} decided). Confirm to keep the patient anyway, or arrange a transfer.`,
        { confirmOverCapacity: 'the overnight beds are full' },
        { night, beds: settings.overnightBeds, occupied },
      )
    }
  }
  const values = {
    disposition: input.disposition,
    night,
    reasons: JSON.stringify(input.reasons),
    other_text: input.otherText,
    note: input.note,
    over_capacity: overCapacity ? 1 : 0,
    override_reason: overrideReason,
    override_blockers: JSON.stringify(overrideReason ? blockers : []),
    decided_by: actor.id,
    decided_at: nowIso(ctx),
  }
  if (existing) {
    await ctx.db.updateTable('stay_decisions').set({ ...values, version: existing.version + 1 }).where('id', '=', existing.id).where('version', '=', existing.version).execute()
  } else {
    await ctx.db.insertInto('stay_decisions').values({ ...values, procedure_id: proc.id, patient_id: proc.patient_id, version: 0 }).execute()
  }
  await ctx.audit({
    action: existing ? 'stay.change' : 'stay.decide',
    entity: 'procedure',
    entityId: proc.id,
    patientId: proc.patient_id,
    details: {
      disposition: input.disposition,
      reasons: input.reasons,
      night,
      overCapacity,
      before: existing ? existing.disposition : null,
      ...(overrideReason ? { overrideReason, overriddenBlockers: blockers.map((b) => b.message) } : {}),
    },
  })
  return (await loadStay(ctx.db, proc.id))!
}

/** Tonight's and past overnight stays (default: the last 30 nights through tonight), latest night first. */
export async function listStays(ctx: ServiceContext, input: { from?: string; to?: string }): Promise<StaysList> {
  const { settings } = await requireSettings(ctx.db)
  const tonight = await clinicToday(ctx)
  const to = input.to ?? tonight
  const from = input.from ?? addDays(to, -30)
  const bad = enteredInErrorIds(ctx.db, 'procedure')
  const rows = await ctx.db
    .selectFrom('stay_decisions as s')
    .innerJoin('procedures as p', 'p.id', 's.procedure_id')
    .innerJoin('patients as pt', 'pt.id', 's.patient_id')
    .innerJoin('users as u', 'u.id', 's.decided_by')
    .select(['s.procedure_id', 's.patient_id', 'pt.mrn', 'pt.first_name', 'pt.last_name', 's.night', 'p.kind', 's.reasons', 's.other_text', 's.over_capacity', 'u.display_name', 's.decided_at'])
    .where('s.disposition', '=', 'overnight')
    .where('s.night', '>=', from)
    .where('s.night', '<=', to)
    .where('s.procedure_id', 'not in', bad)
    .orderBy('s.night', 'desc')
    .orderBy('pt.last_name')
    .orderBy('s.procedure_id')
    .execute()
  const ids = rows.map((r) => r.procedure_id)
  const levelRows = ids.length ? await ctx.db.selectFrom('procedure_levels').select(['procedure_id', 'level']).where('procedure_id', 'in', ids).orderBy('treated_order').execute() : []
  const stays = rows.map((r) => {
    const reasons = JSON.parse(r.reasons) as StayReason[]
    return {
      procedureId: r.procedure_id,
      patientId: r.patient_id,
      mrn: r.mrn,
      patientName: `${r.last_name}, ${r.first_name}`,
      night: r.night!,
      kind: r.kind as StaysList['stays'][number]['kind'],
      levels: levelRows.filter((l) => l.procedure_id === r.procedure_id).map((l) => l.level as VertebralLevel),
      reasons,
      reasonsText: describeStayReasons(reasons, r.other_text),
      overCapacity: r.over_capacity === 1,
      decidedByName: r.display_name,
      decidedAt: r.decided_at,
    }
  })
  const tonightCount = tonight >= from && tonight <= to ? stays.filter((s) => s.night === tonight).length : await staysForNight(ctx.db, tonight, 0)
  await ctx.audit({ action: 'stay.list', entity: 'stay', details: { from, to, count: stays.length }, patientIds: stays.map((st) => st.patientId) })
  return { tonight, beds: settings.overnightBeds, tonightCount, bedsLeftTonight: bedsLeft(settings.overnightBeds, tonightCount), stays }
}
