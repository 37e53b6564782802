import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SIGN_IN_REFUSED } from '../../electron/services/session'
import { describeEachEngine, ADMIN, newWindow, openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'
import { databaseDigest } from './digest'
import { fieldName } from '../../shared/fieldNames'

describeEachEngine('on %s', (engine) => {
let clinic: Clinic
afterEach(async () => clinic?.close())

describe('first run', () => {
  beforeEach(async () => {
    clinic = await openClinic({ setup: false, engine })
  })

  it('asks for setup until the clinic and its first administrator exist', async () => {
    const w = newWindow()
    expect(await clinic.ok(w, 'session.state')).toMatchObject({ needsSetup: true, user: null })
    const state = await clinic.ok(w, 'setup.complete', { clinicName: 'Riverside Spine', admin: ADMIN })
    expect(state).toMatchObject({ needsSetup: false, clinicName: 'Riverside Spine', user: { username: 'admin', role: 'admin' } })
    // A second window sees a configured clinic and nobody signed in.
    expect(await clinic.ok(newWindow(), 'session.state')).toMatchObject({ needsSetup: false, user: null })
  })

  it('refuses a second setup', async () => {
    await clinic.ok(newWindow(), 'setup.complete', { clinicName: 'Riverside Spine', admin: ADMIN })
    const r = await clinic.call(newWindow(), 'setup.complete', { clinicName: 'Evil', admin: { ...ADMIN, username: 'evil' } })
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })
})

describe('sign-in', () => {
  beforeEach(async () => {
    clinic = await openClinic({ engine })
  })

  it('signs in each window separately and writes sign-in and sign-out to the audit log', async () => {
    const desk = await clinic.as('frontDesk', 'desk1')
    const other = newWindow()
    expect((await clinic.ok(desk, 'session.state')).user?.username).toBe('desk1')
    expect((await clinic.ok(other, 'session.state')).user).toBeNull()
    await clinic.ok(desk, 'session.signOut')
    expect((await clinic.ok(desk, 'session.state')).user).toBeNull()
    const actions = (await clinic.database.db.selectFrom('audit_log').select('action').where('username', '=', 'desk1').execute()).map((r) => r.action)
    expect(actions).toEqual(expect.arrayContaining(['session.signIn', 'session.signOut']))
  })

  it('locks an account for 15 minutes after five wrong passwords, and audits each failure', async () => {
    await clinic.as('physician', 'drbones')
    // from five windows (one window would be slowed down first: access.test.ts), all told the same thing
    for (let i = 1; i <= 5; i++) {
      const r = await clinic.call(newWindow(), 'session.signIn', { username: 'drbones', password: 'wrong-password' })
      expect(r).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: SIGN_IN_REFUSED, fields: { password: 'is wrong' } } })
    }
    const locked = await clinic.database.db.selectFrom('users').select('locked_until').where('username', '=', 'drbones').executeTakeFirstOrThrow()
    expect(locked.locked_until).toBe('2026-11-30T14:15:00.000Z')
    // Even the right password is refused while locked, with the same message.
    const w = newWindow()
    expect(await clinic.call(w, 'session.signIn', { username: 'drbones', password: PASSWORD })).toMatchObject({ ok: false, error: { message: SIGN_IN_REFUSED } })
    clinic.clock.now = new Date('2026-11-30T14:15:01.000Z')
    expect((await clinic.call(w, 'session.signIn', { username: 'drbones', password: PASSWORD })).ok).toBe(true)
    const rows = await clinic.database.db.selectFrom('audit_log').select('action').where('action', 'in', ['session.signInFailed', 'user.lockout']).execute()
    expect(rows.filter((r) => r.action === 'session.signInFailed')).toHaveLength(6)
    expect(rows.filter((r) => r.action === 'user.lockout')).toHaveLength(1)
  })

  it('locks the screen after the idle time and unlocks only with the password', async () => {
    const desk = await clinic.as('frontDesk')
    clinic.clock.now = new Date(clinic.clock.now.getTime() + 601_000)
    const r = await clinic.call(desk, 'patients.search', { q: 'x' })
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    expect((await clinic.ok(desk, 'session.state')).locked).toBe(true)
    expect((await clinic.call(desk, 'session.unlock', { password: 'nope' })).ok).toBe(false)
    await clinic.ok(desk, 'session.unlock', { password: PASSWORD })
    expect((await clinic.call(desk, 'patients.search', { q: 'x' })).ok).toBe(true)
    const lock = await clinic.database.db.selectFrom('audit_log').select('details').where('action', '=', 'session.lock').executeTakeFirst()
    expect(JSON.parse(lock!.details)).toEqual({ reason: 'idle' })
  })

  it('a signed-out window can call nothing but the public channels', async () => {
    const w = newWindow()
    expect(await clinic.call(w, 'patients.search', { q: '' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    expect(await clinic.call(w, 'users.list')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
  })
})

describe('users', () => {
  beforeEach(async () => {
    clinic = await openClinic({ engine })
  })

  it('only administrators manage users', async () => {
    const desk = await clinic.as('frontDesk')
    expect(await clinic.call(desk, 'users.list')).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(
      await clinic.call(desk, 'users.create', { displayName: 'X', username: 'sneaky', role: 'admin', password: PASSWORD }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await clinic.database.db.selectFrom('users').select('id').where('username', '=', 'sneaky').execute()).toHaveLength(0)
  })

  it('refuses a taken user name, naming the field', async () => {
    const admin = await clinic.as('admin', 'second')
    const r = await clinic.call(admin, 'users.create', { displayName: 'Again', username: 'Second', role: 'physician', password: PASSWORD })
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', fields: { username: 'is already taken' } } })
  })

  it('a deactivated user is signed out and cannot sign in', async () => {
    const admin = await clinic.as('admin', 'boss')
    const desk = await clinic.as('frontDesk', 'temp')
    const [u] = (await clinic.ok(admin, 'users.list')).filter((x) => x.username === 'temp')
    await clinic.ok(admin, 'users.update', { id: u!.id, version: u!.version, displayName: u!.displayName, role: 'frontDesk', active: false })
    expect((await clinic.ok(desk, 'session.state')).user).toBeNull()
    expect((await clinic.call(newWindow(), 'session.signIn', { username: 'temp', password: PASSWORD })).ok).toBe(false)
  })

  it('keeps at least one active administrator', async () => {
    const w = newWindow()
    await clinic.ok(w, 'session.signIn', { username: 'admin', password: ADMIN.password })
    const [me] = (await clinic.ok(w, 'users.list')).filter((x) => x.username === 'admin')
    const r = await clinic.call(w, 'users.update', { id: me!.id, version: me!.version, displayName: me!.displayName, role: 'manager', active: true })
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } })
  })
})

describe('patients', () => {
  beforeEach(async () => {
    clinic = await openClinic({ engine })
  })

  it('registers a patient with the next MRN', async () => {
    const desk = await clinic.as('frontDesk')
    const a = await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)
    const b = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Pedro', dateOfBirth: '1950-01-01' })
    expect(a.mrn).toBe('SC-000001')
    expect(b.mrn).toBe('SC-000002')
  })

  it('finds a patient by partial name in any order, ignoring case and accents, by MRN, birth date and phone', async () => {
    const desk = await clinic.as('frontDesk')
    const p = await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)
    await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Tom', lastName: 'Baker', dateOfBirth: '1940-05-05', phone: '555 999 0000' })
    const search = async (q: string) => (await clinic.ok(desk, 'patients.search', { q })).map((r) => r.mrn)
    for (const q of ['nunez maria', 'GARC jos', 'núñez', 'maria nun', p.mrn, 'sc-000001', '1948-02-29', '02/29/1948', '555-201', '5552013344']) {
      expect(await search(q), q).toEqual([p.mrn])
    }
    expect(await search('zzz')).toEqual([])
    // A single letter is too common to look up alone; beside a longer word it must start a name word.
    expect(await search('n')).toEqual([])
    expect(await search('nunez m')).toEqual([p.mrn])
    expect(await search('j nunez')).toEqual([p.mrn])
    expect(await search('nunez t')).toEqual([])
    expect(await search('')).toHaveLength(2)
  })

  it('pages through hundreds of matches in name order, a single letter narrowing them, and finds MRNs by their start', async () => {
    const desk = await clinic.as('frontDesk')
    // 600 Garcias (more than the SQLite search sorts itself: it walks the name index instead) and 600 others.
    const FIRST = ['Maria', 'Ana', 'Marta', 'Lucia']
    const rows = Array.from({ length: 1200 }, (_, i) => {
      const [first, last] = i % 2 === 0 ? [FIRST[(i / 2) % 4]!, 'Garcia'] : [i % 100 === 1 ? 'Rosa Elena' : 'Rosa', 'Lopez']
      const at = '2026-11-30T14:00:00.000Z'
      return { mrn: `SC-${String(i + 1).padStart(6, '0')}`, first_name: first, last_name: last, name_key: `${first} ${last}`.toLowerCase(), date_of_birth: '1950-01-01', sex: 'female', phone: '', phone_digits: '', email: '', address: '', referring_physician: '', notes: '', version: 0, created_at: at, created_by: 1, updated_at: at, updated_by: 1 }
    })
    for (let i = 0; i < rows.length; i += 200) await clinic.database.db.insertInto('patients').values(rows.slice(i, i + 200)).execute()
    const key = (r: { last_name: string; first_name: string; mrn: string }) => [r.last_name, r.first_name, r.mrn]
    const byName = (a: { last_name: string; first_name: string; mrn: string }, b: typeof a) => {
      const [x, y] = [key(a), key(b)]
      const i = x.findIndex((v, j) => v !== y[j])
      return i < 0 ? 0 : x[i]! < y[i]! ? -1 : 1
    }
    const everyPage = async (q: string, limit: number) => {
      const out: string[] = []
      let after: { lastName: string; firstName: string; id: number } | undefined
      for (;;) {
        const page = await clinic.ok(desk, 'patients.search', { q, limit, ...(after ? { after } : {}) })
        out.push(...page.map((p) => p.mrn))
        if (page.length < limit) return out
        const last = page.at(-1)!
        after = { lastName: last.lastName, firstName: last.firstName, id: last.id }
      }
    }
    const garcias = rows.filter((r) => r.last_name === 'Garcia').sort(byName)
    expect(await everyPage('ga', 100)).toEqual(garcias.map((r) => r.mrn))
    const withM = garcias.filter((r) => r.first_name.startsWith('M'))
    expect(await everyPage('garcia m', 50)).toEqual(withM.map((r) => r.mrn))
    expect((await clinic.ok(desk, 'patients.search', { q: 'm garcia', limit: 50 })).map((p) => p.mrn)).toEqual(withM.slice(0, 50).map((r) => r.mrn))
    // a letter that only a few of many matches have, all sorted after the first pages' worth: pages stay full
    const elenas = rows.filter((r) => r.first_name === 'Rosa Elena').sort(byName)
    expect(elenas).toHaveLength(12)
    expect(await everyPage('lopez e', 5)).toEqual(elenas.map((r) => r.mrn))
    // "s" narrows by the name only: every MRN starts with SC, and no name word here starts with s
    expect(await everyPage('garcia s', 50)).toEqual([])
    expect(await everyPage('sc-0001', 200)).toEqual(rows.slice(99, 199).sort(byName).map((r) => r.mrn))
    expect(await everyPage('SC-000777', 10)).toEqual(['SC-000777'])
    expect(await everyPage('XY-000777', 10)).toEqual([])
  })

  it("finds names with apostrophes and hyphens typed with, without or with another mark: obrien, o brien, O’Brien, smith jones", async () => {
    const desk = await clinic.as('frontDesk')
    const obrien = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Siobhán', lastName: "O'Brien", dateOfBirth: '1938-10-01' })
    const curly = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Dermot', lastName: 'O’Brien', dateOfBirth: '1936-03-12' })
    const hyphen = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Anne-Marie', lastName: 'Smith-Jones', dateOfBirth: '1944-07-07' })
    // a double-barrelled name with an apostrophe in its second part: every part finds it (issue 23 point 6)
    const ruiz = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Lucía', lastName: "Ruiz-O'Brien", dateOfBirth: '1947-02-11', phone: '(555) 418-7720' })
    await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Brien', lastName: 'Walsh', dateOfBirth: '1950-01-01' })
    const search = async (q: string) => (await clinic.ok(desk, 'patients.search', { q })).map((r) => r.mrn).sort()
    const both = [obrien.mrn, curly.mrn, ruiz.mrn].sort()
    for (const q of ['obrien', 'OBrien', "o'brien", 'o’brien', 'O’BRIEN', 'oʼbrien', 'o`brien', 'o brien', 'obri', "o'bri"]) expect(await search(q), q).toEqual(both)
    expect(await search('siobhan obrien')).toEqual([obrien.mrn])
    expect(await search('dermot o’brien')).toEqual([curly.mrn])
    expect(await search("dermot o'brien")).toEqual([curly.mrn])
    for (const q of ['ruiz', 'ruiz obrien', "ruiz-o'brien", 'RUIZ-O’BRIEN', 'lucia obrien', 'ruizobrien']) expect(await search(q), q).toEqual([ruiz.mrn])
    // a phone number typed with or without its spaces, dashes and brackets
    for (const q of ['5554187720', '555 418 7720', '555-418-7720', '(555) 418-7720', '(555)418-7720']) expect(await search(q), q).toEqual([ruiz.mrn])
    for (const q of ['smith jones', 'smith-jones', 'smithjones', 'Smith–Jones', 'jones smith', 'anne-marie', 'annemarie smith', 'marie jones']) expect(await search(q), q).toEqual([hyphen.mrn])
    // a renamed patient is found by the new name only
    const renamed = await clinic.ok(desk, 'patients.update', { ...SAMPLE_PATIENT, id: hyphen.id, version: hyphen.version, firstName: 'Anne-Marie', lastName: "D'Arcy" })
    expect(renamed.lastName).toBe("D'Arcy")
    expect(await search('smithjones')).toEqual([])
    expect(await search('darcy')).toEqual([hyphen.mrn])
  })

  it('warns before registering a second patient with the same name and birth date', async () => {
    const desk = await clinic.as('frontDesk')
    await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)
    const before = await databaseDigest(clinic.database)
    const r = await clinic.call(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'maria jose', lastName: 'NUNEZ-GARCIA' })
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', fields: { acknowledgeDuplicate: 'possible duplicate' } } })
    expect(await databaseDigest(clinic.database)).toEqual(before) // every table's content, not only its row count
    const again = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, acknowledgeDuplicate: true })
    expect(again.mrn).toBe('SC-000002')
  })

  it('refuses a stale edit with a conflict instead of overwriting', async () => {
    const desk1 = await clinic.as('frontDesk')
    const desk2 = await clinic.as('physician')
    const p = await clinic.ok(desk1, 'patients.register', SAMPLE_PATIENT)
    await clinic.ok(desk1, 'patients.update', { ...SAMPLE_PATIENT, id: p.id, version: p.version, phone: '555 111 2222' })
    const stale = await clinic.call(desk2, 'patients.update', { ...SAMPLE_PATIENT, id: p.id, version: p.version, notes: 'mine' })
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } })
    const now = await clinic.ok(desk1, 'patients.get', { id: p.id })
    expect(now).toMatchObject({ phone: '555 111 2222', notes: '', version: 1 })
  })

  it('refuses malformed input naming the field and changes nothing', async () => {
    const desk = await clinic.as('frontDesk')
    const before = await databaseDigest(clinic.database)
    const cases: [unknown, string][] = [
      [{ ...SAMPLE_PATIENT, dateOfBirth: '1948-02-30' }, 'dateOfBirth'],
      [{ ...SAMPLE_PATIENT, dateOfBirth: '2999-01-01' }, 'dateOfBirth'],
      [{ ...SAMPLE_PATIENT, firstName: '   ' }, 'firstName'],
      [{ ...SAMPLE_PATIENT, email: 'not-an-email' }, 'email'],
      [{ ...SAMPLE_PATIENT, sex: 'x' }, 'sex'],
      [{ ...SAMPLE_PATIENT, phone: "1; DROP TABLE patients" }, 'phone'],
    ]
    for (const [input, field] of cases) {
      const r = await clinic.router.call(desk, 'patients.register', input)
      expect(r.ok, field).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe('invalid_input')
        expect(Object.keys(r.error.fields ?? {})).toContain(field)
        expect(r.error.message).toContain(fieldName(field)) // in words: "Finding 2, imaging date", not its path
      }
    }
    expect(await databaseDigest(clinic.database)).toEqual(before)
  })

  it('audits every view and change of a patient', async () => {
    const doc = await clinic.as('physician', 'drx')
    const p = await clinic.ok(doc, 'patients.register', SAMPLE_PATIENT)
    await clinic.ok(doc, 'patients.get', { id: p.id })
    const rows = await clinic.database.db.selectFrom('audit_log').select(['action', 'username', 'workstation']).where('patient_id', '=', p.id).execute()
    expect(rows).toEqual([
      { action: 'patient.create', username: 'drx', workstation: 'test-ws' },
      { action: 'patient.view', username: 'drx', workstation: 'test-ws' },
    ])
  })

  it('administrators, who do not treat patients, cannot read them', async () => {
    const admin = await clinic.as('admin')
    expect(await clinic.call(admin, 'patients.search', { q: '' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })
})
})
