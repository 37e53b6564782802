/**
 * Referrers and referrals (issue 19 points 1 and 2) through the router on a real database, both engines: the
 * directory found as patients are (accents, case, phone), the duplicate warning and the confirmed add, refusals
 * naming the field with nothing changed, a referral recorded, triaged, booked from the worklist (linked, off the
 * list), the worklist's order (urgency, then age) with the days waited, the audit rows, the managers' figures,
 * and the upgrade's free-text migration (matched, kept as text, the unmatched list).
 */
import { Migrator, type Kysely, type MigrationProvider } from 'kysely'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { parse } from 'csv-parse/sync'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeOutcomesCsv } from '../../electron/services/outcomes/outcomesCsv'
import type { ChannelInput } from '../../shared/contract'
import '../../electron/services/referralTables'
import { unmatchableReason } from '../../shared/schemas/referrals'
import { openDatabase } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { createRouter } from '../../electron/rpc'
import { MIGRATIONS, type Engine } from '../../migrations'
import { MIGRATION_SEEDS } from '../fixtures/migrationSeeds'
import { describeEachEngine, expectError, newWindow, openTestDatabase } from './harness'
import { allCounts, local, openScheduleClinic, type ScheduleClinic } from './scheduleFixture'

let c: ScheduleClinic

