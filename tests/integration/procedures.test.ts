import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelInput } from '../../shared/contract'
import { DISCHARGE_READINESS_ITEMS } from '../../shared/clinical/observation'
import type { ProcedureView } from '../../shared/schemas/procedures'
import { renderDischargePdf, verifyDischargePdf } from '../../electron/services/procedures/discharge'
import { makeDischargePdf } from '../../electron/services/procedures/pdf'
import { describeEachEngine, openClinic, PASSWORD, SAMPLE_PATIENT, tableCounts, type Clinic, expectError } from './harness'
import { insertAppointmentRow } from './scheduleFixture'

type SaveInput = ChannelInput<'procedures.save'>
type LevelInput = SaveInput['levels'][number]

const PROCEDURE_TABLES = [
  'procedures',
  'procedure_levels',
  'procedure_recoveries',
  'observation_checks',
  'stay_decisions',
  'discharge_summaries',
  'discharge_pdfs',
  'procedure_follow_ups',
  'signatures',
  'addenda',
  'entered_in_error',
] as const

const T12: LevelInput = {
  level: 'T12',
  approach: 'bipedicular',
  needleGauge: 11,
  balloonVolumeMl: 3.2,
  balloonPressurePsi: 220,
  cementType: 'PMMA (Kyphon HV-R)',
  cementVolumeMl: 4.5,
  heightBefore: { anterior: 14, middle: 12, posterior: 24 },
  heightAfter: { anterior: 18.5, middle: 16, posterior: 24.5 },
  leakage: ['venous'],
  leakageSymptomatic: false,
}
const L1: LevelInput = {
  level: 'L1',
  approach: 'unipedicular',
  needleGauge: 11,
  balloonVolumeMl: 2.8,
  balloonPressurePsi: 180,
  cementType: 'PMMA (Kyphon HV-R)',
  cementVolumeMl: 3.75,
  leakage: ['none'],
}

const FIELDS = {
  kind: 'kyphoplasty' as const,
  procedureDate: '2026-11-30',
  anaesthesia: 'moderateSedation' as const,
  fluoroscopySeconds: 142,
  doseAirKermaMgy: 95.5,
  doseDapMgyCm2: 2100,
  startedAt: '2026-11-30T12:30:00Z',
  endedAt: '2026-11-30T13:05:00Z',
  intraComplications: ['hypotension' as const],
  intraComplicationsNote: 'Transient, responded to fluids',
  narrative: 'Uneventful bilateral transpedicular kyphoplasty.',
  diagnoses: [{ code: 'm8008xa', description: 'Age-related osteoporosis with current pathological fracture, vertebra' }],
}

