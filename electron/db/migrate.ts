import { Migrator, sql, type Kysely, type MigrationProvider } from 'kysely'
import { LATEST_MIGRATION, MIGRATIONS, type Engine } from '../../migrations'
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

/**
 * Brings the schema up to date. Kysely's migrator holds a lock while it runs (an advisory lock on
 * PostgreSQL), so two workstations starting together never both run a migration.
 */
export async function migrateToLatest(database: AppDatabase): Promise<{ applied: string[] }> {
  await assertNotTooNew(database)
  const migrator = new Migrator({ db: database.db, provider: provider(database.engine) })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) }
}

export async function isUpToDate(database: AppDatabase): Promise<boolean> {
  const applied = await appliedMigrations(database)
  return applied.at(-1) === LATEST_MIGRATION
}
