import { existsSync } from 'node:fs'
import path from 'node:path'
import { DatabaseTooNewError } from '../../db/migrate'
import { anchorDir } from '../../paths'
import { restoreDatabaseFile, RestoreRefusedError } from '../../services/restore'
import { cliActor, EXIT_FAILED, EXIT_OK, requireString, UsageError, type Command } from '../common'

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'replace the database with a backup (the replaced one is kept aside)',
  help: `Usage: npm run admin -- restore --from FILE [--outside-file] [--db FILE]

Close Spine Clinic on every computer first. Checks the backup before it changes anything: a sound
Spine Clinic database (integrity_check), not from a newer version of the app, that still matches the
manifest written beside it when it was made (FILE.manifest.json: its SHA-256, size, schema and audit
log head). Then keeps the current database as clinic.replaced-<time>.sqlite next to it, puts the
backup in its place (the database's path is never empty meanwhile), brings an older backup's schema up
to date, records the restore in the audit log and in this computer's audit anchors.

  --from FILE      the backup to restore
  --outside-file   restore a file that has no matching manifest (a copy made by hand, a backup from a
                   version before manifests): you confirm where it comes from; its integrity, version
                   and audit log hash chain are checked first`,
  options: { from: { type: 'string' }, 'outside-file': { type: 'boolean' } },
  async run({ io, values, target, now }) {
    const from = path.resolve(requireString(values, 'from', 'the backup file to restore'))
    if (target.engine !== 'sqlite') throw new UsageError('restore works on a SQLite database (--db); restore a PostgreSQL server with pg_restore.')
    if (!existsSync(from)) throw new UsageError(`--from: there is no file at ${from}.`)
    try {
      const r = await restoreDatabaseFile({ file: target.file, from, actor: cliActor(), now: now(), outsideFile: values['outside-file'] === true, anchorDir: anchorDir(io.env) })
      io.out(`Restored ${target.file}\n  from ${r.restoredFrom} (schema ${r.backupSchema}, sha256 ${r.sha256}; ${r.accepted === 'manifest' ? 'matches its manifest' : 'an outside file you confirmed'})`)
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
        if (err.outsideFile) io.err('To restore it anyway, run the same command with --outside-file.')
        return EXIT_FAILED
      }
      throw err
    }
  },
}