describeEachEngine('procedure day on %s', (engine) => {
  let clinic: Clinic
  let doc: string
  let desk: string
  let manager: string
  let patientId: number

  beforeEach(async () => {
    clinic = await openClinic({ engine })
    doc = await clinic.as('physician', 'drbones')
    desk = await clinic.as('frontDesk', 'desk')
    manager = await clinic.as('manager', 'boss')
    patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
    // Real appointments (the schedule's table) for the ids these tests open and book against.
    for (const [id, startsAt] of [[77, '2026-11-30T15:00:00.000Z'], [501, '2026-12-14T15:00:00.000Z'], [502, '2026-12-15T15:00:00.000Z'], [9, '2026-12-16T15:00:00.000Z']] as const) {
      await insertAppointmentRow(clinic.database.db, { id, patientId, providerUsername: 'drbones', startsAt })
    }
  })
  afterEach(async () => clinic?.close())

  async function snapshot() {
    const counts: Record<string, number> = { ...(await tableCounts(clinic.database)) }
    for (const t of PROCEDURE_TABLES) {
      const r = await clinic.database.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      counts[t] = Number(r.n)
    }
    return {
      counts,
      procedures: await clinic.database.db.selectFrom('procedures').selectAll().orderBy('id').execute(),
      levels: await clinic.database.db.selectFrom('procedure_levels').selectAll().orderBy('id').execute(),
      recoveries: await clinic.database.db.selectFrom('procedure_recoveries').selectAll().orderBy('id').execute(),
      stays: await clinic.database.db.selectFrom('stay_decisions').selectAll().orderBy('id').execute(),
    }
  }

  /** A signed consultation deciding kyphoplasty at T12 and L1: a procedure request. */
  async function requestKyphoplasty(): Promise<number> {
    let n = await clinic.ok(doc, 'consultations.open', { patientId })
    n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'kyphoplasty', levels: ['T12', 'L1'], reason: 'Failed conservative care' } })
    await clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
    const [req] = await clinic.ok(desk, 'procedureRequests.list', {})
    return req!.id
  }

  async function completeNote(): Promise<ProcedureView> {
    await requestKyphoplasty()
    const p = await clinic.ok(doc, 'procedures.open', { patientId })
    return clinic.ok(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [T12, L1] })
  }

  async function signedNote(): Promise<ProcedureView> {
    const p = await completeNote()
    return clinic.ok(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
  }

  describe('the procedure note', () => {
    it('opens for the candidacy’s procedure request with its kind, and again from the same appointment', async () => {
      const requestId = await requestKyphoplasty()
      const p = await clinic.ok(doc, 'procedures.open', { patientId, appointmentId: 77 })
      expect(p).toMatchObject({
        appointmentId: 77,
        procedureRequest: { id: requestId, kind: 'kyphoplasty', levels: ['T12', 'L1'] },
        providerName: 'physician drbones',
        fields: { kind: 'kyphoplasty', procedureDate: '2026-11-30', position: 'prone', imagingGuidance: 'fluoroscopy' },
        signing: { status: 'draft' },
        levels: [],
      })
      expect(p.patient).toMatchObject({ mrn: 'SC-000001', age: 78 })
      expect((await clinic.ok(doc, 'procedures.open', { patientId, appointmentId: 77 })).id).toBe(p.id)
      // the request is carried out: a second note does not link it again
      const other = await clinic.ok(doc, 'procedures.open', { patientId, kind: 'vertebroplasty' })
      expect(other.procedureRequest).toBeNull()
      const again = await clinic.call(doc, 'procedures.open', { patientId, procedureRequestId: requestId })
      expectError(again, 'conflict', 'procedureRequestId')
    })

    it('needs a kind without a request, and a real patient', async () => {
      const before = await snapshot()
      expectError(await clinic.call(doc, 'procedures.open', { patientId }), 'invalid_input', 'kind')
      expectError(await clinic.call(doc, 'procedures.open', { patientId: 9999, kind: 'kyphoplasty' }), 'not_found', 'patientId')
      expectError(await clinic.call(doc, 'procedures.open', { patientId, kind: 'kyphoplasty', procedureDate: '2026-12-01' }), 'invalid_input', 'procedureDate')
      expect(await snapshot()).toEqual(before)
    })

    it('records each level, computes height restoration and the CPT codes, and normalises ICD-10-CM codes', async () => {
      const p = await completeNote()
      expect(p.version).toBe(1)
      expect(p.levels.map((l) => [l.level, l.position, l.approach, l.cementVolumeMl])).toEqual([
        ['T12', 1, 'bipedicular', 4.5],
        ['L1', 2, 'unipedicular', 3.75],
      ])
      expect(p.totalCementMl).toBe(8.3)
      expect(p.levels[0]!.heightRestoration).toEqual({
        walls: [
          { wall: 'anterior', before: 14, after: 18.5, gainMm: 4.5, gainPercent: 32.1, restoredOfLossPercent: null },
          { wall: 'middle', before: 12, after: 16, gainMm: 4, gainPercent: 33.3, restoredOfLossPercent: null },
          { wall: 'posterior', before: 24, after: 24.5, gainMm: 0.5, gainPercent: 2.1, restoredOfLossPercent: null },
        ],
        maxGainMm: 4.5,
      })
      expect(p.levels[1]!.heightRestoration).toBeNull()
      expect(p.levels[0]!.leakage).toEqual(['venous'])
      expect(p.fields.diagnoses).toEqual([{ code: 'M80.08XA', description: FIELDS.diagnoses[0]!.description }])
      // T12 first by kyphoplasty: 22513 thoracic, then L1 as the add-on 22515
      expect(p.cpt.summary).toEqual([
        { code: '22513', units: 1, description: expect.stringContaining('thoracic') },
        { code: '22515', units: 1, description: expect.stringContaining('each additional') },
      ])
      expect(p.missingForSigning).toEqual({})
    })

    it('derives the codes per kind, region and number of levels', async () => {
      let p = await clinic.ok(doc, 'procedures.open', { patientId, kind: 'vertebroplasty' })
      const lvl = (level: LevelInput['level']): LevelInput => ({ level, leakage: ['none'] })
      const cases: [SaveInput['fields']['kind'], LevelInput['level'][], { code: string; units: number }[], number][] = [
        ['vertebroplasty', ['T8'], [{ code: '22510', units: 1 }], 0],
        ['vertebroplasty', ['C6'], [{ code: '22510', units: 1 }], 0],
        ['vertebroplasty', ['L2', 'L3', 'L4'], [{ code: '22511', units: 1 }, { code: '22512', units: 2 }], 0],
        ['vertebroplasty', ['T12', 'L1'], [{ code: '22510', units: 1 }, { code: '22512', units: 1 }], 0],
        ['kyphoplasty', ['L1'], [{ code: '22514', units: 1 }], 0],
        ['kyphoplasty', ['L1', 'L2', 'L3'], [{ code: '22514', units: 1 }, { code: '22515', units: 2 }], 0],
        ['kyphoplasty', ['T11', 'T12'], [{ code: '22513', units: 1 }, { code: '22515', units: 1 }], 0],
        ['kyphoplasty', ['C5'], [], 1],
        ['vertebroplasty', ['S1', 'L5'], [{ code: '22511', units: 1 }], 1],
      ]
      for (const [kind, levels, summary, problems] of cases) {
        p = await clinic.ok(doc, 'procedures.save', { id: p.id, version: p.version, fields: { ...FIELDS, kind, intraComplications: [] }, levels: levels.map(lvl) })
        expect(p.cpt.summary.map(({ code, units }) => ({ code, units })), `${kind} ${levels.join(',')}`).toEqual(summary)
        expect(p.cpt.problems, `${kind} ${levels.join(',')}`).toHaveLength(problems)
      }
    })

    it('refuses bad input naming the field, and leaves the database unchanged', async () => {
      const p = await completeNote()
      const before = await snapshot()
      const save = (over: Partial<SaveInput>) => clinic.call(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [T12, L1], ...over })
      expectError(await save({ fields: { ...FIELDS, kind: 'vertebroplasty' } }), 'invalid_input', 'levels.0.balloonVolumeMl')
      expectError(await save({ levels: [T12, T12] }), 'invalid_input', 'levels.1.level')
      expectError(await save({ levels: [{ ...T12, leakage: ['none', 'disc'] }] }), 'invalid_input', 'levels.0.leakage')
      expectError(await save({ levels: [{ ...L1, leakageSymptomatic: true }] }), 'invalid_input', 'levels.0.leakageSymptomatic')
      expectError(await save({ levels: [{ ...T12, cementVolumeMl: -1 }] }), 'invalid_input', 'levels.0.cementVolumeMl')
      expectError(await save({ levels: [{ ...T12, needleGauge: 30 }] }), 'invalid_input', 'levels.0.needleGauge')
      expectError(await save({ levels: [{ ...T12, heightAfter: { anterior: 0, middle: 10, posterior: 20 } }] }), 'invalid_input', 'levels.0.heightAfter.anterior')
      expectError(await save({ fields: { ...FIELDS, diagnoses: [{ code: '22513' }] } }), 'invalid_input', 'fields.diagnoses.0.code')
      expectError(await save({ fields: { ...FIELDS, endedAt: '2026-11-30T12:00:00Z' } }), 'invalid_input', 'fields.endedAt')
      expectError(await save({ fields: { ...FIELDS, startedAt: '2026-11-30T15:00:00Z', endedAt: '2026-11-30T15:30:00Z' } }), 'invalid_input', 'fields.startedAt')
      expectError(await save({ fields: { ...FIELDS, intraComplications: ['other'], intraComplicationsNote: '' } }), 'invalid_input', 'fields.intraComplicationsNote')
      expectError(await save({ version: 0 }), 'conflict', 'version')
      expect(await snapshot()).toEqual(before)
    })

    it('signs only when complete, then is locked; addenda and entered in error as consultation notes', async () => {
      await requestKyphoplasty()
      let p = await clinic.ok(doc, 'procedures.open', { patientId })
      p = await clinic.ok(doc, 'procedures.save', { id: p.id, version: p.version, fields: { kind: 'kyphoplasty', procedureDate: '2026-11-30' }, levels: [{ level: 'T12' }] })
      const incomplete = await clinic.call(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
      expectError(incomplete, 'invalid_input', 'fields.anaesthesia')
      if (!incomplete.ok) expect(Object.keys(incomplete.error.fields!)).toEqual(expect.arrayContaining(['levels.0.approach', 'levels.0.cementVolumeMl', 'levels.0.balloonPressurePsi', 'levels.0.leakage', 'fields.startedAt']))
      p = await clinic.ok(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [T12, L1] })

      const other = await clinic.as('physician', 'drother')
      expectError(await clinic.call(other, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD }), 'forbidden')
      p = await clinic.ok(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
      expect(p.signing).toMatchObject({ status: 'signed', signature: { signerName: 'physician drbones', valid: true } })
      expectError(await clinic.call(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [T12] }), 'locked')
      expectError(await clinic.call(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD }), 'locked')
      await expect(clinic.database.db.updateTable('procedures').set({ narrative: 'changed' }).execute()).rejects.toThrow(/signed/)
      await expect(clinic.database.db.updateTable('procedure_levels').set({ cement_volume_ml: 9 }).execute()).rejects.toThrow(/signed/)
      await expect(clinic.database.db.deleteFrom('procedures').execute()).rejects.toThrow(/never deleted/)

      p = await clinic.ok(other, 'procedures.addAddendum', { id: p.id, text: 'Cement volume at L1 confirmed on the final image.', password: PASSWORD })
      expect(p.signing.addenda).toMatchObject([{ authorName: 'physician drother' }])
      expect((await clinic.ok(manager, 'procedures.get', { id: p.id })).signing.status).toBe('signed')
      expectError(await clinic.call(desk, 'procedures.get', { id: p.id }), 'forbidden')
      expectError(await clinic.call(manager, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [] }), 'forbidden')

      p = await clinic.ok(manager, 'procedures.markEnteredInError', { id: p.id, reason: 'Wrong patient' })
      expect(p.signing).toMatchObject({ status: 'enteredInError', signature: { valid: false }, enteredInError: { reason: 'Wrong patient' } })
      expectError(await clinic.call(doc, 'procedures.addAddendum', { id: p.id, text: 'late', password: PASSWORD }), 'locked')
      expectError(await clinic.call(doc, 'recovery.addCheck', { procedureId: p.id, check: { checkedAt: '2026-11-30T13:30:00Z', legNeuro: 'normal' } }), 'locked')
      const list = await clinic.ok(doc, 'procedures.listForPatient', { patientId })
      expect(list).toMatchObject([{ id: p.id, kind: 'kyphoplasty', levels: ['T12', 'L1'], status: 'enteredInError' }])

      const actions = (await clinic.database.db.selectFrom('audit_log').select(['action', 'patient_id']).where('action', 'like', 'procedure.%').execute()).map((r) => r.action)
      expect(actions).toEqual(expect.arrayContaining(['procedure.create', 'procedure.update', 'procedure.sign', 'procedure.addendum', 'procedure.view', 'procedure.enteredInError', 'procedure.list']))
    })
  })

  describe('recovery and observation', () => {
    it('lists the checks due, marks what is late, and flags an abnormal check or pain above baseline', async () => {
      const p = await completeNote()
      let r = await clinic.ok(doc, 'recovery.get', { procedureId: p.id })
      expect(r).toMatchObject({ schedule: null, checks: [], stay: null, dischargeSummaryId: null, version: 0 })
      r = await clinic.ok(doc, 'recovery.save', {
        procedureId: p.id,
        version: r.version,
        fields: { supineStartedAt: '2026-11-30T13:05:00Z', supineEndedAt: '2026-11-30T13:20:00Z', arrivedAt: '2026-11-30T13:23:00Z', baselinePain: 3 },
      })
      const check = (checkedAt: string, over: Record<string, unknown> = {}) =>
        clinic.ok(doc, 'recovery.addCheck', { procedureId: p.id, check: { checkedAt, systolic: 132, diastolic: 78, heartRate: 74, spo2: 96, pain: 3, legNeuro: 'normal', ...over } })
      await check('2026-11-30T13:23:00Z')
      r = await check('2026-11-30T13:40:00Z', { pain: 6, legNeuro: 'abnormal', neuroNote: 'Reduced sensation left L1 dermatome' })
      // now 14:00: slots 13:23 and 13:38 done; 13:53 is past its grace (late); the rest upcoming
      expect(r.schedule!.slots.map((s) => [s.dueAt.slice(11, 16), s.status])).toEqual([
        ['13:23', 'done'],
        ['13:38', 'done'],
        ['13:53', 'late'],
        ['14:08', 'upcoming'],
        ['14:23', 'upcoming'],
        ['14:53', 'upcoming'],
        ['15:23', 'upcoming'],
      ])
      expect(r.schedule).toMatchObject({ lateCount: 1, nextDueAt: '2026-11-30T13:53:00.000Z' })
      expect(r.checks[0]!.flagged).toBe(false)
      expect(r.checks[1]!.flags.map((f) => f.key)).toEqual(['neuroAbnormal', 'painAboveBaseline'])
      expect(r.readiness.ready).toBe(false)
      expect(r.readiness.warnings[0]).toContain('The latest check is flagged')

      // a check entered in error stops counting and stops flagging
      r = await clinic.ok(doc, 'recovery.markCheckInError', { checkId: r.checks[1]!.id, reason: 'Recorded for the wrong patient' })
      expect(r.checks[1]).toMatchObject({ enteredInError: { reason: 'Recorded for the wrong patient', byName: 'physician drbones' }, flagged: false })
      expect(r.schedule!.slots[1]!.status).toBe('missed')
      await expect(clinic.database.db.updateTable('observation_checks').set({ pain: 0 }).execute()).rejects.toThrow(/never changed/)
      await expect(clinic.database.db.deleteFrom('observation_checks').execute()).rejects.toThrow(/never deleted/)

      expect((await clinic.ok(manager, 'recovery.get', { procedureId: p.id })).checks).toHaveLength(2)
      expectError(await clinic.call(desk, 'recovery.get', { procedureId: p.id }), 'forbidden')
      const audit = await clinic.database.db.selectFrom('audit_log').select('action').where('patient_id', '=', patientId).execute()
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['recovery.update', 'observation.check', 'observation.checkEnteredInError', 'recovery.view']))
    })

    it('audits each opening of the recovery record, not the screen refreshing it every 30 s', async () => {
      const p = await completeNote()
      const views = async () =>
        (await clinic.database.db.selectFrom('audit_log').select(['user_id', 'username', 'details']).where('action', '=', 'recovery.view').where('entity_id', '=', String(p.id)).execute()).map(
          (r) => r.username,
        )
      const before = (await views()).length
      await clinic.ok(doc, 'recovery.get', { procedureId: p.id })
      expect(await views()).toHaveLength(before + 1)
      // a screen left open: its refreshes add nothing
      for (let i = 0; i < 60; i++) {
        clinic.clock.now = new Date(clinic.clock.now.getTime() + 1_000)
        const r = await clinic.ok(doc, 'recovery.get', { procedureId: p.id, refresh: true })
        expect(r.procedureId).toBe(p.id)
      }
      expect(await views()).toHaveLength(before + 1)
      // opening it again (another visit of the screen) is audited again
      await clinic.ok(doc, 'recovery.get', { procedureId: p.id })
      expect(await views()).toHaveLength(before + 2)
      // another user's refresh is not covered by the physician's view: audited
      await clinic.ok(manager, 'recovery.get', { procedureId: p.id, refresh: true })
      expect((await views()).slice(-1)).toEqual(['boss'])
      await clinic.ok(manager, 'recovery.get', { procedureId: p.id, refresh: true })
      expect(await views()).toHaveLength(before + 3)
      // a refresh long after the last audited view counts as a view again
      clinic.clock.now = new Date(clinic.clock.now.getTime() + 2 * 60 * 60 * 1000)
      await clinic.ok(doc, 'session.unlock', { password: PASSWORD })
      await clinic.ok(doc, 'recovery.get', { procedureId: p.id, refresh: true })
      expect(await views()).toHaveLength(before + 4)
    })

    it('refuses bad checks and times, leaving the database unchanged', async () => {
      const p = await completeNote()
      let r = await clinic.ok(doc, 'recovery.get', { procedureId: p.id })
      r = await clinic.ok(doc, 'recovery.save', { procedureId: p.id, version: r.version, fields: { arrivedAt: '2026-11-30T13:20:00Z', departedAt: '2026-11-30T13:50:00Z' } })
      const before = await snapshot()
      const add = (check: Record<string, unknown>) => clinic.call(doc, 'recovery.addCheck', { procedureId: p.id, check: { checkedAt: '2026-11-30T13:30:00Z', legNeuro: 'normal', ...check } as never })
      expectError(await add({ systolic: 80, diastolic: 90 }), 'invalid_input', 'check.diastolic')
      expectError(await add({ systolic: 120 }), 'invalid_input', 'check.diastolic')
      expectError(await add({ legNeuro: 'abnormal' }), 'invalid_input', 'check.neuroNote')
      expectError(await add({ spo2: 101 }), 'invalid_input', 'check.spo2')
      expectError(await add({ pain: 11 }), 'invalid_input', 'check.pain')
      expectError(await add({ respiratoryRate: 3 }), 'invalid_input', 'check.respiratoryRate')
      expectError(await add({ respiratoryRate: 14.5 }), 'invalid_input', 'check.respiratoryRate')
      expectError(await add({ sedationScore: 11 }), 'invalid_input', 'check.sedationScore')
      expectError(await add({ sedationScore: -1 }), 'invalid_input', 'check.sedationScore')
      expectError(await add({ checkedAt: '2026-11-30T13:55:00Z' }), 'invalid_input', 'check.checkedAt')
      expectError(await add({ checkedAt: '2026-11-30T12:00:00Z' }), 'invalid_input', 'check.checkedAt')
      const save = (fields: Record<string, unknown>, version = r.version) => clinic.call(doc, 'recovery.save', { procedureId: p.id, version, fields: fields as never })
      expectError(await save({ arrivedAt: '2026-11-30T13:20:00Z', departedAt: '2026-11-30T13:10:00Z' }), 'invalid_input', 'fields.departedAt')
      expectError(await save({ departedAt: '2026-11-30T13:50:00Z' }), 'invalid_input', 'fields.arrivedAt')
      expectError(await save({ arrivedAt: '2026-11-30T15:20:00Z' }), 'invalid_input', 'fields.arrivedAt')
      expectError(await save({ checklist: { flying: true } }), 'invalid_input', 'fields.checklist')
      expectError(await save({ arrivedAt: '2026-11-30T13:20:00Z' }, 0), 'conflict', 'version')
      expect(await snapshot()).toEqual(before)
    })
  })

  describe('the observation stay and the same-day discharge (issue 17)', () => {
    type CheckInput = ChannelInput<'recovery.addCheck'>['check']
    const ALL_TICKED = Object.fromEntries(DISCHARGE_READINESS_ITEMS.map((k) => [k, true]))
    const check = (p: ProcedureView, checkedAt: string, over: Partial<CheckInput> = {}) =>
      clinic.ok(doc, 'recovery.addCheck', { procedureId: p.id, check: { checkedAt, systolic: 132, diastolic: 78, heartRate: 74, spo2: 96, respiratoryRate: 14, sedationScore: 10, pain: 3, legNeuro: 'normal', ...over } })
    const saveRecovery = async (p: ProcedureView, fields: ChannelInput<'recovery.save'>['fields']) => {
      const r = await clinic.ok(doc, 'recovery.get', { procedureId: p.id })
      return clinic.ok(doc, 'recovery.save', { procedureId: p.id, version: r.version, fields })
    }
    const pdfText = async (id: number, name: string) => {
      const pdf = await clinic.ok(doc, 'discharge.pdf', { id })
      const file = join(clinic.dir, name)
      writeFileSync(file, Buffer.from(pdf.base64, 'base64'))
      return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
    }

    it('flags an early departure and a short supine rest; the checks due before the minimum were missed; same-day discharge is refused, then overridden with a reason kept on the decision, the summary and the audit', async () => {
      const p = await signedNote()
      // supine 15 minutes (the clinic's minimum is 20), in the bay at 13:22, gone at 13:50 (28 of the 60 minutes)
      await saveRecovery(p, {
        supineStartedAt: '2026-11-30T13:05:00Z',
        supineEndedAt: '2026-11-30T13:20:00Z',
        arrivedAt: '2026-11-30T13:22:00Z',
        baselinePain: 3,
        checklist: { ...ALL_TICKED, voided: false },
      })
      await check(p, '2026-11-30T13:22:00Z', { sedationScore: 8 })
      await check(p, '2026-11-30T13:37:00Z')
      await check(p, '2026-11-30T13:48:00Z', { respiratoryRate: 9 })
      let r = await saveRecovery(p, {
        supineStartedAt: '2026-11-30T13:05:00Z',
        supineEndedAt: '2026-11-30T13:20:00Z',
        arrivedAt: '2026-11-30T13:22:00Z',
        departedAt: '2026-11-30T13:50:00Z',
        baselinePain: 3,
        checklist: { ...ALL_TICKED, voided: false },
      })

      // the checks: respiratory rate and the Aldrete score, each flagged against its limit
      expect(r.sedation).toEqual({ scale: 'aldrete', scaleLabel: 'Modified Aldrete score (Aldrete 1995)', dischargeScore: 9 })
      expect(r.checks.map((c) => [c.respiratoryRate, c.sedationScore, c.sedationScale, c.flags.map((f) => f.key)])).toEqual([
        [14, 8, 'aldrete', ['lowSedationScore']],
        [14, 10, 'aldrete', []],
        [9, 10, 'aldrete', ['lowRespiratoryRate']],
      ])
      // point 1: the departure before the minimum, the short supine rest, in words; the 45- and 60-minute checks
      // fell within the minimum observation: missed, not "not needed"; those after it are not needed
      expect(r.timeFlags.map((f) => [f.key, f.message])).toEqual([
        ['earlyDeparture', "Left the observation room 28 minutes after arriving, before the clinic's minimum observation time of 60 minutes"],
        ['shortSupine', "Lay supine 15 minutes, less than the clinic's minimum of 20 minutes while the cement hardens"],
      ])
      expect(r.schedule!.slots.map((s) => [s.minutes, s.status])).toEqual([
        [0, 'done'],
        [15, 'done'],
        [30, 'done'],
        [45, 'missed'],
        [60, 'missed'],
        [90, 'notNeeded'],
        [120, 'notNeeded'],
      ])
      expect(r.readiness.warnings).toEqual(expect.arrayContaining([r.timeFlags[0]!.message, r.timeFlags[1]!.message, '2 observation checks were missed']))
      // point 2: everything that stands against going home today (times in the clinic's zone, New York)
      const blockers = [
        "Left the observation room 28 minutes after arriving, before the clinic's minimum observation time of 60 minutes",
        "Lay supine 15 minutes, less than the clinic's minimum of 20 minutes while the cement hardens",
        'The check due at 09:07 (45 minutes after arrival) was missed',
        'The check due at 09:22 (60 minutes after arrival) was missed',
        'The check at 08:48 is flagged: Respiratory rate 9/min is below 10/min',
        'Discharge readiness not ticked: Has passed urine',
      ]
      expect(r.sameDayBlockers.map((b) => b.message)).toEqual(blockers)

      // refused without a reason, naming the field and every blocker; nothing is written
      const before = await snapshot()
      const refused = await clinic.call(doc, 'stays.decide', { procedureId: p.id, disposition: 'sameDay' })
      expectError(refused, 'invalid_input', 'overrideReason')
      if (!refused.ok) {
        for (const b of blockers) expect(refused.error.message).toContain(b)
        expect((refused.error.detail as { blockers: { message: string }[] }).blockers.map((b) => b.message)).toEqual(blockers)
      }
      expectError(await clinic.call(doc, 'stays.decide', { procedureId: p.id, disposition: 'sameDay', overrideReason: '   ' }), 'invalid_input', 'overrideReason')
      expectError(await clinic.call(doc, 'stays.decide', { procedureId: p.id, disposition: 'overnight', reasons: ['uncontrolledPain'], overrideReason: 'x' }), 'invalid_input', 'overrideReason')
      expect(await snapshot()).toEqual(before)

      // with the physician's reason: recorded, with what it overrode
      const reason = 'Daughter is an ICU nurse and stays overnight; clinic phones at 20:00'
      const stay = await clinic.ok(doc, 'stays.decide', { procedureId: p.id, disposition: 'sameDay', overrideReason: reason })
      expect(stay).toMatchObject({ disposition: 'sameDay', overrideReason: reason })
      expect(stay.overriddenBlockers.map((b) => b.message)).toEqual(blockers)
      r = await clinic.ok(manager, 'recovery.get', { procedureId: p.id })
      expect(r.stay).toMatchObject({ overrideReason: reason })
      const audit = await clinic.database.db.selectFrom('audit_log').select(['details', 'patient_id']).where('action', '=', 'stay.decide').executeTakeFirstOrThrow()
      expect(audit.patient_id).toBe(patientId)
      expect(JSON.parse(audit.details!)).toMatchObject({ disposition: 'sameDay', overrideReason: reason, overriddenBlockers: blockers })

      // the summary: the override and the observation flags, in the view and the signed PDF
      let d = await clinic.ok(doc, 'discharge.open', { procedureId: p.id })
      expect(d.content.disposition!.override).toEqual({ reason, blockers })
      expect(d.content.observationFlags).toEqual(blockers.slice(0, 2))
      d = await clinic.ok(doc, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD })
      expect(d.signing.status).toBe('signed')
      expect(d.changedSinceSigning).toBe(false)
      const text = await pdfText(d.id, 'override.pdf')
      expect(text).toContain(`Same-day discharge against the recovery record. Override reason: ${reason}`)
      expect(text).toContain('The check due at 09:07 (45 minutes after arrival) was missed')
      expect(text).toContain('Observation stay')
      expect(text).toContain("Left the observation room 28 minutes after arriving, before the clinic's minimum observation time of 60 minutes")
      expect(await verifyDischargePdf(clinic.database.db, d.id)).toEqual({ storedIntact: true, reproducible: true })

      // a recorded check's new values are never changed either
      await expect(clinic.database.db.updateTable('observation_checks').set({ sedation_score: 10 }).execute()).rejects.toThrow(/never changed/)
      await expect(clinic.database.db.updateTable('observation_checks').set({ respiratory_rate: 16 }).execute()).rejects.toThrow(/never changed/)
    })

    it('lets a clean record go home without a reason, and refuses to sign the summary for what arose since the decision until it is decided again', async () => {
      const p = await signedNote()
      await saveRecovery(p, { supineStartedAt: '2026-11-30T13:05:00Z', supineEndedAt: '2026-11-30T13:25:00Z', arrivedAt: '2026-11-30T13:27:00Z', baselinePain: 3, checklist: ALL_TICKED })
      // 13:27, 13:42, 13:57: the slots due so far; an early low Aldrete score is expected, the latest decides
      await check(p, '2026-11-30T13:27:00Z', { sedationScore: 8 })
      await check(p, '2026-11-30T13:42:00Z', { sedationScore: 9 })
      let r = await check(p, '2026-11-30T13:57:00Z', { sedationScore: 9 })
      expect(r.timeFlags).toEqual([]) // supine exactly 20 minutes: not short
      expect(r.sameDayBlockers).toEqual([])
      const stay = await clinic.ok(doc, 'stays.decide', { procedureId: p.id, disposition: 'sameDay' })
      expect(stay).toMatchObject({ overrideReason: '', overriddenBlockers: [] })

      // she leaves at 14:10, 43 minutes in, without the 45-minute check; the summary is signed at 14:30
      clinic.clock.now = new Date('2026-11-30T14:30:00.000Z')
      await clinic.ok(doc, 'session.unlock', { password: PASSWORD })
      r = await saveRecovery(p, {
        supineStartedAt: '2026-11-30T13:05:00Z',
        supineEndedAt: '2026-11-30T13:25:00Z',
        arrivedAt: '2026-11-30T13:27:00Z',
        departedAt: '2026-11-30T14:10:00Z',
        baselinePain: 3,
        checklist: ALL_TICKED,
      })
      expect(r.sameDayBlockers.map((b) => b.key)).toEqual(['earlyDeparture', 'missedCheck:45', 'missedCheck:60'])
      let d = await clinic.ok(doc, 'discharge.open', { procedureId: p.id })
      d = await clinic.ok(doc, 'discharge.save', { id: d.id, version: d.version, fields: { ...d.fields, medications: 'Paracetamol 1 g as needed' } })
      const before = await snapshot()
      const refused = await clinic.call(doc, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD })
      expectError(refused, 'invalid_input', 'disposition')
      if (!refused.ok) expect(refused.error.message).toContain("Left the observation room 43 minutes after arriving, before the clinic's minimum observation time of 60 minutes")
      expect(await snapshot()).toEqual(before)

      // decided again, with the reason: the summary signs, and says so
      await clinic.ok(doc, 'stays.decide', { procedureId: p.id, version: stay.version, disposition: 'sameDay', overrideReason: 'Left against advice after the checks were explained; signed the form' })
      d = await clinic.ok(doc, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD })
      expect(d.content.disposition!.override!.blockers).toHaveLength(3)
      expect(d.content.observationFlags).toEqual(["Left the observation room 43 minutes after arriving, before the clinic's minimum observation time of 60 minutes"])
    })

    it("uses the clinic's minimums, scale and threshold; exactly at a minimum is not short; old settings read with the defaults", async () => {
      const admin = await clinic.as('admin', 'root')
      // settings saved before these keys existed read with their defaults
      const raw = await clinic.database.db.selectFrom('settings').select('value').where('key', '=', 'clinic').executeTakeFirstOrThrow()
      const old = JSON.parse(raw.value) as Record<string, unknown>
      for (const k of ['minimumObservationMinutes', 'minimumSupineMinutes', 'sedationScale', 'sedationDischargeScore']) delete old[k]
      await clinic.database.db.updateTable('settings').set({ value: JSON.stringify(old) }).where('key', '=', 'clinic').execute()
      let s = await clinic.ok(admin, 'settings.get')
      expect(s.settings).toMatchObject({ minimumObservationMinutes: 60, minimumSupineMinutes: 20, sedationScale: 'aldrete', sedationDischargeScore: 9 })
      for (const [key, value] of [['minimumObservationMinutes', 481], ['minimumSupineMinutes', -1], ['sedationScale', 'ramsay'], ['sedationDischargeScore', 11], ['minimumObservationMinutes', 30.5]] as const) {
        expectError(await clinic.call(admin, 'settings.update', { version: s.version, settings: { ...s.settings, [key]: value } as never }), 'invalid_input', `settings.${key}`)
      }

      const p = await signedNote()
      await saveRecovery(p, { arrivedAt: '2026-11-30T13:22:00Z' })
      await check(p, '2026-11-30T13:22:00Z', { sedationScore: 9 })
      s = await clinic.ok(admin, 'settings.update', { version: s.version, settings: { ...s.settings, minimumObservationMinutes: 28, minimumSupineMinutes: 15, sedationScale: 'padss', sedationDischargeScore: 10 } })
      await check(p, '2026-11-30T13:37:00Z', { sedationScore: 9 })
      const r = await saveRecovery(p, {
        supineStartedAt: '2026-11-30T13:05:00Z',
        supineEndedAt: '2026-11-30T13:20:00Z',
        arrivedAt: '2026-11-30T13:22:00Z',
        departedAt: '2026-11-30T13:50:00Z',
        checklist: ALL_TICKED,
      })
      // 28 minutes with a minimum of 28 is not early, 15 minutes supine with a minimum of 15 is not short
      expect(r.timeFlags).toEqual([])
      // the 30-minute check (13:52) came after she left and after the minimum: not needed
      expect(r.schedule!.slots.map((x) => x.status)).toEqual(['done', 'done', 'notNeeded', 'notNeeded', 'notNeeded', 'notNeeded', 'notNeeded'])
      // each score keeps the scale it was recorded on; the clinic's threshold of 10 now flags a 9 on either
      expect(r.checks.map((c) => [c.sedationScale, c.flags.map((f) => f.message)])).toEqual([
        ['aldrete', ['Aldrete score 9/10 is below the discharge score of 10']],
        ['padss', ['PADSS score 9/10 is below the discharge score of 10']],
      ])
      expect(r.sedation).toMatchObject({ scale: 'padss', dischargeScore: 10 })
      expect(r.sameDayBlockers.map((b) => b.message)).toEqual(['The latest PADSS score, 9/10 at 08:37, is below the discharge score of 10'])
    })

    it('refuses a same-day discharge after a symptomatic cement leak or an abnormal leg check', async () => {
      await requestKyphoplasty()
      let p = await clinic.ok(doc, 'procedures.open', { patientId })
      p = await clinic.ok(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [{ ...T12, leakageSymptomatic: true }, L1] })
      await saveRecovery(p, { supineStartedAt: '2026-11-30T13:05:00Z', supineEndedAt: '2026-11-30T13:25:00Z', arrivedAt: '2026-11-30T13:27:00Z', baselinePain: 3, checklist: ALL_TICKED })
      await check(p, '2026-11-30T13:27:00Z')
      await check(p, '2026-11-30T13:42:00Z', { legNeuro: 'abnormal', neuroNote: 'Numb left thigh' })
      const r = await check(p, '2026-11-30T13:57:00Z')
      expect(r.sameDayBlockers.map((b) => b.message)).toEqual(['The check at 08:42 is flagged: Leg neurological check abnormal', 'Symptomatic cement leak at T12'])
      const refused = await clinic.call(doc, 'stays.decide', { procedureId: p.id, disposition: 'sameDay' })
      expectError(refused, 'invalid_input', 'overrideReason')
      if (!refused.ok) expect(refused.error.message).toContain('Symptomatic cement leak at T12')
      // an overnight stay needs no override
      expect((await clinic.ok(doc, 'stays.decide', { procedureId: p.id, disposition: 'overnight', reasons: ['suspectedCementLeak'] })).overrideReason).toBe('')
    })
  })

  describe('the overnight-stay decision', () => {
    it('records who decided and why; a full night warns, and the physician may confirm', async () => {
      const admin = await clinic.as('admin', 'root')
      const s = await clinic.ok(admin, 'settings.get')
      expect(s.settings).toMatchObject({ overnightBeds: 2, observationGraceMinutes: 5, observationPhases: [{ everyMinutes: 15, forMinutes: 60 }, { everyMinutes: 30, forMinutes: 60 }] })
      await clinic.ok(admin, 'settings.update', { version: s.version, settings: { ...s.settings, overnightBeds: 1 } })

      const first = await completeNote()
      const stay = await clinic.ok(doc, 'stays.decide', { procedureId: first.id, disposition: 'overnight', reasons: ['uncontrolledPain', 'other'], otherText: 'Lives 90 miles away' })
      expect(stay).toMatchObject({ disposition: 'overnight', night: '2026-11-30', decidedByName: 'physician drbones', decidedAt: '2026-11-30T14:00:00.000Z', overCapacity: false })
      expect(stay.reasonsText).toBe('Uncontrolled pain; Other: Lives 90 miles away')

      const second = await clinic.ok(doc, 'procedures.open', { patientId, kind: 'vertebroplasty' })
      const before = await snapshot()
      const full = await clinic.call(doc, 'stays.decide', { procedureId: second.id, disposition: 'overnight', reasons: ['sedationReaction'] })
      expectError(full, 'conflict', 'confirmOverCapacity')
      if (!full.ok) expect(full.error.detail).toEqual({ night: '2026-11-30', beds: 1, occupied: 1 })
      expect(await snapshot()).toEqual(before)
      const kept = await clinic.ok(doc, 'stays.decide', { procedureId: second.id, disposition: 'overnight', reasons: ['sedationReaction'], confirmOverCapacity: true })
      expect(kept.overCapacity).toBe(true)

      // changing a decision names the version read; going home frees the bed
      expectError(await clinic.call(doc, 'stays.decide', { procedureId: first.id, disposition: 'sameDay' }), 'conflict', 'version')
      // (no recovery is recorded for this note: going home is against the empty record, with a reason)
      const home = await clinic.ok(doc, 'stays.decide', { procedureId: first.id, version: stay.version, disposition: 'sameDay', overrideReason: 'Observed in the partner clinic; pain settled' })
      expect(home).toMatchObject({ disposition: 'sameDay', night: null, reasons: [], version: 1 })

      const list = await clinic.ok(manager, 'stays.list', {})
      expect(list).toMatchObject({ tonight: '2026-11-30', beds: 1, tonightCount: 1, bedsLeftTonight: 0 })
      expect(list.stays).toMatchObject([{ procedureId: second.id, night: '2026-11-30', kind: 'vertebroplasty', reasonsText: 'Reaction to sedation or anaesthesia', overCapacity: true, mrn: 'SC-000001' }])
      expectError(await clinic.call(desk, 'stays.list', {}), 'forbidden')
      expect((await clinic.ok(manager, 'stays.list', { from: '2026-10-01', to: '2026-10-31' })).stays).toEqual([])
      const audit = await clinic.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'stay.%').execute()
      expect(audit.map((a) => a.action).sort()).toEqual(['stay.change', 'stay.decide', 'stay.decide', 'stay.list', 'stay.list'])
    })

    it('needs reasons for a stay and none for a same-day discharge', async () => {
      const p = await completeNote()
      const before = await snapshot()
      expectError(await clinic.call(doc, 'stays.decide', { procedureId: p.id, disposition: 'overnight' }), 'invalid_input', 'reasons')
      expectError(await clinic.call(doc, 'stays.decide', { procedureId: p.id, disposition: 'sameDay', reasons: ['uncontrolledPain'] }), 'invalid_input', 'reasons')
      expectError(await clinic.call(doc, 'stays.decide', { procedureId: p.id, disposition: 'overnight', reasons: ['other'] }), 'invalid_input', 'otherText')
      expectError(await clinic.call(doc, 'stays.decide', { procedureId: p.id, disposition: 'overnight', reasons: ['flu'] as never }), 'invalid_input', 'reasons.0')
      expect(await snapshot()).toEqual(before)
      expectError(await clinic.call(manager, 'stays.decide', { procedureId: p.id, disposition: 'sameDay' }), 'forbidden')
    })
  })

  describe('discharge', () => {
    async function readyToSign() {
      const p = await signedNote()
      await clinic.ok(doc, 'stays.decide', { procedureId: p.id, disposition: 'overnight', reasons: ['newNeurologicalFinding'] })
      let d = await clinic.ok(doc, 'discharge.open', { procedureId: p.id })
      d = await clinic.ok(doc, 'discharge.save', { id: d.id, version: d.version, fields: { ...d.fields, medications: 'Paracetamol 1 g four times a day as needed' } })
      return { p, d }
    }

    it('proposes the follow-up visits for the front desk to book, without clinical content', async () => {
      const p = await completeNote()
      const d = await clinic.ok(doc, 'discharge.open', { procedureId: p.id })
      expect(d.content.followUps).toEqual([
        { label: '2 weeks', targetDate: '2026-12-14', appointment: null },
        { label: '6 weeks', targetDate: '2027-01-11', appointment: null },
        { label: '3 months', targetDate: '2027-02-28', appointment: null },
      ])
      expect((await clinic.ok(doc, 'discharge.open', { procedureId: p.id })).id).toBe(d.id)
      const toBook = await clinic.ok(desk, 'followUps.list', {})
      expect(toBook).toHaveLength(3)
      expect(Object.keys(toBook[0]!).sort()).toEqual(['appointmentId', 'id', 'label', 'mrn', 'patientId', 'patientName', 'phone', 'status', 'targetDate', 'version'])
      const booked = await clinic.ok(desk, 'followUps.markBooked', { id: toBook[0]!.id, version: toBook[0]!.version, appointmentId: 501 })
      expect(booked).toMatchObject({ status: 'booked', appointmentId: 501 })
      expectError(await clinic.call(desk, 'followUps.markBooked', { id: toBook[0]!.id, version: booked.version, appointmentId: 502 }), 'conflict', 'id')
      expect(await clinic.ok(desk, 'followUps.list', {})).toHaveLength(2)
      expect((await clinic.ok(doc, 'discharge.get', { id: d.id })).content.followUps[0]!.appointment).toBe('2026-12-14 10:00')
      expectError(await clinic.call(desk, 'discharge.get', { id: d.id }), 'forbidden')
      expectError(await clinic.call(desk, 'discharge.pdf', { id: d.id }), 'forbidden')
    })

    it('signs once the note is signed and the stay decided, storing a PDF that says the levels, volumes, disposition and guidelines', async () => {
      const p = await completeNote()
      let d = await clinic.ok(doc, 'discharge.open', { procedureId: p.id })
      expect(d.fields.activityGuidelines).toContain('10 lb')
      expect(d.missingForSigning).toMatchObject({ procedureId: expect.stringContaining('signed first'), disposition: expect.any(String) })
      const before = await snapshot()
      expectError(await clinic.call(doc, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD }), 'invalid_input', 'procedureId')
      expect(await snapshot()).toEqual(before)

      await clinic.ok(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
      await clinic.ok(doc, 'stays.decide', { procedureId: p.id, disposition: 'overnight', reasons: ['newNeurologicalFinding', 'livesAloneOrFar'] })
      d = await clinic.ok(doc, 'discharge.save', { id: d.id, version: d.version, fields: { ...d.fields, medications: 'Paracetamol 1 g four times a day as needed' } })
      expectError(await clinic.call(doc, 'discharge.save', { id: d.id, version: d.version, fields: { ...d.fields, activityGuidelines: '  ' } }), 'invalid_input', 'fields.activityGuidelines')
      d = await clinic.ok(doc, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD })
      expect(d.signing).toMatchObject({ status: 'signed', signature: { valid: true } })
      expect(d.pdf).toMatchObject({ intact: true })
      expect(d.changedSinceSigning).toBe(false)
      expectError(await clinic.call(doc, 'discharge.save', { id: d.id, version: d.version, fields: d.fields }), 'locked')

      const pdf = await clinic.ok(manager, 'discharge.pdf', { id: d.id, purpose: 'export' })
      expect(pdf).toMatchObject({ stored: true, sha256: d.pdf!.sha256, fileName: 'discharge-summary-SC-000001-2026-11-30.pdf' })
      const file = join(clinic.dir, 'summary.pdf')
      writeFileSync(file, Buffer.from(pdf.base64, 'base64'))
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
      expect(text).toContain('Discharge summary')
      expect(text).toContain('María José Núñez-García')
      expect(text).toContain('Kyphoplasty on 2026-11-30')
      expect(text).toMatch(/T12: Bipedicular, cement PMMA \(Kyphon HV-R\), 4\.5 mL/)
      expect(text).toMatch(/L1: Unipedicular, cement PMMA \(Kyphon HV-R\), 3\.75 mL/)
      expect(text).toContain('Total cement: 8.3 mL')
      expect(text).toContain('Cement leakage at T12 (venous), without symptoms')
      expect(text).toContain('During the procedure: Hypotension')
      expect(text).toMatch(/Overnight stay\. Reason: New neurological finding; Lives alone or far away/)
      expect(text).toContain('Do not lift more than about 10 lb')
      expect(text).toContain('Call 911 for chest pain or shortness of breath')
      expect(text).toContain('Paracetamol 1 g four times a day as needed')
      expect(text).toContain('2 weeks: around 2026-12-14')
      expect(text).toContain('Electronically signed by physician drbones')

      // reproducible from the data it was made from; the export command's entry point gives the same bytes
      expect(await verifyDischargePdf(clinic.database.db, d.id)).toEqual({ storedIntact: true, reproducible: true })
      const rendered = await renderDischargePdf(clinic.database.db, d.id)
      expect(rendered.sha256).toBe(d.pdf!.sha256)
      await expect(clinic.database.db.updateTable('discharge_pdfs').set({ sha256: 'x' }).execute()).rejects.toThrow()
      await expect(clinic.database.db.updateTable('discharge_summaries').set({ medications: 'x' }).execute()).rejects.toThrow(/signed/)

      // the records change later: the signed summary says so, keeps what was signed, and takes an addendum
      await clinic.ok(desk, 'followUps.markBooked', { ...(await clinic.ok(desk, 'followUps.list', {}))[0]!, appointmentId: 9 })
      const later = await clinic.ok(manager, 'discharge.get', { id: d.id })
      expect(later.changedSinceSigning).toBe(true)
      expect(later.content.followUps[0]!.appointment).toBeNull()
      expect(later.signing.signature!.valid).toBe(true)
      await clinic.ok(doc, 'discharge.addAddendum', { id: d.id, text: 'Two-week visit booked.', password: PASSWORD })

      const audit = (await clinic.database.db.selectFrom('audit_log').select('action').where('entity', '=', 'dischargeSummary').execute()).map((a) => a.action)
      expect(audit).toEqual(expect.arrayContaining(['dischargeSummary.create', 'dischargeSummary.update', 'dischargeSummary.sign', 'dischargeSummary.pdfStored', 'dischargeSummary.export', 'dischargeSummary.view', 'dischargeSummary.addendum']))
    })

    it("prints every time in the clinic's time zone with the zone named, in the evening when UTC is already the next day", async () => {
      // 20:30 in New York on 30 November is 01:30 UTC on 1 December (the sessions, idle since 14:00 UTC, unlock)
      clinic.clock.now = new Date('2026-12-01T01:30:00.000Z')
      for (const w of [doc, desk, manager]) await clinic.ok(w, 'session.unlock', { password: PASSWORD })
      const p = await signedNote()
      await clinic.ok(doc, 'stays.decide', { procedureId: p.id, disposition: 'overnight', reasons: ['uncontrolledPain'] })
      expect(await clinic.ok(manager, 'stays.list', {})).toMatchObject({ tonight: '2026-11-30', tonightCount: 1 })
      let d = await clinic.ok(doc, 'discharge.open', { procedureId: p.id })
      const [twoWeeks] = await clinic.ok(desk, 'followUps.list', {})
      await clinic.ok(desk, 'followUps.markBooked', { id: twoWeeks!.id, version: twoWeeks!.version, appointmentId: 501 })
      d = await clinic.ok(doc, 'discharge.get', { id: d.id })
      d = await clinic.ok(doc, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD })
      expect(d.content.timeZone).toBe('America/New_York')

      const pdf = await clinic.ok(doc, 'discharge.pdf', { id: d.id })
      const file = join(clinic.dir, 'evening.pdf')
      writeFileSync(file, Buffer.from(pdf.base64, 'base64'))
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
      expect(text).toContain('Decided by physician drbones at 2026-11-30 20:30 (America/New_York, UTC-05:00)')
      expect(text).toContain('2 weeks: around 2026-12-14, booked 2026-12-14 10:00 (America/New_York, UTC-05:00)')
      expect(text).toContain('Electronically signed by physician drbones on 2026-11-30 20:30 (America/New_York, UTC-05:00)')
      expect(text).not.toContain('2026-12-01')
      expect(await verifyDischargePdf(clinic.database.db, d.id)).toEqual({ storedIntact: true, reproducible: true })

      // entered in error a few minutes later: the banner's date is the clinic's, 30 November, not UTC's
      clinic.clock.now = new Date('2026-12-01T01:35:00.000Z')
      await clinic.ok(manager, 'discharge.markEnteredInError', { id: d.id, reason: 'Wrong patient' })
      writeFileSync(file, (await renderDischargePdf(clinic.database.db, d.id)).bytes)
      expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')).toContain('ENTERED IN ERROR (manager boss, 2026-11-30): Wrong patient')
    })

    it('makes a summary signed before its content named the zone again as it was printed, in UTC', async () => {
      const { d: draft } = await readyToSign()
      const d = await clinic.ok(doc, 'discharge.sign', { id: draft.id, version: draft.version, password: PASSWORD })
      const { timeZone: _zone, ...before } = d.content
      const bytes = await makeDischargePdf(before, { signature: { signerName: 'physician drbones', signedAt: '2026-11-30T14:00:00.000Z', contentHash: 'x' }, createdAt: '2026-11-30T14:00:00.000Z' })
      const file = join(clinic.dir, 'legacy.pdf')
      writeFileSync(file, bytes)
      expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')).toContain('Electronically signed by physician drbones on 2026-11-30 14:00 UTC')
    })

    it('a draft prints as a draft; a summary entered in error prints as such, and a new one can be opened', async () => {
      const { p, d: draft } = await readyToSign()
      const preview = await clinic.ok(doc, 'discharge.pdf', { id: draft.id })
      expect(preview.stored).toBe(false)
      const file = join(clinic.dir, 'draft.pdf')
      writeFileSync(file, Buffer.from(preview.base64, 'base64'))
      expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('DRAFT - NOT SIGNED')

      const d = await clinic.ok(doc, 'discharge.sign', { id: draft.id, version: draft.version, password: PASSWORD })
      const e = await clinic.ok(manager, 'discharge.markEnteredInError', { id: d.id, reason: 'Wrong medication list' })
      expect(e.signing).toMatchObject({ status: 'enteredInError', signature: { valid: false } })
      const r = await renderDischargePdf(clinic.database.db, d.id)
      expect(r.stored).toBe(false)
      writeFileSync(file, r.bytes)
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
      expect(text).toContain('ENTERED IN ERROR')
      expect(text).toContain('Wrong medication list')
      expect((await clinic.ok(manager, 'recovery.get', { procedureId: p.id })).dischargeSummaryId).toBeNull()
      const fresh = await clinic.ok(doc, 'discharge.open', { procedureId: p.id })
      expect(fresh.id).not.toBe(d.id)
      // the recovery view leads a reader (a manager cannot open one) to the current summary
      expect((await clinic.ok(manager, 'recovery.get', { procedureId: p.id })).dischargeSummaryId).toBe(fresh.id)
      expect(fresh.signing.status).toBe('draft')
      // the follow-ups were proposed once for the procedure
      expect(await clinic.ok(desk, 'followUps.list', {})).toHaveLength(3)
    })

    it('shows a stored PDF whose bytes were changed as not intact, and refuses to export it', async () => {
      const { d: draft } = await readyToSign()
      const d = await clinic.ok(doc, 'discharge.sign', { id: draft.id, version: draft.version, password: PASSWORD })
      // the PDF table refuses updates; a tamperer drops the trigger first
      await sql.raw(engine === 'sqlite' ? 'DROP TRIGGER discharge_pdfs_no_update' : 'DROP TRIGGER discharge_pdfs_no_update ON discharge_pdfs').execute(clinic.database.db)
      await clinic.database.db.updateTable('discharge_pdfs').set({ pdf: Buffer.from('%PDF-1.3 forged') }).execute()
      const v = await clinic.ok(manager, 'discharge.get', { id: d.id })
      expect(v.pdf!.intact).toBe(false)
      expectError(await clinic.call(manager, 'discharge.pdf', { id: d.id, purpose: 'print' }), 'conflict')
    })
  })
})
