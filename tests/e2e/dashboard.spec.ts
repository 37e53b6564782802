/**
 * A manager opens the outcomes dashboard, narrows it to one physician and one kind, reads figures worked out
 * by hand from a small set of procedures, exports the outcome CSV (parsed back), and cancels an export
 * (no file). The procedures, baselines, discharge decisions and follow-up visits are recorded by two
 * physicians of this run through the app's own channels (the bridge the screens use), dated months back so
 * that the 3-month visits have come; names are unique to the run, so the spec needs no other spec.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { parse } from 'csv-parse/sync'
import { clinicToday } from '../../shared/clinicClock'
import { addDays } from '../../shared/scheduling/time'
import { ADMIN } from './env'
import { addUser, callChannel, expect, expectAccessible, signIn, signOut, test, uniqueUser } from './fixtures'

test.describe.configure({ mode: 'serial' })

const DOC_A = uniqueUser('physician', 'Dr. Amara Okafor')
const DOC_B = uniqueUser('physician', 'Dr. Bruno Lind')
const BOSS = uniqueUser('manager', 'Mona Abara')
const RUN = DOC_A.username.slice(-6)


/** A date `daysAgo` days before the clinic's today (first-run leaves the clinic on America/New_York), not UTC's. */
const iso = (daysAgo: number) => addDays(clinicToday(Date.now(), 'America/New_York'), -daysAgo)
const odi = (each: number) => Array.from({ length: 10 }, () => each)

interface Case {
  last: string
  baseline: { daysAgo: number; pain: number; odi: number | null }
  kind: 'kyphoplasty' | 'vertebroplasty'
  daysAgo: number
  stay: { disposition: 'sameDay' } | { disposition: 'overnight'; reasons: string[] }
  visits: { label: string; pain: number; odi: number | null }[]
}

/** The physician records each case: patient, baseline consultation, procedure, stay decision, discharge (which proposes the follow-ups), visits. */
async function recordCases(page: Page, cases: Case[]) {
  const procedureIds: number[] = []
  for (const c of cases) {
    const patient = await callChannel(page, 'patients.register', { firstName: 'Test', lastName: `${c.last}-${RUN}`, dateOfBirth: '1946-05-17', sex: 'female', phone: '', email: '', address: '', referringPhysician: '', notes: '' })
    let note = await callChannel(page, 'consultations.open', { patientId: patient.id, visitDate: iso(c.baseline.daysAgo) })
    note = await callChannel(page, 'consultations.save', { id: note.id, version: note.version, fields: { ...note.fields, painNrs: c.baseline.pain, odiAnswers: c.baseline.odi === null ? null : odi(c.baseline.odi) } })
    const proc = await callChannel(page, 'procedures.open', { patientId: patient.id, kind: c.kind, procedureDate: iso(c.daysAgo) })
    // no recovery is recorded here: a same-day discharge goes against the (empty) record, with a reason
    await callChannel(page, 'stays.decide', { procedureId: proc.id, ...c.stay, ...(c.stay.disposition === 'sameDay' ? { overrideReason: 'Recovery recorded on paper during a network outage' } : {}) })
    await callChannel(page, 'discharge.open', { procedureId: proc.id })
    const due = await callChannel<{ id: number; procedureId: number; label: string; targetDate: string }[]>(page, 'followUps.due', { daysAhead: 0 })
    for (const v of c.visits) {
      const f = due.find((x) => x.procedureId === proc.id && x.label === v.label)!
      await callChannel(page, 'followUpVisits.record', { followUpId: f.id, fields: { visitDate: f.targetDate, painNrs: v.pain, odiAnswers: v.odi === null ? null : odi(v.odi) } })
    }
    procedureIds.push(proc.id)
  }
  return procedureIds
}