/** Row counts of every table, these two included: "nothing changed" means these are equal. */
async function counts() {
  const out = await allCounts(c.database)
  for (const t of ['referrers', 'referrals'] as const) out[t] = Number((await c.database.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  return out
}

const DURAND: ChannelInput<'referrers.add'> = {
  name: 'Dr. Amélie Durand',
  specialty: 'Orthopaedics',
  practice: "St. Mary's Clinic",
  address: '1 Main Street',
  phone: '(555) 418-7720',
  fax: '(555) 418-7721',
  email: 'a.durand@example.org',
  letterDelivery: 'fax',
}

describe('the free-text rule', () => {
  it('matches a text naming one clinician by first and last name; not an empty, several, or vague one', () => {
    expect(unmatchableReason('Dr. Amélie Durand')).toBeNull()
    expect(unmatchableReason("O'Brien-Núñez, Zoë")).toBeNull()
    expect(unmatchableReason('Dr.')).toBe('empty')
    expect(unmatchableReason(' - ')).toBe('empty')
    expect(unmatchableReason('Dr Lee / Dr Park')).toBe('several')
    expect(unmatchableReason('Lee and Park')).toBe('several')
    expect(unmatchableReason('Dr Lee')).toBe('vague')
    expect(unmatchableReason('self')).toBe('vague')
    expect(unmatchableReason('GP')).toBe('vague')
    expect(unmatchableReason('Dr Smith?')).toBe('vague')
  })
})

describeEachEngine('referrers and referrals on %s', (engine) => {
  beforeEach(async () => {
    c = await openScheduleClinic(engine)
  })
  afterEach(async () => c?.close())

  const referral = (over: Partial<ChannelInput<'referrals.add'>> = {}): ChannelInput<'referrals.add'> => ({
    patientId: c.patients[0]!,
    receivedOn: '2026-11-20',
    referrerId: null,
    referrerText: 'Dr. Okafor',
    reason: 'L1 fracture after a fall, severe pain',
    ...over,
  })

  /** The referral's consultation booked from it on 30 November at 10:00, and the patient arrived (seen). */
  async function bookedAndSeen(patientId: number, r: { id: number; version: number }) {
    const booked = await c.ok(c.desk, 'schedule.appointments.bookAndLink', {
      patientId,
      typeId: c.type('new-consultation').id,
      providerId: c.drAId,
      startsAt: local('2026-11-30', '10:00'),
      link: { kind: 'referral', id: r.id, version: r.version },
    })
    const appt = booked.appointments[0]!
    await c.ok(c.desk, 'schedule.appointments.setStatus', { id: appt.id, version: appt.version, status: 'arrived' })
  }

  it('finds referrers as the patient search does: any case, any accents, by practice and by phone', async () => {
    const durand = await c.ok(c.desk, 'referrers.add', DURAND)
    const park = await c.ok(c.drA, 'referrers.add', { name: 'Dr. Hye-jin Park', practice: 'Riverside Family Practice', phone: '555-010-9000', specialty: 'General practice' })
    const names = async (q: string) => (await c.ok(c.manager, 'referrers.search', { q })).map((r) => r.name)
    expect(await names('amelie')).toEqual([durand.name])
    expect(await names('DURAND')).toEqual([durand.name])
    expect(await names('Amélie durand')).toEqual([durand.name])
    expect(await names('st marys')).toEqual([durand.name])
    expect(await names("st. mary's")).toEqual([durand.name])
    expect(await names('riverside')).toEqual([park.name])
    expect(await names('hyejin')).toEqual([])
    expect(await names('hye jin')).toEqual([park.name])
    // by phone as typed, by its digits, and by the fax
    expect(await names('(555) 418-7720')).toEqual([durand.name])
    expect(await names('4187720')).toEqual([durand.name])
    expect(await names('418 7721')).toEqual([durand.name])
    expect(await names('0109000')).toEqual([park.name])
    expect(await names('')).toEqual([durand.name, park.name])
    expect(await names('nobody')).toEqual([])
    // an inactive referrer is found only when asked for
    await c.ok(c.desk, 'referrers.update', { ...DURAND, id: durand.id, version: durand.version, active: false })
    expect(await names('durand')).toEqual([])
    expect((await c.ok(c.desk, 'referrers.search', { q: 'durand', includeInactive: true })).map((r) => [r.name, r.active])).toEqual([[durand.name, false]])
  })

  it('warns of a duplicate when adding and adds it only when confirmed; the main process checks again', async () => {
    const durand = await c.ok(c.desk, 'referrers.add', DURAND)
    // the same name and practice, spelt otherwise
    const dupes = await c.ok(c.desk, 'referrers.duplicates', { name: 'amelie DURAND, MD', practice: 'St Marys clinic' })
    expect(dupes.map((d) => [d.referrer.id, d.why])).toEqual([[durand.id, ['nameAndPractice']]])
    // the same phone under another name
    expect((await c.ok(c.desk, 'referrers.duplicates', { name: 'Someone Else', phone: '555.418.7720' })).map((d) => d.why)).toEqual([['phone']])
    expect((await c.ok(c.desk, 'referrers.duplicates', { name: 'Someone Else', email: 'A.Durand@example.org' })).map((d) => d.why)).toEqual([['email']])
    // the same name at another practice is another person
    expect(await c.ok(c.desk, 'referrers.duplicates', { name: 'Amélie Durand', practice: 'Hôpital Nord' })).toEqual([])

    const before = await counts()
    const refused = await c.call(c.desk, 'referrers.add', { ...DURAND, name: 'Amelie Durand', phone: '', fax: '', email: '' })
    expectError(refused, 'conflict', 'confirmDuplicate')
    expect(refused.ok ? '' : refused.error.message).toContain('Dr. Amélie Durand')
    expect(refused.ok ? null : (refused.error.detail as { duplicates: { referrer: { id: number } }[] }).duplicates.map((d) => d.referrer.id)).toEqual([durand.id])
    expect(await counts()).toEqual(before)

    const second = await c.ok(c.desk, 'referrers.add', { ...DURAND, name: 'Amelie Durand', phone: '', fax: '', email: '', confirmDuplicate: true })
    expect(second.id).not.toBe(durand.id)
    const audit = await c.database.db.selectFrom('audit_log').select(['action', 'details']).where('entity', '=', 'referrer').orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['referrer.create', 'referrer.create'])
    expect(JSON.parse(audit[1]!.details)).toMatchObject({ confirmedDuplicateOf: [durand.id] })
  })

  it('refuses bad input naming the field, with nothing changed; managers read but do not write', async () => {
    const durand = await c.ok(c.desk, 'referrers.add', DURAND)
    const before = await counts()
    expectError(await c.call(c.desk, 'referrers.add', { ...DURAND, name: '  ' }), 'invalid_input', 'name')
    expectError(await c.call(c.desk, 'referrers.add', { ...DURAND, email: 'not an address' }), 'invalid_input', 'email')
    expectError(await c.call(c.desk, 'referrers.add', { ...DURAND, phone: 'call me' }), 'invalid_input', 'phone')
    expectError(await c.call(c.desk, 'referrers.add', { ...DURAND, letterDelivery: 'pigeon' as 'post' }), 'invalid_input', 'letterDelivery')
    expectError(await c.call(c.desk, 'referrals.add', referral({ reason: '' })), 'invalid_input', 'reason')
    expectError(await c.call(c.desk, 'referrals.add', referral({ referrerText: '' })), 'invalid_input', 'referrerId')
    expectError(await c.call(c.desk, 'referrals.add', referral({ referrerId: 9999 })), 'invalid_input', 'referrerId')
    expectError(await c.call(c.desk, 'referrals.add', referral({ receivedOn: '2026-12-24' })), 'invalid_input', 'receivedOn')
    expectError(await c.call(c.desk, 'referrals.add', referral({ receivedOn: '2026-02-30' })), 'invalid_input', 'receivedOn')
    expectError(await c.call(c.desk, 'referrals.add', referral({ patientId: 9999 })), 'invalid_input', 'patientId')
    expect(await counts()).toEqual(before)
    // managers read; they do not write (the refusal is audited: access.denied)
    expectError(await c.call(c.manager, 'referrers.add', { ...DURAND, name: 'Another One' }), 'forbidden')
    expectError(await c.call(c.manager, 'referrals.add', referral()), 'forbidden')
    expect((await counts()).referrers).toBe(before.referrers)
    // a stale edit
    await c.ok(c.desk, 'referrers.update', { ...DURAND, id: durand.id, version: 0, specialty: 'Spine surgery' })
    const after = await counts()
    expectError(await c.call(c.drA, 'referrers.update', { ...DURAND, id: durand.id, version: 0, specialty: 'Neurosurgery' }), 'conflict', 'version')
    expect((await c.ok(c.desk, 'referrers.get', { id: durand.id })).specialty).toBe('Spine surgery')
    expect(await counts()).toEqual(after)
  })

  it('records, triages and books a referral from the worklist: linked both ways, off the list, audited', async () => {
    const durand = await c.ok(c.desk, 'referrers.add', DURAND)
    const added = await c.ok(c.desk, 'referrals.add', referral({ referrerId: durand.id, referrerText: '' }))
    expect(added).toMatchObject({ status: 'open', urgency: 'untriaged', referrerName: "Dr. Amélie Durand, St. Mary's Clinic", daysWaited: 10, triagedBy: null })
    expect((await c.ok(c.manager, 'referrals.worklist', {})).referrals.map((r) => r.id)).toEqual([added.id])

    c.clock.now = new Date(local('2026-11-30', '09:30'))
    const triaged = await c.ok(c.drA, 'referrals.triage', { id: added.id, version: added.version, urgency: 'urgent' })
    expect(triaged).toMatchObject({ urgency: 'urgent', triagedAt: c.clock.now.toISOString(), version: 1 })
    expect(triaged.triagedBy).toMatch(/dra$/)

    const booked = await c.ok(c.desk, 'schedule.appointments.bookAndLink', {
      patientId: c.patients[0]!,
      typeId: c.type('new-consultation').id,
      providerId: c.drAId,
      startsAt: local('2026-12-02', '10:00'),
      link: { kind: 'referral', id: triaged.id, version: triaged.version },
    })
    const appointmentId = booked.appointments[0]!.id
    expect((await c.ok(c.desk, 'referrals.worklist', {})).referrals).toEqual([])
    const mine = (await c.ok(c.desk, 'referrals.forPatient', { patientId: c.patients[0]! })).referrals
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ status: 'booked', appointmentId, appointmentStartsAt: local('2026-12-02', '10:00'), appointmentType: 'New patient consultation', urgency: 'urgent' })
    // booked once: a second booking for it is refused with nothing booked
    const appts = await counts()
    expectError(
      await c.call(c.desk, 'schedule.appointments.bookAndLink', {
        patientId: c.patients[0]!,
        typeId: c.type('new-consultation').id,
        providerId: c.drAId,
        startsAt: local('2026-12-03', '10:00'),
        link: { kind: 'referral', id: triaged.id, version: mine[0]!.version },
      }),
      'conflict',
    )
    expect(await counts()).toEqual(appts)

    const audit = await c.database.db.selectFrom('audit_log').select(['action', 'patient_id']).where('entity', '=', 'referral').orderBy('id').execute()
    expect(audit).toEqual([
      { action: 'referral.create', patient_id: c.patients[0]! },
      { action: 'referral.triage', patient_id: c.patients[0]! },
      { action: 'referral.book', patient_id: c.patients[0]! },
    ])
  })

  it("refuses to link another patient's booking to the referral, booking nothing", async () => {
    const added = await c.ok(c.desk, 'referrals.add', referral())
    const before = await counts()
    const r = await c.call(c.desk, 'schedule.appointments.bookAndLink', {
      patientId: c.patients[1]!,
      typeId: c.type('new-consultation').id,
      providerId: c.drAId,
      startsAt: local('2026-12-02', '11:00'),
      link: { kind: 'referral', id: added.id, version: added.version },
    })
    expectError(r, 'invalid_input')
    expect(r.ok ? {} : r.error.fields).toHaveProperty('patientId')
    expect(r.ok ? '' : r.error.message).toBe('This referral is for another patient. Nothing was booked.')
    expect(await counts()).toEqual(before)
    expect((await c.ok(c.desk, 'referrals.worklist', {})).referrals.map((x) => x.status)).toEqual(['open'])
  })

  it('orders the worklist by urgency (urgent, untriaged, soon, routine) then oldest first, with the days waited; declined ones leave it', async () => {
    const add = async (patient: number, receivedOn: string, urgency?: 'urgent' | 'soon' | 'routine') => {
      const r = await c.ok(c.desk, 'referrals.add', referral({ patientId: c.patients[patient]!, receivedOn, referrerText: `Referrer ${receivedOn}` }))
      return urgency ? c.ok(c.drB, 'referrals.triage', { id: r.id, version: r.version, urgency }) : r
    }
    const routineOld = await add(0, '2026-10-01', 'routine')
    const urgentNew = await add(1, '2026-11-29', 'urgent')
    const untriaged = await add(2, '2026-11-25')
    const soon = await add(3, '2026-11-02', 'soon')
    const urgentOld = await add(0, '2026-11-27', 'urgent')
    const toDecline = await add(1, '2026-09-01')
    await c.ok(c.desk, 'referrals.decline', { id: toDecline.id, version: toDecline.version, reason: 'Not a spine problem: refer to rheumatology' })
    expectError(await c.call(c.desk, 'referrals.decline', { id: urgentNew.id, version: urgentNew.version, reason: ' ' }), 'invalid_input', 'reason')

    const list = await c.ok(c.desk, 'referrals.worklist', {})
    expect(list.today).toBe('2026-11-30')
    expect(list.referrals.map((r) => [r.id, r.urgency, r.daysWaited])).toEqual([
      [urgentOld.id, 'urgent', 3],
      [urgentNew.id, 'urgent', 1],
      [untriaged.id, 'untriaged', 5],
      [soon.id, 'soon', 28],
      [routineOld.id, 'routine', 60],
    ])
    // a declined referral stays on the patient's page, with its reason
    const declined = (await c.ok(c.desk, 'referrals.forPatient', { patientId: c.patients[1]! })).referrals.find((r) => r.id === toDecline.id)
    expect(declined).toMatchObject({ status: 'declined', declineReason: 'Not a spine problem: refer to rheumatology' })
    // it can no longer be triaged or booked
    expectError(await c.call(c.desk, 'referrals.triage', { id: toDecline.id, version: declined!.version, urgency: 'urgent' }), 'conflict', 'id')
    // the clinic's today moves with the clock (in New York: 23:30 on the 30th is still the 30th)
    c.clock.now = new Date(local('2026-11-30', '12:59'))
    expect((await c.ok(c.desk, 'referrals.worklist', {})).referrals[0]).toMatchObject({ id: urgentOld.id, daysWaited: 3 })
  })

  it('gives managers the volumes by referrer and the median days to consultation and to procedure', async () => {
    const durand = await c.ok(c.desk, 'referrers.add', DURAND)
    const a = await c.ok(c.desk, 'referrals.add', referral({ referrerId: durand.id, referrerText: '', receivedOn: '2026-11-20' }))
    await c.ok(c.desk, 'referrals.add', referral({ patientId: c.patients[1]!, referrerId: durand.id, referrerText: '', receivedOn: '2026-11-24' }))
    await c.ok(c.desk, 'referrals.add', referral({ patientId: c.patients[2]!, receivedOn: '2025-06-01' }))
    await c.ok(c.desk, 'referrals.add', referral({ patientId: c.patients[3]!, receivedOn: '2026-11-25' }))
    await bookedAndSeen(c.patients[0]!, a)
    const stats = await c.ok(c.manager, 'referrals.stats', {})
    expect(stats).toMatchObject({ to: '2026-11-30', total: 3, medianDaysToConsultation: 10, consultations: 1, medianDaysToProcedure: null, procedures: 0 })
    expect(stats.byReferrer).toEqual([
      { referrerId: durand.id, name: "Dr. Amélie Durand, St. Mary's Clinic", count: 2 },
      { referrerId: null, name: 'Dr. Okafor (not in the directory)', count: 1 },
    ])
    expectError(await c.call(c.desk, 'referrals.stats', {}), 'forbidden')
  })

  it('puts each procedure\'s referral in the outcome CSV: when, from whom, days to the consultation seen and to the procedure', async () => {
    const durand = await c.ok(c.desk, 'referrers.add', DURAND)
    const a = await c.ok(c.desk, 'referrals.add', referral({ referrerId: durand.id, referrerText: '', receivedOn: '2026-11-20' }))
    // of two referrals before the procedure, the later one brought the patient to it
    await c.ok(c.desk, 'referrals.add', referral({ patientId: c.patients[1]!, receivedOn: '2026-11-02' }))
    await c.ok(c.desk, 'referrals.add', referral({ patientId: c.patients[1]!, receivedOn: '2026-11-10' }))
    await bookedAndSeen(c.patients[0]!, a)
    // procedures on the 30th: patient 0 (referred and seen), 1 (referred as text, never booked), 2 (no referral)
    for (const patientId of c.patients.slice(0, 3)) await c.ok(c.drA, 'procedures.open', { patientId, kind: 'vertebroplasty', procedureDate: '2026-11-30' })
    const csv = async (deidentify: boolean) => {
      const out = new PassThrough()
      const chunks: Buffer[] = []
      out.on('data', (d: Buffer) => chunks.push(d))
      const filter = { from: '2026-11-01', to: '2026-11-30', physicianId: null, kind: null }
      await writeOutcomesCsv(c.database, filter, [], out, { deidentify, pseudonym: (id) => `P${id}`, exportDate: '2026-11-30' })
      out.end()
      const rows = parse(Buffer.concat(chunks).toString('utf8'), { columns: true }) as Record<string, string>[]
      return rows.map((r) => [r.referral_date ?? r.referral_day, r.referrer, r.days_referral_to_consultation, r.days_referral_to_procedure])
    }
    expect(await csv(false)).toEqual([
      ['2026-11-20', "Dr. Amélie Durand, St. Mary's Clinic", '10', '10'],
      ['2026-11-10', 'Dr. Okafor (not in the directory)', '', '20'],
      ['', '', '', ''],
    ])
    // de-identified: the date as days before the procedure, no free text
    expect(await csv(true)).toEqual([
      ['-10', "Dr. Amélie Durand, St. Mary's Clinic", '10', '10'],
      ['-20', '', '', '20'],
      ['', '', '', ''],
    ])
  })
})

