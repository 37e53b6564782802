/**
 * PostgreSQL appends a read's audit row in one statement outside a transaction (services/audit.ts,
 * appendAuditAlone), chained to the head this process last saw. Two workstations opening records and registering
 * patients at the same time must still leave one unbroken chain with a row for every one of those actions, and a
 * record opened on a workstation whose guess of the head is right costs two statements (read, append).
 */
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../electron/db/connect'
import { createRouter } from '../../electron/rpc'
import { verifyAuditChain } from '../../electron/services/audit'
import { onPostgres, openClinic, PASSWORD, PG_URL, SAMPLE_PATIENT, type Clinic } from './harness'

let c: Clinic
let other: AppDatabase

beforeAll(async () => {
  if (!PG_URL) return
  c = await openClinic({ engine: 'postgres' })
  other = openDatabase(c.database.target) // a second workstation: its own pool, its own guess of the head
})
afterAll(async () => {
  await other?.close()
  await c?.close()
})

it.skipIf(!PG_URL)(onPostgres('two workstations reading and registering at once (and a burst of forty reads) leave one unbroken chain with every row'), async () => {
  const desk = await c.as('frontDesk', 'desk-a')
  const routerB = createRouter({ database: other, workstation: 'ws-b', log: () => {} })
  const deskB = 'b1'
  expect((await routerB.call(deskB, 'session.signIn', { username: 'desk-a', password: PASSWORD })).ok).toBe(true)
  const ids: number[] = []
  for (let i = 0; i < 5; i++) ids.push((await c.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: `Ann${i}` })).id)
  const count = async () => Number((await c.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
  const before = await count()

  // each front desk works as a person does, one call after another; the two desks at the same time
  const deskA = async () => {
    const out: { ok: boolean }[] = []
    for (let i = 0; i < 40; i++) out.push(await c.call(desk, 'patients.get', { id: ids[i % 5]! }))
    return out
  }
  const deskBWork = async () => {
    const out: { ok: boolean }[] = []
    for (let i = 0; i < 40; i++) {
      out.push(await routerB.call(deskB, 'patients.get', { id: ids[(i + 2) % 5]! }))
      if (i % 4 === 0) out.push(await routerB.call(deskB, 'patients.register', { ...SAMPLE_PATIENT, firstName: `Bea${i}`, dateOfBirth: '1951-02-03' }))
    }
    return out
  }
  // and a burst: twenty records opened on each workstation at once
  const burst = Array.from({ length: 40 }, (_, i) => (i % 2 ? routerB.call(deskB, 'patients.get', { id: ids[i % 5]! }) : c.call(desk, 'patients.get', { id: ids[i % 5]! })))
  const results = (await Promise.all([deskA(), deskBWork(), Promise.all(burst)])).flat()
  expect(results.filter((r) => !r.ok)).toEqual([])

  // 120 records opened and 10 registrations, each with its row, in one line
  const views = await c.database.db.selectFrom('audit_log').select('workstation').where('action', '=', 'patient.view').where('id', '>', before).execute()
  expect(views.length).toBe(120)
  expect(new Set(views.map((v) => v.workstation))).toEqual(new Set(['test-ws', 'ws-b']))
  expect(await count()).toBe(before + 130)
  expect(await verifyAuditChain(c.database.db)).toEqual({ rows: before + 130, breaks: [] })
})

it.skipIf(!PG_URL)(onPostgres('opening a record on a workstation that knows the head is two statements, and a stale guess costs one more'), async () => {
  const desk = await c.as('frontDesk')
  const { id } = await c.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Cy' })
  await c.ok(desk, 'patients.get', { id }) // learns the head
  const query = pg.Client.prototype.query
  const sent: string[] = []
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text: string }
    sent.push(typeof config === 'string' ? config : config.text)
    return (query as (...a: unknown[]) => unknown).apply(this, args)
  } as typeof query
  try {
    await c.ok(desk, 'patients.get', { id })
    // (first the router's per-call read of the user's session version, which ends a revoked session at its next
    // call on every workstation; then the record and its audit row)
    expect(sent.map((s) => s.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(['select "session_version"', 'select *', 'WITH turn'])
    // another workstation appends: this one's guess is stale, the append learns the head and tries once more
    const routerB = createRouter({ database: other, workstation: 'ws-b', log: () => {} })
    await routerB.call('b2', 'session.signIn', { username: 'nobody', password: 'wrong-password-1' }) // audited refusal
    sent.length = 0
    await c.ok(desk, 'patients.get', { id })
    expect(sent.filter((s) => /WITH turn/.test(s))).toHaveLength(2)
  } finally {
    pg.Client.prototype.query = query
  }
  expect((await verifyAuditChain(c.database.db)).breaks).toEqual([])
})

it.skipIf(!PG_URL)(onPostgres('the database itself refuses a second row after the same row (migration 0012), whoever writes it'), async () => {
  const head = await c.database.db.selectFrom('audit_log').select(['prev_hash', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
  const row = { at: '2026-11-30T15:00:00.000Z', workstation: 'forger', action: 'patient.view', details: '{}', hash: 'f'.repeat(64) }
  // the newest row's predecessor already has its successor (the newest row): a fork
  await expect(c.database.db.insertInto('audit_log').values({ ...row, prev_hash: head.prev_hash }).execute()).rejects.toMatchObject({ constraint: 'audit_log_one_successor' })
  expect((await verifyAuditChain(c.database.db)).breaks).toEqual([])
})