test('a manager reads the outcomes of one physician’s kyphoplasties and exports them as CSV', async ({ page }) => {
  test.setTimeout(480_000)
  await addUser(page, ADMIN, DOC_A)
  await addUser(page, ADMIN, DOC_B)
  await addUser(page, ADMIN, BOSS)

  // Dr. A: two kyphoplasties (one home the same day, one overnight for pain) with 3-month visits, and a
  // vertebroplasty without visits. ODI answers of 4 each score 80, of 3 score 60, and so on.
  await signIn(page, DOC_A)
  await expect(page.getByTestId('signed-in-user')).toContainText(DOC_A.name)
  await recordCases(page, [
    { last: 'Quinn', baseline: { daysAgo: 140, pain: 8, odi: 4 }, kind: 'kyphoplasty', daysAgo: 130, stay: { disposition: 'sameDay' }, visits: [{ label: '2 weeks', pain: 5, odi: 3 }, { label: '3 months', pain: 3, odi: 2 }] },
    { last: 'Ruiz', baseline: { daysAgo: 125, pain: 9, odi: 3 }, kind: 'kyphoplasty', daysAgo: 120, stay: { disposition: 'overnight', reasons: ['uncontrolledPain'] }, visits: [{ label: '3 months', pain: 4, odi: 1 }] },
    { last: 'Sato', baseline: { daysAgo: 112, pain: 7, odi: null }, kind: 'vertebroplasty', daysAgo: 110, stay: { disposition: 'sameDay' }, visits: [] },
  ])
  await signOut(page)
  // Dr. B: a kyphoplasty kept overnight, no better at 3 months: in the clinic's figures, not in Dr. A's.
  await signIn(page, DOC_B)
  await expect(page.getByTestId('signed-in-user')).toContainText(DOC_B.name)
  await recordCases(page, [{ last: 'Tanaka', baseline: { daysAgo: 118, pain: 6, odi: 2 }, kind: 'kyphoplasty', daysAgo: 115, stay: { disposition: 'overnight', reasons: ['livesAloneOrFar'] }, visits: [{ label: '3 months', pain: 6, odi: 2 }] }])
  await signOut(page)

  await signIn(page, BOSS)
  await page.getByRole('link', { name: 'Outcomes' }).click()
  // the charts' code is loaded the first time the screen opens (slow on a busy machine)
  await expect(page.getByRole('heading', { name: 'Outcomes' })).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('dashboard-scope')).toContainText('all physicians')
  await expectAccessible(page, 'outcomes dashboard (everyone)')

  // Narrow to Dr. A.
  await page.getByRole('combobox', { name: 'Physician' }).selectOption({ label: DOC_A.name })
  await expect(page.getByTestId('dashboard-scope')).toContainText(`3 procedures on 3 patients`)
  await expect(page.getByTestId('dashboard-scope')).toContainText(DOC_A.name)
  await expect(page.getByTestId('headline-same-day')).toContainText('67%')
  await expect(page.getByTestId('headline-same-day')).toContainText('2 of 3 procedures with a decision')
  // at 3 months: pain (8 + 9) / 2 = 8.5 -> (3 + 4) / 2 = 3.5; ODI (80 + 60) / 2 = 70 -> (40 + 20) / 2 = 30
  await expect(page.getByTestId('headline-change')).toContainText('Pain at 3 months')
  await expect(page.getByTestId('headline-change')).toContainText('−5.0')
  await expect(page.getByTestId('headline-change')).toContainText('from 8.5 to 3.5, 2 patients')
  await expect(page.getByTestId('headline-odi')).toContainText('−40.0')
  // 3 follow-ups each for 3 procedures have come; 3 visits recorded
  await expect(page.getByTestId('headline-completion')).toContainText('33%')
  await expect(page.getByTestId('headline-completion')).toContainText('3 of 9 due so far')
  await expect(page.getByTestId('discharge-summary')).toHaveText('67% went home the same day (2 of 3 procedures with a decision); 1 stayed overnight. Reasons for the overnight stays: uncontrolled pain 1.')

  // The figures behind the chart, one click away.
  const changes = page.getByRole('region', { name: 'Pain and ODI from baseline' })
  await expect(changes.getByRole('img', { name: /^Pain \(0 to 10\)\. Mean pain, baseline then at the visit: 2 weeks 8\.0 to 5\.0 \(1 patient\); 3 months 8\.5 to 3\.5 \(2 patients\)\.$/ })).toBeVisible()
  await changes.getByText('Table', { exact: true }).click()
  const table = changes.getByRole('table', { name: 'Pain and ODI from baseline, by follow-up' })
  await expect(table.getByRole('row')).toHaveCount(3)
  await expect(table.getByRole('row', { name: /^3 months/ })).toHaveText(['3 months', '2', '8.5', '3.5', '−5.0', '2', '70.0', '30.0', '−40.0'].join(''))
  await expectAccessible(page, 'outcomes dashboard (one physician, a table shown)')

  // Kyphoplasty only: how many go home the same day.
  await page.getByRole('combobox', { name: 'Procedure' }).selectOption('kyphoplasty')
  await expect(page.getByTestId('dashboard-scope')).toContainText('2 procedures on 2 patients')
  await expect(page.getByTestId('headline-same-day')).toContainText('50%')
  await expect(page.getByTestId('headline-same-day')).toContainText('1 of 2 procedures with a decision')
  await page.getByRole('combobox', { name: 'Procedure' }).selectOption('')
  await expect(page.getByTestId('dashboard-scope')).toContainText('3 procedures on 3 patients')

  // Export the outcome CSV of Dr. A's procedures.
  await page.getByRole('button', { name: 'Export…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Export outcomes' })
  await expect(dialog).toContainText(DOC_A.name)
  await expect(dialog.getByRole('radio', { name: 'Outcome CSV' })).toBeChecked()
  await expect(dialog.getByRole('checkbox', { name: 'De-identify' })).not.toBeChecked()
  const downloading = page.waitForEvent('download')
  await dialog.getByRole('button', { name: 'Start export' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/^outcomes-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv$/)
  await expect(dialog.getByTestId('export-done')).toContainText('3 procedures')
  const rows = parse(readFileSync((await download.path())!, 'utf8'), { columns: true }) as Record<string, string>[]
  expect(rows.map((r) => [r.last_name, r.kind, r.disposition, r.physician])).toEqual([
    [`Quinn-${RUN}`, 'kyphoplasty', 'sameDay', DOC_A.name],
    [`Ruiz-${RUN}`, 'kyphoplasty', 'overnight', DOC_A.name],
    [`Sato-${RUN}`, 'vertebroplasty', 'sameDay', DOC_A.name],
  ])
  expect(rows.map((r) => [r.baseline_pain, r.fu_3_months_pain, r.fu_3_months_pain_change, r.baseline_odi, r.fu_3_months_odi])).toEqual([
    ['8', '3', '-5', '80', '40'],
    ['9', '4', '-5', '60', '20'],
    ['7', '', '', '', ''],
  ])
  expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['mrn', 'procedure_date', 'levels', 'overnight_reasons', 'fu_2_weeks_date', 'fu_6_weeks_date', 'fu_3_months_date']))
  expect(rows[1]!.overnight_reasons).toBe('uncontrolledPain')
  // beside each code, the words the screens use (issue 23 point 7)
  expect([rows[0]!.disposition_label, rows[1]!.disposition_label, rows[1]!.overnight_reasons_label]).toEqual(['Same-day discharge home', 'Overnight stay', 'Uncontrolled pain'])

  // De-identified: no names, a pseudonym instead.
  await dialog.getByRole('checkbox', { name: 'De-identify' }).check()
  const second = page.waitForEvent('download')
  await dialog.getByRole('button', { name: 'Start export' }).click()
  const deidentified = await second
  expect(deidentified.suggestedFilename()).toMatch(/-deidentified\.csv$/)
  const anon = parse(readFileSync((await deidentified.path())!, 'utf8'), { columns: true }) as Record<string, string>[]
  expect(anon).toHaveLength(3)
  expect(Object.keys(anon[0]!)).not.toContain('last_name')
  expect(anon.every((r) => /^P-[0-9a-f]{20}$/.test(r.patient_pseudonym!))).toBe(true)

  // The discharge summaries of the same procedures: one PDF each (drafts here), in a ZIP.
  await dialog.getByRole('radio', { name: 'Discharge summary PDFs' }).check()
  const third = page.waitForEvent('download')
  await dialog.getByRole('button', { name: 'Start export' }).click()
  const zip = await third
  expect(zip.suggestedFilename()).toMatch(/^discharge-summaries-.*\.zip$/)
  await expect(dialog.getByTestId('export-done')).toContainText('3 discharge summaries')
  const listing = execFileSync('unzip', ['-Z1', (await zip.path())!], { encoding: 'utf8' }).trim().split('\n')
  expect(listing).toHaveLength(3)
  expect(listing.every((f) => /^discharge-summary-.*-draft\.pdf$/.test(f))).toBe(true)
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(dialog).toBeHidden()
})

