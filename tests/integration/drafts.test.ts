/**
 * Drafts (a user's unsaved forms) through the real router on a real database: each user reaches only their
 * own; bad input is refused naming the field and changes nothing; typing writes no audit row per save; a
 * discard removes the draft; autosave does not keep the idle lock away, and the save fired as the lock
 * begins still lands; a reloaded window keeps its user, locked.
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { AppEvent } from '../../shared/contract'
import { MAX_DRAFT_JSON } from '../../shared/schemas/drafts'
import { createRouter, LOCK_GRACE_MS } from '../../electron/rpc'
import { describeEachEngine, allTableCounts, newWindow, openClinic, PASSWORD, type Clinic } from './harness'

const note = (text: string) => JSON.stringify({ values: { fields: { chiefComplaint: text } }, baseVersion: 0 })
const save = (key: string, text: string, screen = '/consultations/1') => ({ key, screen, json: note(text) })

async function auditRows(clinic: Clinic, action: string) {
  return clinic.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute()
}

async function draftRows(clinic: Clinic) {
  return clinic.database.db.selectFrom('drafts').selectAll().orderBy('user_id').orderBy('draft_key').execute()
}

const minutes = (clinic: Clinic, n: number) => (clinic.clock.now = new Date(clinic.clock.now.getTime() + n * 60_000))

describeEachEngine('drafts on %s', (engine) => {
  let clinic: Clinic
  beforeEach(async () => {
    clinic = await openClinic({ engine })
  }, 60_000)
  afterEach(async () => clinic?.close())

  it('a user reaches only their own drafts, from any of their windows', async () => {
    const docA = await clinic.as('physician', 'doc-a')
    const docB = await clinic.as('physician', 'doc-b')
    const secondWindowOfA = newWindow()
    await clinic.ok(secondWindowOfA, 'session.signIn', { username: 'doc-a', password: PASSWORD })

    await clinic.ok(docA, 'drafts.save', save('consultation:1', 'A typed this: L1 pain, "sudden", ñ'))
    expect(await clinic.ok(docB, 'drafts.get', { key: 'consultation:1' })).toBeNull()
    const inOtherWindow = await clinic.ok(secondWindowOfA, 'drafts.get', { key: 'consultation:1' })
    expect(JSON.parse(inOtherWindow!.json)).toEqual({ values: { fields: { chiefComplaint: 'A typed this: L1 pain, "sudden", ñ' } }, baseVersion: 0 })
    expect(inOtherWindow).toMatchObject({ key: 'consultation:1', screen: '/consultations/1', createdAt: clinic.clock.now.toISOString() })

    // B's own draft of the same form, and B's discard, leave A's as it was
    await clinic.ok(docB, 'drafts.save', save('consultation:1', 'B typed this'))
    expect(await clinic.ok(docB, 'drafts.discard', { key: 'consultation:1', reason: 'discarded' })).toEqual({ key: 'consultation:1', discarded: true })
    expect(JSON.parse((await clinic.ok(docA, 'drafts.get', { key: 'consultation:1' }))!.json).values.fields.chiefComplaint).toBe('A typed this: L1 pain, "sudden", ñ')
    expect((await draftRows(clinic)).map((r) => r.draft_key)).toEqual(['consultation:1'])
  })

  it('refuses a malformed or oversized draft, naming the field, and changes nothing', async () => {
    const doc = await clinic.as('physician')
    await clinic.ok(doc, 'drafts.save', save('consultation:1', 'kept as typed'))
    const before = { counts: await allTableCounts(clinic.database), rows: await draftRows(clinic) }
    const refused: [unknown, string, RegExp][] = [
      [{ ...save('consultation:1', 'x'), json: 'x'.repeat(MAX_DRAFT_JSON + 1) }, 'json', /too large/],
      [{ ...save('consultation:1', 'x'), json: JSON.stringify({ values: 'y'.repeat(MAX_DRAFT_JSON) }) }, 'json', /too large/],
      [{ ...save('consultation:1', 'x'), json: '{"values": ' }, 'json', /JSON object/],
      [{ ...save('consultation:1', 'x'), json: '[1, 2]' }, 'json', /JSON object/],
      [{ ...save('consultation:1', 'x'), json: `${'['.repeat(50_000)}${']'.repeat(50_000)}` }, 'json', /JSON object/],
      [save('Consultation 1; DROP TABLE drafts', 'x'), 'key', /form's name/],
      [save('', 'x'), 'key', /required/],
      [save(`consultation:${'9'.repeat(120)}`, 'x'), 'key', /at most 100/],
      [save('consultation:1', 'x', 'https://evil.example/'), 'screen', /address in the app/],
      [{ ...save('consultation:1', 'x'), userId: 1 }, 'input', /.+/],
    ]
    for (const [input, field, message] of refused) {
      const r = await clinic.call(doc, 'drafts.save', input as never)
      expect(r.ok, JSON.stringify(input).slice(0, 80)).toBe(false)
      if (r.ok) continue
      expect(r.error.code).toBe('invalid_input')
      expect(Object.keys(r.error.fields ?? {}).join(' ')).toMatch(new RegExp(`^${field}|${field}$`))
      expect(Object.values(r.error.fields ?? {}).join(' ')).toMatch(message)
    }
    const discard = await clinic.call(doc, 'drafts.discard', { key: 'consultation:1', reason: 'because' as never })
    expect(discard.ok || discard.error.fields).toEqual({ reason: 'must be saved or discarded' })
    expect(await allTableCounts(clinic.database)).toEqual(before.counts)
    expect(await draftRows(clinic)).toEqual(before.rows)
  })

  it('writes one audit row when a draft comes to exist and one when it goes, none per autosave', async () => {
    const doc = await clinic.as('physician')
    const auditBefore = (await allTableCounts(clinic.database)).audit_log!
    let text = ''
    for (const ch of 'Pain at L1 since a fall on Tuesday') {
      text += ch
      clinic.clock.now = new Date(clinic.clock.now.getTime() + 1_000)
      await clinic.ok(doc, 'drafts.save', save('consultation:1', text))
    }
    expect((await allTableCounts(clinic.database)).audit_log).toBe(auditBefore + 1)
    const [created] = await auditRows(clinic, 'draft.create')
    expect(created).toMatchObject({ entity: 'draft', entity_id: 'consultation:1' })
    // who kept unsaved text and where, never the text itself
    expect(JSON.parse(created!.details)).toEqual({ screen: '/consultations/1' })
    const row = (await draftRows(clinic))[0]!
    expect(JSON.parse(row.data).values.fields.chiefComplaint).toBe(text)
    expect(row.updated_at).toBe(clinic.clock.now.toISOString())
    expect(row.created_at < row.updated_at).toBe(true)

    expect(await clinic.ok(doc, 'drafts.discard', { key: 'consultation:1', reason: 'saved' })).toEqual({ key: 'consultation:1', discarded: true })
    expect(await clinic.ok(doc, 'drafts.get', { key: 'consultation:1' })).toBeNull()
    const [gone] = await auditRows(clinic, 'draft.discard')
    expect(JSON.parse(gone!.details)).toEqual({ reason: 'saved' })
    // discarding what is not there is no change, and no row
    expect(await clinic.ok(doc, 'drafts.discard', { key: 'consultation:1', reason: 'discarded' })).toEqual({ key: 'consultation:1', discarded: false })
    expect((await allTableCounts(clinic.database)).audit_log).toBe(auditBefore + 2)
  })

  it('announces no change to other windows (nobody else sees a draft)', async () => {
    const events: AppEvent[] = []
    const router = createRouter({ database: clinic.database, now: () => clinic.clock.now, emit: (e) => events.push(e), log: () => {} })
    await clinic.as('physician', 'doc-events')
    const w = newWindow()
    const signedIn = await router.call(w, 'session.signIn', { username: 'doc-events', password: PASSWORD })
    expect(signedIn.ok).toBe(true)
    expect((await router.call(w, 'drafts.save', save('consultation:1', 'typed'))).ok).toBe(true)
    expect((await router.call(w, 'drafts.discard', { key: 'consultation:1', reason: 'discarded' })).ok).toBe(true)
    expect(events).toEqual([])
  })

  it('autosave does not keep the idle lock away, and the save fired as the lock begins still lands', async () => {
    const doc = await clinic.as('physician')
    await clinic.ok(doc, 'patients.search', { q: 'nobody' }) // the person's last action
    // Autosaves for nine minutes do not count as activity...
    for (let i = 0; i < 9; i++) {
      minutes(clinic, 1)
      await clinic.ok(doc, 'drafts.save', save('consultation:1', `minute ${i}`))
    }
    // ...so the save made when the ten idle minutes are up locks the window, and is kept.
    minutes(clinic, 1.5)
    await clinic.ok(doc, 'drafts.save', save('consultation:1', 'typed just before the lock'))
    expect(clinic.router.sessions.get(doc)).toMatchObject({ locked: true, lockedAt: clinic.clock.now.getTime() })
    expect(JSON.parse((await draftRows(clinic))[0]!.data).values.fields.chiefComplaint).toBe('typed just before the lock')
    expect((await auditRows(clinic, 'session.lock')).map((r) => JSON.parse(r.details))).toEqual([{ reason: 'idle' }])

    // Locked: nothing is read back, and a moment later nothing more is written.
    const read = await clinic.call(doc, 'drafts.get', { key: 'consultation:1' })
    expect(read.ok || read.error.message).toMatch(/screen is locked/)
    clinic.clock.now = new Date(clinic.clock.now.getTime() + LOCK_GRACE_MS + 1)
    const late = await clinic.call(doc, 'drafts.save', save('consultation:1', 'written long after the lock'))
    expect(late.ok || late.error.message).toMatch(/screen is locked/)

    // The password brings the text back.
    await clinic.ok(doc, 'session.unlock', { password: PASSWORD })
    const back = await clinic.ok(doc, 'drafts.get', { key: 'consultation:1' })
    expect(JSON.parse(back!.json).values.fields.chiefComplaint).toBe('typed just before the lock')
  })

  it("a window locked by its own Lock button accepts the form's last autosave for a moment only", async () => {
    const doc = await clinic.as('physician')
    await clinic.ok(doc, 'session.lock', { reason: 'user' })
    await clinic.ok(doc, 'drafts.save', save('consultation:1', 'saved as the lock screen came up'))
    clinic.clock.now = new Date(clinic.clock.now.getTime() + LOCK_GRACE_MS + 1)
    expect((await clinic.call(doc, 'drafts.discard', { key: 'consultation:1', reason: 'discarded' })).ok).toBe(false)
    expect(await draftRows(clinic)).toHaveLength(1)
    // A window that locked without the router knowing when (no lockedAt) gets no grace at all.
    const other = await clinic.as('physician')
    clinic.router.sessions.get(other)!.locked = true
    expect((await clinic.call(other, 'drafts.save', save('consultation:2', 'x'))).ok).toBe(false)
  })

  it('a reloaded window keeps its user, locked, with the lock audited; the old window has no session', async () => {
    const doc = await clinic.as('physician', 'doc-reload')
    await clinic.ok(doc, 'drafts.save', save('consultation:1', 'typed before the reload'))
    const reloaded = newWindow()
    expect(await clinic.router.reopenWindow(doc, reloaded)).toBe(true)
    expect(await clinic.ok(reloaded, 'session.state')).toMatchObject({ user: { username: 'doc-reload' }, locked: true })
    expect(await clinic.ok(doc, 'session.state')).toMatchObject({ user: null })
    expect((await auditRows(clinic, 'session.lock')).map((r) => JSON.parse(r.details))).toEqual([{ reason: 'reload' }])
    expect((await clinic.call(reloaded, 'drafts.get', { key: 'consultation:1' })).ok).toBe(false)
    await clinic.ok(reloaded, 'session.unlock', { password: PASSWORD })
    expect(JSON.parse((await clinic.ok(reloaded, 'drafts.get', { key: 'consultation:1' }))!.json).values.fields.chiefComplaint).toBe('typed before the reload')
    // a window without a session has nothing to hand on
    expect(await clinic.router.reopenWindow(newWindow(), newWindow())).toBe(false)
  })
})
