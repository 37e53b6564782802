/**
 * Export files hold patient data and are written to the computer's temporary folder until the user collects
 * them. A run that crashed leaves them there: the app sweeps them at its next start, and its own at quit.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { openClinicApp } from '../../electron/app'
import { exportFile, settled, sweepExportLeftovers } from '../../electron/services/outcomes/exportJobs'
import { openClinic } from './harness'

const made: string[] = []
afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

function leftover(ageMs: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'clinic-export-'))
  made.push(dir)
  mkdirSync(join(dir, 'pdfs'))
  const file = join(dir, 'pdfs', 'discharge-1.pdf')
  writeFileSync(file, '%PDF-1.7 patient data')
  const at = new Date(Date.now() - ageMs)
  for (const f of [file, join(dir, 'pdfs'), dir]) utimesSync(f, at, at)
  return dir
}

it('a crashed run\'s export files are removed at the next start; one written in the last hour is left alone', async () => {
  const old = leftover(3 * 60 * 60_000)
  const recent = leftover(5 * 60_000)
  const dir = mkdtempSync(join(tmpdir(), 'clinic-app-'))
  made.push(dir)
  const app = await openClinicApp({ engine: 'sqlite', file: join(dir, 'clinic.sqlite') }, { backups: false })
  try {
    expect(existsSync(old)).toBe(false)
    expect(existsSync(recent)).toBe(true)
  } finally {
    await app.close()
  }
})

it('at quit, the exports this run started and nobody collected are removed, finished or not', async () => {
  const clinic = await openClinic()
  try {
    const manager = await clinic.as('manager')
    const job = await clinic.ok(manager, 'exports.start', { kind: 'outcomesCsv', filter: { from: '2026-01-01', to: '2026-12-31' }, deidentify: false })
    await settled(job.jobId)
    const file = exportFile(job.jobId)!
    expect(existsSync(file)).toBe(true)
    sweepExportLeftovers({ ownJobs: true })
    expect(existsSync(dirname(file))).toBe(false)
    expect((await clinic.call(manager, 'exports.result', { jobId: job.jobId })).ok).toBe(false)
  } finally {
    await clinic.close()
  }
})
