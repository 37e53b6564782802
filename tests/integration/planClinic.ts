/**
 * For the query-plan guard rails: a seeded SQLite clinic whose statements are recorded as the services run them
 * (through Kysely, so a kept statement is recorded on every run), and SQLite's plan for each read back.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { openDatabase, type AppDatabase } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { createRouter, type Router } from '../../electron/rpc'
import { SEED_PASSWORD, seedClinic, type SeedOptions } from '../../electron/seed/seedClinic'

export interface Statement {
  sql: string
  parameters: readonly unknown[]
}

export interface PlanClinic {
  database: AppDatabase
  router: Router
  /** The statements run since the last `forget()`. */
  recorded(): Statement[]
  forget(): void
  /** SQLite's EXPLAIN QUERY PLAN lines for a statement, with its own parameters. */
  planOf(s: Statement): string[]
  close(): Promise<void>
}

/** Seeds a clinic and signs `username` in as window `windowId`. */
export async function openPlanClinic(seed: Omit<SeedOptions, 'today'>, windowId: string, username: string): Promise<PlanClinic> {
  const dir = mkdtempSync(join(tmpdir(), 'clinic-plans-'))
  let captured: Statement[] = []
  const database = openDatabase({ engine: 'sqlite', file: join(dir, 'plans.sqlite') }, { onQuery: (sql, parameters) => captured.push({ sql, parameters }) })
  await migrateToLatest(database)
  await seedClinic(database, { today: '2026-11-29', ...seed })
  database.sqlite!.exec('ANALYZE')
  const router = createRouter({ database, log: () => {} })
  expect((await router.call(windowId, 'session.signIn', { username, password: SEED_PASSWORD })).ok).toBe(true)
  return {
    database,
    router,
    recorded: () => captured,
    forget: () => {
      captured = []
    },
    planOf: (s) => (database.sqlite!.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...(s.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail),
    async close() {
      await database.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
