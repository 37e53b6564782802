/**
 * How each patient wants to be contacted (issue 21 point 1), through the router on SQLite and PostgreSQL: the
 * preference and the reminder consent are saved and read back; who recorded the consent and when are the signed-in
 * user and the server's clock, whatever the screen sends; a preference the clinic cannot act on (e-mail without an
 * address, a letter without a postal address) is refused naming the field, with nothing changed; and the audit
 * row says what changed.
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { allTableCounts, describeEachEngine, expectError, openClinic, SAMPLE_PATIENT, type Clinic } from './harness'

describeEachEngine('contact preferences on %s', (engine) => {
  let clinic: Clinic
  let desk: string
  let deskId: number

  beforeEach(async () => {
    clinic = await openClinic({ engine })
    desk = await clinic.as('frontDesk', 'desk')
    deskId = (await clinic.database.db.selectFrom('users').select('id').where('username', '=', 'desk').executeTakeFirstOrThrow()).id
  })
  afterEach(async () => clinic?.close())

  it('starts at phone, not asked yet; records who gave consent and when, server-side', async () => {
    const p = await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)
    expect(p).toMatchObject({ contactPreference: 'phone', reminderConsent: null, reminderConsentRecorded: null })

    clinic.clock.now = new Date('2026-11-30T14:05:00.000Z')
    // the screen cannot say who or when: extra keys are not part of the contract and are ignored
    const saved = await clinic.ok(desk, 'patients.update', { ...SAMPLE_PATIENT, id: p.id, version: p.version, contactPreference: 'email', reminderConsent: 'given', reminderConsentBy: 1, reminderConsentAt: '2020-01-01T00:00:00.000Z' } as never)
    expect(saved).toMatchObject({ contactPreference: 'email', reminderConsent: 'given', reminderConsentRecorded: { byId: deskId, byName: 'frontDesk desk', at: '2026-11-30T14:05:00.000Z' } })
    const row = await clinic.database.db.selectFrom('patients').select(['contact_preference', 'reminder_consent', 'reminder_consent_by', 'reminder_consent_at']).where('id', '=', p.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ contact_preference: 'email', reminder_consent: 'given', reminder_consent_by: deskId, reminder_consent_at: '2026-11-30T14:05:00.000Z' })

    // an unrelated edit keeps who recorded the consent and when
    clinic.clock.now = new Date('2026-11-30T14:08:00.000Z')
    const again = await clinic.ok(desk, 'patients.update', { ...SAMPLE_PATIENT, id: p.id, version: saved.version, contactPreference: 'email', reminderConsent: 'given', notes: 'prefers mornings' })
    expect(again.reminderConsentRecorded?.at).toBe('2026-11-30T14:05:00.000Z')

    // an opt-out by another user: declined, with the new who and when
    // (the clock moves by minutes: ten idle minutes would lock the screen)
    const other = await clinic.as('frontDesk', 'desk2')
    clinic.clock.now = new Date('2026-11-30T14:09:00.000Z')
    const out = await clinic.ok(other, 'patients.update', { ...SAMPLE_PATIENT, id: p.id, version: again.version, contactPreference: 'email', reminderConsent: 'declined', notes: 'prefers mornings' })
    expect(out).toMatchObject({ reminderConsent: 'declined', reminderConsentRecorded: { byName: 'frontDesk desk2', at: '2026-11-30T14:09:00.000Z' } })

    const audit = await clinic.database.db.selectFrom('audit_log').select(['action', 'details']).where('entity', '=', 'patient').where('action', '=', 'patient.update').orderBy('id').execute()
    const details = audit.map((a) => JSON.parse(String(a.details)))
    expect(details[0]).toMatchObject({ changed: ['contactPreference', 'reminderConsent'], contactPreference: 'email', reminderConsent: 'given' })
    expect(details[2]).toMatchObject({ changed: ['reminderConsent'], reminderConsent: 'declined' })

    // registered with consent at once: recorded by the registrar at registration
    const q = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Quinn', contactPreference: 'letter', reminderConsent: 'given' })
    expect(q.reminderConsentRecorded).toMatchObject({ byId: deskId, at: '2026-11-30T14:09:00.000Z' })
  })

  it('refuses e-mail without an address, a letter without a postal address, and consent back to not asked, naming the field', async () => {
    const p = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, reminderConsent: 'declined' })
    const before = await allTableCounts(clinic.database)
    const row = async () => clinic.database.db.selectFrom('patients').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow()
    const unchanged = await row()

    const noEmail = await clinic.call(desk, 'patients.update', { ...SAMPLE_PATIENT, email: '', id: p.id, version: p.version, contactPreference: 'email', reminderConsent: 'declined' })
    expectError(noEmail, 'invalid_input', 'email')
    expect(noEmail.ok ? '' : noEmail.error.message).toContain('is needed to send reminders by e-mail')

    const noAddress = await clinic.call(desk, 'patients.update', { ...SAMPLE_PATIENT, address: '  ', id: p.id, version: p.version, contactPreference: 'letter', reminderConsent: 'declined' })
    expectError(noAddress, 'invalid_input', 'address')
    expect(noAddress.ok ? '' : noAddress.error.message).toContain('is needed to send reminders by letter')

    const back = await clinic.call(desk, 'patients.update', { ...SAMPLE_PATIENT, id: p.id, version: p.version, contactPreference: 'phone', reminderConsent: null })
    expectError(back, 'invalid_input', 'reminderConsent')

    const bad = await clinic.call(desk, 'patients.update', { ...SAMPLE_PATIENT, id: p.id, version: p.version, contactPreference: 'fax' } as never)
    expectError(bad, 'invalid_input', 'contactPreference')

    const newNoEmail = await clinic.call(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Other', email: '', contactPreference: 'email' })
    expectError(newNoEmail, 'invalid_input', 'email')

    expect(await allTableCounts(clinic.database)).toEqual(before)
    expect(await row()).toEqual(unchanged)
  })
})
