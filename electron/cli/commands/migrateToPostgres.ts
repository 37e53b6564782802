import { openDatabase, parseDbTarget } from '../../db/connect'
import { checkRoleName, grantWorkstation } from '../../db/pgRoles'
import { MigrationRefused, migrateSqliteToPostgres } from '../../services/migrateToPostgres'
import { cliActor, describeTarget, EXIT_FAILED, EXIT_OK, openTarget, UsageError, type Command } from '../common'

export const migrateToPostgresCommand: Command = {
  name: 'migrate-to-postgres',
  summary: 'copy a single-workstation SQLite clinic into an empty PostgreSQL database',
  help: `Usage: npm run admin -- migrate-to-postgres --db FILE --db-url postgres://USER@HOST:PORT/DB

Creates the schema in the (empty) PostgreSQL database, copies every row of the SQLite file in one
transaction, and checks the copy: every table's row count and the audit log's hash chain. It refuses a
PostgreSQL database that already holds users or patients, and changes nothing when a check fails.
Stop every workstation first; afterwards point them at PostgreSQL (README: several workstations).

Connect as the database's owner; --workstation-role then grants the role the workstations connect as
what the app needs and no more (as "migrate --workstation-role" does).

  --db FILE                the SQLite file to copy (required)
  --db-url URL             the PostgreSQL database to fill (or --to URL, or CLINIC_DB_URL)
  --workstation-role ROLE  the role the workstations connect as (README: several workstations)`,
  options: { to: { type: 'string' }, 'workstation-role': { type: 'string' } },
  dbUrlIsDestination: true,
  async run({ io, values, target, now }) {
    const [to, dbUrl] = [values.to as string | undefined, values['db-url'] as string | undefined]
    if (to !== undefined && dbUrl !== undefined && to !== dbUrl) throw new UsageError('--to and --db-url name two different databases: give one of them.')
    const url = to ?? dbUrl ?? io.env.CLINIC_DB_URL
    if (typeof values.db !== 'string') throw new UsageError('--db is required: the SQLite file to copy.')
    if (!url || !/^postgres(ql)?:\/\//i.test(url)) throw new UsageError('--db-url is required: the PostgreSQL database to fill, postgres://user@host:port/db.')
    const role = values['workstation-role'] as string | undefined
    if (role) {
      try {
        checkRoleName(role)
      } catch (err) {
        throw new UsageError((err as Error).message)
      }
    }
    const source = openTarget(target)
    const dest = openDatabase(parseDbTarget(url))
    try {
      const report = await migrateSqliteToPostgres(source, dest, cliActor(), now())
      for (const t of report.tables) io.out(`  ${t.table.padEnd(26)} ${t.rows}`)
      io.out(`Copied ${report.tables.reduce((a, t) => a + t.rows, 0)} rows into ${describeTarget(dest.target)}; counts match and the audit chain (${report.auditRows} rows) verifies.`)
      if (role) {
        await grantWorkstation(dest.db, role)
        io.out(`Workstation role ${role}: reads and writes the clinical tables, only reads and adds to the audit log and signed records.`)
      }
      if (report.vacuumFailed) io.err(`The copy is complete, but VACUUM ANALYZE after it failed (${report.vacuumFailed}): run it as the database's owner, or searches stay slow until autovacuum has been through every table.`)
      else io.out('Vacuumed and analyzed: PostgreSQL has the statistics to plan its queries.')
      return EXIT_OK
    } catch (err) {
      if (err instanceof MigrationRefused) {
        io.err(err.message)
        return EXIT_FAILED
      }
      throw err
    } finally {
      await source.close()
      await dest.close()
    }
  },
}
