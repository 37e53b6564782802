/**
 * A well-formed input for each channel, used by the hostile-input and authorization tests
 * (hostile.test.ts): the authorization matrix calls every channel with its sample, so that a refused
 * call is refused for who is calling and not for a malformed input, and the fuzzer mutates samples to
 * reach past validation into the services. A channel without a sample is still tested, with `{}` and
 * random input; add one here when you add a channel.
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Channel } from '../../shared/contract'
import { PASSWORD, SAMPLE_PATIENT } from './harness'

export interface SampleContext {
  /** A front-desk user who signs in with PASSWORD. */
  deskUsername: string
  deskId: number
  patientId: number
  settingsVersion(): Promise<number>
}

let seq = 0

export function channelSamples(ctx: SampleContext): Partial<Record<Channel, () => unknown | Promise<unknown>>> {
  return {
    'session.state': () => ({}),
    'setup.complete': () => ({ clinicName: 'Another Clinic', admin: { displayName: 'Other Admin', username: `other${++seq}`, password: PASSWORD } }),
    'session.signIn': () => ({ username: ctx.deskUsername, password: PASSWORD }),
    'session.signOut': () => ({}),
    'session.lock': () => ({}),
    'session.unlock': () => ({ password: PASSWORD }),
    // refused (the new password must differ), so the front desk keeps PASSWORD for the samples after it
    'session.changePassword': () => ({ currentPassword: PASSWORD, newPassword: PASSWORD }),
    'settings.get': () => ({}),
    'settings.update': async () => ({
      version: await ctx.settingsVersion(),
      settings: { clinicName: 'Test Spine Clinic', mrnPrefix: 'SC', idleLockSeconds: 600, timeZone: 'America/New_York', backupFolder: '', backupTime: '19:00' },
    }),
    // no folder dialog in the tests' router: answers { available: false } and changes nothing
    'settings.chooseBackupFolder': () => ({}),
    'users.list': () => ({}),
    'users.create': () => ({ displayName: 'New Person', username: `sample${++seq}`, role: 'frontDesk', password: PASSWORD }),
    'users.update': () => ({ id: ctx.deskId, version: 0, displayName: 'Front Desk', role: 'frontDesk', active: true }),
    'users.resetPassword': () => ({ id: ctx.deskId, password: PASSWORD }),
    'audit.list': () => ({ limit: 5, action: 'patient.view', from: '2026-01-01', to: '2026-12-31' }),
    'audit.filterOptions': () => ({}),
    'audit.findPatients': () => ({ q: 'nunez' }),
    'audit.export': () => ({ patientId: ctx.patientId, from: '2026-01-01', to: '2026-12-31' }),
    'schedule.dayList.printed': () => ({ providerId: ctx.deskId, date: '2026-11-30' }),
    'schedule.appointments.forPatient': () => ({ patientId: ctx.patientId }),
    'patients.search': () => ({ q: 'nunez' }),
    'patients.get': () => ({ id: ctx.patientId }),
    'patients.findDuplicates': () => ({ firstName: 'Maria', lastName: 'Nunez', dateOfBirth: '1948-02-29' }),
    'patients.register': () => ({ ...SAMPLE_PATIENT, firstName: `Sample${++seq}`, acknowledgeDuplicate: true }),
    'patients.update': () => ({ ...SAMPLE_PATIENT, id: ctx.patientId, version: 0 }),
    'backup.run': () => ({}),
    'backup.list': () => ({}),
    'backup.restore': () => ({ name: 'clinic-2026-01-01T00-00-00-000Z-manual.sqlite' }),
    'database.connection': () => ({}),
    // A file that does not exist in a folder that does: the test reports "empty" and creates nothing.
    'database.test': () => ({ engine: 'sqlite', file: join(tmpdir(), 'clinic-sample-never-created.sqlite') }),
    // Refused: this window tested nothing (conflict), so nothing is written.
    'database.save': () => ({ engine: 'sqlite', file: join(tmpdir(), 'clinic-sample-never-created.sqlite') }),
    'followUps.due': () => ({}),
    'followUps.worklist': () => ({ daysAhead: 28, physicianId: 2, label: '6 weeks', band: 'overdueUpTo30' }),
    // no follow-up 1 in the sample clinic: refused as not found, nothing written
    'followUps.close': () => ({ id: 1, version: 0, reason: 'other', otherReason: 'Moved to a care home; "the family" will call' }),
    'procedures.recordBiopsyResult': () => ({ procedureId: 1, level: 'T12', result: 'benign', text: 'Osteoporotic fracture, no tumour' }),
    'followUpVisits.record': () => ({ followUpId: 1, fields: { visitDate: '2026-11-30', painNrs: 3, odiAnswers: [1, 1, 1, 1, 1, 1, 1, null, 1, 1], newFracture: true, newFractureLevels: ['T10'] } }),
    'followUpVisits.markEnteredInError': () => ({ visitId: 1, reason: 'sample' }),
    'outcomes.patient': () => ({ patientId: ctx.patientId }),
    'outcomes.dashboard': () => ({ from: '2026-01-01', to: '2026-12-31', physicianId: null, kind: 'kyphoplasty' }),
    'exports.start': () => ({ kind: 'outcomesCsv', filter: { from: '2026-01-01', to: '2026-12-31' }, deidentify: true }),
    'exports.status': () => ({ jobId: '0'.repeat(32) }),
    'exports.cancel': () => ({ jobId: '0'.repeat(32) }),
    'exports.result': () => ({ jobId: '0'.repeat(32) }),
    'drafts.get': () => ({ key: 'consultation:1' }),
    'drafts.save': () => ({ key: 'consultation:1', screen: '/consultations/1', json: JSON.stringify({ values: { fields: { chiefComplaint: 'Back pain' } } }) }),
    'drafts.discard': () => ({ key: 'consultation:1', reason: 'discarded' }),
    'me.preferences.get': () => ({}),
    'me.preferences.set': () => ({ key: 'schedule.zoom', value: 'large' }),
    'referrers.search': () => ({ q: 'durand' }),
    'referrers.get': () => ({ id: 1 }),
    'referrers.duplicates': () => ({ name: 'Dr. Amélie Durand', practice: "St. Mary's", phone: '(555) 010-3000' }),
    'referrers.add': () => ({ name: 'Dr. Amélie Durand', practice: "St. Mary's", phone: '(555) 010-3000', letterDelivery: 'fax', confirmDuplicate: true }),
    'referrers.update': () => ({ id: 1, version: 0, name: 'Dr. Amélie Durand', letterDelivery: 'email' }),
    'referrers.unmatched': () => ({}),
    'referrals.forPatient': () => ({ patientId: ctx.patientId }),
    // a folder that does not exist: refused under 'folder', nothing read or stored (a real disc is imaging-import.test.ts's)
    'imaging.scan': () => ({ patientId: ctx.patientId, folder: join(tmpdir(), 'clinic-sample-no-disc') }),
    'imaging.import.chooseFolder': () => ({}),
    'imaging.import.start': () => ({ patientId: ctx.patientId, folder: join(tmpdir(), 'clinic-sample-no-disc'), confirmedStudyUids: [] }),
    'imaging.import.status': () => ({ jobId: '0'.repeat(32) }),
    'imaging.import.cancel': () => ({ jobId: '0'.repeat(32) }),
    'imaging.studies.forPatient': () => ({ patientId: ctx.patientId }),
    'imaging.studies.open': () => ({ studyId: 1 }),
    'imaging.instances.content': () => ({ instanceId: 1 }),
    'imaging.measurements.forPatient': () => ({ patientId: ctx.patientId }),
    // no such image: refused as not found, nothing stored (the real measurement is imaging-measurements.test.ts's)
    'imaging.measurements.save': () => ({
      instanceId: 999_999,
      consultationId: 1,
      version: 0,
      level: 'L1',
      points: { superiorAnterior: { x: 1, y: 1 }, superiorMiddle: { x: 2, y: 1 }, superiorPosterior: { x: 3, y: 1 }, inferiorAnterior: { x: 1, y: 5 }, inferiorMiddle: { x: 2, y: 5 }, inferiorPosterior: { x: 3, y: 5 } },
      reference: { kind: 'posterior' },
    }),
    // likewise: no such image, nothing stored (the real one is imaging-measurements-procedure.test.ts's)
    'imaging.measurements.saveToProcedure': () => ({
      instanceId: 999_999,
      procedureId: 1,
      version: 0,
      level: 'L1',
      heights: 'before',
      points: { superiorAnterior: { x: 1, y: 1 }, superiorMiddle: { x: 2, y: 1 }, superiorPosterior: { x: 3, y: 1 }, inferiorAnterior: { x: 1, y: 5 }, inferiorMiddle: { x: 2, y: 5 }, inferiorPosterior: { x: 3, y: 5 } },
      reference: { kind: 'posterior' },
    }),
    'referrals.worklist': () => ({}),
    'referrals.add': () => ({ patientId: ctx.patientId, receivedOn: '2026-11-02', referrerId: null, referrerText: 'Dr. Okafor', reason: 'L1 fracture' }),
    'referrals.triage': () => ({ id: 1, version: 0, urgency: 'urgent' }),
    'referrals.decline': () => ({ id: 1, version: 0, reason: 'Not a spine problem' }),
    'referrals.setReferrer': () => ({ id: 1, version: 0, referrerId: 1 }),
    'referrals.stats': () => ({}),
    'documents.forPatient': () => ({ patientId: ctx.patientId }),
    'documents.attach': () => ({ patientId: ctx.patientId, kind: 'referralLetter', title: 'Referral letter', documentDate: '2026-11-02', fileName: 'letter.txt', content: Buffer.from('Dear colleague, L1 fracture.\n').toString('base64') }),
    'documents.open': () => ({ id: 1, use: 'view' }),
    'documents.printed': () => ({ id: 1 }),
    'documents.markEnteredInError': () => ({ id: 1, version: 0, reason: 'Filed on the wrong chart' }),
    'letters.worklist': () => ({}),
    'letters.forPatient': () => ({ patientId: ctx.patientId }),
    'letters.signerDefaults': () => ({}),
    'letters.draftPdf': () => ({ source: { kind: 'consultation', recordId: 1 }, referrerId: 1, signerCredentials: 'MD' }),
    'letters.produce': () => ({ source: { kind: 'consultation', recordId: 1 }, referrerId: 1, signerCredentials: 'MD', password: PASSWORD }),
    'letters.pdf': () => ({ id: 1, purpose: 'view' }),
    'letters.markSent': () => ({ id: 1, version: 0, method: 'fax' }),
    'letters.markEnteredInError': () => ({ id: 1, version: 0, reason: 'Sent to the wrong referrer' }),
    // the ASAP list: well-formed, so the fuzzer reaches the service (no entry 1 for the edits: not_found)
    'schedule.asap.list': () => ({ includeRemoved: true }),
    'schedule.asap.add': () => ({ patientId: ctx.patientId, typeId: 1, providerId: null, windows: [{ days: [1, 3], from: '08:00', to: '12:00' }], note: 'Daughter drives; "mornings"' }),
    'schedule.asap.update': () => ({ id: 1, version: 0, typeId: 1, windows: [{ days: [2], from: '13:00', to: '17:00' }] }),
    'schedule.asap.remove': () => ({ id: 1, version: 0, reason: 'other', note: 'Moved away' }),
    'schedule.asap.fitsSlot': () => ({ typeId: 1, providerId: 1, roomId: 1, startsAt: '2026-12-01T15:00:00.000Z', endsAt: '2026-12-01T15:30:00.000Z' }),
    'schedule.asap.book': () => ({ entryId: 1, version: 0, startsAt: '2026-12-01T15:00:00.000Z', providerId: 1, roomId: 1 }),
    'confirmations.list': () => ({ date: '2026-12-01' }),
    'confirmations.logAttempt': () => ({ appointmentId: 1, version: 0, outcome: 'leftMessage', note: 'Left "call back" – Zoë', confirm: false }),
    'outcomes.attendance': () => ({ from: '2026-11-01', to: '2026-11-30', physicianId: null }),
    // reminders: well-formed, so the fuzzer reaches the services (no outbox row 1: not_found; no SMTP server set; no keystore)
    'reminders.outbox': () => ({ show: 'all', limit: 50 }),
    'reminders.letterPdf': () => ({ id: 1 }),
    'reminders.markPrinted': () => ({ ids: [1] }),
    'reminders.resolveUncertain': () => ({ id: 1, decision: 'sendAgain' }),
    'reminders.testEmail': () => ({ to: 'it@clinic.example' }),
    'reminders.smtpPassword': () => ({}),
    'reminders.setSmtpPassword': () => ({ password: 'not-stored-without-a-keystore' }),
    // one action, one transaction: well-formed, so the fuzzer's mutations reach the services (and their rollback)
    'schedule.appointments.bookAndLink': () => ({
      patientId: ctx.patientId,
      typeId: 2,
      providerId: 1,
      startsAt: '2026-12-01T15:00:00.000Z',
      notes: '',
      link: { kind: 'request', id: 1, version: 0 },
    }),
    // the pre-procedure checklist: well-formed, so the fuzzer reaches the service (no procedure 1 there: not_found)
    'procedures.checklist.get': () => ({ procedureId: 1 }),
    'procedures.checklist.save': () => ({
      procedureId: 1,
      version: null,
      checklist: {
        consent: { obtainedBy: 'Dr Sample', obtainedAt: '2026-11-23T15:00:00.000Z', procedureKind: 'kyphoplasty', levels: ['T12'] },
        inr: { value: 1.1, date: '2026-11-27' },
        platelets: { value: 210, date: '2026-11-27' },
        antithrombotics: [{ drug: 'apixaban', lastDoseAt: '2026-11-27T08:00:00.000Z', restartOn: '2026-12-02' }],
        pregnancy: 'notRecorded',
        infectionScreen: 'noSigns',
        allergiesConfirmed: true,
        fastingSince: '2026-11-30T06:00:00.000Z',
      },
    }),
    'procedures.checklist.signOff': () => ({ procedureId: 1, version: 0, overrideReason: 'sample', password: PASSWORD }),
    'consultations.saveNote': () => ({
      id: 1,
      version: 0,
      decision: { decision: 'continueConservative', levels: [], reason: 'sample', contraindications: [], overrideReason: '' },
    }),
  }
}
