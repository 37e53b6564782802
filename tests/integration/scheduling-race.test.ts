/**
 * Two workstations booking the same slot at the same moment: exactly one wins, because the rule
 * check and the insert happen inside one write transaction (BEGIN IMMEDIATE on SQLite).
 */
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/db/connect'
import { createRouter } from '../../electron/rpc'
import type { RpcResult } from '../../shared/result'
import { PASSWORD } from './harness'
import { local, openScheduleClinic, type ScheduleClinic } from './scheduleFixture'

let c: ScheduleClinic
beforeEach(async () => {
  c = await openScheduleClinic()
})
afterEach(async () => c?.close())

const slot = () => ({ typeId: c.type('follow-up').id, providerId: c.drAId, startsAt: local('2026-12-01', '10:00') })

async function activeAt(startsAt: string) {
  return c.database.db.selectFrom('appointments').selectAll().where('starts_at', '=', startsAt).where('status', '=', 'booked').execute()
}

describe('two workstations racing for one slot', () => {
  it('separate threads, each with its own database handle: one booking, the others told whose appointment is in the way', async () => {
    const file = join(c.dir, 'clinic.sqlite')
    const barrier = new SharedArrayBuffer(8)
    const flag = new Int32Array(barrier)
    const racers = 2
    let failed: unknown = null
    for (let i = 0; i < racers; i++) await c.as('frontDesk', `racer${i}`)
    const results = Array.from({ length: racers }, (_, i) => {
      // A worker cannot load TypeScript by itself: register tsx inside it, then import the racer.
      const entry = new URL('./raceWorker.ts', import.meta.url).href
      const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}) })`
      const worker = new Worker(boot, {
        eval: true,
        workerData: {
          file,
          username: `racer${i}`,
          password: PASSWORD,
          now: c.clock.now.toISOString(),
          workstation: `ws-${i}`,
          barrier,
          // Different patients and rooms: only the provider can collide.
          input: { ...slot(), patientId: c.patients[i % c.patients.length], roomId: undefined },
        },
      })
      return new Promise<RpcResult<unknown>>((resolve, reject) => {
        worker.once('message', resolve)
        worker.once('error', (err) => {
          failed = err
          reject(err)
        })
      })
    })
    results.forEach((r) => r.catch(() => {}))
    while (Atomics.load(flag, 1) < racers) {
      if (failed) throw failed
      await new Promise((r) => setTimeout(r, 10))
    }
    Atomics.store(flag, 0, 1)
    Atomics.notify(flag, 0)
    const outcomes = await Promise.all(results)

    const won = outcomes.filter((o) => o.ok)
    const lost = outcomes.filter((o): o is Extract<RpcResult<unknown>, { ok: false }> => !o.ok)
    expect(won).toHaveLength(1)
    const rows = await activeAt(slot().startsAt)
    expect(rows).toHaveLength(1)
    for (const l of lost) {
      expect(l.error.code).toBe('conflict')
      expect(l.error.message).toContain(`appointment #${rows[0]!.id}`)
    }
    const audit = await c.database.db.selectFrom('audit_log').select('workstation').where('action', '=', 'appointment.book').execute()
    expect(audit).toHaveLength(1)
  }, 60_000)

  it('two openDatabase() handles in one process: the second writer waits for the lock and never double-books', async () => {
    const second = openDatabase({ engine: 'sqlite', file: join(c.dir, 'clinic.sqlite') })
    // In one thread a waiting handle would block the holder; keep its wait short so the test stays fast.
    second.sqlite!.pragma('busy_timeout = 50')
    try {
      const router2 = createRouter({ database: second, now: () => c.clock.now, workstation: 'ws-2', log: () => {} })
      await c.as('frontDesk', 'desk2')
      await router2.call('w2', 'session.signIn', { username: 'desk2', password: PASSWORD })
      const [a, b] = await Promise.all([
        c.router.call(c.desk, 'schedule.appointments.book', { ...slot(), patientId: c.patients[0] }),
        router2.call('w2', 'schedule.appointments.book', { ...slot(), patientId: c.patients[1] }),
      ])
      expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1)
      const loser = (a.ok ? b : a) as Extract<RpcResult<unknown>, { ok: false }>
      expect(loser.error.code).toBe('conflict')
      expect(await activeAt(slot().startsAt)).toHaveLength(1)
      // Once the first is committed, the second handle sees it and names it.
      const again = await router2.call('w2', 'schedule.appointments.book', { ...slot(), patientId: c.patients[1] })
      expect(again.ok).toBe(false)
      if (!again.ok) expect(again.error.message).toContain(`appointment #${(await activeAt(slot().startsAt))[0]!.id}`)
    } finally {
      await second.close()
    }
  })
})
