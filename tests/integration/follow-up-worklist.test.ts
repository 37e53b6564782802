/**
 * Follow-ups due as a worklist (issue 23 point 4), through the router on SQLite and PostgreSQL: the filters by
 * physician, label and how late; the clinic's setting that keeps follow-ups overdue by more than N days off the
 * list (exactly N listed, N + 1 not, and counted); closing a follow-up with a reason (who, when, why kept; the
 * row stays), and the refusals, each naming its field with nothing changed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { seedClinic } from '../../electron/seed/seedClinic'
import { fieldName } from '../../shared/fieldNames'
import { seedOutcomeFixture, type OutcomeFixture } from '../fixtures/outcomesData'
import { admin } from './cliHarness'
import { allTableCounts, describeEachEngine, expectError, openClinic, type Clinic } from './harness'
import { insertAppointmentRow } from './scheduleFixture'

// The harness's clock: 2026-11-30 in the clinic (America/New_York). The fixture's open follow-ups then are
// x2-6w (due 2026-03-24, 251 days overdue, physician A), x1-3m (2026-04-20, 224, A), x3-6w (2026-04-21, 223, B)
// and x3-3m (2026-06-10, 173, B); the others were seen, cancelled, or are of a procedure entered in error.

describeEachEngine('follow-ups due as a worklist on %s', (engine) => {
  let clinic: Clinic
  let fx: OutcomeFixture
  let desk: string
  let doc: string
  let deskId: number

  beforeEach(async () => {
    clinic = await openClinic({ engine })
    doc = await clinic.as('physician', 'dra')
    await clinic.as('physician', 'drb')
    desk = await clinic.as('frontDesk', 'desk')
    const id = async (u: string) => (await clinic.database.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id
    deskId = await id('desk')
    fx = await seedOutcomeFixture(clinic.database.db, await id('dra'), await id('drb'))
  })
  afterEach(async () => clinic?.close())

  const ids = (rows: { id: number }[]) => rows.map((r) => r.id)

  it('filters by physician, label and overdue band in the query', async () => {
    const f = fx.followUps
    const all = await clinic.ok(desk, 'followUps.worklist', {})
    expect(ids(all.rows)).toEqual([f['x2-6w'], f['x1-3m'], f['x3-6w'], f['x3-3m']])
    expect(all.rows[0]).toMatchObject({ providerId: fx.physicianA, providerName: 'physician dra', daysOverdue: 251 })
    expect(all.hidden).toEqual({ count: 0, overdueDays: 365 })

    expect(ids((await clinic.ok(desk, 'followUps.worklist', { physicianId: fx.physicianB })).rows)).toEqual([f['x3-6w'], f['x3-3m']])
    expect(ids((await clinic.ok(desk, 'followUps.worklist', { label: '3 months' })).rows)).toEqual([f['x1-3m'], f['x3-3m']])
    expect(ids((await clinic.ok(desk, 'followUps.worklist', { physicianId: fx.physicianA, label: '3 months' })).rows)).toEqual([f['x1-3m']])

    // On 2026-05-20, four weeks ahead: x2-6w is 57 days late, x1-3m 30, x3-6w 29, and x3-3m falls due in 21 days.
    const on = async (band: 'dueSoon' | 'overdue' | 'overdueUpTo30' | 'overdue31to90' | 'overdueOver90', extra: { physicianId?: number } = {}) =>
      ids((await clinic.ok(desk, 'followUps.worklist', { today: '2026-05-20', daysAhead: 28, band, ...extra })).rows)
    expect(await on('dueSoon')).toEqual([f['x3-3m']])
    expect(await on('overdue')).toEqual([f['x2-6w'], f['x1-3m'], f['x3-6w']])
    expect(await on('overdueUpTo30')).toEqual([f['x1-3m'], f['x3-6w']]) // 30 days is "up to 30"
    expect(await on('overdue31to90')).toEqual([f['x2-6w']])
    expect(await on('overdueOver90')).toEqual([])
    expect(await on('overdueUpTo30', { physicianId: fx.physicianB })).toEqual([f['x3-6w']])

    // a filter that does not fit is refused naming it
    const before = await allTableCounts(clinic.database)
    for (const [input, field] of [
      [{ band: 'late' }, 'band'],
      [{ physicianId: 0 }, 'physicianId'],
      [{ label: '' }, 'label'],
    ] as const) {
      const r = await clinic.call(desk, 'followUps.worklist', input as never)
      expectError(r, 'invalid_input', field)
    }
    expect(await allTableCounts(clinic.database)).toEqual(before)
  })

  it('lists a follow-up overdue by exactly the setting’s days, hides one a day older and says how many', async () => {
    const adminWindow = await clinic.as('admin')
    const setHide = async (days: number) => {
      const s = await clinic.ok(adminWindow, 'settings.get')
      return clinic.call(adminWindow, 'settings.update', { version: s.version, settings: { ...s.settings, followUpHideOverdueAfterDays: days } })
    }
    expect((await clinic.ok(adminWindow, 'settings.get')).settings.followUpHideOverdueAfterDays).toBe(365)

    expect((await setHide(251)).ok).toBe(true) // x2-6w is 251 days overdue: listed
    let list = await clinic.ok(desk, 'followUps.worklist', {})
    expect(ids(list.rows)).toContain(fx.followUps['x2-6w'])
    expect(list.hidden).toEqual({ count: 0, overdueDays: 251 })

    expect((await setHide(250)).ok).toBe(true) // one day more than the setting: hidden, counted, not deleted
    list = await clinic.ok(desk, 'followUps.worklist', {})
    expect(ids(list.rows)).toEqual([fx.followUps['x1-3m'], fx.followUps['x3-6w'], fx.followUps['x3-3m']])
    expect(list.hidden).toEqual({ count: 1, overdueDays: 250 })
    expect(ids(await clinic.ok(desk, 'followUps.due', {}))).not.toContain(fx.followUps['x2-6w'])
    const row = await clinic.database.db.selectFrom('procedure_follow_ups').select(['status']).where('id', '=', fx.followUps['x2-6w']!).executeTakeFirstOrThrow()
    expect(row.status).toBe('proposed')
    // the count follows the other filters: physician B has none hidden
    expect((await clinic.ok(desk, 'followUps.worklist', { physicianId: fx.physicianB })).hidden.count).toBe(0)

    // out of range: refused naming the setting in words, nothing changed
    const refused = await setHide(29)
    expectError(refused, 'invalid_input', 'settings.followUpHideOverdueAfterDays')
    expect(refused.ok || refused.error.message).toContain(`${fieldName('settings.followUpHideOverdueAfterDays')} must be 30 to 3650 days`)
    expect((await clinic.ok(adminWindow, 'settings.get')).settings.followUpHideOverdueAfterDays).toBe(250)
  })

  it('closes a follow-up with a reason, keeping the row with who, when and why; refusals name the field and change nothing', async () => {
    const f = fx.followUps
    const closed = await clinic.ok(desk, 'followUps.close', { id: f['x1-3m']!, version: 0, reason: 'declined' })
    expect(closed).toMatchObject({ id: f['x1-3m'], status: 'cancelled', reason: 'declined', reasonText: 'Patient declined', closedAt: '2026-11-30T14:00:00.000Z', closedBy: 'frontDesk desk', version: 1 })
    expect(ids((await clinic.ok(desk, 'followUps.worklist', {})).rows)).not.toContain(f['x1-3m'])
    const row = await clinic.database.db.selectFrom('procedure_follow_ups').selectAll().where('id', '=', f['x1-3m']!).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'cancelled', cancel_code: 'declined', cancel_reason: 'Patient declined', cancelled_by: deskId, cancelled_at: '2026-11-30T14:00:00.000Z', version: 1 })
    const audit = await clinic.database.db.selectFrom('audit_log').select(['details', 'user_id', 'patient_id']).where('action', '=', 'followUp.close').execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.user_id).toBe(deskId)
    expect(audit[0]!.patient_id).toBe(fx.patients.p1)
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ label: '3 months', reason: 'declined', reasonText: 'Patient declined' })

    // "other" takes the words typed; a detail after a listed reason is kept with it
    expect(await clinic.ok(doc, 'followUps.close', { id: f['x3-3m']!, version: 0, reason: 'other', otherReason: '  Lives abroad now; “will write”  ' })).toMatchObject({ reasonText: 'Lives abroad now; “will write”' })
    expect(await clinic.ok(desk, 'followUps.close', { id: f['x3-6w']!, version: 0, reason: 'movedAway', otherReason: 'to Tucson' })).toMatchObject({ reasonText: 'Moved away: to Tucson' })

    const before = await allTableCounts(clinic.database)
    const rowsBefore = await clinic.database.db.selectFrom('procedure_follow_ups').selectAll().orderBy('id').execute()
    const refusals: [unknown, string, string, RegExp?][] = [
      [{ id: f['x2-6w'], version: 0, reason: 'other', otherReason: '   ' }, 'invalid_input', 'otherReason'],
      [{ id: f['x2-6w'], version: 0, reason: 'lost' }, 'invalid_input', 'reason'],
      [{ id: f['x2-6w'], version: 0, reason: 'declined', otherReason: 'x'.repeat(501) }, 'invalid_input', 'otherReason'],
      [{ id: f['x1-3m'], version: 1, reason: 'died' }, 'conflict', 'id', /^This 3 months follow-up visit was already closed on 2026-11-30 \(Patient declined\)\. Nothing was changed\.$/],
      [{ id: f['x1-6w'], version: 0, reason: 'declined' }, 'conflict', 'id', /was already seen \(visit of 2026-03-04 recorded\).*Nothing was changed\./],
      [{ id: f['x2-6w'], version: 3, reason: 'declined' }, 'conflict', 'version', /changed since you opened the list.*Nothing was changed\./],
      [{ id: 999_999, version: 0, reason: 'declined' }, 'not_found', 'id'],
    ]
    for (const [input, code, field, message] of refusals) {
      const r = await clinic.call(desk, 'followUps.close', input as never)
      expectError(r, code, field)
      if (message) expect(r.ok || r.error.message).toMatch(message)
    }
    // the words of a missing "other" reason name it as the form does
    const missing = await clinic.call(desk, 'followUps.close', { id: f['x2-6w']!, version: 0, reason: 'other' })
    expect(missing.ok || missing.error.message).toContain('Other reason is required when the reason is Other reason')
    // an administrator works no worklist
    expectError(await clinic.call(await clinic.as('admin'), 'followUps.close', { id: f['x2-6w']!, version: 0, reason: 'declined' }), 'forbidden')
    const after = await allTableCounts(clinic.database)
    expect({ ...after, audit_log: 0, users: 0, sessions: 0 }).toEqual({ ...before, audit_log: 0, users: 0, sessions: 0 })
    expect(await clinic.database.db.selectFrom('procedure_follow_ups').selectAll().orderBy('id').execute()).toEqual(rowsBefore)
    expect(await clinic.database.db.selectFrom('audit_log').select('id').where('action', '=', 'followUp.close').execute()).toHaveLength(3)
  })
  it('refuses to close a follow-up booked on an appointment still to come; once that appointment is cancelled it closes', async () => {
    const f = fx.followUps['x2-6w']!
    await insertAppointmentRow(clinic.database.db, { id: 9001, patientId: fx.patients.p2, providerUsername: 'dra', startsAt: '2026-12-10T15:00:00.000Z' })
    await clinic.database.db.updateTable('procedure_follow_ups').set({ status: 'booked', appointment_id: 9001, version: 1 }).where('id', '=', f).execute()
    const before = await clinic.database.db.selectFrom('procedure_follow_ups').selectAll().where('id', '=', f).executeTakeFirstOrThrow()
    const refused = await clinic.call(desk, 'followUps.close', { id: f, version: 1, reason: 'declined' })
    expectError(refused, 'conflict', 'id')
    expect(refused.ok || refused.error.message).toBe('This 6 weeks follow-up visit is booked (appointment 9001); cancel the appointment first, then close the follow-up. Nothing was changed.')
    expect(await clinic.database.db.selectFrom('procedure_follow_ups').selectAll().where('id', '=', f).executeTakeFirstOrThrow()).toEqual(before)
    await clinic.database.db.updateTable('appointments').set({ status: 'cancelled' }).where('id', '=', 9001).execute()
    expect(await clinic.ok(desk, 'followUps.close', { id: f, version: 1, reason: 'seenElsewhere', otherReason: 'by her GP' })).toMatchObject({ reasonText: 'Seen elsewhere: by her GP', version: 2 })
  })
})

describe('admin settings set followUpHideOverdueAfterDays', () => {
  let clinic: Clinic | undefined
  afterEach(async () => clinic?.close())

  it('sets the days, refuses one out of range naming it, and the list follows', async () => {
    clinic = await openClinic()
    await clinic.as('admin')
    const file = join(clinic.dir, 'clinic.sqlite')
    const set = await admin(['settings', 'set', 'followUpHideOverdueAfterDays', '400', '--db', file])
    expect(set).toMatchObject({ code: 0, out: 'followUpHideOverdueAfterDays: 365 -> 400\n' })
    const refused = await admin(['settings', 'set', 'followUpHideOverdueAfterDays', '5000', '--db', file])
    expect(refused.code).toBe(2)
    expect(refused.err).toMatch(/^followUpHideOverdueAfterDays must be 30 to 3650 days\. Nothing was changed\./)
    const desk = await clinic.as('frontDesk')
    expect((await clinic.ok(desk, 'followUps.worklist', {})).hidden.overdueDays).toBe(400)
  })
})

describe('the synthetic clinic (admin seed)', () => {
  it('closes its long-missed follow-ups with a reason, by the front desk, audited: none is left months overdue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clinic-fu-seed-'))
    const database = openDatabase({ engine: 'sqlite', file: join(dir, 'seed.sqlite') })
    try {
      await migrateToLatest(database)
      await seedClinic(database, { patients: 150, seed: 7, today: '2026-11-29' })
      const s = database.sqlite!
      const one = (q: string) => (s.prepare(q).get() as { n: number }).n
      // open and unseen, more than 60 days past: none (the seed closes those)
      expect(one(`SELECT count(*) AS n FROM procedure_follow_ups f WHERE status = 'proposed' AND target_date < '2026-09-30'`)).toBe(0)
      const closed = s.prepare(`SELECT f.cancel_code, f.cancel_reason, f.cancelled_by, u.role FROM procedure_follow_ups f JOIN users u ON u.id = f.cancelled_by WHERE f.cancel_code IS NOT NULL`).all() as { cancel_code: string; cancel_reason: string; role: string }[]
      expect(closed.length).toBeGreaterThan(10)
      expect(new Set(closed.map((c) => c.role))).toEqual(new Set(['frontDesk']))
      expect(new Set(closed.map((c) => c.cancel_code))).toEqual(new Set(['other', 'declined', 'seenElsewhere', 'movedAway']))
      expect(closed.every((c) => c.cancel_reason.length > 0)).toBe(true)
      expect(one(`SELECT count(*) AS n FROM audit_log WHERE action = 'followUp.close'`)).toBe(closed.length)
    } finally {
      await database.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