test('cancelling an export that is still running leaves no file', async ({ page }) => {
  test.setTimeout(240_000)
  await signIn(page, BOSS)
  await page.getByRole('link', { name: 'Outcomes' }).click()
  await expect(page.getByRole('heading', { name: 'Outcomes' })).toBeVisible({ timeout: 60_000 })
  await page.getByRole('combobox', { name: 'Physician' }).selectOption({ label: DOC_A.name })
  await expect(page.getByTestId('dashboard-scope')).toContainText('3 procedures on 3 patients')

  // Hold the screen's progress questions, so that the export is still running as far as the screen knows
  // when Cancel is pressed (on three procedures the main process finishes in milliseconds).
  let jobId = ''
  await page.route('**/rpc', async (route) => {
    const body = route.request().postDataJSON() as { channel: string; input: { jobId?: string } }
    if (body.channel === 'exports.status') return // never answered
    if (body.channel !== 'exports.start') return route.continue()
    const response = await route.fetch()
    jobId = ((await response.json()) as { value: { jobId: string } }).value.jobId
    return route.fulfill({ response })
  })
  let downloads = 0
  page.on('download', () => downloads++)

  await page.getByRole('button', { name: 'Export…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Export outcomes' })
  await dialog.getByRole('radio', { name: 'FHIR R4 bundle' }).check()
  await dialog.getByRole('button', { name: 'Start export' }).click()
  await expect(dialog.getByTestId('export-progress')).toContainText('of 3 procedures')
  await expectAccessible(page, 'export running')
  await dialog.getByRole('button', { name: 'Cancel export' }).click()
  await expect(dialog.getByTestId('export-cancelled')).toContainText('No file was made')
  await page.unroute('**/rpc')

  // The main process holds no file for it either: the job reports cancelled and has nothing to hand over.
  expect(jobId).toMatch(/^[0-9a-f]{32}$/)
  expect(await callChannel(page, 'exports.status', { jobId })).toMatchObject({ state: 'cancelled' })
  await expect(callChannel(page, 'exports.result', { jobId })).rejects.toThrow(/"code":"conflict".*cancelled/)
  expect(downloads).toBe(0)
})
