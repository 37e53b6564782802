/**
 * The note editors as the keystroke measurement (keystroke-cost.spec.ts) and the render-scope check
 * (render-scope.spec.ts) open them: a consultation draft with five imaging findings and the care plan filled in,
 * a kyphoplasty note with three levels, and a 6-week follow-up visit form.
 */
import type { Page } from '@playwright/test'
import { addDays } from '../../shared/clinical/dates'
import { ADMIN } from './env'
import { addUser, confirmSigning, expect, signIn, uniqueUser } from './fixtures'

type User = ReturnType<typeof uniqueUser>

export async function registerPatient(page: Page, doc: User) {
  await addUser(page, ADMIN, doc)
  await signIn(page, doc)
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('button', { name: 'Register patient' }).click()
  await page.getByLabel('First name').fill('Keystroke')
  await page.getByLabel('Last name').fill(`Measure-${doc.username.slice(-5)}`)
  // the date field reads a pasted ISO date as well as MM/DD/YYYY (renderer/components/DateField.tsx)
  await page.getByLabel('Date of birth').fill('1941-06-15')
  await page.getByRole('combobox', { name: 'Sex' }).click()
  await page.getByRole('option', { name: 'Female' }).click()
  await page.getByRole('button', { name: 'Register', exact: true }).click()
  await page.getByRole('button', { name: 'Open chart' }).click()
}

/** A consultation draft with five imaging findings (T11-L3) and the note's one care plan (conservative care) filled in. */
export async function openConsultationDraft(page: Page, doc: User) {
  await registerPatient(page, doc)
  await page.getByRole('button', { name: 'New consultation' }).click()
  await expect(page.getByRole('textbox', { name: 'Chief complaint' })).toBeFocused()
  // a full draft: five findings (the new finding's Level select has the focus: typing picks the level)
  for (const level of ['T11', 'T12', 'L1', 'L2', 'L3']) {
    await page.getByRole('button', { name: 'Add finding' }).click()
    await page.keyboard.type(level)
  }
  await expect(page.getByRole('group', { name: /^Imaging / })).toHaveCount(5)
  // The note offers one care plan, conservative care (bracing, pain medication, other measures, a reassessment):
  // all of it filled in.
  await page.getByRole('switch', { name: /^Prescribe conservative care/ }).check()
  await page.getByRole('textbox', { name: 'Bracing' }).fill('TLSO brace when upright')
  await page.getByRole('textbox', { name: 'Pain medication' }).fill('paracetamol 1 g four times daily')
  await page.getByRole('textbox', { name: 'Other measures' }).fill('physiotherapy, walking as tolerated')
}

/** A kyphoplasty note with three levels (L1-L3) chosen: the minimum of procedure.spec.ts's journey. */
export async function openProcedureNote(page: Page, doc: User) {
  await registerPatient(page, doc)
  // no candidacy request: the physician names the procedure
  await page.getByRole('button', { name: 'Procedure', exact: true }).click()
  await page.getByRole('radio', { name: 'Kyphoplasty' }).check()
  await page.getByRole('button', { name: 'Open the note' }).click()
  const levels = page.getByRole('combobox', { name: 'Levels, in the order treated' })
  await expect(levels).toBeFocused()
  for (const level of ['L1', 'L2', 'L3']) {
    await levels.fill(level)
    await levels.press('Enter')
  }
  await levels.press('Escape')
  await expect(page.getByRole('group', { name: /^Level L\d$/ })).toHaveCount(3)
}

/**
 * The 6-week follow-up visit form of a vertebroplasty of L1 signed seven weeks ago with its discharge summary
 * started (which proposes the follow-up visits): the minimum of outcomes-followup.spec.ts's journey.
 */
export async function openFollowUpVisit(page: Page, doc: User) {
  await registerPatient(page, doc)
  const chartUrl = page.url()
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
  await signVertebroplastyOfL1(page, addDays(today, -49), doc.password)
  await page.getByRole('tab', { name: 'Discharge summary' }).click()
  await page.getByRole('button', { name: 'Start the discharge summary' }).click()
  await expect(page.getByTestId('discharge-preview')).toBeVisible()
  await page.goto(chartUrl)
  await page.getByRole('region', { name: 'Follow-up visits' }).getByRole('button', { name: 'Record the 6 weeks visit' }).click()
  await expect(page.getByRole('heading', { name: /^6 weeks follow-up visit \(due / })).toBeVisible()
}

/**
 * From a chart: a vertebroplasty of L1 (bipedicular, 11 G, 4 ml PMMA, no leakage) done on `treatedOn`, 09:10-09:40
 * under moderate sedation, saved and signed with the physician's password.
 */
export async function signVertebroplastyOfL1(page: Page, treatedOn: string, password: string) {
  await page.getByRole('button', { name: 'Procedure', exact: true }).click()
  await page.getByRole('radio', { name: 'Vertebroplasty' }).check()
  await page.getByRole('button', { name: 'Open the note' }).click()
  await expect(page).toHaveURL(/#\/procedures\/\d+$/)
  const levels = page.getByRole('combobox', { name: 'Levels, in the order treated' })
  await levels.fill('L1')
  await levels.press('Enter')
  await levels.press('Escape')
  await page.getByRole('textbox', { name: 'Procedure date' }).fill(treatedOn)
  await page.getByRole('textbox', { name: 'Start time' }).fill('09:10')
  await page.getByRole('textbox', { name: 'End time' }).fill('09:40')
  await page.getByRole('combobox', { name: 'Sedation or anaesthesia' }).selectOption('moderateSedation')
  const l1 = page.getByRole('group', { name: 'Level L1' })
  await l1.getByRole('combobox', { name: 'Approach' }).selectOption('bipedicular')
  await l1.getByRole('textbox', { name: /^Needle gauge/ }).fill('11')
  await l1.getByRole('textbox', { name: /^Cement type/ }).fill('PMMA')
  await l1.getByRole('textbox', { name: /^Cement volume/ }).fill('4')
  await l1.getByRole('checkbox', { name: 'None' }).check()
  await page.getByRole('textbox', { name: 'Procedure date' }).press('Control+s')
  await expect(page.getByText('All changes saved')).toBeVisible()
  await page.getByRole('button', { name: 'Sign note…' }).first().click()
  await confirmSigning(page, 'Sign this procedure note?', password)
  await expect(page.getByTestId('signed-line')).toBeVisible()
}
