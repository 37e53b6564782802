/**
 * The FHIR R4 export: a Bundle of type collection with, for each procedure a filter selects, its Patient
 * (once), the Conditions it treated (ICD-10-CM diagnoses with the levels as body sites), the Procedure (CPT
 * codes, a body site per vertebra, performed period, complications, follow-up), its Encounter (class OBSENC
 * for a same-day discharge, IMP for an overnight stay, with the discharge disposition), the Appointments
 * (the procedure's and the booked follow-ups'), and pain (LOINC 72514-3) and ODI Observations at the
 * baseline consultation (an AMB Encounter) and at each follow-up visit (an AMB Encounter).
 *
 * Written entry by entry, a page of procedures at a time, so that memory stays flat. Ids are the database's
 * with a type prefix; fullUrls are name-based UUIDs of them, so an export is reproducible.
 */
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import type { Appointment, BundleEntry, CodeableConcept, Condition, Encounter, FhirResource, Observation, Patient, Procedure } from 'fhir/r4'
import type { Engine } from '../../db/engine'
import { deriveCptCodes } from '../../../shared/clinical/cpt'
import type { VertebralLevel } from '../../../shared/clinical/levels'
import { DISPOSITION_LABELS, type Disposition } from '../../../shared/clinical/observation'
import { ODI_BAND_LABELS, odiBand } from '../../../shared/clinical/scores'
import type { OutcomeFilter } from '../../../shared/schemas/outcomes'
import { COMPLICATION_LABELS, CPT_DESCRIPTIONS, PROCEDURE_KIND_LABELS } from '../../../shared/schemas/procedures'
import type { Tx } from '../../db/tx'
import { filteredProcedures, inError, odiFromAnswers, parseJson } from './common'
import { ExportCancelled } from './outcomesCsv'

export const LOINC = 'http://loinc.org'
export const PAIN_LOINC = '72514-3'
export const CPT = 'http://www.ama-assn.org/go/cpt'
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm'
export const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode'
export const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category'
/** No LOINC code is used for the ODI total here: the clinic's own code system names it. */
export const CLINIC_SCORES = 'urn:spine-clinic:scores'
export const MRN_SYSTEM = 'urn:spine-clinic:mrn'

