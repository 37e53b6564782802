import { existsSync } from 'node:fs'
import path from 'node:path'
import { DatabaseTooNewError } from '../../db/migrate'
import { restoreDatabaseFile, RestoreRefusedError } from '../../services/backup'
import { cliActor, EXIT_FAILED, EXIT_OK, requireString, UsageError, type Command } from '../common'

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'replace the database with a backup (the replaced one is kept aside)',
  help: `Usage: npm run admin -- restore --from FILE [--db FILE]

Close Spine Clinic on every computer first. Checks the backup (integrity_check, a Spine Clinic
database, not from a newer version of the app) before it changes anything; then renames the current
database to clinic.replaced-<time>.sqlite next to it, puts the backup in its place, brings an older
backup's schema up to date and records the restore in the audit log.

  --from FILE   the backup to restore`,
  options: { from: { type: 'string' } },
  async run({ io, values, target, now }) {
    const from = path.resolve(requireString(values, 'from', 'the backup file to restore'))
    if (target.engine !== 'sqlite') throw new UsageError('restore works on a SQLite database (--db); restore a PostgreSQL server with pg_restore.')
    if (!existsSync(from)) throw new UsageError(`--from: there is no file at ${from}.`)
    try {
      const r = await restoreDatabaseFile({ file: target.file, from, actor: cliActor(), now: now() })
      io.out(`Restored ${target.file}\n  from ${r.restoredFrom} (schema ${r.backupSchema}, sha256 ${r.sha256})`)
      if (r.keptAsideAs) io.out(`  the database it replaced is kept as ${r.keptAsideAs}`)
      if (r.migrated.length > 0) io.out(`  brought up to date: ${r.migrated.join(', ')}`)
      return EXIT_OK
    } catch (err) {
      if (err instanceof DatabaseTooNewError) {
        io.err(`Restore refused: ${from} comes from a newer version of Spine Clinic than this one. Nothing was changed. (${err.message})`)
        return EXIT_FAILED
      }
      if (err instanceof RestoreRefusedError) {
        io.err(`Restore refused: ${err.message}`)
        return EXIT_FAILED
      }
      throw err
    }
  },
}
