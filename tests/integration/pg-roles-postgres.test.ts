/**
 * PostgreSQL least privilege (db/pgRoles.ts): the workstations connect as a role that can read and write the
 * clinical tables, may only SELECT and INSERT the evidence (audit log, signatures, addenda, entered-in-error
 * rows, signed PDFs) and has no DDL and no TRUNCATE. Only the owner migrates; a workstation whose schema is
 * behind says so instead of migrating. Roles and databases are made for this test on the given server.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../migrations'
import { openClinicApp } from '../../electron/app'
import { admin } from './cliHarness'
import { ADMIN, newWindow, onPostgres, PASSWORD, PG_URL, SAMPLE_PATIENT } from './harness'

const suffix = randomBytes(4).toString('hex')
const OWNER = `clinic_owner_${suffix}`
const DESK = `clinic_ws_${suffix}`
const DB = `clinic_roles_${suffix}`

function urlAs(role: string): string {
  const u = new URL(PG_URL!)
  u.username = role
  u.password = ''
  u.pathname = `/${DB}`
  return u.toString()
}

async function asSuperuser(statements: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL })
  await c.connect()
  try {
    for (const s of statements) await c.query(s)
  } finally {
    await c.end()
  }
}

/** Runs one statement as the given role; returns the server's refusal, or null when it was allowed. */
async function refusal(role: string, statement: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: urlAs(role) })
  await c.connect()
  try {
    await c.query(statement)
    return null
  } catch (err) {
    return (err as Error).message
  } finally {
    await c.end()
  }
}

describe.skipIf(!PG_URL)(onPostgres('the workstation role'), () => {
  beforeAll(async () => {
    await asSuperuser([`CREATE ROLE ${OWNER} LOGIN`, `CREATE ROLE ${DESK} LOGIN`, `CREATE DATABASE ${DB} OWNER ${OWNER}`])
    const r = await admin(['migrate', '--db-url', urlAs(OWNER), '--workstation-role', DESK])
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain(`Workstation role ${DESK}`)
  }, 120_000)

  afterAll(async () => {
    await asSuperuser([`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`, `DROP ROLE IF EXISTS ${OWNER}`, `DROP ROLE IF EXISTS ${DESK}`])
  })

  it('runs the clinic: set-up, users, a patient registered and found, the audit log read', async () => {
    const app = await openClinicApp({ engine: 'postgres', url: urlAs(DESK) }, { backups: false, anchors: false })
    try {
      const w = newWindow()
      expect(await app.router.call(w, 'setup.complete', { clinicName: 'Least Privilege Clinic', admin: ADMIN })).toMatchObject({ ok: true })
      expect(await app.router.call(w, 'users.create', { displayName: 'Desk', username: 'desk', role: 'frontDesk', password: PASSWORD })).toMatchObject({ ok: true })
      const desk = newWindow()
      expect(await app.router.call(desk, 'session.signIn', { username: 'desk', password: PASSWORD })).toMatchObject({ ok: true })
      expect(await app.router.call(desk, 'session.changePassword', { currentPassword: PASSWORD, newPassword: 'desk-own-password-1' })).toMatchObject({ ok: true })
      const patient = await app.router.call(desk, 'patients.register', { ...SAMPLE_PATIENT, acknowledgeDuplicate: true })
      expect(patient).toMatchObject({ ok: true })
      const found = await app.router.call(desk, 'patients.search', { q: SAMPLE_PATIENT.lastName })
      expect(found.ok && (found.value as unknown[]).length).toBe(1)
      const audit = await app.router.call(w, 'audit.list', {})
      expect(audit.ok && (audit.value as unknown[]).length).toBeGreaterThan(0)
    } finally {
      await app.close()
    }
  })

  it('is refused TRUNCATE, DDL, and changing or removing evidence', async () => {
    expect(await refusal(DESK, 'TRUNCATE audit_log')).toMatch(/permission denied/)
    expect(await refusal(DESK, 'ALTER TABLE patients ADD COLUMN x integer')).toMatch(/must be owner/)
    expect(await refusal(DESK, 'DROP TRIGGER audit_log_no_change ON audit_log')).toMatch(/must be owner/)
    expect(await refusal(DESK, 'CREATE TABLE scratch (id integer)')).toMatch(/permission denied/)
    expect(await refusal(DESK, 'DELETE FROM signatures')).toMatch(/permission denied/)
    expect(await refusal(DESK, 'UPDATE audit_log SET details = details')).toMatch(/permission denied/)
    expect(await refusal(DESK, 'DELETE FROM entered_in_error')).toMatch(/permission denied/)
    // while the clinical tables are the workstation's to read and write
    expect(await refusal(DESK, 'UPDATE patients SET notes = notes WHERE false')).toBeNull()
    expect(await refusal(DESK, 'SELECT count(*) FROM audit_log')).toBeNull()
  })

  it('a workstation whose schema is behind says so and changes nothing; the owner migrates and the new table reaches it', async () => {
    const name = '9991_test_roles_scratch'
    MIGRATIONS[name] = { up: async (db) => void (await db.schema.createTable('roles_scratch').addColumn('id', 'integer', (col) => col.primaryKey()).execute()) }
    try {
      await expect(openClinicApp({ engine: 'postgres', url: urlAs(DESK) }, { backups: false, anchors: false })).rejects.toThrow(/schema step \d+; this version of Spine Clinic needs step \d+.*--admin migrate/)
      expect(await refusal(DESK, 'SELECT 1 FROM roles_scratch')).toMatch(/does not exist/)
      const r = await admin(['migrate', '--db-url', urlAs(OWNER)])
      expect(r.code, r.err).toBe(0)
      expect(r.out).toContain(name)
      expect(r.out).toContain(DESK) // granted again without being named
      expect(await refusal(DESK, 'INSERT INTO roles_scratch (id) VALUES (1)')).toBeNull()
      const app = await openClinicApp({ engine: 'postgres', url: urlAs(DESK) }, { backups: false, anchors: false })
      await app.close()
    } finally {
      delete MIGRATIONS[name]
    }
  })

  it('--workstation-role takes a role name only', async () => {
    const r = await admin(['migrate', '--db-url', urlAs(OWNER), '--workstation-role', 'x; DROP TABLE patients'])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/--workstation-role must be a PostgreSQL role name/)
  })
})
