/**
 * The outcome CSV in words (issue 23 point 7): each coded column has a `<column>_label` beside it with the
 * screens' words, and the codes themselves are unchanged for the scripts that filter on them. Exported as a
 * manager does it from the Outcomes dashboard, through the router, on each engine; identified and de-identified.
 */
import { parse } from 'csv-parse/sync'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { settled } from '../../electron/services/outcomes/exportJobs'
import { OUTCOME_PATIENTS, seedOutcomeFixture } from '../fixtures/outcomesData'
import { describeEachEngine, openClinic, type Clinic } from './harness'

const YEAR = { from: '2026-01-01', to: '2026-12-31' }

let clinic: Clinic
let manager: string

async function exportCsv(deidentify: boolean): Promise<{ header: string[]; rows: Record<string, string>[] }> {
  const job = await clinic.ok(manager, 'exports.start', { kind: 'outcomesCsv', filter: YEAR, deidentify })
  await settled(job.jobId)
  const file = await clinic.ok(manager, 'exports.result', { jobId: job.jobId })
  const content = String(file.content)
  return { header: content.slice(0, content.indexOf('\r\n')).split(','), rows: parse(content, { columns: true }) as Record<string, string>[] }
}

describeEachEngine('the outcome CSV on %s', (engine) => {
  beforeEach(async () => {
    clinic = await openClinic({ engine })
    await clinic.as('physician', 'dra')
    await clinic.as('physician', 'drb')
    manager = await clinic.as('manager', 'boss')
    const id = async (u: string) => (await clinic.database.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id
    await seedOutcomeFixture(clinic.database.db, await id('dra'), await id('drb'))
  })
  afterEach(async () => clinic?.close())

  it('has each coded column with its label right beside it, in the words the screens use', async () => {
    const { header, rows } = await exportCsv(false)
    const beside = (code: string) => header[header.indexOf(code) + 1]
    for (const code of ['leakage', 'complications_intra', 'complications_post', 'disposition', 'overnight_reasons', 'fu_2_weeks_analgesics', 'fu_2_weeks_brace', 'fu_6_weeks_complications', 'fu_3_months_satisfaction']) {
      expect(beside(code), code).toBe(`${code}_label`)
    }
    const [r1, r2, r3] = rows as [Record<string, string>, Record<string, string>, Record<string, string>]
    expect(r1.mrn).toBe(OUTCOME_PATIENTS.p1.mrn)
    // the codes are as they were; the labels read
    expect(r1).toMatchObject({
      leakage: 'T12:segmentalVein L1:none',
      leakage_label: 'T12: Segmental vein; L1: None',
      complications_intra: 'hypotension',
      complications_intra_label: 'Hypotension',
      complications_post: '',
      complications_post_label: '',
      disposition: 'sameDay',
      disposition_label: 'Same-day discharge home',
      fu_2_weeks_analgesics: 'opioid',
      fu_2_weeks_analgesics_label: 'Opioid',
      fu_2_weeks_brace: 'fullTime',
      fu_2_weeks_brace_label: 'All day',
      fu_2_weeks_satisfaction: 'satisfied',
      fu_2_weeks_satisfaction_label: 'Satisfied',
      fu_6_weeks_complications: 'newFracture',
      fu_6_weeks_complications_label: 'New fracture',
      fu_6_weeks_analgesics_label: 'Non-opioid only',
      // no visit: nothing to say
      fu_3_months_date: '',
      fu_3_months_satisfaction_label: '',
      fu_3_months_complications_label: '',
    })
    expect(r2).toMatchObject({
      disposition_label: 'Overnight stay',
      overnight_reasons: 'uncontrolledPain;livesAloneOrFar',
      overnight_reasons_label: 'Uncontrolled pain; Lives alone or far away',
    })
    expect(r3).toMatchObject({ leakage: 'T8:notRecorded', leakage_label: 'T8: Not recorded', disposition: '', disposition_label: '' })
  })

  it('keeps the labels in the de-identified file (fixed words, never free text)', async () => {
    const { header, rows } = await exportCsv(true)
    expect(header).toContain('leakage_label')
    expect(header).toContain('fu_2_weeks_brace_label')
    expect(header).not.toContain('mrn')
    expect(rows[1]).toMatchObject({ overnight_reasons_label: 'Uncontrolled pain; Lives alone or far away' })
    expect(rows[0]).toMatchObject({ leakage_label: 'T12: Segmental vein; L1: None', fu_2_weeks_analgesics_label: 'Opioid' })
  })
})
