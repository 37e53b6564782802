import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import type { AppEvent } from '../../shared/contract'
import { openClinicApp, type ClinicApp } from '../../electron/app'
import { describeEachEngine, ADMIN, newWindow, openTestDatabase, SAMPLE_PATIENT } from './harness'

/** Resolves with the first matching event, or fails after `ms`. */
function nextEvent(events: AppEvent[], match: (e: AppEvent) => boolean, ms: number): Promise<number> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      if (events.some(match)) {
        clearInterval(t)
        resolve(Date.now() - started)
      } else if (Date.now() - started > ms) {
        clearInterval(t)
        reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`))
      }
    }, 20)
  })
}

describeEachEngine('two workstations on %s', (engine) => {
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c()
    cleanup.length = 0
  })

  it('a change on one workstation reaches the other within two seconds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clinic-changes-'))
    const db = await openTestDatabase(engine, dir)
    cleanup.push(async () => {
      await db.drop()
      rmSync(dir, { recursive: true, force: true })
    })
    const eventsA: AppEvent[] = []
    const eventsB: AppEvent[] = []
    const a: ClinicApp = await openClinicApp(db.target, { emit: (e) => eventsA.push(e) })
    cleanup.push(() => a.close())
    const b: ClinicApp = await openClinicApp(db.target, { emit: (e) => eventsB.push(e) })
    cleanup.push(() => b.close())

    const wa = newWindow()
    const setup = await a.router.call(wa, 'setup.complete', { clinicName: 'Two Desks', admin: ADMIN })
    expect(setup.ok).toBe(true)
    await a.router.call(wa, 'users.create', { displayName: 'Desk', username: 'desk', role: 'frontDesk', password: 'desk-password-1' })
    const wdesk = newWindow()
    expect(await a.router.call(wdesk, 'session.signIn', { username: 'desk', password: 'desk-password-1' })).toMatchObject({ ok: true })
    // an administrator-set password is changed at the first sign-in, before anything else
    expect(await a.router.call(wdesk, 'session.changePassword', { currentPassword: 'desk-password-1', newPassword: 'desk-own-password-1' })).toMatchObject({ ok: true })
    eventsB.length = 0

    const r = await a.router.call(wdesk, 'patients.register', SAMPLE_PATIENT)
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true })
    // The writing workstation refreshes at once; the other hears of it within two seconds.
    // (the areas are those the contract says patients.register changes)
    expect(eventsA).toContainEqual({ type: 'dataChanged', areas: ['patients'] })
    const ms = await nextEvent(eventsB, (e) => e.type === 'dataChanged' && (e.areas === '*' || e.areas.includes('patients')), 2000)
    expect(ms).toBeLessThan(2000)
  })
})
