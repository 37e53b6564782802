/**
 * The reader of postgres-young-garbage.test.ts, run as its own process under `node --trace-gc-nvp`: reads a
 * 200-row result through the app's own pool and Kysely (openDatabase, as every service reads) a few thousand
 * times, one after the other, as a busy list screen would. V8 prints a line per garbage collection; the test reads them.
 */
import { sql } from 'kysely'
import { openDatabase } from '../../electron/db/connect'

const [url, rounds] = process.argv.slice(2) as [string, string]
const database = openDatabase({ engine: 'postgres', url })
try {
  for (let i = 0; i < Number(rounds); i++) {
    const r = await sql<{ n: number; label: string }>`select n, 'document ' || n as label, now()::text as at from generate_series(1, ${200}::int) n`.execute(database.db)
    if (r.rows.length !== 200) throw new Error(`expected 200 rows, got ${r.rows.length}`)
  }
  process.stdout.write('DONE\n')
} finally {
  await database.close()
}
