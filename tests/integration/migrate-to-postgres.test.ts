import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { openDatabase } from '../../electron/db/connect'
import { createRouter } from '../../electron/rpc'
import { admin } from './cliHarness'
import { newWindow, onPostgres, openClinic, openTestDatabase, PASSWORD, PG_URL, SAMPLE_PATIENT } from './harness'

it.skipIf(!PG_URL)(onPostgres('moves a SQLite clinic into an empty PostgreSQL database, which then works as the clinic'), async () => {
  const clinic = await openClinic()
  const dir = mkdtempSync(join(tmpdir(), 'clinic-m2p-'))
  const pgDb = await openTestDatabase('postgres', dir)
  try {
    const desk = await clinic.as('frontDesk', 'desk')
    const doc = await clinic.as('physician', 'drbones')
    const p = await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)
    await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Tom', lastName: "O'Brien", dateOfBirth: '1940-05-05' })
    let n = await clinic.ok(doc, 'consultations.open', { patientId: p.id })
    n = await clinic.ok(doc, 'consultations.save', { id: n.id, version: n.version, fields: { visitDate: '2026-11-30', painNrs: 7 } })
    await clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
    const file = (clinic.database.target as { file: string }).file
    const url = (pgDb.target as { url: string }).url

    // the command as the README and the issue give it (--to is the same)
    const r = await admin(['migrate-to-postgres', '--db', file, '--db-url', url])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/counts match and the audit chain \(\d+ rows\) verifies/)
    expect(r.out).toContain('Vacuumed and analyzed')

    // The copy is the clinic: users sign in with their passwords, records are there, signatures verify, ids continue.
    const target = openDatabase(pgDb.target)
    try {
      // statistics from the start: PostgreSQL's row estimate is set (-1 until a table is vacuumed or analyzed)
      const stats = await sql<{ reltuples: number }>`select reltuples from pg_class where relname = 'patients'`.execute(target.db)
      expect(Number(stats.rows[0]!.reltuples)).toBe(2)
      const router = createRouter({ database: target, log: () => {} })
      const w = newWindow()
      expect((await router.call(w, 'session.signIn', { username: 'desk', password: PASSWORD })).ok).toBe(true)
      const hits = await router.call(w, 'patients.search', { q: "o'brien" })
      expect(hits.ok && (hits.value as { lastName: string }[]).map((h) => h.lastName)).toEqual(["O'Brien"])
      const third = await router.call(w, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1945-12-10' })
      expect(third.ok && third.value).toMatchObject({ id: 3, mrn: 'SC-000003' })
      const wd = newWindow()
      await router.call(wd, 'session.signIn', { username: 'drbones', password: PASSWORD })
      const note = await router.call(wd, 'consultations.get', { id: n.id })
      expect(note.ok && (note.value as { signing: { signature?: { valid: boolean } } }).signing.signature?.valid).toBe(true)
      expect((await admin(['verify', '--db-url', url])).code).toBe(0)
    } finally {
      await target.close()
    }

    // A second copy into the now non-empty database is refused, and changes nothing.
    const again = await admin(['migrate-to-postgres', '--db', file, '--to', url])
    expect(again.code).toBe(1)
    expect(again.err).toMatch(/already holds a clinic/)
  } finally {
    await clinic.close()
    await pgDb.drop()
    rmSync(dir, { recursive: true, force: true })
  }
})
