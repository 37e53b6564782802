/**
 * Issue 17 point 7 on the procedure note: a vertebroplasty of T12 records the cement lot, the device
 * identifiers, the kyphotic angle after and a biopsy, and a leak by where it went (the SIR/CIRSE locations; the
 * old route classification is not offered). Once signed, the note shows them, and the pathology result that
 * arrives later is recorded under "Biopsy results" without touching the signed note.
 *
 * Its own clinic at a chosen moment (support/clockBridge.ts), as procedure.spec.ts: noon in New York on
 * 7 December 2026, so the procedure's times typed an hour or two ago are on the clinic's day at any hour of the run.
 */
import { clinicTimeOf } from '../../shared/clinicClock'
import { ADMIN } from './env'
import { addUser, confirmSigning, expect, expectAccessible, setUpOwnClinic, signIn, signOut, test, uniqueUser } from './fixtures'
import { startClockBridge, type ClockBridge } from './support/clockBridge'

test.describe.configure({ mode: 'serial' })

const AT = '2026-12-07T17:00:00.000Z'
const CLINIC_ZONE = 'America/New_York'
const DOC = uniqueUser('physician', 'Dr. Lena Okafor')
const PATIENT = { first: 'Greta', last: `Halvorsen-${DOC.username.slice(-5)}` }

let bridge: ClockBridge

// eslint-disable-next-line no-empty-pattern -- Playwright hands testInfo only as the second argument
test.beforeAll(async ({}, testInfo) => {
  test.skip(testInfo.project.name === 'electron', "The spec runs a development bridge of its own at a chosen moment; the Electron app keeps the computer's clock.")
  bridge = await startClockBridge('procedure-details', AT, CLINIC_ZONE)
})

test.afterAll(async () => bridge?.stop())

const hhmm = (minutesFromNow: number) => clinicTimeOf(bridge.now() + minutesFromNow * 60_000, CLINIC_ZONE)

test('a level records its cement lot, devices, angle after, biopsy and leak location; the biopsy result is added after signing', async ({ browser }) => {
  test.setTimeout(480_000) // the clinic's first run, a user, a patient, a signed note
  const { context, page } = await bridge.open(browser, CLINIC_ZONE)
  await setUpOwnClinic(page)
  await addUser(page, ADMIN, DOC)
  await signIn(page, DOC)
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('button', { name: 'Register patient' }).click()
  await page.getByLabel('First name').fill(PATIENT.first)
  await page.getByLabel('Last name').fill(PATIENT.last)
  await page.getByLabel('Date of birth').fill('1946-09-12')
  await page.getByRole('combobox', { name: 'Sex' }).click()
  await page.getByRole('option', { name: 'Female' }).click()
  await page.getByLabel('Phone').fill('(555) 010-3321')
  await page.getByRole('button', { name: 'Register', exact: true }).click()
  await expect(page.getByRole('heading', { name: `${PATIENT.last}, ${PATIENT.first}` })).toBeVisible()
  await page.getByRole('button', { name: 'Open chart' }).click()
  await expect(page.getByRole('region', { name: 'Patient summary' })).toBeVisible()

  await page.getByRole('button', { name: 'Procedure', exact: true }).click()
  await page.getByRole('radio', { name: 'Vertebroplasty' }).check()
  await page.getByRole('button', { name: 'Open the note' }).click()
  await expect(page).toHaveURL(/#\/procedures\/\d+$/)
  const levels = page.getByRole('combobox', { name: 'Levels, in the order treated' })
  await levels.fill('T12')
  await levels.press('Enter')
  await levels.press('Escape')
  await page.getByRole('textbox', { name: 'Start time' }).fill(hhmm(-90))
  await page.getByRole('textbox', { name: 'End time' }).fill(hhmm(-60))
  await page.getByRole('combobox', { name: 'Sedation or anaesthesia' }).selectOption('moderateSedation')

  const t12 = page.getByRole('group', { name: 'Level T12' })
  await t12.getByRole('combobox', { name: 'Approach' }).selectOption('bipedicular')
  await t12.getByRole('textbox', { name: /^Needle gauge/ }).fill('11')
  await t12.getByRole('textbox', { name: /^Cement type/ }).fill('PMMA')
  await t12.getByRole('textbox', { name: /^Cement volume/ }).fill('3.5')
  await t12.getByRole('textbox', { name: /^Cement lot/ }).fill('KX-2291-B')
  await t12.getByRole('textbox', { name: /^Device identifiers/ }).fill('Kit lot 44817\n(01)00643169007222(10)A1B2')
  await t12.getByRole('textbox', { name: /^Kyphotic angle after/ }).fill('12.5')
  await t12.getByRole('checkbox', { name: 'Biopsy taken at this level' }).check()
  // where the cement went: the SIR/CIRSE locations, the old route classification not offered
  const leakage = t12.getByRole('group', { name: /^Cement leakage/ })
  for (const location of ['None', 'Epidural', 'Foraminal', 'Paravertebral (soft tissue)', 'Venous', 'Disc']) await expect(leakage.getByRole('checkbox', { name: location, exact: true })).toBeVisible()
  await expect(leakage.getByRole('checkbox', { name: /vein|Cortical/ })).toHaveCount(0)
  await leakage.getByRole('checkbox', { name: 'Epidural', exact: true }).check()
  await t12.getByRole('radiogroup', { name: 'The leak caused symptoms' }).getByRole('radio', { name: 'No', exact: true }).check()
  await t12.getByRole('textbox', { name: /^Cement lot/ }).press('Control+s')
  await expect(page.getByText('All changes saved')).toBeVisible()

  await page.getByRole('button', { name: 'Sign note…' }).first().click()
  await confirmSigning(page, 'Sign this procedure note?', DOC.password)
  await expect(page.getByTestId('signed-line')).toContainText(`Signed by ${DOC.name}`, { timeout: 30_000 })
  const table = page.getByRole('table', { name: 'Levels treated' })
  await expect(table).toContainText('Epidural (no symptoms)')
  await expect(table).toContainText('after 12.5°')
  await expect(table).toContainText('Cement lot KX-2291-B')
  await expect(table).toContainText('(01)00643169007222(10)A1B2')
  await expect(table).toContainText('Taken')

  // Days later the pathology report: recorded beside the signed note, which stays as signed.
  const biopsy = page.getByRole('region', { name: 'Biopsy results' })
  await expect(biopsy).toContainText('Biopsy taken at T12.')
  await expect(biopsy).toContainText('No result recorded yet.')
  const form = biopsy.getByRole('form', { name: 'Record a biopsy result' })
  await expect(form.getByRole('combobox', { name: 'Level' })).toHaveValue('T12')
  await form.getByRole('combobox', { name: 'Result' }).selectOption('benign')
  await form.getByRole('textbox', { name: 'Pathology report' }).fill('Osteoporotic fracture, no tumour (report P-26-4411)')
  await form.getByRole('button', { name: 'Record result' }).click()
  const results = biopsy.getByRole('table', { name: 'Biopsy results' })
  await expect(results).toContainText('Benign (osteoporotic or other non-malignant)')
  await expect(results).toContainText('Osteoporotic fracture, no tumour (report P-26-4411)')
  await expect(results).toContainText(DOC.name)
  await expect(page.getByTestId('signed-line')).toContainText(`Signed by ${DOC.name}`)
  await expectAccessible(page, 'signed procedure note with a biopsy result')
  await signOut(page)
  await context.close()
})
