/**
 * The operating system locks the app (electron/desktopHost.ts lockWindows, called by the Electron adapter on
 * powerMonitor's lock-screen, suspend and user-did-resign-active), with the real router on a real SQLite file.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { lockReasonFor, LOCKING_POWER_EVENTS } from '../../electron/desktop/powerLock'
import { lockWindows } from '../../electron/desktopHost'
import { verifyAuditChain } from '../../electron/services/audit'
import { newWindow, openClinic, PASSWORD, type Clinic } from './harness'

let clinic: Clinic | undefined
afterEach(async () => {
  await clinic?.close()
  clinic = undefined
})

async function lockRows(c: Clinic) {
  const rows = await c.database.db.selectFrom('audit_log').select(['user_id', 'details', 'workstation']).where('action', '=', 'session.lock').orderBy('id').execute()
  return rows.map((r) => ({ userId: r.user_id, reason: (JSON.parse(r.details) as { reason?: string }).reason, workstation: r.workstation }))
}

describe('the OS locks every window', () => {
  it.each(LOCKING_POWER_EVENTS)('on %s: every signed-in window locks, the lock is audited, the same password unlocks it', async (event) => {
    clinic = await openClinic()
    const c = clinic
    const doctor = await c.as('physician')
    const desk = await c.as('frontDesk')
    const signedOut = newWindow()
    await c.ok(doctor, 'patients.search', { q: 'a' })

    const reason = lockReasonFor(event)!
    const locked = await lockWindows(c.router, [doctor, desk, signedOut], reason, { now: () => c.clock.now, workstation: 'test-ws' })
    const ids = [c.router.sessions.get(doctor)!.user.id, c.router.sessions.get(desk)!.user.id]
    expect(locked).toEqual(ids)

    // What the screen sees (it asks on the sessionChanged event the adapter sends): locked, the same user.
    const state = await c.ok(doctor, 'session.state')
    expect(state).toMatchObject({ locked: true, user: { id: ids[0] } })
    // Nothing clinical answers until the password is entered.
    const refused = await c.call(doctor, 'patients.search', { q: 'a' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthenticated', detail: { locked: true } } })
    expect(await c.call(desk, 'patients.search', { q: 'a' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    // A window nobody had signed in to stays as it was.
    expect(await c.ok(signedOut, 'session.state')).toMatchObject({ user: null })

    expect(await lockRows(c)).toEqual(ids.map((userId) => ({ userId, reason, workstation: 'test-ws' })))
    const chain = await verifyAuditChain(c.database.db)
    expect(chain.breaks).toEqual([])

    await c.ok(doctor, 'session.unlock', { password: PASSWORD })
    expect(await c.call(doctor, 'patients.search', { q: 'a' })).toMatchObject({ ok: true })
    expect(await c.call(desk, 'patients.search', { q: 'a' })).toMatchObject({ ok: false })
  })

  it('a second lock signal (sleep right after the screen locked) changes and audits nothing more', async () => {
    clinic = await openClinic()
    const c = clinic
    const doctor = await c.as('physician')
    expect(await lockWindows(c.router, [doctor], 'screen-locked')).toHaveLength(1)
    expect(await lockWindows(c.router, [doctor], 'sleep')).toEqual([])
    expect((await lockRows(c)).map((r) => r.reason)).toEqual(['screen-locked'])
  })

  it('a database that does not answer still leaves every window locked', async () => {
    clinic = await openClinic()
    const c = clinic
    const doctor = await c.as('physician')
    const desk = await c.as('frontDesk')
    const problems: string[] = []
    await c.database.close()
    const locked = await lockWindows(c.router, [doctor, desk], 'sleep', { log: (m) => problems.push(m) })
    expect(locked).toHaveLength(2)
    expect(c.router.sessions.get(doctor)!.locked).toBe(true)
    expect(c.router.sessions.get(desk)!.locked).toBe(true)
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(/could not be audited/)
    // close() closes the database again: reopen it for the harness
    c.database.close = async () => {}
  })
})
