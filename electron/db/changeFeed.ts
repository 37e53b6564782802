/**
 * Tells this workstation when another one changed the data, so that open screens refresh without a
 * manual reload. PostgreSQL: NOTIFY inside the writing transaction (delivered on commit) and a LISTEN
 * connection here. SQLite (another process on the same file, such as the admin command line): polling
 * `PRAGMA data_version`, which changes only when a different connection commits.
 */
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import type { AppDatabase } from './connect'
import type { Tx } from './tx'

export const CHANGE_CHANNEL = 'clinic_changes'

export interface ChangeFeed {
  /** Announces a change to the other workstations; call inside the writing transaction. */
  publish(trx: Tx, entity: string): Promise<void>
  close(): Promise<void>
}

export async function startChangeFeed(
  database: AppDatabase,
  onRemoteChange: (entity: string) => void,
  opts: { pollMs?: number } = {},
): Promise<ChangeFeed> {
  const origin = randomUUID()
  if (database.engine === 'postgres' && database.target.engine === 'postgres') {
    const listener = new pg.Client({ connectionString: database.target.url })
    await listener.connect()
    listener.on('notification', (msg) => {
      try {
        const { origin: from, entity } = JSON.parse(msg.payload ?? '{}') as { origin?: string; entity?: string }
        if (from !== origin && typeof entity === 'string') onRemoteChange(entity)
      } catch {
        /* a malformed payload is ignored */
      }
    })
    // A dropped connection must not take the app down; screens still refresh on their own actions.
    listener.on('error', () => undefined)
    await listener.query(`LISTEN ${CHANGE_CHANNEL}`)
    return {
      async publish(trx, entity) {
        await sql`SELECT pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify({ origin, entity })})`.execute(trx)
      },
      async close() {
        await listener.end().catch(() => undefined)
      },
    }
  }
  const raw = database.sqlite!
  let seen = raw.pragma('data_version', { simple: true }) as number
  const timer = setInterval(() => {
    try {
      const now = raw.pragma('data_version', { simple: true }) as number
      if (now !== seen) {
        seen = now
        onRemoteChange('*')
      }
    } catch {
      clearInterval(timer)
    }
  }, opts.pollMs ?? 500)
  timer.unref()
  return {
    async publish() {},
    async close() {
      clearInterval(timer)
    },
  }
}
