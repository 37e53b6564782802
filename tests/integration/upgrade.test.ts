/**
 * Upgrading loses nothing: for every schema version the app has ever shipped, a database built up to that
 * version (seeding each step's tables on the way, tests/fixtures/migrationSeeds.ts) is migrated to the
 * latest version; every row that existed keeps every value it had, the audit chain still verifies, and the
 * app works on it. The test grows by itself as migrations are added (each needs its seed entry).
 */
import { Migrator, type Kysely, type MigrationProvider } from 'kysely'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { MIGRATIONS, type Engine } from '../../migrations'
import { openDatabase, type AppDatabase } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { createRouter } from '../../electron/rpc'
import { verifyAuditChain } from '../../electron/services/audit'
import { verifyDatabase } from '../../electron/services/integrity'
import { MIGRATION_SEEDS, SEEDED_ADMIN } from '../fixtures/migrationSeeds'
import { describeEachEngine, newWindow, openTestDatabase, SAMPLE_PATIENT } from './harness'

const NAMES = Object.keys(MIGRATIONS).sort()
const dirs: string[] = []
const drops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const drop of drops.splice(0)) await drop()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function provider(engine: Engine): MigrationProvider {
  return {
    getMigrations: async () =>
      Object.fromEntries(Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<any>) => m.up(db, engine) }])),
  }
}

type Snapshot = Record<string, Record<string, unknown>[]>

/** Every row of every ordinary table (not the schema history, not SQLite's full-text index internals). */
async function snapshot(database: AppDatabase): Promise<Snapshot> {
  const out: Snapshot = {}
  for (const t of await database.db.introspection.getTables()) {
    if (t.name.startsWith('kysely_') || t.name.includes('_fts')) continue
    out[t.name] = (await database.db.selectFrom(t.name as 'users').selectAll().execute()) as Record<string, unknown>[]
  }
  return out
}

/** The row of `rows` that agrees with `row` on every column both have (and on the ones a migration rewrites, by name). */
function findRow(rows: Record<string, unknown>[], row: Record<string, unknown>, table: string, rewrites: Set<string>) {
  const cols = Object.keys(row).filter((c) => !rewrites.has(`${table}.${c}`))
  return rows.find((r) => cols.every((c) => !(c in r) || JSON.stringify(r[c]) === JSON.stringify(row[c])))
}

describeEachEngine('upgrading from every earlier schema version on %s', (engine) => {
  it('has seed data for every migration (add yours to tests/fixtures/migrationSeeds.ts)', () => {
    expect(NAMES.filter((n) => !MIGRATION_SEEDS[n])).toEqual([])
  })

  for (const [i, from] of NAMES.entries()) {
    it(`from ${from} (with data) to the latest loses no rows or values`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'clinic-mig-'))
      dirs.push(dir)
      const testDb = await openTestDatabase(engine, dir)
      drops.push(testDb.drop)
      const database = openDatabase(testDb.target)
      try {
        const migrator = new Migrator({ db: database.db, provider: provider(engine) })
        for (const step of NAMES.slice(0, i + 1)) {
          const r = await migrator.migrateTo(step)
          if (r.error) throw r.error
          await MIGRATION_SEEDS[step]?.seed(database.db, engine)
        }
        const before = await snapshot(database)
        expect(Object.values(before).some((rows) => rows.length > 0)).toBe(true)

        await migrateToLatest(database)
        const after = await snapshot(database)
        const rewrites = new Set(NAMES.slice(i + 1).flatMap((n) => MIGRATION_SEEDS[n]?.rewrites ?? []))
        for (const [table, rows] of Object.entries(before)) {
          expect(after[table], `table ${table} disappeared`).toBeDefined()
          expect(after[table]!.length, `rows of ${table}`).toBeGreaterThanOrEqual(rows.length)
          for (const row of rows) expect(findRow(after[table]!, row, table, rewrites), `${table} lost or changed ${JSON.stringify(row).slice(0, 200)}`).toBeDefined()
        }
        expect((await verifyAuditChain(database.db)).breaks).toEqual([])
        // Signed records still verify: an upgrade never invalidates a signature.
        const report = await verifyDatabase(database)
        expect(report.checks.filter((c) => !c.ok)).toEqual([])

        // And the app works on the upgraded data: sign in, find a seeded patient, register the next MRN.
        const router = createRouter({ database, workstation: 'mig-test', log: () => {} })
        const signIn = await router.call(newWindow(), 'session.signIn', SEEDED_ADMIN)
        expect(signIn.ok, JSON.stringify(signIn)).toBe(true)
        const docW = newWindow()
        router.sessions.signIn(docW, { id: 2, username: 'seed-doc', displayName: 'Doc', role: 'physician' }, Date.now(), { sessionVersion: 0 })
        const found = await router.call(docW, 'patients.search', { q: 'celik emilie' })
        expect(found).toMatchObject({ ok: true, value: [{ mrn: 'SD-000001' }] })
        // the search index is rebuilt for existing rows: a name found without its apostrophe
        expect(await router.call(docW, 'patients.search', { q: 'ohara' })).toMatchObject({ ok: true, value: [{ mrn: 'SD-000002' }] })
        // by a two-letter start of a word, and by the digits of the MRN alone
        expect(await router.call(docW, 'patients.search', { q: 'oh' })).toMatchObject({ ok: true, value: [{ mrn: 'SD-000002' }] })
        expect(await router.call(docW, 'patients.search', { q: '000002' })).toMatchObject({ ok: true, value: [{ mrn: 'SD-000002' }] })
        const next = await router.call(docW, 'patients.register', { ...SAMPLE_PATIENT, acknowledgeDuplicate: true })
        expect(next).toMatchObject({ ok: true, value: { mrn: 'SD-000004' } })
        // rows that named several patients before 0015 are indexed by patient too (its backfill)
        if (i >= NAMES.indexOf('0014_access')) {
          const exported = await database.db
            .selectFrom('audit_patients')
            .innerJoin('audit_log', 'audit_log.id', 'audit_patients.audit_id')
            .select('audit_patients.patient_id')
            .where('audit_log.action', '=', 'schedule.export')
            .orderBy('audit_patients.patient_id')
            .execute()
          expect(exported.map((r) => r.patient_id)).toEqual([1, 2])
        }
      } finally {
        await database.close()
      }
    })
  }
})
