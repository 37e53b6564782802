import { existsSync } from 'node:fs'
import path from 'node:path'
import { anchorDir } from '../../paths'
import { backupAuditEntry, createBackup } from '../../services/backupFiles'
import { auditSystem } from '../../services/systemAudit'
import { cliActor, EXIT_OK, openTarget, requireString, UsageError, type Command } from '../common'

export const backupCommand: Command = {
  name: 'backup',
  summary: 'write an online backup of the database to a new file',
  help: `Usage: npm run admin -- backup --out FILE [--db FILE]

Copies the SQLite database with SQLite's online backup (the app may keep running), checks the copy
with integrity_check, writes FILE.manifest.json beside it (its SHA-256, size, schema and audit log head:
"restore" takes the file as it is only while it matches), adds the head to this computer's audit anchors,
and records the backup in the audit log. FILE must not exist yet.
PostgreSQL servers are backed up with pg_dump instead.

  --out FILE   the backup file to write`,
  options: { out: { type: 'string' } },
  async run({ io, values, target, now }) {
    const out = path.resolve(requireString(values, 'out', 'the file to write the backup to'))
    if (target.engine !== 'sqlite') throw new UsageError('backup works on a SQLite database (--db); back up a PostgreSQL server with pg_dump.')
    if (existsSync(out)) throw new UsageError(`--out: ${out} already exists; a backup never overwrites a file.`)
    if (out === path.resolve(target.file)) throw new UsageError('--out must not be the database itself.')
    const database = openTarget(target)
    try {
      const at = now()
      const info = await createBackup(database, out, 'manual', at, { anchorDir: anchorDir(io.env) })
      await auditSystem(database, cliActor(), at, backupAuditEntry(info))
      io.out(`Backed up ${target.file}\n  to ${info.file}\n  ${info.bytes} bytes, schema ${info.schema}, sha256 ${info.sha256}\n  manifest ${info.manifest} (audit log: ${info.audit.count} rows)`)
      return EXIT_OK
    } finally {
      await database.close()
    }
  },
}
