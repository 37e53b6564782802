/**
 * Opening a clinic brings its schema up to date (the app at start, `admin migrate`): on SQLite a database that
 * holds data is backed up first; on PostgreSQL only the owner migrates, then grants the workstation roles.
 */
import { MIGRATIONS } from '../../migrations'
import type { AppDatabase } from '../db/connect'
import { appliedMigrations, assertNotTooNew, migrateToLatest } from '../db/migrate'
import { canChangeSchema, checkRoleName, grantWorkstation, SchemaBehindError, workstationRoles } from '../db/pgRoles'
import type { AuditActor } from './audit'
import { backupAuditEntry, backupToFolder, type BackupInfo } from './backupFiles'
import { auditSystem } from './systemAudit'

/**
 * Brings the schema up to date, first taking a backup when the database already holds data and
 * there is something to apply (SQLite only; a PostgreSQL server is backed up with its own tools).
 */
export async function migrateWithBackup(
  database: AppDatabase,
  opts: { actor: AuditActor; now?: Date; folder?: string; anchorDir?: string | null; workstationRoles?: string[] },
): Promise<{ applied: string[]; backup?: BackupInfo; granted?: string[] }> {
  const now = opts.now ?? new Date()
  await assertNotTooNew(database)
  const before = await appliedMigrations(database)
  const pending = Object.keys(MIGRATIONS).filter((n) => !before.includes(n))
  if (database.engine === 'postgres') return migratePostgres(database, pending.length, before.length, opts.workstationRoles ?? [])
  // (Kysely's migrator would create its tables IF NOT EXISTS, which a role without CREATE may not even try.)
  if (pending.length === 0) return { applied: [] }
  let backup: BackupInfo | undefined
  if (database.engine === 'sqlite' && before.length > 0 && pending.length > 0) {
    backup = await backupToFolder(database, 'pre-migrate', now, opts.folder, { anchorDir: opts.anchorDir })
    await auditSystem(database, opts.actor, now, { ...backupAuditEntry(backup), details: { ...backup, pending } })
  }
  const { applied } = await migrateToLatest(database)
  return { applied, ...(backup ? { backup } : {}) }
}


/**
 * PostgreSQL: only the owner changes the schema (db/pgRoles.ts). A workstation connected as the workstation
 * role finds the schema behind and says so instead of trying; the owner migrates and then grants the
 * workstation roles what the new tables need.
 */
async function migratePostgres(database: AppDatabase, pending: number, applied: number, extraRoles: string[]): Promise<{ applied: string[]; granted?: string[] }> {
  const owner = await canChangeSchema(database.db)
  if (!owner) {
    if (extraRoles.length > 0) throw new Error('--workstation-role needs the database owner\'s connection (the role that may change the schema).')
    if (pending > 0) throw new SchemaBehindError(applied, applied + pending)
    return { applied: [] }
  }
  const result = pending > 0 ? await migrateToLatest(database) : { applied: [] }
  const roles = [...new Set([...extraRoles.map(checkRoleName), ...(await workstationRoles(database.db))])].sort()
  for (const role of roles) await grantWorkstation(database.db, role)
  return { ...result, ...(roles.length > 0 ? { granted: roles } : {}) }
}
