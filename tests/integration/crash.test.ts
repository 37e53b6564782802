/**
 * Crash-proof writes: a writer process makes acknowledged writes through the real router and is killed
 * with SIGKILL at random moments, round after round, on the same database file. After every kill the
 * file must pass integrity_check, hold every acknowledged write, and show each change together with its
 * audit row (a transaction is all or nothing), with the audit chain intact.
 */
import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openDatabase } from '../../electron/db/connect'
import { verifyAuditChain } from '../../electron/services/audit'
import { bundleChildScript, type ChildScript } from './childScript'
import { openClinic, PASSWORD, type Clinic } from './harness'

const BUDGET_MS = 22_000
const MIN_ROUNDS = 5
const MAX_ROUNDS = 40

let clinic: Clinic
let writer: ChildScript
let username: string

beforeAll(async () => {
  writer = await bundleChildScript('tests/integration/crashWriter.ts', 'crash')
  clinic = await openClinic()
  const w = await clinic.as('frontDesk')
  username = clinic.router.sessions.get(w)!.user.username
  await clinic.database.close() // the writer owns the file from here on
}, 60_000)

afterAll(async () => {
  writer?.remove()
  rmSync(clinic.dir, { recursive: true, force: true })
})

interface Round {
  acked: string[]
  updates: Map<number, number>
  stderr: string
}

function runAndKill(file: string): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer.file, file, username, PASSWORD], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let stderr = ''
    let killTimer: NodeJS.Timeout | undefined
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      if (!killTimer && (out + chunk).includes('READY\n')) {
        // Anywhere from before the first write to well into a burst of them.
        killTimer = setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 250))
      }
      out += chunk
    })
    child.stderr.on('data', (c) => (stderr += String(c)))
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000)
    child.on('error', reject)
    child.on('close', (_code, signal) => {
      clearTimeout(guard)
      clearTimeout(killTimer)
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended by itself: ${stderr}`))
      const lines = out.split('\n').slice(0, -1) // a last line without its newline was never complete
      const acked = lines.filter((l) => l.startsWith('ACK ')).map((l) => l.slice(4))
      const updates = new Map<number, number>()
      for (const l of lines.filter((x) => x.startsWith('UPD '))) {
        const [, id, version] = l.split(' ')
        updates.set(Number(id), Math.max(updates.get(Number(id)) ?? 0, Number(version)))
      }
      resolve({ acked, updates, stderr })
    })
  })
}

it('survives SIGKILL at random moments: sound file, every acknowledged write present, change and audit row together', async () => {
  const file = join(clinic.dir, 'clinic.sqlite')
  const allAcked: string[] = []
  const allUpdates = new Map<number, number>()
  const started = Date.now()
  let rounds = 0
  while (rounds < MIN_ROUNDS || (Date.now() - started < BUDGET_MS && rounds < MAX_ROUNDS)) {
    rounds++
    const round = await runAndKill(file)
    allAcked.push(...round.acked)
    for (const [id, v] of round.updates) allUpdates.set(id, Math.max(allUpdates.get(id) ?? 0, v))

    // Reopen as the app would after the crash (this replays the WAL).
    const raw = new Database(file)
    try {
      expect(raw.pragma('integrity_check', { simple: true }), `round ${rounds}`).toBe('ok')
      const mrns = new Set((raw.prepare('SELECT mrn FROM patients').all() as { mrn: string }[]).map((r) => r.mrn))
      const missing = allAcked.filter((m) => !mrns.has(m))
      expect(missing, `round ${rounds}: acknowledged but lost`).toEqual([])
      for (const [id, version] of allUpdates) {
        const row = raw.prepare('SELECT version FROM patients WHERE id = ?').get(id) as { version: number }
        expect(row.version, `round ${rounds}: patient ${id}`).toBeGreaterThanOrEqual(version)
      }
      // All or nothing: every patient has its creation audit row, every version its update row, and the MRN counter matches.
      const n = (q: string) => (raw.prepare(q).get() as { n: number }).n
      expect(n(`SELECT count(*) AS n FROM audit_log WHERE action = 'patient.create'`)).toBe(n('SELECT count(*) AS n FROM patients'))
      expect(n(`SELECT count(*) AS n FROM audit_log WHERE action = 'patient.update'`)).toBe(n('SELECT coalesce(sum(version), 0) AS n FROM patients'))
      expect(n(`SELECT value AS n FROM counters WHERE name = 'mrn'`)).toBe(n('SELECT count(*) AS n FROM patients'))
    } finally {
      raw.close()
    }
  }
  const database = openDatabase({ engine: 'sqlite', file })
  try {
    expect((await verifyAuditChain(database.db)).breaks).toEqual([])
  } finally {
    await database.close()
  }
  // The test is only meaningful if the writer got going; say how much it did.
  console.log(`crash test: ${rounds} kills, ${allAcked.length} acknowledged registrations, ${allUpdates.size} edited patients`)
  expect(allAcked.length).toBeGreaterThan(0)
}, 60_000)
