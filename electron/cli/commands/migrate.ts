import { LATEST_MIGRATION } from '../../../migrations'
import { migrateWithBackup } from '../../services/backup'
import { cliActor, describeTarget, EXIT_OK, openTarget, type Command } from '../common'

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'bring the database schema up to date (backs it up first when it holds data)',
  help: `Usage: npm run admin -- migrate [--db FILE | --db-url URL] [--backup-folder DIR]

Applies the schema steps this version of Spine Clinic has and the database lacks, and prints them.
Creates the database when the file does not exist yet. Before changing a SQLite database that
already holds data it takes an online backup into the backup folder (the clinic's setting, or
"backups" next to the database), and audits it. A database written by a newer version is refused.

  --backup-folder DIR   put the pre-migration backup here instead of the usual backup folder`,
  options: { 'backup-folder': { type: 'string' } },
  async run({ io, values, target, now }) {
    const database = openTarget(target, { create: true })
    try {
      const folder = values['backup-folder'] as string | undefined
      const { applied, backup } = await migrateWithBackup(database, { actor: cliActor(), now: now(), ...(folder ? { folder } : {}) })
      if (backup) io.out(`Backed up first to ${backup.file} (${backup.bytes} bytes, sha256 ${backup.sha256.slice(0, 16)}...).`)
      if (applied.length === 0) io.out(`${describeTarget(target)} is already up to date (${LATEST_MIGRATION}).`)
      else io.out(`Applied ${applied.length} schema step(s) to ${describeTarget(target)}:\n${applied.map((a) => `  ${a}`).join('\n')}`)
      return EXIT_OK
    } finally {
      await database.close()
    }
  },
}
