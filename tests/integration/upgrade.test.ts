/**
 * Upgrading loses nothing: for every schema version the app has ever shipped, a database built up to that
 * version (seeding each step's tables on the way, tests/fixtures/migrationSeeds.ts) is migrated to the
 * latest version; every row that existed keeps every value it had, the audit chain still verifies, and the
 * app works on it. The test grows by itself as migrations are added (each needs its seed entry).
 */
import Database from 'better-sqlite3'
import { Migrator, type Kysely, type MigrationProvider } from 'kysely'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS, type Engine } from '../../migrations'
import { openDatabase, type AppDatabase } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { createRouter } from '../../electron/rpc'
import { verifyAuditChain } from '../../electron/services/audit'
import { verifyDatabase } from '../../electron/services/integrity'
import { MIGRATION_SEEDS, SEEDED_ADMIN } from '../fixtures/migrationSeeds'
import { newWindow, SAMPLE_PATIENT } from './harness'

const NAMES = Object.keys(MIGRATIONS).sort()
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function provider(engine: Engine): MigrationProvider {
  return {
    getMigrations: async () =>
      Object.fromEntries(Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<any>) => m.up(db, engine) }])),
  }
}

type Snapshot = Record<string, Map<string, Record<string, unknown>>>

/** Every row of every ordinary table, keyed by its primary key (or rowid). */
function snapshot(file: string): Snapshot {
  const db = new Database(file, { readonly: true })
  try {
    const out: Snapshot = {}
    const tables = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'`).all() as { name: string; sql: string }[]
    for (const { name, sql } of tables) {
      if (/^CREATE VIRTUAL TABLE/i.test(sql) || /^patients_fts_/.test(name) || /_fts_(data|idx|docsize|config|content)$/.test(name)) continue
      const pk = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; pk: number }[]).filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name)
      const rows = db.prepare(`SELECT ${pk.length ? '' : 'rowid AS __rowid, '}* FROM "${name}"`).all() as Record<string, unknown>[]
      out[name] = new Map(rows.map((r) => [JSON.stringify(pk.length ? pk.map((k) => r[k]) : [r.__rowid]), r]))
    }
    return out
  } finally {
    db.close()
  }
}

describe('upgrading from every earlier schema version', () => {
  it('has seed data for every migration (add yours to tests/fixtures/migrationSeeds.ts)', () => {
    expect(NAMES.filter((n) => !MIGRATION_SEEDS[n])).toEqual([])
  })

  for (const [i, from] of NAMES.entries()) {
    it(`from ${from} (with data) to the latest loses no rows or values`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'clinic-mig-'))
      dirs.push(dir)
      const file = join(dir, 'clinic.sqlite')
      let database: AppDatabase = openDatabase({ engine: 'sqlite', file })
      const migrator = new Migrator({ db: database.db, provider: provider('sqlite') })
      for (const step of NAMES.slice(0, i + 1)) {
        const r = await migrator.migrateTo(step)
        if (r.error) throw r.error
        await MIGRATION_SEEDS[step]?.seed(database.db, 'sqlite')
      }
      await database.close()
      const before = snapshot(file)
      expect(Object.values(before).some((t) => t.size > 0)).toBe(true)

      database = openDatabase({ engine: 'sqlite', file })
      try {
        await migrateToLatest(database)
        const after = snapshot(file)
        const rewrites = new Set(NAMES.slice(i + 1).flatMap((n) => MIGRATION_SEEDS[n]?.rewrites ?? []))
        for (const [table, rows] of Object.entries(before)) {
          expect(after[table], `table ${table} disappeared`).toBeDefined()
          for (const [key, row] of rows) {
            const now = after[table]!.get(key)
            expect(now, `${table} ${key} was lost`).toBeDefined()
            for (const [col, value] of Object.entries(row)) {
              if (col === '__rowid' || rewrites.has(`${table}.${col}`) || !(col in now!)) continue
              expect(now![col], `${table} ${key} ${col}`).toEqual(value)
            }
          }
        }
        expect((await verifyAuditChain(database.db)).breaks).toEqual([])
        // Signed records still verify: an upgrade never invalidates a signature.
        const report = await verifyDatabase(database)
        expect(report.checks.filter((c) => !c.ok)).toEqual([])

        // And the app works on the upgraded data: sign in, find a seeded patient, register the next MRN.
        const router = createRouter({ database, workstation: 'mig-test', log: () => {} })
        const w = newWindow()
        const signIn = await router.call(w, 'session.signIn', SEEDED_ADMIN)
        expect(signIn.ok, JSON.stringify(signIn)).toBe(true)
        const counts = snapshot(file)
        expect(counts.patients!.size).toBe(3)
        const docW = newWindow()
        router.sessions.signIn(docW, { id: 2, username: 'seed-doc', displayName: 'Doc', role: 'physician' }, Date.now())
        const found = await router.call(docW, 'patients.search', { q: 'celik emilie' })
        expect(found).toMatchObject({ ok: true, value: [{ mrn: 'SD-000001' }] })
        const next = await router.call(docW, 'patients.register', { ...SAMPLE_PATIENT, acknowledgeDuplicate: true })
        expect(next).toMatchObject({ ok: true, value: { mrn: 'SD-000004' } })
      } finally {
        await database.close()
      }
    })
  }
})
