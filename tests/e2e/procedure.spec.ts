/**
 * A physician records and signs a kyphoplasty of L1 and L2, observes the patient in the recovery bay, keeps
 * them overnight for uncontrolled pain, and produces the signed discharge summary as a PDF. Then a second
 * patient leaves the observation room early after a short supine rest: the stay is flagged, the checks she left
 * before are missed, and a same-day discharge is refused until the physician records an override reason, which
 * the discharge summary shows (issue 17, procedure day points 1 and 2).
 *
 * The procedure is timed up to 100 minutes before "now", so the spec chooses its moment rather than take the
 * hour of the run: it runs a clinic of its own (a development bridge on a fresh database, support/clockBridge.ts)
 * whose clock, and the browser's, read 01:00 UTC on 7 December 2026. That is 20:00 on the 6th in New York, the
 * clinic's zone, while the workstation is set to Asia/Tokyo (10:00 on the 7th) and so is the bridge's process:
 * every time typed and shown must be the clinic's, and the procedure day the clinic's 6 December.
 * PROCEDURE_SPEC_AT runs it at another moment (at least two hours into the clinic's day).
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { Locator, Page } from '@playwright/test'
import { clinicTimeOf, clinicToday, utcOffsetText } from '../../shared/clinicClock'
import { formatTypedDate } from '../../shared/dates'
import { ADMIN } from './env'
import { addUser, confirmSigning, expect, expectAccessible, fillDateTime, setUpOwnClinic, signIn, signOut, test, uniqueUser } from './fixtures'
import { startClockBridge, type ClockBridge } from './support/clockBridge'

test.describe.configure({ mode: 'serial' })

const AT = process.env.PROCEDURE_SPEC_AT ?? '2026-12-07T01:00:00.000Z'
const CLINIC_ZONE = 'America/New_York' // the clinic's time zone setting (the default)
const WORKSTATION_ZONE = 'Asia/Tokyo'
const DOC = uniqueUser('physician', 'Dr. Omar Haddad')
const PATIENT = { first: 'Ingrid', last: `Solberg-${DOC.username.slice(-5)}` }

let bridge: ClockBridge

// eslint-disable-next-line no-empty-pattern -- Playwright hands testInfo only as the second argument
test.beforeAll(async ({}, testInfo) => {
  test.skip(testInfo.project.name === 'electron', "The spec runs a development bridge of its own at a chosen moment; the Electron app keeps the computer's clock.")
  bridge = await startClockBridge('procedure', AT, WORKSTATION_ZONE)
})

test.afterAll(async () => bridge?.stop())

/** HH:MM on the clinic's clock, `minutesFromNow` from now on the bridge's (and the browser's) clock. */
function hhmm(minutesFromNow: number): string {
  return clinicTimeOf(bridge.now() + minutesFromNow * 60_000, CLINIC_ZONE)
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

async function registerPatient(page: Page, patient = PATIENT) {
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('button', { name: 'Register patient' }).click()
  await page.getByLabel('First name').fill(patient.first)
  await page.getByLabel('Last name').fill(patient.last)
  await page.getByLabel('Date of birth').fill('1944-02-03')
  await page.getByRole('combobox', { name: 'Sex' }).click()
  await page.getByRole('option', { name: 'Female' }).click()
  await page.getByLabel('Phone').fill('(555) 010-4411')
  await page.getByRole('button', { name: 'Register', exact: true }).click()
  await expect(page.getByRole('heading', { name: `${patient.last}, ${patient.first}` })).toBeVisible()
}

async function fillLevel(level: Locator, v: { approach: string; balloon: [string, string]; cement: string; before: [string, string, string]; after: [string, string, string] }) {
  await level.getByRole('combobox', { name: 'Approach' }).selectOption(v.approach)
  await level.getByRole('textbox', { name: /^Needle gauge/ }).fill('11')
  await level.getByRole('textbox', { name: /^Balloon volume/ }).fill(v.balloon[0])
  await level.getByRole('textbox', { name: /^Balloon pressure/ }).fill(v.balloon[1])
  await level.getByRole('textbox', { name: /^Cement type/ }).fill('PMMA (Kyphon HV-R)')
  await level.getByRole('textbox', { name: /^Cement volume/ }).fill(v.cement)
  const walls = ['Anterior', 'Middle', 'Posterior']
  for (const [i, w] of walls.entries()) {
    await level.getByRole('textbox', { name: `${w} height before (mm)` }).fill(v.before[i]!)
    await level.getByRole('textbox', { name: `${w} height after (mm)` }).fill(v.after[i]!)
  }
  await level.getByRole('checkbox', { name: 'None' }).check()
}

test('a kyphoplasty of L1 and L2 is signed, observed, kept overnight for pain, and discharged with a PDF summary', async ({ browser }) => {
  // the longest journey, with its own clinic's first run: minutes on a busy machine
  test.setTimeout(600_000)
  const { context, page } = await bridge.open(browser, WORKSTATION_ZONE)
  const clinicDate = clinicToday(bridge.now(), CLINIC_ZONE)
  const clinicDay = new Intl.DateTimeFormat('en-US', { timeZone: CLINIC_ZONE, month: 'short', day: 'numeric', year: 'numeric' }).format(bridge.now())
  // the browser lives at the bridge's moment, in Tokyo
  expect(await page.evaluate(() => [Date.now(), Intl.DateTimeFormat().resolvedOptions().timeZone])).toEqual([expect.any(Number), WORKSTATION_ZONE])
  await setUpOwnClinic(page)
  await addUser(page, ADMIN, DOC)
  await signIn(page, DOC)
  await registerPatient(page)
  await page.getByRole('button', { name: 'Open chart' }).click()
  await expect(page.getByRole('region', { name: 'Patient summary' })).toBeVisible()

  // No candidacy request for this patient: the physician names the procedure.
  await page.getByRole('button', { name: 'Procedure', exact: true }).click()
  await page.getByRole('radio', { name: 'Kyphoplasty' }).check()
  await page.getByRole('button', { name: 'Open the note' }).click()
  await expect(page).toHaveURL(/#\/procedures\/\d+$/)
  const procedureUrl = page.url()
  // the clinic's date, not UTC's or this workstation's (the 7th in both, at the default moment)
  await expect(page.getByRole('textbox', { name: 'Procedure date' })).toHaveValue(formatTypedDate(clinicDate))

  // Levels in the order treated; the CPT codes follow: L1 first by kyphoplasty is 22514, L2 the add-on 22515.
  const levels = page.getByRole('combobox', { name: 'Levels, in the order treated' })
  await expect(levels).toBeFocused()
  await levels.fill('L1')
  await levels.press('Enter')
  await levels.fill('L2')
  await levels.press('Enter')
  await levels.press('Escape')
  await expect(page.getByTestId('cpt-codes')).toContainText('22514 × 1')
  await expect(page.getByTestId('cpt-codes')).toContainText('22515 × 1')

  await page.getByRole('textbox', { name: 'Start time' }).fill(hhmm(-100))
  await page.getByRole('textbox', { name: 'End time' }).fill(hhmm(-70))
  await page.getByRole('combobox', { name: 'Sedation or anaesthesia' }).selectOption('moderateSedation')
  await page.getByRole('textbox', { name: 'Fluoroscopy time (s)' }).fill('165')

  const l1 = page.getByRole('group', { name: 'Level L1' })
  await fillLevel(l1, { approach: 'bipedicular', balloon: ['3.2', '220'], cement: '4.5', before: ['14', '12', '24'], after: ['18.5', '16', '24.5'] })
  // the height restoration shows as the heights are typed (shared/clinical)
  await expect(page.getByTestId('restoration-L1')).toHaveText('Height restoration: Anterior +4.5 mm (32.1%) · Middle +4 mm (33.3%) · Posterior +0.5 mm (2.1%)')
  await fillLevel(page.getByRole('group', { name: 'Level L2' }), { approach: 'unipedicular', balloon: ['2.8', '180'], cement: '3.5', before: ['20', '19', '26'], after: ['22', '21', '26'] })

  await page.getByRole('button', { name: 'Add ICD-10-CM code' }).click()
  await page.getByRole('textbox', { name: 'Code 1' }).fill('m8008xa')
  await page.getByRole('textbox', { name: 'Procedure narrative' }).fill('Bilateral transpedicular kyphoplasty at L1, unipedicular at L2, under fluoroscopy.')
  await page.getByRole('textbox', { name: 'Procedure narrative' }).press('Control+s')
  await expect(page.getByText('All changes saved')).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'Code 1' })).toHaveValue('M80.08XA') // normalised by the main process
  await expectAccessible(page, 'procedure note (draft)')

  await page.getByRole('button', { name: 'Sign note…' }).first().click()
  await confirmSigning(page, 'Sign this procedure note?', DOC.password)
  // (signing checks the password and, for the summary, stores its PDF: seconds on a busy machine)
  await expect(page.getByTestId('signed-line')).toContainText(`Signed by ${DOC.name} at ${clinicDay}, `, { timeout: 30_000 })
  await expect(page.getByRole('button', { name: /Save|Sign note/ })).toHaveCount(0)
  await expect(page.getByRole('table', { name: 'Levels treated' })).toContainText('L2')
  await expect(page.getByText('22514 × 1 (')).toBeVisible()
  await expectAccessible(page, 'procedure note (signed)')

  // Recovery: in the bay 62 minutes ago, pain 3 at the end of the procedure.
  await page.getByRole('tab', { name: 'Recovery and stay' }).click()
  await expect(page).toHaveURL(/\/recovery$/)
  await page.getByRole('textbox', { name: 'Supine rest from' }).fill(hhmm(-70))
  await page.getByRole('textbox', { name: 'Supine rest until' }).fill(hhmm(-64))
  await page.getByRole('textbox', { name: 'Arrived in the bay' }).fill(hhmm(-62))
  await page.getByRole('textbox', { name: /^Pain at the end of the procedure/ }).fill('3')
  await page.getByRole('button', { name: 'Save times' }).click()
  await expect(page.getByRole('table', { name: 'Checks due' })).toBeVisible()

  // Four checks on arrival and every 15 minutes; pain climbs above the baseline.
  const check = page.locator('[data-new-check]')
  for (const [i, pain] of ['3', '5', '6', '8'].entries()) {
    await check.getByRole('textbox', { name: 'Time of the check' }).fill(hhmm(-62 + 15 * i))
    await check.getByRole('textbox', { name: 'Systolic (mmHg)' }).fill('134')
    await check.getByRole('textbox', { name: 'Diastolic (mmHg)' }).fill('78')
    await check.getByRole('textbox', { name: 'Heart rate (/min)' }).fill(String(76 + i))
    await check.getByRole('textbox', { name: 'SpO2 (%)' }).fill('96')
    await check.getByRole('textbox', { name: 'Pain (0-10)' }).fill(pain)
    await check.getByRole('radio', { name: 'Normal', exact: true }).check()
    await check.getByRole('button', { name: 'Record check' }).click()
    await expect(page.getByTestId('check-row')).toHaveCount(i + 1)
  }
  await expect(page.getByTestId('check-row').nth(0)).toContainText('None')
  await expect(page.getByTestId('check-row').nth(3)).toContainText('Pain 8/10 is above the baseline of 3/10')
  // issue 23: the flag is a sentence saying why it fired, readable (dark text on a pale ground, AA contrast), not red on red
  const flagLine = page.getByTestId('check-row').nth(3).getByTestId('check-flag')
  await expect(flagLine).toHaveText('Pain 8/10 is above the baseline of 3/10')
  const flagContrast = await flagLine.evaluate((el) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number)
    const lum = (c: string) => {
      const [r, g, b] = rgb(c).map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4))
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
    }
    const s = getComputedStyle(el)
    const [hi, lo] = [lum(s.color), lum(s.backgroundColor)].sort((a, b) => b - a)
    return (hi! + 0.05) / (lo! + 0.05)
  })
  expect(flagContrast).toBeGreaterThanOrEqual(4.5)
  // the four slots are done; the 60-minute check is due now (or late, on a slow run)
  const due = page.getByRole('table', { name: 'Checks due' })
  await expect(due.getByText('Done', { exact: true })).toHaveCount(4)
  await expect(due.getByText(/^(Due now|Late)$/)).toHaveCount(1)
  await expect(page.getByTestId('checks-due-summary')).toHaveText(/^(1 due now · 0 late|0 due now · 1 late) · 0 missed · next at \d\d:\d\d$/)
  await expect(page.getByText('The latest check is flagged: Pain 8/10 is above the baseline of 3/10')).toBeVisible()

  // Overnight for uncontrolled pain.
  await page.getByRole('radio', { name: 'Overnight stay' }).check()
  await page.getByRole('checkbox', { name: 'Uncontrolled pain' }).check()
  await page.getByRole('button', { name: 'Record decision' }).click()
  await expect(page.getByTestId('stay-decision')).toContainText('Overnight stay')
  await expect(page.getByTestId('stay-decision')).toContainText('Reasons: Uncontrolled pain')
  await expectAccessible(page, 'recovery and stay')

  // The discharge summary: preview, sign, the PDF as a download and in the app.
  await page.getByRole('tab', { name: 'Discharge summary' }).click()
  await page.getByRole('button', { name: 'Start the discharge summary' }).click()
  const preview = page.getByTestId('discharge-preview')
  await expect(preview).toContainText('L1: Bipedicular, cement PMMA (Kyphon HV-R), 4.5 mL')
  await expect(preview).toContainText('L2: Unipedicular, cement PMMA (Kyphon HV-R), 3.5 mL')
  await expect(preview).toContainText('Overnight stay. Reason: Uncontrolled pain')
  await page.getByRole('textbox', { name: /^Medications/ }).fill('Paracetamol 1 g four times a day as needed')
  // Readiness says not ready (nothing ticked for the overnight stay): signing asks first, naming what it lacks,
  // and Go back (focused) signs nothing; the physician then signs anyway, knowingly.
  await page.getByRole('button', { name: 'Sign summary…' }).click()
  const ask = page.getByRole('dialog', { name: 'Sign this summary with parts missing?' })
  await expect(ask).toContainText('Discharge readiness says not ready:')
  await expect(ask.getByRole('list', { name: 'What is missing' })).toContainText('Not ticked: Has passed urine')
  await expect(ask.getByRole('button', { name: 'Go back' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(ask).toBeHidden()
  await expect(page.getByRole('dialog', { name: 'Sign this discharge summary?' })).toHaveCount(0)
  await expect(page.getByTestId('signed-line')).toHaveCount(0)
  await page.getByRole('button', { name: 'Sign summary…' }).click()
  await confirmSigning(page, 'Sign this discharge summary?', DOC.password)
  // (signing checks the password and, for the summary, stores its PDF: seconds on a busy machine)
  await expect(page.getByTestId('signed-line')).toContainText(`Signed by ${DOC.name} at ${clinicDay}, `, { timeout: 30_000 })
  await expect(preview).toContainText('Paracetamol 1 g four times a day as needed')

  const downloading = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download PDF' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(new RegExp(`^discharge-summary-SC-\\d+-${clinicDate}\\.pdf$`))
  const file = (await download.path())!
  const bytes = readFileSync(file)
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
  expect(bytes.length).toBeGreaterThan(1000)
  // every time on it is the clinic's, with the zone named
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
  const zone = `(${CLINIC_ZONE}, ${utcOffsetText(bridge.now(), CLINIC_ZONE)})`
  expect(text).toContain(`Kyphoplasty on ${clinicDate}`)
  const at = (words: string) => new RegExp(`${escapeRegExp(`${words} ${clinicDate}`)} \\d\\d:\\d\\d ${escapeRegExp(zone)}`)
  expect(text).toMatch(at(`Decided by ${DOC.name} at`))
  expect(text).toMatch(at(`Electronically signed by ${DOC.name} on`))

  await page.getByRole('button', { name: 'View PDF' }).click()
  const frame = page.locator('iframe[title^="Discharge summary PDF"]')
  await expect(frame).toBeVisible()
  await expect(frame).toHaveAttribute('src', /^blob:/)
  await expect(page.getByText('Stored signed PDF')).toBeVisible()
  await expectAccessible(page, 'discharge summary (signed)')

  // Tonight's stays list the patient; the chart has the procedure day on its spine and timeline.
  await page.getByRole('link', { name: 'Overnight stays' }).click()
  await expect(page.getByRole('table', { name: /^Overnight stays/ }).getByRole('link', { name: `${PATIENT.last}, ${PATIENT.first}` })).toBeVisible()
  await expect(page.getByTestId('tonight')).toContainText('of 2 beds taken')
  await expectAccessible(page, 'overnight stays with a patient staying')
  await page.goto(procedureUrl)
  await page.getByRole('link', { name: /^← Chart of/ }).click()
  await seeTreatedLevelsAndTimeline(page, clinicDate, clinicDay)
  await signOut(page)
  await context.close()
})

/**
 * Issue 17, points 8 and 9, on the chart of the patient just treated: the spine marks L1 and L2 as treated,
 * with the procedure and its date written beside them and said in each vertebra's name (not by colour alone);
 * the timeline holds the procedure day and is filtered by kind with the mouse and with the keyboard.
 */
async function seeTreatedLevelsAndTimeline(page: Page, clinicDate: string, clinicDay: string) {
  for (const level of ['L1', 'L2']) {
    await expect(page.getByRole('button', { name: `${level}, no findings, treated, kyphoplasty, ${clinicDate}` })).toBeVisible()
    await expect(page.getByTestId(`treated-${level}`)).toHaveText(`✓ Kyphoplasty ${clinicDay}`)
  }
  await expect(page.getByTestId('treated-L3')).toHaveCount(0)
  // opening a treated vertebra names its procedure, which opens the procedure day
  await page.getByRole('button', { name: /^L1, / }).click()
  await expect(page.getByTestId('level-treatments')).toHaveText(`Treated: kyphoplasty, ${clinicDate}`)

  const timeline = page.getByRole('list', { name: 'Timeline, newest first' })
  const entries = timeline.locator(':scope > li')
  await expect(timeline.locator('li[data-kind="procedure"]')).toContainText(`Kyphoplasty L1, L2 by ${DOC.name}`)
  await expect(timeline.locator('li[data-kind="procedure"]')).toContainText('Signed')
  await expect(timeline.locator('li[data-kind="dischargeSummary"]')).toContainText(`Discharge summary by ${DOC.name}`)
  await expect(timeline.locator('li[data-kind="stayDecision"]')).toContainText('Stay decision: ')
  await expect(timeline.locator('li[data-kind="recovery"]')).toContainText('Recovery after the kyphoplasty')
  const all = await entries.count()
  expect(all).toBeGreaterThanOrEqual(4)
  await expect(page.getByTestId('timeline-showing')).toHaveText(`All ${all} entries, newest first`)

  // the mouse: "Procedures" shows the procedure only
  const filter = page.getByRole('radiogroup', { name: 'Show on the timeline' })
  await expect(filter.getByRole('radio', { name: /^All \(/ })).toBeChecked()
  await filter.locator('label', { hasText: /^Procedures \(/ }).click()
  await expect(filter.getByRole('radio', { name: /^Procedures \(/ })).toBeChecked()
  await expect(entries).toHaveCount(1)
  await expect(entries.first()).toHaveAttribute('data-kind', 'procedure')
  // the keyboard: the arrow key moves to the next kind, recovery and the stay decision
  await filter.getByRole('radio', { name: /^Procedures \(/ }).focus()
  await page.keyboard.press('ArrowRight')
  await expect(filter.getByRole('radio', { name: /^Recovery and stay \(/ })).toBeChecked()
  await expect(filter.getByRole('radio', { name: /^Recovery and stay \(/ })).toBeFocused()
  await expect(entries).toHaveCount(2)
  expect(await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')).sort())).toEqual(['recovery', 'stayDecision'])
  await expect(page.getByTestId('timeline-showing')).toHaveText(`Recovery and stay: 2 of ${all} entries, newest first`)
  await page.keyboard.press('ArrowRight')
  await expect(entries).toHaveCount(1)
  await expect(entries.first()).toHaveAttribute('data-kind', 'dischargeSummary')
  await expectAccessible(page, 'chart of a treated patient, timeline filtered')
  await filter.locator('label', { hasText: /^All \(/ }).click()
  await expect(entries).toHaveCount(all)
}

test('a patient who leaves the observation room early is flagged; same-day discharge is refused, then overridden with a reason the summary shows', async ({ browser }) => {
  test.setTimeout(600_000)
  const { context, page } = await bridge.open(browser, WORKSTATION_ZONE)
  const patient = { first: 'Aino', last: `Virtanen-${DOC.username.slice(-5)}` }
  // every time typed from one moment, so that the minutes between them are exact (the flags name them)
  const base = bridge.now()
  const hm = (minutesFromNow: number) => clinicTimeOf(base + minutesFromNow * 60_000, CLINIC_ZONE)
  await signIn(page, DOC)
  await registerPatient(page, patient)
  await page.getByRole('button', { name: 'Open chart' }).click()
  await expect(page.getByRole('region', { name: 'Patient summary' })).toBeVisible()

  // A vertebroplasty of L3, 100 to 80 minutes ago.
  await page.getByRole('button', { name: 'Procedure', exact: true }).click()
  await page.getByRole('radio', { name: 'Vertebroplasty' }).check()
  await page.getByRole('button', { name: 'Open the note' }).click()
  await expect(page).toHaveURL(/#\/procedures\/\d+$/)
  const levels = page.getByRole('combobox', { name: 'Levels, in the order treated' })
  await expect(levels).toBeFocused()
  await levels.fill('L3')
  await levels.press('Enter')
  await levels.press('Escape')
  await page.getByRole('textbox', { name: 'Start time' }).fill(hm(-100))
  await page.getByRole('textbox', { name: 'End time' }).fill(hm(-80))
  await page.getByRole('combobox', { name: 'Sedation or anaesthesia' }).selectOption('moderateSedation')
  const l3 = page.getByRole('group', { name: 'Level L3' })
  await l3.getByRole('combobox', { name: 'Approach' }).selectOption('bipedicular')
  await l3.getByRole('textbox', { name: /^Needle gauge/ }).fill('11')
  await l3.getByRole('textbox', { name: /^Cement type/ }).fill('PMMA')
  await l3.getByRole('textbox', { name: /^Cement volume/ }).fill('3')
  await l3.getByRole('checkbox', { name: 'None' }).check()
  await page.getByRole('textbox', { name: 'Procedure narrative' }).fill('Bipedicular vertebroplasty at L3.')
  await page.getByRole('textbox', { name: 'Procedure narrative' }).press('Control+s')
  await expect(page.getByText('All changes saved')).toBeVisible()

  // Supine for 15 minutes (the clinic's minimum is 20), in the observation room an hour ago; two checks, with the
  // respiratory rate and the Aldrete score coming up from 8 to 9.
  await page.getByRole('tab', { name: 'Recovery and stay' }).click()
  await page.getByRole('textbox', { name: 'Supine rest from' }).fill(hm(-78))
  await page.getByRole('textbox', { name: 'Supine rest until' }).fill(hm(-63))
  await page.getByRole('textbox', { name: 'Arrived in the bay' }).fill(hm(-60))
  await page.getByRole('textbox', { name: /^Pain at the end of the procedure/ }).fill('3')
  await page.getByRole('button', { name: 'Save times' }).click()
  await expect(page.getByRole('table', { name: 'Checks due' })).toBeVisible()
  const check = page.locator('[data-new-check]')
  for (const [i, aldrete] of ['8', '9'].entries()) {
    await check.getByRole('textbox', { name: 'Time of the check' }).fill(hm(-60 + 15 * i))
    await check.getByRole('textbox', { name: 'Systolic (mmHg)' }).fill('128')
    await check.getByRole('textbox', { name: 'Diastolic (mmHg)' }).fill('76')
    await check.getByRole('textbox', { name: 'Heart rate (/min)' }).fill('72')
    await check.getByRole('textbox', { name: 'SpO2 (%)' }).fill('97')
    await check.getByRole('textbox', { name: 'Respiratory rate (/min)' }).fill('14')
    await check.getByRole('textbox', { name: 'Sedation score (Aldrete, 0-10)' }).fill(aldrete)
    await check.getByRole('textbox', { name: 'Pain (0-10)' }).fill('3')
    await check.getByRole('radio', { name: 'Normal', exact: true }).check()
    await check.getByRole('button', { name: 'Record check' }).click()
    await expect(page.getByTestId('check-row')).toHaveCount(i + 1)
  }
  await expect(page.getByTestId('check-row').nth(0)).toContainText('Aldrete score 8/10 is below the discharge score of 9')
  await expect(page.getByTestId('check-row').nth(1)).toContainText('Aldrete 9')

  // She leaves half an hour after arriving: the stay is flagged, and the checks due before the minimum were missed.
  await page.getByRole('textbox', { name: 'Left the bay' }).fill(hm(-30))
  await page.getByRole('button', { name: 'Save times' }).click()
  const flags = page.getByTestId('time-flags')
  await expect(flags).toContainText("Left the observation room 30 minutes after arriving, before the clinic's minimum observation time of 60 minutes")
  await expect(flags).toContainText("Lay supine 15 minutes, less than the clinic's minimum of 20 minutes while the cement hardens")
  const due = page.getByRole('table', { name: 'Checks due' })
  await expect(due.getByText('Missed', { exact: true })).toHaveCount(3)
  await expect(due.getByText('Not needed (patient left the bay)', { exact: true })).toHaveCount(2)
  await expect(page.getByText('3 observation checks were missed')).toBeVisible()

  // Same-day discharge: the record stands against it, and without a reason it is refused.
  await page.getByRole('radio', { name: 'Same-day discharge home' }).check()
  const blockers = page.getByTestId('same-day-blockers')
  await expect(blockers).toContainText("Left the observation room 30 minutes after arriving, before the clinic's minimum observation time of 60 minutes")
  await expect(blockers).toContainText('(45 minutes after arrival) was missed')
  await expect(blockers).toContainText('Discharge readiness not ticked: Has passed urine')
  await page.getByRole('button', { name: 'Record decision' }).click()
  await expect(page.getByText(/^Is required: \d+ findings of the recovery record stand against a same-day discharge$/)).toBeVisible()
  await expect(page.getByTestId('stay-decision')).toHaveCount(0)

  // With the physician's reason it is recorded, and shown with what it overrode.
  const reason = 'Left against advice after the risks were explained; her son drives her and stays the night'
  await page.getByRole('textbox', { name: 'Override reason' }).fill(reason)
  await page.getByRole('button', { name: 'Record decision' }).click()
  await expect(page.getByTestId('stay-decision')).toContainText('Same-day discharge home')
  const override = page.getByTestId('stay-override')
  await expect(override).toContainText(`Override reason: ${reason}`)
  await expect(override).toContainText("Lay supine 15 minutes, less than the clinic's minimum of 20 minutes while the cement hardens")
  await expectAccessible(page, 'recovery with an early departure and an override')

  // The discharge summary says it.
  await page.getByRole('tab', { name: 'Discharge summary' }).click()
  await page.getByRole('button', { name: 'Start the discharge summary' }).click()
  const preview = page.getByTestId('discharge-preview')
  await expect(preview).toContainText('Same-day discharge home')
  await expect(preview).toContainText(`Same-day discharge against the recovery record. Override reason: ${reason}`)
  await expect(preview).toContainText("Left the observation room 30 minutes after arriving, before the clinic's minimum observation time of 60 minutes")
  await signOut(page)
  await context.close()
})

test('before the procedure: a failed checklist warns on the note and is signed off only with an override reason; the restart date reaches the discharge summary', async ({ browser }) => {
  test.setTimeout(600_000)
  const { context, page } = await bridge.open(browser, WORKSTATION_ZONE)
  const patient = { first: 'Maren', last: `Lindqvist-${DOC.username.slice(-5)}` }
  const base = bridge.now()
  // a date-time typed on the clinic's clock ('YYYY-MM-DDTHH:MM'), and a clinic date, `hours` / `days` from now
  const wall = (hours: number) => `${clinicToday(base + hours * 3_600_000, CLINIC_ZONE)}T${clinicTimeOf(base + hours * 3_600_000, CLINIC_ZONE)}`
  const day = (days: number) => clinicToday(base + days * 86_400_000, CLINIC_ZONE)
  await signIn(page, DOC)
  await registerPatient(page, patient)
  await page.getByRole('button', { name: 'Open chart' }).click()
  await expect(page.getByRole('region', { name: 'Patient summary' })).toBeVisible()

  // A kyphoplasty of L2, not started yet: the checklist is judged as if it started now.
  await page.getByRole('button', { name: 'Procedure', exact: true }).click()
  await page.getByRole('radio', { name: 'Kyphoplasty' }).check()
  await page.getByRole('button', { name: 'Open the note' }).click()
  await expect(page).toHaveURL(/#\/procedures\/\d+$/)
  const levels = page.getByRole('combobox', { name: 'Levels, in the order treated' })
  await expect(levels).toBeFocused()
  await levels.fill('L2')
  await levels.press('Enter')
  await levels.press('Escape')
  await page.getByRole('textbox', { name: 'Procedure narrative' }).fill('Planned kyphoplasty at L2.')
  await page.getByRole('textbox', { name: 'Procedure narrative' }).press('Control+s')
  await expect(page.getByText('All changes saved')).toBeVisible()
  await expect(page.getByTestId('checklist-warning')).toContainText('not signed off')

  // INR 1.6 (the clinic's highest is 1.5) and warfarin last taken 3 days ago (5 are needed): two items fail.
  await page.getByRole('tab', { name: 'Before the procedure' }).click()
  await page.getByRole('textbox', { name: 'Consent obtained by' }).fill('Dr. Omar Haddad')
  await fillDateTime(page, 'Consent given', wall(-48))
  await page.getByRole('radio', { name: 'Kyphoplasty' }).check()
  await page.getByRole('checkbox', { name: 'L2' }).check()
  await page.getByRole('textbox', { name: 'INR', exact: true }).fill('1.6')
  await page.getByLabel('INR taken on').fill(day(-1))
  await page.getByRole('textbox', { name: 'Platelets (x10^9/L)' }).fill('180')
  await page.getByLabel('Platelets taken on').fill(day(-1))
  await page.getByRole('button', { name: 'Add a drug' }).click()
  const drug = page.getByRole('group', { name: 'Drug 1' })
  await drug.getByRole('combobox', { name: 'Drug 1' }).selectOption('warfarin')
  await fillDateTime(drug, 'Last dose', wall(-72))
  await drug.getByLabel('Restart on').fill(day(2))
  await page.getByRole('radio', { name: 'No sign of infection' }).check()
  await page.getByRole('checkbox', { name: 'Cement and contrast allergies confirmed with the patient' }).check()
  await fillDateTime(page, 'Last solid food', wall(-8))
  await page.getByRole('button', { name: 'Save checklist' }).click()
  await expect(page.getByTestId('checklist-status')).toHaveText('2 items failed')
  const items = page.getByRole('table', { name: 'Checklist items' })
  await expect(items.getByRole('row', { name: /INR within the threshold/ })).toContainText(/Failed\s*INR 1\.6 /)
  await expect(items.getByRole('row', { name: /Anticoagulants and antiplatelets/ })).toContainText('Warfarin held only 3 days; 5 days needed')
  await expect(items.getByRole('row', { name: /Consent recorded/ })).toContainText('Met')
  await expectAccessible(page, 'the pre-procedure checklist with failed items')

  // Signing off asks for a reason for the failed items, then the password.
  await page.getByRole('button', { name: 'Sign off…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Sign off the pre-procedure checklist' })
  await expect(dialog).toContainText('2 items failed')
  await dialog.getByLabel('Your password').fill(DOC.password)
  await dialog.getByRole('button', { name: 'Sign off', exact: true }).click()
  await expect(dialog.getByText('Is required: an item failed')).toBeVisible()
  const reason = 'Warfarin reversed with vitamin K this morning; bedside INR 1.3'
  await dialog.getByRole('textbox', { name: 'Override reason' }).fill(reason)
  await dialog.getByRole('button', { name: 'Sign off', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await expect(page.getByTestId('checklist-status')).toHaveText('Signed off with 2 failed items')
  await expect(page.getByTestId('checklist-sign-off')).toContainText(`Signed off by ${DOC.name}`)
  await expect(page.getByTestId('checklist-sign-off')).toContainText(`Override reason: ${reason}`)
  await expect(page.getByRole('button', { name: 'Save checklist' })).toHaveCount(0)

  // The note says so; the discharge summary gives warfarin's restart date.
  await page.getByRole('tab', { name: 'Procedure note' }).click()
  await expect(page.getByTestId('checklist-warning')).toContainText('Pre-procedure checklist signed off with 2 failed items')
  await expect(page.getByTestId('checklist-warning')).toContainText(`Override reason: ${reason}`)
  await page.getByRole('tab', { name: 'Discharge summary' }).click()
  await page.getByRole('button', { name: 'Start the discharge summary' }).click()
  const [y, m, d] = day(2).split('-').map(Number) as [number, number, number]
  const restart = new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' })
  await expect(page.getByTestId('discharge-preview')).toContainText(`Warfarin: restart on ${restart}`)
  await signOut(page)
  await context.close()
})
