/**
 * The synthetic clinic (`admin seed`): the same seed gives the same clinic, it passes `verify`, and the
 * app's own services read it as they would a real clinic's (a chart, a consultation note, a procedure
 * note, the schedule, the dashboard), on SQLite and, copied with migrate-to-postgres, on PostgreSQL.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { createRouter } from '../../electron/rpc'
import { SEED_PASSWORD, seedClinic, type SeedResult } from '../../electron/seed/seedClinic'
import { STORY_PATIENTS, STORY_PHYSICIAN } from '../../electron/seed/throughServices'
import { verifyDatabase } from '../../electron/services/integrity'
import { admin } from './cliHarness'
import { migrateSqliteToPostgres } from '../../electron/services/migrateToPostgres'
import { itEachEngine, openTestDatabase } from './harness'

const TODAY = '2026-11-29'
const OPTS = { patients: 300, seed: 42, today: TODAY }

let dir: string
const made: { database: AppDatabase; result: SeedResult }[] = []

async function seeded(name: string, seed = OPTS.seed) {
  const database = openDatabase({ engine: 'sqlite', file: join(dir, name) })
  await migrateToLatest(database)
  const result = await seedClinic(database, { ...OPTS, seed })
  made.push({ database, result })
  return { database, result }
}

/** A checksum over the rows a clinic is made of; wall-clock columns and password hashes (random salt) left out. */
function checksum(database: AppDatabase): string {
  const s = database.sqlite!
  const h = createHash('sha256')
  const queries = [
    'SELECT id, mrn, first_name, last_name, date_of_birth, sex, phone, email, address, created_at FROM patients ORDER BY id',
    'SELECT id, patient_id, provider_id, visit_date, pain_nrs, odi_answers, decision, decision_levels FROM consultations ORDER BY id',
    'SELECT id, consultation_id, level, acuity, height_loss_percent FROM consultation_findings ORDER BY id',
    'SELECT id, patient_id, kind, procedure_date, started_at, ended_at FROM procedures ORDER BY id',
    'SELECT procedure_id, level, cement_volume_ml, leakage FROM procedure_levels ORDER BY id',
    'SELECT procedure_id, disposition, reasons FROM stay_decisions ORDER BY id',
    'SELECT follow_up_id, visit_date, pain_nrs, odi_score FROM follow_up_visits ORDER BY id',
    'SELECT id, patient_id, provider_id, starts_at, status FROM appointments ORDER BY id',
    'SELECT record_type, record_id, content_hash FROM signatures ORDER BY id',
    'SELECT at, action, entity_id, hash FROM audit_log ORDER BY id',
  ]
  for (const q of queries) for (const row of s.prepare(q).raw().iterate()) h.update(JSON.stringify(row))
  return h.digest('hex')
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clinic-seed-'))
}, 60_000)
afterAll(async () => {
  for (const m of made) await m.database.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the synthetic clinic', () => {
  it('is the same clinic for the same seed, another for another seed, and passes verify', async () => {
    const a = await seeded('a.sqlite')
    const b = await seeded('b.sqlite')
    const c = await seeded('c.sqlite', 43)
    expect(b.result.counts).toEqual(a.result.counts)
    expect(checksum(b.database)).toBe(checksum(a.database))
    expect(checksum(c.database)).not.toBe(checksum(a.database))

    const counts = a.result.counts
    expect(counts.patients).toBe(300 + STORY_PATIENTS.length)
    // every kind of record is there, in plausible proportions
    expect(counts.consultations).toBeGreaterThan(300)
    expect(counts.procedures).toBeGreaterThan(90)
    expect(counts.procedures).toBeLessThan(210)
    for (const t of ['consultation_findings', 'conservative_care_plans', 'procedure_levels', 'procedure_recoveries', 'observation_checks', 'stay_decisions', 'procedure_follow_ups', 'follow_up_visits', 'signatures', 'audit_log']) {
      expect(counts[t], t).toBeGreaterThan(0)
    }
    // the bulk schedule's, and the few booked through the services
    expect(counts.appointments).toBeGreaterThanOrEqual(3000)
    expect(counts.appointments).toBeLessThan(3050)

    // older and mostly female
    const demo = a.database.sqlite!.prepare(`SELECT avg(sex = 'female') AS female, avg((julianday(?) - julianday(date_of_birth)) / 365.25) AS age FROM patients`).get(TODAY) as { female: number; age: number }
    expect(demo.female).toBeGreaterThan(0.65)
    expect(demo.age).toBeGreaterThan(68)
    expect(demo.age).toBeLessThan(82)

    const report = await verifyDatabase(a.database)
    expect(report.checks.filter((ch) => !ch.ok).map((ch) => ch.summary)).toEqual([])
    expect(report.ok).toBe(true)
  }, 120_000)

  it('holds every kind of record the app makes, made through its services', async () => {
    const { database } = made[0] ?? (await seeded('a.sqlite'))
    const s = database.sqlite!
    const n = (q: string, ...params: unknown[]) => (s.prepare(`SELECT count(*) AS n FROM ${q}`).get(...params) as { n: number }).n
    const kinds: Record<string, number> = {
      // staff of every role, and a former colleague's account kept but deactivated
      ...Object.fromEntries(['admin', 'manager', 'frontDesk', 'physician'].map((r) => [`user ${r}`, n(`users WHERE role = ? AND active = 1`, r)])),
      'user deactivated': n('users WHERE active = 0'),
      'settings: backup time set': n(`settings WHERE key = 'clinic' AND json_extract(value, '$.backupTime') = '19:30'`),
      'room added': n(`rooms WHERE name = 'Consultation room Z'`),
      'closed day': n('closed_days'),
      'patient registration corrected': n('patients WHERE version > 0'),
      'clinical history recorded': n('patients WHERE history_version > 0'),
      // the schedule: every appointment type, past and coming statuses, a series, a move
      ...Object.fromEntries(['booked', 'confirmed', 'completed', 'noshow', 'cancelled'].map((st) => [`appointment ${st}`, n('appointments WHERE status = ?', st)])),
      'appointment series (every two weeks)': n(`appointments a WHERE EXISTS (SELECT 1 FROM appointments b WHERE b.patient_id = a.patient_id AND b.type_id = a.type_id AND julianday(b.starts_at) - julianday(a.starts_at) = 14)`),
      'appointment moved': n(`audit_log WHERE action = 'appointment.move'`),
      // consultations: signed, draft, entered in error, with addenda, opened from their appointment, with findings and RMDQ
      'consultation signed': n(`signatures WHERE record_type = 'consultation'`),
      'consultation draft': n(`consultations c WHERE NOT EXISTS (SELECT 1 FROM signatures g WHERE g.record_type = 'consultation' AND g.record_id = c.id)`),
      'consultation entered in error': n(`entered_in_error WHERE record_type = 'consultation'`),
      'consultation addendum': n(`addenda WHERE record_type = 'consultation'`),
      'consultation from its appointment': n('consultations WHERE appointment_id IS NOT NULL'),
      'imaging finding': n('consultation_findings'),
      'RMDQ answered': n('consultations WHERE rmdq_answers IS NOT NULL'),
      // candidacy and conservative care: each decision, plans improved, failed and open, a reassessment booked
      ...Object.fromEntries(['vertebroplasty', 'kyphoplasty', 'continueConservative', 'refer', 'notCandidate'].map((d) => [`decision ${d}`, n('consultations WHERE decision = ?', d)])),
      'care plan improved': n(`conservative_care_plans WHERE outcome = 'improved'`),
      'care plan failed, from the reassessment note': n(`conservative_care_plans WHERE outcome = 'failed' AND outcome_consultation_id IS NOT NULL`),
      'care plan reassessment booked': n('conservative_care_plans WHERE reassessment_appointment_id IS NOT NULL'),
      'procedure request open': n(`procedure_requests WHERE status = 'open'`),
      'procedure request booked on an appointment': n(`procedure_requests WHERE status = 'booked' AND appointment_id IS NOT NULL`),
      // the procedure day
      'procedure signed': n(`signatures WHERE record_type = 'procedure'`),
      'procedure addendum': n(`addenda WHERE record_type = 'procedure'`),
      'procedure from its appointment': n('procedures WHERE appointment_id IS NOT NULL'),
      'procedure level': n('procedure_levels'),
      'recovery': n('procedure_recoveries'),
      'observation check': n('observation_checks WHERE error_at IS NULL'),
      'observation check entered in error': n('observation_checks WHERE error_at IS NOT NULL'),
      'same-day discharge': n(`stay_decisions WHERE disposition = 'sameDay'`),
      'overnight stay': n(`stay_decisions WHERE disposition = 'overnight'`),
      // discharge summaries: signed with the stored PDF, draft, with an addendum, entered in error
      'discharge summary signed with its PDF': n(`discharge_summaries d JOIN discharge_pdfs f ON f.summary_id = d.id JOIN signatures g ON g.record_type = 'dischargeSummary' AND g.record_id = d.id`),
      'discharge summary draft': n(`discharge_summaries d WHERE NOT EXISTS (SELECT 1 FROM signatures g WHERE g.record_type = 'dischargeSummary' AND g.record_id = d.id)`),
      'discharge summary addendum': n(`addenda WHERE record_type = 'dischargeSummary'`),
      'discharge summary entered in error': n(`entered_in_error WHERE record_type = 'dischargeSummary'`),
      // follow-ups: proposed, booked on an appointment, cancelled; visits with pain and ODI, one entered in error
      'follow-up proposed': n(`procedure_follow_ups WHERE status = 'proposed'`),
      'follow-up booked on an appointment': n(`procedure_follow_ups WHERE status = 'booked' AND appointment_id IS NOT NULL`),
      'follow-up cancelled': n(`procedure_follow_ups WHERE status = 'cancelled'`),
      'follow-up visit with pain and ODI': n('follow_up_visits WHERE pain_nrs IS NOT NULL AND odi_score IS NOT NULL AND error_at IS NULL'),
      'follow-up visit entered in error': n('follow_up_visits WHERE error_at IS NOT NULL'),
    }
    expect(Object.entries(kinds).filter(([, count]) => count === 0).map(([k]) => k)).toEqual([])
    expect(s.prepare('SELECT name FROM appointment_types t WHERE active = 1 AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.type_id = t.id)').all()).toEqual([])

    // the patients followed through the services, named as registered, and their physician
    const names = s.prepare(`SELECT first_name || ' ' || last_name AS name FROM patients`).all() as { name: string }[]
    for (const p of STORY_PATIENTS) expect(names.map((x) => x.name)).toContain(`${p.firstName} ${p.lastName}`)
    expect(n('users WHERE display_name = ?', STORY_PHYSICIAN.displayName)).toBe(1)
    // made through the services: each of those records has its audit row, by the user who made it
    for (const action of ['dischargeSummary.sign', 'dischargeSummary.pdfStored', 'followUpVisit.enteredInError', 'care.outcome', 'settings.update', 'closedDay.add', 'user.update']) {
      expect(n('audit_log WHERE action = ?', action), action).toBeGreaterThan(0)
    }
  })

  it.skipIf(spawnSync('pdftotext', ['-v']).status !== 0)('gives `admin export discharges` readable PDFs, names in every script', async () => {
    const file = join(dir, 'export.sqlite')
    const database = openDatabase({ engine: 'sqlite', file })
    await migrateToLatest(database)
    await seedClinic(database, { ...OPTS, patients: 120, appointments: 600 })
    const summaries = database.sqlite!.prepare(`SELECT d.id, p.first_name || ' ' || p.last_name AS name, g.record_id IS NOT NULL AS signed
      FROM discharge_summaries d JOIN patients p ON p.id = d.patient_id LEFT JOIN signatures g ON g.record_type = 'dischargeSummary' AND g.record_id = d.id
      WHERE d.id NOT IN (SELECT record_id FROM entered_in_error WHERE record_type = 'dischargeSummary')`).all() as { id: number; name: string; signed: number }[]
    await database.close()
    expect(summaries.filter((x) => x.signed).length).toBeGreaterThanOrEqual(2)

    const out = join(dir, 'discharges')
    const r = await admin(['export', 'discharges', '--db', file, '--from', '2006-01-01', '--to', TODAY, '--out', out])
    expect(r.code, r.err).toBe(0)
    const files = readdirSync(out).filter((f) => f.endsWith('.pdf'))
    expect(files.length).toBe(summaries.length)
    const text = files.map((f) => execFileSync('pdftotext', ['-layout', join(out, f), '-'], { encoding: 'utf8' })).join('\n')
    for (const x of summaries) expect(text).toContain(`Patient: ${x.name}`)
    // Łukasz Wiśniewski, Дмитрий Иванов and 王伟 had procedures (Nguyễn Thị Mai's is still to be booked)
    for (const p of [STORY_PATIENTS[0], STORY_PATIENTS[2], STORY_PATIENTS[3]]) expect(text).toContain(`Patient: ${p.firstName} ${p.lastName}`)
    expect(text).toContain(`Electronically signed by ${STORY_PHYSICIAN.displayName}`)
  }, 120_000)

  itEachEngine('is read by the app as a real clinic (%s)', async (engine) => {
    const source = made[0] ?? (await seeded('a.sqlite'))
    let database = source.database
    let drop = async () => {}
    if (engine === 'postgres') {
      // A procedure note entered in error, with its levels: the copy must bring both (its lock comes last).
      const s = source.database.sqlite!
      const x = s.prepare(`SELECT p.id, p.patient_id FROM procedures p WHERE EXISTS (SELECT 1 FROM procedure_levels l WHERE l.procedure_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM entered_in_error e WHERE e.record_type = 'procedure' AND e.record_id = p.id) ORDER BY p.id DESC LIMIT 1`).get() as { id: number; patient_id: number }
      s.prepare(`INSERT INTO entered_in_error (record_type, record_id, patient_id, marked_by, marker_name, marked_at, reason) VALUES ('procedure', ?, ?, 1, 'Test', ?, 'wrong patient')`).run(x.id, x.patient_id, `${TODAY}T12:00:00.000Z`)
      const pg = await openTestDatabase('postgres', dir)
      database = openDatabase(pg.target)
      await migrateSqliteToPostgres(source.database, database, { userId: null, username: 'test', workstation: 'test' }, new Date(`${TODAY}T20:00:00Z`))
      drop = async () => {
        await database.close()
        await pg.drop()
      }
    }
    try {
      const router = createRouter({ database, now: () => new Date(`${TODAY}T15:00:00Z`), workstation: 'test', log: () => {} })
      const ok = async (w: string, ch: string, input: unknown) => {
        const r = await router.call(w, ch, input)
        if (!r.ok) throw new Error(`${ch}: ${r.error.code} ${r.error.message}`)
        return r.value as any
      }
      await ok('dr', 'session.signIn', { username: 'dr1', password: SEED_PASSWORD })
      await ok('mgr', 'session.signIn', { username: 'manager', password: SEED_PASSWORD })
      await ok('desk', 'session.signIn', { username: 'desk1', password: SEED_PASSWORD })

      // a patient who had a procedure: the chart shows the consultation and the procedure request
      const s = source.database.sqlite!
      const p = s.prepare(`SELECT patient_id AS id FROM follow_up_visits ORDER BY id LIMIT 1`).get() as { id: number }
      const chart = await ok('dr', 'chart.get', { patientId: p.id })
      const kinds = new Set(chart.timeline.map((t: { kind: string }) => t.kind))
      expect(kinds).toContain('consultation')
      expect(kinds).toContain('procedureRequest')
      expect(chart.spine.length).toBeGreaterThan(0)

      // its notes open as signed, with their signatures valid
      const note = s.prepare(`SELECT c.id FROM consultations c JOIN signatures g ON g.record_type = 'consultation' AND g.record_id = c.id WHERE c.patient_id = ? LIMIT 1`).get(p.id) as { id: number }
      expect((await ok('dr', 'consultations.get', { id: note.id })).signing).toMatchObject({ status: 'signed', signature: { valid: true } })
      const proc = s.prepare(`SELECT p.id FROM procedures p JOIN signatures g ON g.record_type = 'procedure' AND g.record_id = p.id WHERE p.patient_id = ? LIMIT 1`).get(p.id) as { id: number }
      expect((await ok('dr', 'procedures.get', { id: proc.id })).signing).toMatchObject({ status: 'signed', signature: { valid: true } })
      const outcomes = await ok('dr', 'outcomes.patient', { patientId: p.id })
      expect(outcomes.points.length).toBeGreaterThan(1)

      // the dashboard over twenty years: procedures, same-day discharges, score changes, follow-up completion
      const dash = await ok('mgr', 'outcomes.dashboard', { from: '2006-01-01', to: TODAY })
      expect(dash.procedures).toBeGreaterThan(90)
      expect(dash.sameDay.rate).toBeGreaterThan(0.6)
      expect(dash.sameDay.rate).toBeLessThan(1)
      const threeMonths = dash.changes.find((c: { label: string }) => c.label === '3 months')
      expect(threeMonths.pain.n).toBeGreaterThan(10)
      expect(threeMonths.pain.meanChange).toBeLessThan(-2) // pain falls after augmentation
      expect(dash.followUpCompletion.rate).toBeGreaterThan(0.5)

      // the front desk's day: the schedule has appointments today, and patients are found by name
      const day = await ok('desk', 'schedule.view', { from: TODAY.slice(0, 8) + '30', days: 1 })
      expect(day.appointments.length).toBeGreaterThan(10)
      const anyone = s.prepare('SELECT last_name FROM patients ORDER BY id LIMIT 1').get() as { last_name: string }
      expect((await ok('desk', 'patients.search', { q: anyone.last_name, limit: 50 })).length).toBeGreaterThan(0)
    } finally {
      await drop()
    }
  }, 180_000)
})
