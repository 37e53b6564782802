/**
 * Exports started from the dashboard, beyond outcomes.test.ts: Cancel pressed after the main process had
 * finished (the screen had not seen it yet) still leaves no file; the discharge summary PDFs arrive as a ZIP
 * of one PDF per summary (read back with `unzip` and `pdftotext`), audited, and cancellable.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { exportFile, settled } from '../../electron/services/outcomes/exportJobs'
import { seedOutcomeFixture } from '../fixtures/outcomesData'
import { describeEachEngine, openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'

const YEAR = { from: '2026-01-01', to: '2026-12-31' }

describeEachEngine('dashboard exports on %s', (engine) => {
  let clinic: Clinic
  let manager: string
  let doc: string
  let out: string

  beforeEach(async () => {
    clinic = await openClinic({ engine })
    manager = await clinic.as('manager', 'boss')
    doc = await clinic.as('physician', 'drbones')
    out = mkdtempSync(join(tmpdir(), 'clinic-export-test-'))
  })
  afterEach(async () => {
    await clinic?.close()
    rmSync(out, { recursive: true, force: true })
  })

  it('Cancel after the export finished (not yet collected) discards the file', async () => {
    await clinic.as('physician', 'drother')
    const id = async (u: string) => (await clinic.database.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id
    await seedOutcomeFixture(clinic.database.db, await id('drbones'), await id('drother'))
    const job = await clinic.ok(manager, 'exports.start', { kind: 'outcomesCsv', filter: YEAR, deidentify: false })
    await settled(job.jobId)
    const file = exportFile(job.jobId)!
    expect(existsSync(file)).toBe(true)
    expect(await clinic.ok(manager, 'exports.status', { jobId: job.jobId })).toMatchObject({ state: 'done', rows: 3 })
    expect(await clinic.ok(manager, 'exports.cancel', { jobId: job.jobId })).toMatchObject({ state: 'cancelled' })
    expect(existsSync(file)).toBe(false)
    const result = await clinic.call(manager, 'exports.result', { jobId: job.jobId })
    expect(result.ok || result.error).toMatchObject({ code: 'conflict', message: 'The export is cancelled.' })
    // another manager's job is not theirs to cancel
    const boss2 = await clinic.as('manager', 'boss2')
    const mine = await clinic.ok(manager, 'exports.start', { kind: 'fhir', filter: YEAR, deidentify: false })
    const theirs = await clinic.call(boss2, 'exports.cancel', { jobId: mine.jobId })
    expect(theirs.ok || theirs.error.code).toBe('not_found')
    await settled(mine.jobId)
    expect(await clinic.ok(manager, 'exports.status', { jobId: mine.jobId })).toMatchObject({ state: 'done' })
  })

  it('hands over the discharge summary PDFs as a ZIP, one PDF each', async () => {
    const desk = await clinic.as('frontDesk', 'desk')
    const patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
    const procedure = async (kind: 'vertebroplasty' | 'kyphoplasty', levels: string[], sign: boolean) => {
      let p = await clinic.ok(doc, 'procedures.open', { patientId, kind })
      p = await clinic.ok(doc, 'procedures.save', {
        id: p.id,
        version: p.version,
        fields: { kind, procedureDate: '2026-11-30', anaesthesia: 'local', startedAt: '2026-11-30T12:30:00Z', endedAt: '2026-11-30T13:05:00Z' },
        levels: levels.map((level) => ({ level: level as never, approach: 'bipedicular', needleGauge: 11, cementType: 'PMMA', cementVolumeMl: 3, leakage: ['none'], ...(kind === 'kyphoplasty' ? { balloonVolumeMl: 3, balloonPressurePsi: 200 } : {}) })),
      })
      p = await clinic.ok(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
      // no recovery is recorded here: the same-day discharge goes against the (empty) record, with a reason
      await clinic.ok(doc, 'stays.decide', { procedureId: p.id, disposition: 'sameDay', overrideReason: 'Recovery recorded on paper during a network outage' })
      const d = await clinic.ok(doc, 'discharge.open', { procedureId: p.id })
      if (sign) await clinic.ok(doc, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD })
    }
    await procedure('vertebroplasty', ['T12'], true)
    await procedure('kyphoplasty', ['L2', 'L3'], false)

    const job = await clinic.ok(manager, 'exports.start', { kind: 'dischargePdfs', filter: YEAR, deidentify: false })
    expect(job).toMatchObject({ state: 'running', total: 2, fileName: 'discharge-summaries-2026-01-01-2026-12-31.zip' })
    await settled(job.jobId)
    expect(await clinic.ok(manager, 'exports.status', { jobId: job.jobId })).toMatchObject({ state: 'done', rows: 2 })
    const file = await clinic.ok(manager, 'exports.result', { jobId: job.jobId })
    expect(file).toMatchObject({ mimeType: 'application/zip', encoding: 'base64', rows: 2 })
    const zip = join(out, file.fileName)
    writeFileSync(zip, Buffer.from(file.content, 'base64'))
    execFileSync('unzip', ['-q', '-t', zip]) // CRCs and structure checked by an independent tool
    execFileSync('unzip', ['-q', zip, '-d', join(out, 'x')])
    const pdfs = readdirSync(join(out, 'x')).sort()
    expect(pdfs).toHaveLength(2)
    for (const f of pdfs) expect(f).toMatch(/^discharge-summary-SC-\d+-2026-11-30(-draft)?(-\d+)?\.pdf$/)
    const texts = pdfs.map((f) => execFileSync('pdftotext', ['-layout', join(out, 'x', f), '-'], { encoding: 'utf8' }))
    expect(texts.join('\n')).toContain('T12')
    expect(texts.join('\n')).toContain('L3')
    expect(texts.filter((t) => t.includes('DRAFT'))).toHaveLength(1)
    const audit = await clinic.database.db.selectFrom('audit_log').select('details').where('action', '=', 'export.dischargeSummaries').execute()
    expect(audit.map((a) => JSON.parse(a.details))).toEqual([expect.objectContaining({ records: 2, drafts: 1, cancelled: false })])

    // the kind filter narrows the summaries; a cancelled one leaves nothing to collect
    const kypho = await clinic.ok(manager, 'exports.start', { kind: 'dischargePdfs', filter: { ...YEAR, kind: 'kyphoplasty' }, deidentify: false })
    expect(kypho.total).toBe(1)
    const cancelled = await clinic.ok(manager, 'exports.cancel', { jobId: kypho.jobId })
    expect(cancelled.state).toBe('cancelled')
    expect(existsSync(exportFile(kypho.jobId)!)).toBe(false)
    expect((await clinic.call(manager, 'exports.result', { jobId: kypho.jobId })).ok).toBe(false)
    // none in the range: an empty archive, still a valid one
    const none = await clinic.ok(manager, 'exports.start', { kind: 'dischargePdfs', filter: { from: '2025-01-01', to: '2025-12-31' }, deidentify: false })
    await settled(none.jobId)
    const empty = await clinic.ok(manager, 'exports.result', { jobId: none.jobId })
    expect(empty.rows).toBe(0)
    writeFileSync(join(out, 'empty.zip'), Buffer.from(empty.content, 'base64'))
    expect(Buffer.from(empty.content, 'base64')).toHaveLength(22)
  })
})
