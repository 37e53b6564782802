/**
 * The clinic's PostgreSQL server goes away and comes back, for real: a throwaway cluster of this file's own is
 * restarted (`pg_ctl restart -m fast`) while calls run, and its backends are killed (`pg_terminate_backend`),
 * idle and busy. The workstation is the real app (openClinicApp: router, pool, change feed). What must hold:
 * nothing crashes (a pg 'error' event nobody listens to would be an unhandled error, which fails this run);
 * the call in flight gets `unavailable` with the sentence the screens show; a write whose transaction died left
 * nothing behind; the next call succeeds; and the change feed listens again, refreshes the open screens, and
 * hears another workstation's change made after the restart.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AppEvent } from '../../shared/contract'
import type { RpcResult } from '../../shared/result'
import { openClinicApp, type ClinicApp } from '../../electron/app'
import { onceMoreIfLost } from '../../electron/db/connect'
import { postgresEngine } from '../../electron/db/postgresEngine'
import { UNAVAILABLE_MESSAGE } from '../../electron/rpc'
import { verifyAuditChain } from '../../electron/services/audit'
import { findPostgres, startThrowawayPostgres, type ThrowawayPostgres } from '../../scripts/pg-throwaway.mjs'
import { ADMIN, newWindow, PASSWORD, SAMPLE_PATIENT } from './harness'

const DB_NAME = 'clinic_faults'
const found = findPostgres()
const suite = found.bin ? describe : describe.skip

/** Polls until `check` holds (or fails the test after `ms`). */
async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000): Promise<T> {
  const started = Date.now()
  for (;;) {
    const v = await check()
    if (v) return v
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

suite(found.bin ? `PostgreSQL ${found.version} goes away and comes back` : `PostgreSQL not available: ${found.reason}`, () => {
  let server: ThrowawayPostgres
  let url: string
  let app: ClinicApp
  let other: ClinicApp | undefined
  const events: AppEvent[] = []
  const logged: string[] = []
  let desk: string
  let seq = 0

  /** One statement as the superuser, on a connection of its own (a restart ends every connection). */
  async function superuser<R extends pg.QueryResultRow>(text: string, database = DB_NAME): Promise<R[]> {
    const u = new URL(server.url)
    u.pathname = `/${database}`
    const c = new pg.Client({ connectionString: u.toString() })
    c.on('error', () => undefined)
    await c.connect()
    try {
      return (await c.query<R>(text)).rows
    } finally {
      await c.end()
    }
  }

  let password = PASSWORD
  /** Signs the front desk in; a password an administrator set is replaced by the user's own first. */
  async function signIn(on: ClinicApp, window: string) {
    const r = await on.router.call(window, 'session.signIn', { username: 'desk', password })
    expect(r.ok, JSON.stringify(r)).toBe(true)
    if (r.ok && (r.value as { mustChangePassword?: boolean }).mustChangePassword) {
      const changed = await on.router.call(window, 'session.changePassword', { currentPassword: password, newPassword: `${PASSWORD}-own` })
      expect(changed.ok, JSON.stringify(changed)).toBe(true)
      password = `${PASSWORD}-own`
    }
  }

  const call = (window: string, channel: string, input: unknown) => app.router.call(window, channel, input)
  const register = (lastName: string) =>
    call(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Fault', lastName, dateOfBirth: '1950-03-14' }) as Promise<RpcResult<{ id: number; mrn: string }>>
  const lastNames = async () =>
    (await app.database.db.selectFrom('patients').select('last_name').where('first_name', '=', 'Fault').execute()).map((r) => r.last_name)
  /**
   * psql, run synchronously, kills every idle connection of the app while this process cannot read its sockets,
   * and waits long enough for each backend to have ended (a dead socket, not one still closing): the pool hands
   * the dead connections out before it hears of their deaths.
   */
  function killIdleWhileDeaf() {
    const u = new URL(server.url)
    u.pathname = `/${DB_NAME}`
    execFileSync(join(found.bin!, 'psql'), [u.toString(), '-qAtc', `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${DB_NAME}' AND pid <> pg_backend_pid() AND state = 'idle'`])
    execFileSync(process.execPath, ['-e', 'setTimeout(() => {}, 200)'])
  }
  const expectUnavailable = (r: RpcResult<unknown>) => expect(r).toEqual({ ok: false, error: { code: 'unavailable', message: UNAVAILABLE_MESSAGE } })

  beforeAll(async () => {
    // The app logs every lost connection; gather the lines instead of printing them.
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')))
    server = (await startThrowawayPostgres())!
    expect(server, 'the throwaway cluster starts').toBeTruthy()
    await superuser(`CREATE DATABASE ${DB_NAME}`, 'postgres')
    const u = new URL(server.url)
    u.pathname = `/${DB_NAME}`
    url = u.toString()
    app = await openClinicApp({ engine: 'postgres', url }, { emit: (e) => events.push(e), backups: false })
    const admin = newWindow()
    const setup = await app.router.call(admin, 'setup.complete', { clinicName: 'Fault Clinic', admin: ADMIN })
    expect(setup.ok, JSON.stringify(setup)).toBe(true)
    expect((await app.router.call(admin, 'users.create', { displayName: 'Desk', username: 'desk', role: 'frontDesk', password: PASSWORD })).ok).toBe(true)
    desk = newWindow()
    await signIn(app, desk)
  }, 60_000)

  afterAll(async () => {
    await other?.close()
    await app?.close()
    server?.stop()
    vi.restoreAllMocks()
  })

  it('idle connections killed with pg_terminate_backend: nothing crashes, the next call succeeds, the change feed listens again', async () => {
    // Several connections in the pool, idle now, and the change feed's listener.
    const warm = await Promise.all(Array.from({ length: 5 }, () => call(desk, 'patients.search', { q: 'Fault' })))
    expect(warm.every((r) => r.ok)).toBe(true)
    const before = await superuser<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = '${DB_NAME}' AND pid <> pg_backend_pid()`)
    expect(before[0]!.n).toBeGreaterThanOrEqual(2)
    events.length = 0
    // (the call in the select list runs only for the rows the WHERE kept: never on this connection itself)
    const killed = await superuser<{ pid: number }>(`SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${DB_NAME}' AND pid <> pg_backend_pid()`)
    expect(killed.length).toBe(before[0]!.n)
    // The app hears of each lost connection (and logs it) rather than dying of it.
    await until('the lost connections to be logged', () => logged.some((l) => /connection was lost/.test(l)))
    expect(await register('Afterkill')).toMatchObject({ ok: true })
    expect(await lastNames()).toContain('Afterkill')
    // The listener connects again and every open screen refreshes (changes may have been missed meanwhile).
    await until('the change feed to announce a change of everything', () => events.some((e) => e.type === 'dataChanged' && e.areas === '*'))
  })

  it('connections killed while the app is not listening: the pool hands out dead ones, and the calls still succeed', async () => {
    const warm = await Promise.all(Array.from({ length: 6 }, () => call(desk, 'patients.search', { q: 'Fault' })))
    expect(warm.every((r) => r.ok)).toBe(true)
    // psql, run synchronously, kills every idle connection while this process cannot read its sockets (as under a
    // loaded machine, where the CI run on 192d179 answered the next registration `unavailable`): the pool learns
    // of the deaths only when a call is already using them. The sign-in check, the write's BEGIN and the read each
    // fail before anything was done, so each runs once more on a fresh connection.
    killIdleWhileDeaf()
    const [written, read] = await Promise.all([register('Afterdeaths'), call(desk, 'patients.search', { q: 'Afterkill' })])
    expect(written, JSON.stringify(written)).toMatchObject({ ok: true })
    expect(read, JSON.stringify(read)).toMatchObject({ ok: true, value: [expect.objectContaining({ lastName: 'Afterkill' })] })
    expect(await lastNames()).toContain('Afterdeaths')
  })

  it('a dead connection handed out: the write (its BEGIN failed, nothing sent) and the read each run once more, alone', async () => {
    // The router's calls above begin with the sign-in check, which may meet the dead connection first; here the
    // write and the read meet it themselves (engine level, the app's own pool).
    await superuser('CREATE TABLE IF NOT EXISTS fault_probe (id serial PRIMARY KEY, note text NOT NULL)')
    const warm = () => Promise.all(Array.from({ length: 4 }, () => app.database.db.selectFrom('patients').select('id').limit(1).execute()))
    const probe = (note: string) => sql<{ n: number }>`SELECT count(*)::int AS n FROM fault_probe WHERE note = ${note}`.execute(app.database.db)

    await warm()
    killIdleWhileDeaf()
    const written = await postgresEngine.writeTransaction(app.database, async (trx) => {
      await sql`INSERT INTO fault_probe (note) VALUES ('written once')`.execute(trx)
      return 'saved'
    })
    expect(written).toBe('saved')
    expect((await probe('written once')).rows[0]!.n).toBe(1)

    await warm()
    killIdleWhileDeaf()
    const read = await onceMoreIfLost(() => probe('written once'))
    expect(read.rows[0]!.n).toBe(1)
  })

  it('a write whose backend is killed mid-transaction gets `unavailable` and leaves nothing behind; the next one succeeds', async () => {
    const lastMrn = ((await register('Beforebusy')) as { ok: true; value: { mrn: string } }).value.mrn
    // Hold the audit table, so that the registration inserts its patient and its MRN, then waits on its audit row.
    const holder = new pg.Client({ connectionString: url })
    holder.on('error', () => undefined)
    await holder.connect()
    await holder.query('BEGIN')
    await holder.query('LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE')
    const inFlight = register('Halfway')
    const [busy] = await until('the registration to wait on the audit table, with its patient already written', () =>
      superuser<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = '${DB_NAME}' AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL AND pid <> ${Number((holder as unknown as { processID: number }).processID)}`,
      ).then((rows) => rows.length > 0 && rows),
    )
    // backend_xid: PostgreSQL gives a transaction an id at its first write, so the patient row is in the transaction.
    await superuser(`SELECT pg_terminate_backend(${busy!.pid})`)
    expectUnavailable(await inFlight)
    await holder.query('ROLLBACK')
    await holder.end()

    expect(await lastNames()).not.toContain('Halfway')
    // The MRN counter moved with the patient inside that transaction, and went back with it: no gap.
    const next = await register('Afterbusy')
    expect(next).toMatchObject({ ok: true })
    const n = (mrn: string) => Number(mrn.split('-').pop())
    expect(n((next as { ok: true; value: { mrn: string } }).value.mrn)).toBe(n(lastMrn) + 1)
  })

  it('a read whose backend is killed is answered anyway: it runs once more on a fresh connection', async () => {
    const holder = new pg.Client({ connectionString: url })
    holder.on('error', () => undefined)
    await holder.connect()
    await holder.query('BEGIN')
    await holder.query('LOCK TABLE patients IN ACCESS EXCLUSIVE MODE')
    const reading = call(desk, 'patients.search', { q: 'Afterbusy' })
    const [busy] = await until('the search to wait on the patients table', () =>
      superuser<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = '${DB_NAME}' AND wait_event_type = 'Lock' AND pid <> ${Number((holder as unknown as { processID: number }).processID)}`).then(
        (rows) => rows.length > 0 && rows,
      ),
    )
    await superuser(`SELECT pg_terminate_backend(${busy!.pid})`)
    await holder.query('ROLLBACK')
    await holder.end()
    const r = (await reading) as RpcResult<{ lastName: string }[]>
    expect(r.ok, JSON.stringify(r)).toBe(true)
    if (r.ok) expect(r.value.map((p) => p.lastName)).toEqual(['Afterbusy'])
  })

  it('pg_ctl restart -m fast while calls run: each gets its answer or `unavailable`, nothing is half-saved, then all is well again', async () => {
    events.length = 0
    const loggedBefore = logged.length
    const writes: { lastName: string; result: RpcResult<unknown> }[] = []
    const reads: RpcResult<unknown>[] = []
    let running = true
    // Three workers call without pause, before, during and after the restart: one registers, two search.
    const worker = async (kind: 'write' | 'read') => {
      while (running) {
        if (kind === 'write') {
          const lastName = `Restart${++seq}`
          writes.push({ lastName, result: await register(lastName) })
        } else {
          reads.push(await call(desk, 'patients.search', { q: 'Restart' }))
        }
      }
    }
    const workers = [worker('write'), worker('read'), worker('read')]
    await new Promise((r) => setTimeout(r, 300))
    await server.restart()
    await new Promise((r) => setTimeout(r, 1_500))
    running = false
    await Promise.all(workers)

    const all = [...writes.map((w) => w.result), ...reads]
    // Nothing but answers and `unavailable` (never `internal`). (A registration can also meet the searches' audit
    // rows often enough to give up as busy: `conflict`, nothing changed. That is contention, not the restart, and
    // is told apart from it.)
    const odd = all.filter((r) => !r.ok && r.error.code !== 'unavailable' && !(r.error.code === 'conflict' && /busy/.test(r.error.message)))
    expect(odd).toEqual([])
    expect(all.some((r) => r.ok)).toBe(true)
    const unavailable = all.filter((r) => !r.ok && r.error.code === 'unavailable')
    for (const r of unavailable) expectUnavailable(r)
    // The restart did catch calls in flight: their connections were lost (logged). Whether any answered
    // `unavailable` depends on the moment: a read, and a write lost before its BEGIN, run once more on a fresh
    // connection, and succeed when the server is back by then (the CI run on c4284b4 had none).
    expect(logged.slice(loggedBefore).filter((l) => /connection was lost|not answering/.test(l)).length).toBeGreaterThan(0)

    // A fast shutdown lets a COMMIT that began finish and be acknowledged, so each write's answer is exact:
    // saved when it said so, absent when it said `unavailable` (or busy).
    const saved = new Set(await lastNames())
    for (const w of writes) expect(saved.has(w.lastName), `${w.lastName}: ${JSON.stringify(w.result)}`).toBe(w.result.ok)

    // The next call succeeds, and the audit chain is one unbroken line with every saved row.
    expect(await register('Afterrestart')).toMatchObject({ ok: true })
    const chain = await verifyAuditChain(app.database.db)
    expect(chain.breaks).toEqual([])
    const audited = await app.database.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'patient.create').execute()
    expect(audited.length).toBe((await lastNames()).length)

    // The change feed listens again, refreshes the open screens, and hears another workstation's change.
    await until('the change feed to announce a change of everything', () => events.some((e) => e.type === 'dataChanged' && e.areas === '*'))
    events.length = 0
    other = await openClinicApp({ engine: 'postgres', url }, { backups: false })
    const w = newWindow()
    await signIn(other, w)
    expect((await other.router.call(w, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Fault', lastName: 'Elsewhere', dateOfBirth: '1951-04-15' })).ok).toBe(true)
    await until('the other workstation\'s change to be announced here', () => events.some((e) => e.type === 'dataChanged' && e.areas !== '*' && e.areas.includes('patients')), 5_000)
  })
})
