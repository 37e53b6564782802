/**
 * A user's own preferences (issue 22 point 1: the schedule's zoom and lanes remembered per user), through the
 * real router on SQLite and PostgreSQL: what is set reads back, from another window of the same user and after a
 * restart of the main process; each user's are separate; an unknown key or a bad value is refused naming the
 * field with nothing changed; no input can reach another user's; a change writes no audit row and is announced
 * to no other window.
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { AppEvent } from '../../shared/contract'
import { createRouter } from '../../electron/rpc'
import { describeEachEngine, allTableCounts, expectError, newWindow, openClinic, PASSWORD, type Clinic } from './harness'

async function preferenceRows(clinic: Clinic) {
  return clinic.database.db.selectFrom('user_preferences').selectAll().orderBy('user_id').orderBy('key').execute()
}

describeEachEngine('user preferences on %s', (engine) => {
  let clinic: Clinic
  beforeEach(async () => {
    clinic = await openClinic({ engine })
  }, 60_000)
  afterEach(async () => clinic?.close())

  it('sets, reads back, overwrites, and keeps them across windows, signing out and a restart', async () => {
    const doc = await clinic.as('physician', 'doc-a')
    expect(await clinic.ok(doc, 'me.preferences.get', {})).toEqual({})

    const set = await clinic.ok(doc, 'me.preferences.set', { key: 'schedule.zoom', value: 'large' })
    expect(set).toEqual({ key: 'schedule.zoom', updatedAt: clinic.clock.now.toISOString() })
    await clinic.ok(doc, 'me.preferences.set', { key: 'schedule.weekLane', value: 'p:12' })
    expect(await clinic.ok(doc, 'me.preferences.get', {})).toEqual({ 'schedule.zoom': 'large', 'schedule.weekLane': 'p:12' })

    // the last choice wins, in place: one row per user and key
    clinic.clock.now = new Date(clinic.clock.now.getTime() + 60_000)
    await clinic.ok(doc, 'me.preferences.set', { key: 'schedule.zoom', value: 'compact' })
    expect((await clinic.ok(doc, 'me.preferences.get', {}))['schedule.zoom']).toBe('compact')
    const rows = await preferenceRows(clinic)
    expect(rows.map((r) => [r.key, r.value])).toEqual([
      ['schedule.weekLane', '"p:12"'],
      ['schedule.zoom', '"compact"'],
    ])
    expect(rows.find((r) => r.key === 'schedule.zoom')!.updated_at).toBe(clinic.clock.now.toISOString())

    // signed out and in again, in another window
    await clinic.ok(doc, 'session.signOut', {})
    const again = newWindow()
    await clinic.ok(again, 'session.signIn', { username: 'doc-a', password: PASSWORD })
    expect(await clinic.ok(again, 'me.preferences.get', {})).toEqual({ 'schedule.zoom': 'compact', 'schedule.weekLane': 'p:12' })

    // a restart: a new main process (router, no sessions) on the same database
    const restarted = createRouter({ database: clinic.database, now: () => clinic.clock.now, workstation: 'test-ws-2', log: () => {} })
    const w = newWindow()
    expect((await restarted.call(w, 'session.signIn', { username: 'doc-a', password: PASSWORD })).ok).toBe(true)
    const read = await restarted.call(w, 'me.preferences.get', {})
    expect(read.ok && read.value).toEqual({ 'schedule.zoom': 'compact', 'schedule.weekLane': 'p:12' })
  })

  it('keeps each user’s own: another user reads and writes only theirs, whatever role', async () => {
    const docA = await clinic.as('physician', 'doc-a')
    const docB = await clinic.as('physician', 'doc-b')
    const desk = await clinic.as('frontDesk', 'desk')
    const admin = await clinic.as('admin', 'admin-2')
    await clinic.ok(docA, 'me.preferences.set', { key: 'schedule.zoom', value: 'large' })
    await clinic.ok(docB, 'me.preferences.set', { key: 'schedule.zoom', value: 'compact' })
    await clinic.ok(desk, 'me.preferences.set', { key: 'schedule.lanes', value: 'rooms' })
    // every role has preferences (an administrator too), and sees nothing of anyone else's
    await clinic.ok(admin, 'me.preferences.set', { key: 'schedule.lanes', value: 'providers' })

    expect(await clinic.ok(docA, 'me.preferences.get', {})).toEqual({ 'schedule.zoom': 'large' })
    expect(await clinic.ok(docB, 'me.preferences.get', {})).toEqual({ 'schedule.zoom': 'compact' })
    expect(await clinic.ok(desk, 'me.preferences.get', {})).toEqual({ 'schedule.lanes': 'rooms' })
    expect(await clinic.ok(admin, 'me.preferences.get', {})).toEqual({ 'schedule.lanes': 'providers' })
    expect(await preferenceRows(clinic)).toHaveLength(4)
  })

  it('refuses an unknown key or a bad value, naming the field, and changes nothing', async () => {
    const doc = await clinic.as('physician')
    await clinic.ok(doc, 'me.preferences.set', { key: 'schedule.zoom', value: 'normal' })
    const before = { counts: await allTableCounts(clinic.database), rows: await preferenceRows(clinic) }
    const refused: [unknown, string, RegExp][] = [
      [{ key: 'schedule.zoom', value: 'huge' }, 'value', /schedule\.zoom must be compact, normal or large/],
      [{ key: 'schedule.zoom', value: 3 }, 'value', /schedule\.zoom must be compact, normal or large/],
      [{ key: 'schedule.zoom' }, 'value', /schedule\.zoom must be/],
      [{ key: 'schedule.lanes', value: 'everything' }, 'value', /schedule\.lanes must be all, providers or rooms/],
      [{ key: 'schedule.weekLane', value: 'p:12; DROP TABLE users' }, 'value', /schedule\.weekLane must be a lane such as p:12/],
      [{ key: 'schedule.weekLane', value: 'me' }, 'value', /lane such as p:12 or r:3/],
      [{ key: 'schedule.colour', value: 'blue' }, 'key', /must be one of the known preferences: schedule\.zoom/],
      [{ key: '__proto__', value: 'large' }, 'key', /known preferences/],
      [{ value: 'large' }, 'key', /known preferences/],
    ]
    for (const [input, field, message] of refused) {
      const r = await clinic.call(doc, 'me.preferences.set', input as never)
      expectError(r, 'invalid_input', field)
      if (r.ok) continue
      expect(r.error.fields![field], JSON.stringify(input)).toMatch(message)
    }
    expect(await allTableCounts(clinic.database)).toEqual(before.counts)
    expect(await preferenceRows(clinic)).toEqual(before.rows)
    expect(await clinic.ok(doc, 'me.preferences.get', {})).toEqual({ 'schedule.zoom': 'normal' })
  })

  it('a window cannot read or set another user’s: a user id is refused, the session decides whose', async () => {
    const docA = await clinic.as('physician', 'doc-a')
    const docB = await clinic.as('physician', 'doc-b')
    const idOfA = clinic.router.sessions.get(docA)!.user.id
    await clinic.ok(docA, 'me.preferences.set', { key: 'schedule.zoom', value: 'large' })
    const before = await preferenceRows(clinic)

    for (const extra of [{ userId: idOfA }, { user_id: idOfA }, { user: { id: idOfA } }]) {
      const r = await clinic.call(docB, 'me.preferences.set', { key: 'schedule.zoom', value: 'compact', ...extra } as never)
      expectError(r, 'invalid_input')
      const read = await clinic.call(docB, 'me.preferences.get', extra as never)
      expectError(read, 'invalid_input')
    }
    expect(await preferenceRows(clinic)).toEqual(before)
    expect(await clinic.ok(docA, 'me.preferences.get', {})).toEqual({ 'schedule.zoom': 'large' })

    // signed out, or locked: nothing is read or written
    await clinic.ok(docB, 'session.signOut', {})
    expectError(await clinic.call(docB, 'me.preferences.set', { key: 'schedule.zoom', value: 'compact' }), 'unauthenticated')
    expectError(await clinic.call(newWindow(), 'me.preferences.get', {}), 'unauthenticated')
    await clinic.ok(docA, 'session.lock', { reason: 'user' })
    expectError(await clinic.call(docA, 'me.preferences.set', { key: 'schedule.zoom', value: 'compact' }), 'unauthenticated')
    expect(await preferenceRows(clinic)).toEqual(before)
  })

  it('writes no audit row and announces nothing to other windows; a value no longer valid is left out', async () => {
    const events: AppEvent[] = []
    const router = createRouter({ database: clinic.database, now: () => clinic.clock.now, emit: (e) => events.push(e), log: () => {} })
    await clinic.as('frontDesk', 'desk-events')
    const w = newWindow()
    expect((await router.call(w, 'session.signIn', { username: 'desk-events', password: PASSWORD })).ok).toBe(true)
    const auditBefore = (await allTableCounts(clinic.database)).audit_log!
    for (const value of ['compact', 'normal', 'large', 'normal'] as const) {
      expect((await router.call(w, 'me.preferences.set', { key: 'schedule.zoom', value })).ok).toBe(true)
    }
    expect((await allTableCounts(clinic.database)).audit_log).toBe(auditBefore)
    expect(events).toEqual([])

    // a row an older version wrote (a key since dropped, a value since narrowed, text that is not JSON)
    const userId = router.sessions.get(w)!.user.id
    const at = clinic.clock.now.toISOString()
    await clinic.database.db
      .insertInto('user_preferences')
      .values([
        { user_id: userId, key: 'schedule.density', value: '"tight"', updated_at: at },
        { user_id: userId, key: 'schedule.lanes', value: '"bays"', updated_at: at },
        { user_id: userId, key: 'schedule.weekLane', value: 'not json', updated_at: at },
      ])
      .execute()
    const read = await router.call(w, 'me.preferences.get', {})
    expect(read.ok && read.value).toEqual({ 'schedule.zoom': 'normal' })
  })
})
