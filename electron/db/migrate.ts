import { Migrator, sql, type Kysely, type MigrationProvider, type MigrationResultSet } from 'kysely'
import { LATEST_MIGRATION, MIGRATIONS } from '../../migrations'
import type { Engine } from './engine'
import type { AppDatabase } from './connect'

export class DatabaseTooNewError extends Error {
  constructor(readonly unknownMigrations: string[]) {
    super(
      `This database was written by a newer version of Spine Clinic (it has schema steps ${unknownMigrations.join(', ')} ` +
        `that this version does not know). Install the newer version, or restore a backup made by this one.`,
    )
    this.name = 'DatabaseTooNewError'
  }
}

function provider(engine: Engine): MigrationProvider {
  return {
    async getMigrations() {
      return Object.fromEntries(
        Object.entries(MIGRATIONS).map(([name, m]) => [
          name,
          { up: (db: Kysely<any>) => m.up(db, engine), down: m.down ? (db: Kysely<any>) => m.down!(db, engine) : undefined },
        ]),
      )
    },
  }
}

/** Names of migrations recorded in the database (empty for a new database). */
export async function appliedMigrations(database: AppDatabase): Promise<string[]> {
  const tables = await database.db.introspection.getTables({ withInternalKyselyTables: true })
  if (!tables.some((t) => t.name === 'kysely_migration')) return []
  const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(database.db)
  return rows.rows.map((r) => r.name)
}

export async function assertNotTooNew(database: AppDatabase): Promise<void> {
  const unknown = (await appliedMigrations(database)).filter((n) => !(n in MIGRATIONS))
  if (unknown.length > 0) throw new DatabaseTooNewError(unknown)
}

function outcome({ error, results }: MigrationResultSet): { applied: string[] } {
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) }
}

/**
 * Brings the schema up to date, never twice at once. On PostgreSQL Kysely's migrator takes an advisory
 * lock. On SQLite its lock is a no-op (it assumes one connection), so two processes on one file (the app
 * and the admin command line) would both run a step: there the whole run happens inside one
 * BEGIN IMMEDIATE transaction, which also makes the run all-or-nothing.
 */
export async function migrateToLatest(database: AppDatabase): Promise<{ applied: string[] }> {
  await assertNotTooNew(database)
  if (database.engine === 'postgres') {
    return outcome(await new Migrator({ db: database.db, provider: provider(database.engine) }).migrateToLatest())
  }
  const previousTimeout = database.sqlite!.pragma('busy_timeout', { simple: true }) as number
  // Another process may be midway through a long migration: wait for it rather than fail.
  database.sqlite!.pragma('busy_timeout = 120000')
  try {
    return await database.db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn)
      try {
        const result = await new Migrator({ db: conn, provider: provider(database.engine), disableTransactions: true }).migrateToLatest()
        const out = outcome(result)
        await sql`COMMIT`.execute(conn)
        return out
      } catch (err) {
        await sql`ROLLBACK`.execute(conn)
        throw err
      }
    })
  } finally {
    database.sqlite!.pragma(`busy_timeout = ${previousTimeout}`)
  }
}

export async function isUpToDate(database: AppDatabase): Promise<boolean> {
  const applied = await appliedMigrations(database)
  return applied.at(-1) === LATEST_MIGRATION
}
