/**
 * Tells this workstation when another one changed the data, so that open screens refresh without a
 * manual reload. PostgreSQL: NOTIFY inside the writing transaction (delivered on commit) and a LISTEN
 * connection here. SQLite (another process on the same file, such as the admin command line): polling
 * `PRAGMA data_version`, which changes only when a different connection commits.
 *
 * The PostgreSQL listener outlives the server going away: it connects again with a growing wait, LISTENs
 * again, and then announces a change of everything ('*'), because changes made meanwhile were not heard.
 */
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { AREAS, type Area } from '../../shared/contract'
import type { AppDatabase } from './connect'
import type { Tx } from './tx'

export const CHANGE_CHANNEL = 'clinic_changes'

export interface ChangeFeed {
  /** Announces the areas a write changed to the other workstations; call inside the writing transaction. */
  publish(trx: Tx, areas: readonly Area[]): Promise<void>
  close(): Promise<void>
}

export interface ChangeFeedOptions {
  /** SQLite: how often `PRAGMA data_version` is read. */
  pollMs?: number
  /** PostgreSQL: the first wait before connecting the listener again after it was lost (doubles, up to maxRetryMs). */
  retryMs?: number
  maxRetryMs?: number
  log?: (message: string, err?: unknown) => void
  /** PostgreSQL: the listener lost its connection (`false`) or is listening again (`true`). */
  onListening?: (listening: boolean) => void
}

export async function startChangeFeed(database: AppDatabase, onRemoteChange: (areas: readonly Area[] | '*') => void, opts: ChangeFeedOptions = {}): Promise<ChangeFeed> {
  const origin = randomUUID()
  if (database.engine === 'postgres' && database.target.engine === 'postgres') {
    const url = database.target.url
    const log = opts.log ?? ((m: string) => console.error(`[changes] ${m}`))
    const firstRetryMs = opts.retryMs ?? 500
    const maxRetryMs = opts.maxRetryMs ?? 15_000
    let listener: pg.Client | null = null
    let closed = false
    let retryMs = firstRetryMs
    let retryTimer: NodeJS.Timeout | undefined

    const onNotification = (msg: pg.Notification) => {
      try {
        const { origin: from, areas } = JSON.parse(msg.payload ?? '{}') as { origin?: string; areas?: unknown }
        if (from === origin || !Array.isArray(areas)) return
        // a workstation of a newer version may name an area this one does not know: refresh everything then
        const known = areas.filter((a): a is Area => (AREAS as readonly unknown[]).includes(a))
        onRemoteChange(known.length === areas.length ? known : '*')
      } catch {
        /* a malformed payload is ignored */
      }
    }

    /** A client that LISTENs, or a thrown error (with the half-made client ended). */
    async function listen(): Promise<pg.Client> {
      const client = new pg.Client({ connectionString: url, keepAlive: true, keepAliveInitialDelayMillis: 10_000, connectionTimeoutMillis: 10_000 })
      // An 'error' nobody listens to would end the process; the 'end' that follows it brings the reconnect.
      client.on('error', (err) => log(`the change listener lost its connection (${err.message})`))
      client.on('notification', onNotification)
      try {
        await client.connect()
        await client.query(`LISTEN ${CHANGE_CHANNEL}`)
      } catch (err) {
        void client.end().catch(() => undefined)
        throw err
      }
      client.once('end', () => {
        if (closed || listener !== client) return
        listener = null
        opts.onListening?.(false)
        scheduleReconnect()
      })
      return client
    }

    /**
     * The server went away (a restart, a dropped network). Try again with a growing wait; once listening
     * again, every open screen refreshes, since other workstations' changes meanwhile were not heard.
     */
    function scheduleReconnect() {
      if (closed || retryTimer) return
      const wait = retryMs
      retryMs = Math.min(retryMs * 2, maxRetryMs)
      retryTimer = setTimeout(() => {
        retryTimer = undefined
        listen().then(
          (client) => {
            if (closed) {
              void client.end().catch(() => undefined)
              return
            }
            listener = client
            retryMs = firstRetryMs
            log('the change listener is connected again')
            opts.onListening?.(true)
            onRemoteChange('*')
          },
          () => scheduleReconnect(),
        )
      }, wait)
      retryTimer.unref?.()
    }

    listener = await listen()
    return {
      async publish(trx, areas) {
        await sql`SELECT pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify({ origin, areas })})`.execute(trx)
      },
      async close() {
        closed = true
        clearTimeout(retryTimer)
        await listener?.end().catch(() => undefined)
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