const uuid = (name: string) => {
  const h = createHash('sha256').update(`spine-clinic:${name}`).digest('hex')
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`
}
const ref = (type: string, id: string | number) => ({ reference: uuid(`${type}/${id}`) })
const text = (t: string): CodeableConcept => ({ text: t })

const APPOINTMENT_STATUS: Record<string, Appointment['status']> = {
  booked: 'booked',
  confirmed: 'booked',
  arrived: 'arrived',
  in_room: 'checked-in',
  completed: 'fulfilled',
  noshow: 'noshow',
  cancelled: 'cancelled',
}

const FHIR_SEX: Record<string, Patient['gender']> = { female: 'female', male: 'male', other: 'other', unknown: 'unknown' }

export interface FhirOptions {
  now: Date
  signal?: AbortSignal
  onProgress?: (procedures: number) => void
}

const PAGE = 200

export async function writeFhirBundle(db: Tx, _engine: Engine, f: OutcomeFilter, out: Writable, o: FhirOptions): Promise<{ procedures: number; resources: number }> {
  let first = true
  let resources = 0
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain')
  }
  const emit = async (type: string, id: string | number, resource: FhirResource) => {
    const entry: BundleEntry = { fullUrl: uuid(`${type}/${id}`), resource }
    await write(`${first ? '' : ',\n'}${JSON.stringify(entry)}`)
    first = false
    resources++
  }
  await write(`{"resourceType":"Bundle","id":${JSON.stringify(uuid(`bundle/${o.now.toISOString()}`).slice(9))},"type":"collection","timestamp":${JSON.stringify(o.now.toISOString())},"entry":[\n`)

  const seenPatients = new Set<number>()
  const seenConsults = new Set<number>()
  let procedures = 0
  let after: { date: string; id: number } | null = null
  for (;;) {
    if (o.signal?.aborted) throw new ExportCancelled()
    let q = filteredProcedures(db, f).innerJoin('users as u', 'u.id', 'p.provider_id').selectAll('p').select('u.display_name as physician')
    if (after) {
      const a = after
      q = q.where((eb) => eb.or([eb('p.procedure_date', '>', a.date), eb.and([eb('p.procedure_date', '=', a.date), eb('p.id', '>', a.id)])]))
    }
    const page = await q.orderBy('p.procedure_date').orderBy('p.id').limit(PAGE).execute()
    if (page.length === 0) break
    const ids = page.map((p) => p.id)
    const patientIds = [...new Set(page.map((p) => p.patient_id))]
    const [patients, levels, stays, followUps, visits, consults] = await Promise.all([
      db.selectFrom('patients').selectAll().where('id', 'in', patientIds).execute(),
      db.selectFrom('procedure_levels').selectAll().where('procedure_id', 'in', ids).orderBy('treated_order').execute(),
      db.selectFrom('stay_decisions').selectAll().where('procedure_id', 'in', ids).execute(),
      db.selectFrom('procedure_follow_ups').selectAll().where('procedure_id', 'in', ids).where('status', '!=', 'cancelled').orderBy('target_date').execute(),
      db.selectFrom('follow_up_visits').selectAll().where('procedure_id', 'in', ids).where('error_at', 'is', null).orderBy('visit_date').execute(),
      db
        .selectFrom('consultations')
        .select(['id', 'patient_id', 'provider_id', 'visit_date', 'pain_nrs', 'odi_answers'])
        .where('patient_id', 'in', patientIds)
        .where('id', 'not in', inError(db, 'consultation'))
        .where((eb) => eb.or([eb('pain_nrs', 'is not', null), eb('odi_answers', 'is not', null)]))
        .orderBy('visit_date', 'desc')
        .orderBy('id', 'desc')
        .execute(),
    ])
    const apptIds = [...page.map((p) => p.appointment_id), ...followUps.map((x) => x.appointment_id)].filter((x): x is number => x !== null)
    const appointments = apptIds.length ? await db.selectFrom('appointments').selectAll().where('id', 'in', apptIds).execute() : []
    const apptById = new Map(appointments.map((a) => [a.id, a]))

    for (const p of page) {
      const pt = patients.find((x) => x.id === p.patient_id)!
      if (!seenPatients.has(pt.id)) {
        seenPatients.add(pt.id)
        const patient: Patient = {
          resourceType: 'Patient',
          id: `patient-${pt.id}`,
          identifier: [{ system: MRN_SYSTEM, value: pt.mrn, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] } }],
          name: [{ family: pt.last_name, given: pt.first_name.split(/\s+/).filter(Boolean) }],
          gender: FHIR_SEX[pt.sex] ?? 'unknown',
          birthDate: pt.date_of_birth,
          ...(pt.phone || pt.email ? { telecom: [...(pt.phone ? [{ system: 'phone' as const, value: pt.phone }] : []), ...(pt.email ? [{ system: 'email' as const, value: pt.email }] : [])] } : {}),
          ...(pt.address ? { address: [{ text: pt.address }] } : {}),
        }
        await emit('Patient', pt.id, patient)
      }
      const subject = ref('Patient', pt.id)
      const lv = levels.filter((l) => l.procedure_id === p.id)
      const bodySites = lv.map((l) => text(`Vertebra ${l.level}`))

      // Conditions: the procedure's diagnoses, or the fracture described in words when none was coded
      const diagnoses = parseJson<{ code: string; description: string }[]>(p.diagnoses, [])
      const conditionRefs: { reference: string }[] = []
      const conditions = diagnoses.length ? diagnoses : [{ code: '', description: 'Vertebral compression fracture' }]
      for (const [i, d] of conditions.entries()) {
        const condition: Condition = {
          resourceType: 'Condition',
          id: `procedure-${p.id}-condition-${i + 1}`,
          clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
          verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
          code: d.code ? { coding: [{ system: ICD10CM, code: d.code, display: d.description }], text: d.description } : text(d.description),
          ...(bodySites.length ? { bodySite: bodySites } : {}),
          subject,
          recordedDate: p.procedure_date,
        }
        await emit('Condition', `${p.id}-${i + 1}`, condition)
        conditionRefs.push(ref('Condition', `${p.id}-${i + 1}`))
      }

      const appt = p.appointment_id !== null ? apptById.get(p.appointment_id) : undefined
      if (appt) await emit('Appointment', appt.id, appointmentOf(appt, pt.id, 'Procedure'))

      const stay = stays.find((s) => s.procedure_id === p.id)
      const disposition = stay?.disposition as Disposition | undefined
      const encounter: Encounter = {
        resourceType: 'Encounter',
        id: `procedure-${p.id}`,
        status: 'finished',
        class: disposition === 'overnight' ? { system: ACT_CODE, code: 'IMP', display: 'inpatient encounter' } : { system: ACT_CODE, code: 'OBSENC', display: 'observation encounter' },
        subject,
        ...(appt ? { appointment: [ref('Appointment', appt.id)] } : {}),
        period: { start: p.started_at ?? p.procedure_date, ...(p.ended_at && !disposition ? { end: p.ended_at } : {}) },
        ...(disposition
          ? { hospitalization: { dischargeDisposition: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'home', display: 'Home' }], text: DISPOSITION_LABELS[disposition] } } }
          : {}),
      }
      await emit('Encounter', `procedure-${p.id}`, encounter)

      const cpt = deriveCptCodes(p.kind as 'vertebroplasty' | 'kyphoplasty', lv.map((l) => l.level as VertebralLevel))
      const complications = [...parseJson<string[]>(p.intra_complications, []), ...parseJson<string[]>(p.post_complications, [])]
      const fus = followUps.filter((x) => x.procedure_id === p.id)
      const procedure: Procedure = {
        resourceType: 'Procedure',
        id: `procedure-${p.id}`,
        status: 'completed',
        code: { coding: cpt.summary.map((c) => ({ system: CPT, code: c.code, display: CPT_DESCRIPTIONS[c.code] })), text: PROCEDURE_KIND_LABELS[p.kind as 'kyphoplasty'] ?? p.kind },
        subject,
        encounter: ref('Encounter', `procedure-${p.id}`),
        ...(p.started_at ? { performedPeriod: { start: p.started_at, ...(p.ended_at ? { end: p.ended_at } : {}) } } : { performedDateTime: p.procedure_date }),
        performer: [{ actor: { display: p.physician } }],
        ...(conditionRefs.length ? { reasonReference: conditionRefs } : {}),
        ...(bodySites.length ? { bodySite: bodySites } : {}),
        ...(complications.length ? { complication: [...new Set(complications)].map((c) => text(COMPLICATION_LABELS[c as 'other'] ?? c)) } : {}),
        ...(fus.length ? { followUp: fus.map((x) => text(`${x.label} follow-up (${x.target_date})`)) } : {}),
      }
      await emit('Procedure', p.id, procedure)

      for (const x of fus) {
        const a = x.appointment_id !== null ? apptById.get(x.appointment_id) : undefined
        if (a && a.id !== appt?.id) await emit('Appointment', a.id, appointmentOf(a, pt.id, `${x.label} follow-up`))
      }

      // baseline: the latest scored consultation on or before the procedure
      const baseline = consults.find((c) => c.patient_id === p.patient_id && c.visit_date <= p.procedure_date)
      if (baseline && !seenConsults.has(baseline.id)) {
        seenConsults.add(baseline.id)
        const enc = `consultation-${baseline.id}`
        await emit('Encounter', enc, { resourceType: 'Encounter', id: enc, status: 'finished', class: { system: ACT_CODE, code: 'AMB', display: 'ambulatory' }, subject, period: { start: baseline.visit_date, end: baseline.visit_date } })
        await emitScores(emit, `consultation-${baseline.id}`, subject, ref('Encounter', enc), baseline.visit_date, baseline.pain_nrs, odiFromAnswers(baseline.odi_answers))
      }
      for (const v of visits.filter((x) => x.procedure_id === p.id)) {
        const enc = `follow-up-visit-${v.id}`
        await emit('Encounter', enc, {
          resourceType: 'Encounter',
          id: enc,
          status: 'finished',
          class: { system: ACT_CODE, code: 'AMB', display: 'ambulatory' },
          type: [text(`${v.label} follow-up after ${PROCEDURE_KIND_LABELS[p.kind as 'kyphoplasty'] ?? p.kind}`)],
          subject,
          period: { start: v.visit_date, end: v.visit_date },
        })
        await emitScores(emit, `visit-${v.id}`, subject, ref('Encounter', enc), v.visit_date, v.pain_nrs, v.odi_score)
      }
      procedures++
    }
    o.onProgress?.(procedures)
    const last = page[page.length - 1]!
    after = { date: last.procedure_date, id: last.id }
    if (page.length < PAGE) break
  }
  await write('\n]}\n')
  return { procedures, resources }
}

function appointmentOf(a: { id: number; status: string; starts_at: string; ends_at: string }, patientId: number, what: string): Appointment {
  return {
    resourceType: 'Appointment',
    id: `appointment-${a.id}`,
    status: APPOINTMENT_STATUS[a.status] ?? 'booked',
    description: what,
    start: a.starts_at,
    end: a.ends_at,
    participant: [{ actor: ref('Patient', patientId), status: 'accepted' }],
  }
}

async function emitScores(
  emit: (type: string, id: string, r: FhirResource) => Promise<void>,
  key: string,
  subject: { reference: string },
  encounter: { reference: string },
  date: string,
  pain: number | null,
  odi: number | null,
): Promise<void> {
  const category = [{ coding: [{ system: OBS_CATEGORY, code: 'survey', display: 'Survey' }] }]
  if (pain !== null) {
    const o: Observation = {
      resourceType: 'Observation',
      id: `${key}-pain`,
      status: 'final',
      category,
      code: { coding: [{ system: LOINC, code: PAIN_LOINC, display: 'Pain severity 0-10 verbal numeric rating [Score] - Reported' }], text: 'Pain (0-10)' },
      subject,
      encounter,
      effectiveDateTime: date,
      valueInteger: pain,
    }
    await emit('Observation', `${key}-pain`, o)
  }
  if (odi !== null) {
    const o: Observation = {
      resourceType: 'Observation',
      id: `${key}-odi`,
      status: 'final',
      category,
      code: { coding: [{ system: CLINIC_SCORES, code: 'odi', display: 'Oswestry Disability Index' }], text: 'Oswestry Disability Index' },
      subject,
      encounter,
      effectiveDateTime: date,
      valueQuantity: { value: odi, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
      interpretation: [text(ODI_BAND_LABELS[odiBand(odi)])],
    }
    await emit('Observation', `${key}-odi`, o)
  }
}
