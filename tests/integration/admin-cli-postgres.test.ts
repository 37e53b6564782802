/**
 * The command line against PostgreSQL. Runs when CLINIC_TEST_PG_URL points at a server where the
 * user may create databases (see /work/shared/TOOLCHAIN.md for a throwaway one); skipped otherwise.
 */
import pg from 'pg'
import { hostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/db/connect'
import { createRouter } from '../../electron/rpc'
import { admin } from './cliHarness'
import { ADMIN, newWindow, onPostgres, PASSWORD } from './harness'

const BASE = process.env.CLINIC_TEST_PG_URL

describe.skipIf(!BASE)(onPostgres('admin CLI on PostgreSQL'), () => {
  const name = `clinic_cli_${process.pid}_${Date.now()}`
  let url = ''
  const query = async (sql: string, target = BASE!) => {
    const client = new pg.Client({ connectionString: target })
    await client.connect()
    try {
      return await client.query(sql)
    } finally {
      await client.end()
    }
  }

  beforeAll(async () => {
    await query(`CREATE DATABASE ${name}`)
    const u = new URL(BASE!)
    u.pathname = `/${name}`
    url = u.toString()
  })
  afterAll(async () => {
    if (url) await query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  })

  it('migrates, creates a user, verifies, and names an audit row edited behind the app\'s back', async () => {
    const m = await admin(['migrate', '--db-url', url])
    expect(m.code, m.err).toBe(0)
    expect(m.out).toContain('0001_init')

    const database = openDatabase({ engine: 'postgres', url })
    try {
      const router = createRouter({ database, workstation: 'pg-ws', log: () => {} })
      expect((await router.call(newWindow(), 'setup.complete', { clinicName: 'PG Clinic', admin: ADMIN })).ok).toBe(true)
    } finally {
      await database.close()
    }

    const c = await admin(['create-user', '--username', 'pgdoc', '--role', 'physician', '--name', 'Dr PG'], { stdin: PASSWORD, env: { CLINIC_DB_URL: url } })
    expect(c.code, c.err).toBe(0)
    const row = (await query(`SELECT username, workstation FROM audit_log WHERE action = 'user.create' ORDER BY id DESC LIMIT 1`, url)).rows[0]
    expect(row).toEqual({ username: 'admin-cli', workstation: hostname() })

    const ok = await admin(['verify', '--db-url', url])
    expect(ok.code, ok.out).toBe(0)
    expect(ok.out).not.toContain('integrity_check')

    const victim = (await query(`SELECT min(id) AS id FROM audit_log`, url)).rows[0].id as number
    await query(`DROP TRIGGER audit_log_no_change ON audit_log; UPDATE audit_log SET workstation = 'elsewhere' WHERE id = ${victim}`, url)
    const bad = await admin(['verify', '--db-url', url])
    expect(bad.code).toBe(1)
    expect(bad.out).toContain(`audit_log row ${victim}: content does not match its hash`)
  })
})
