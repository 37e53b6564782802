import { LATEST_MIGRATION } from '../../../migrations'
import { migrateWithBackup } from '../../services/migrateWithBackup'
import { checkRoleName } from '../../db/pgRoles'
import { cliActor, describeTarget, EXIT_OK, openTarget, UsageError, type Command } from '../common'

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'bring the database schema up to date (backs it up first when it holds data)',
  help: `Usage: npm run admin -- migrate [--db FILE | --db-url URL] [--backup-folder DIR] [--workstation-role ROLE]

Applies the schema steps this version of Spine Clinic has and the database lacks, and prints them.
Creates the database when the file does not exist yet. Before changing a SQLite database that
already holds data it takes an online backup into the backup folder (the clinic's setting, or
"backups" next to the database), and audits it. A database written by a newer version is refused.

PostgreSQL: run it as the database's owner (the only role that may change the schema). It then grants
the workstation role(s) what the app needs on every table: read and write the clinical tables, only
read and add to the audit log, signatures, addenda, entered-in-error rows and signed PDFs; no DDL, no
TRUNCATE. Roles that already hold those grants are granted the new tables too.

  --backup-folder DIR      put the pre-migration backup here instead of the usual backup folder
  --workstation-role ROLE  (PostgreSQL) the role the workstations connect as; may be given once`,
  options: { 'backup-folder': { type: 'string' }, 'workstation-role': { type: 'string' } },
  async run({ io, values, target, now }) {
    const database = openTarget(target, { create: true })
    try {
      const folder = values['backup-folder'] as string | undefined
      const role = values['workstation-role'] as string | undefined
      if (role && target.engine !== 'postgres') throw new UsageError('--workstation-role is for a PostgreSQL database (--db-url).')
      if (role) {
        try {
          checkRoleName(role)
        } catch (err) {
          throw new UsageError((err as Error).message)
        }
      }
      const { applied, backup, granted } = await migrateWithBackup(database, { actor: cliActor(), now: now(), ...(folder ? { folder } : {}), ...(role ? { workstationRoles: [role] } : {}) })
      if (backup) io.out(`Backed up first to ${backup.file} (${backup.bytes} bytes, sha256 ${backup.sha256.slice(0, 16)}...).`)
      if (applied.length === 0) io.out(`${describeTarget(target)} is already up to date (${LATEST_MIGRATION}).`)
      else io.out(`Applied ${applied.length} schema step(s) to ${describeTarget(target)}:\n${applied.map((a) => `  ${a}`).join('\n')}`)
      if (granted) io.out(`Workstation role${granted.length === 1 ? '' : 's'} ${granted.join(', ')}: read and write the clinical tables, only read and add to the audit log and signed records.`)
      return EXIT_OK
    } finally {
      await database.close()
    }
  },
}