function provider(engine: Engine): MigrationProvider {
  return { getMigrations: async () => Object.fromEntries(Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<any>) => m.up(db, engine) }])) }
}

describeEachEngine('the upgrade to referrers on %s', (engine) => {
  const dirs: string[] = []
  const drops: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const drop of drops.splice(0)) await drop()
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('makes one referrer per unambiguous text, links those referrals, keeps every text, and lists the rest as not matched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clinic-ref-'))
    dirs.push(dir)
    const testDb = await openTestDatabase(engine, dir)
    drops.push(testDb.drop)
    const database = openDatabase(testDb.target)
    try {
      const migrator = new Migrator({ db: database.db, provider: provider(engine) })
      const names = Object.keys(MIGRATIONS).sort()
      for (const step of names.slice(0, names.indexOf('0029_referrers_and_referrals'))) {
        const r = await migrator.migrateTo(step)
        if (r.error) throw r.error
        await MIGRATION_SEEDS[step]?.seed(database.db, engine)
      }
      const db = database.db as unknown as Kysely<any>
      // patient 1's values for the others (not the id, nor PostgreSQL's generated search column)
      const { id: _id, search_words: _words, ...p1 } = await db.selectFrom('patients').selectAll().where('id', '=', 1).executeTakeFirstOrThrow()
      const texts = ['Dr. Amélie Durand', 'amelie durand', 'AMÉLIE DURAND, MD', 'Dr Lee / Dr Park', 'Dr Lee', 'self', '   ', 'Hans Müller']
      const ids: number[] = []
      for (const [i, text] of texts.entries()) {
        const row = await db
          .insertInto('patients')
          .values({ ...p1, mrn: `SD-1000${i}`, last_name: `Referred${i}`, name_key: `referred${i}|x`, referring_physician: text })
          .returning('id')
          .executeTakeFirstOrThrow()
        ids.push(row.id as number)
      }
      await migrateToLatest(database)

      const referrers = await db.selectFrom('referrers').select(['id', 'name', 'created_by']).orderBy('id').execute()
      expect(referrers.map((r) => r.name)).toEqual(['Dr. Amélie Durand', 'Hans Müller'])
      expect(referrers.every((r) => r.created_by === null)).toBe(true)
      const referrals = await db.selectFrom('referrals').select(['patient_id', 'referrer_id', 'referrer_text', 'status', 'source']).where('patient_id', 'in', ids).orderBy('patient_id').execute()
      // every text but the blank one is kept, word for word
      expect(referrals.map((r) => r.referrer_text)).toEqual(texts.filter((t) => t.trim() !== ''))
      expect(referrals.map((r) => r.referrer_id)).toEqual([referrers[0]!.id, referrers[0]!.id, referrers[0]!.id, null, null, null, referrers[1]!.id])
      expect(new Set(referrals.map((r) => `${r.status}/${r.source}`))).toEqual(new Set(['closed/migrated']))
      // the patients' own field is left as it was
      expect((await db.selectFrom('patients').select('referring_physician').where('id', '=', ids[1]!).executeTakeFirstOrThrow()).referring_physician).toBe('amelie durand')

      const router = createRouter({ database, workstation: 'mig-test', log: () => {} })
      const w = newWindow()
      router.sessions.signIn(w, { id: 2, username: 'seed-doc', displayName: 'Doc', role: 'physician' }, Date.now(), { sessionVersion: 0 })
      const unmatched = await router.call(w, 'referrers.unmatched', {})
      expect(unmatched.ok, JSON.stringify(unmatched)).toBe(true)
      const list = (unmatched as { value: { referrerText: string; why: string | null; source: string }[] }).value.filter((u) => u.source === 'migrated')
      expect(list.map((u) => [u.referrerText, u.why])).toEqual([
        ['Dr Lee', 'vague'],
        ['Dr Lee / Dr Park', 'several'],
        ['self', 'vague'],
      ])
      // the migrated referrer is found by the search
      const found = await router.call(w, 'referrers.search', { q: 'durand amelie' })
      expect(found).toMatchObject({ ok: true, value: [{ name: 'Dr. Amélie Durand', referralCount: 3, createdBy: null }] })
      // migrated referrals are history, not today's work
      expect(await router.call(w, 'referrals.worklist', {})).toMatchObject({ ok: true })
    } finally {
      await database.close()
    }
  })
})
