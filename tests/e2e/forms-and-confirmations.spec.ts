/**
 * Issue 23 points 1 and 2, from the user's side: a form with one invalid field puts the cursor on it and names it
 * in words, keeping everything typed; two physicians edit the same clinical history and the second is told who
 * changed it and when, compares yours with theirs, and reloads theirs; signing an empty consultation first asks,
 * naming what is missing, and "Go back" signs nothing. The spec makes its own users and patient.
 */
import type { Browser, Page } from '@playwright/test'
import { ADMIN, BRIDGE_KEY } from './env'
import { addUser, expect, expectAccessible, signIn, test, uniqueUser } from './fixtures'

test.describe.configure({ mode: 'serial' })

const DOC = uniqueUser('physician', 'Dr. Ines Moreau')
const DOC2 = uniqueUser('physician', 'Dr. Tomasz Lis')
const PATIENT = { first: 'Odile', last: `Brandt-${DOC.username.slice(-5)}` }
let chartUrl = ''

async function registerPatient(page: Page) {
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('button', { name: 'Register patient' }).click()
  await page.getByLabel('First name').fill(PATIENT.first)
  await page.getByLabel('Last name').fill(PATIENT.last)
  await page.getByLabel('Date of birth').fill('1944-03-02')
  await page.getByRole('combobox', { name: 'Sex' }).click()
  await page.getByRole('option', { name: 'Female' }).click()
  await page.getByLabel('Phone').fill('(555) 010-4455')
  await page.getByRole('button', { name: 'Register', exact: true }).click()
  await expect(page.getByRole('heading', { name: `${PATIENT.last}, ${PATIENT.first}` })).toBeVisible()
  await page.getByRole('button', { name: 'Open chart' }).click()
  await expect(page.getByRole('region', { name: 'Patient summary' })).toBeVisible()
}

/** A second workstation: its own browser context (its own session), on the same clinic. */
async function secondWorkstation(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL })
  const page = await context.newPage()
  await page.goto(`/?key=${BRIDGE_KEY}`)
  return { context, page }
}

test('one invalid field: the cursor goes to it, it is named in words, and everything typed stays', async ({ page }) => {
  test.setTimeout(180_000) // two users are made first
  await addUser(page, ADMIN, DOC)
  await addUser(page, ADMIN, DOC2)
  await signIn(page, DOC)
  await registerPatient(page)
  chartUrl = page.url()

  await page.getByRole('button', { name: 'Edit clinical history' }).click()
  const history = page.getByRole('dialog', { name: 'Clinical history' })
  await history.getByLabel('Allergies').fill('penicillin (rash)')
  await history.getByLabel('Anticoagulants').fill('apixaban 5 mg twice daily')
  const tScore = history.getByRole('textbox', { name: 'DEXA T-score' })
  await tScore.fill('-9')
  await history.getByLabel('Prior fractures').fill('T11 2019')
  await history.getByRole('button', { name: 'Save history' }).click()

  // the T-score (above the field the cursor was in) has the focus; its label and its message, in words, are
  // what a screen reader reads as the focus lands
  await expect(tScore).toBeFocused()
  await expect(tScore).toHaveAttribute('aria-invalid', 'true')
  await expect(tScore).toHaveAccessibleDescription(/Must be between -7 and \+5/)
  await expect(history).not.toContainText('dexaTScore')
  // nothing typed was lost, and nothing was saved
  await expect(history.getByLabel('Allergies')).toHaveValue('penicillin (rash)')
  await expect(history.getByLabel('Anticoagulants')).toHaveValue('apixaban 5 mg twice daily')
  await expect(history.getByLabel('Prior fractures')).toHaveValue('T11 2019')
  await expect(tScore).toHaveValue('-9')
  await expectAccessible(page, 'the clinical history with a refused field')

  // corrected (the T-score left for when the scan's date is at hand), it saves
  await tScore.fill('')
  await history.getByRole('button', { name: 'Save history' }).click()
  await expect(history).toBeHidden()
  await expect(page.getByRole('listitem').filter({ hasText: 'ANTICOAGULANT' })).toContainText('apixaban 5 mg twice daily')
})

test('two physicians edit the same history: the second is told who changed it, compares, and reloads theirs', async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000)
  // Dr. Lis opens the history on the other workstation first
  const other = await secondWorkstation(browser, baseURL)
  try {
    await signIn(other.page, DOC2)
    await expect(other.page.getByTestId('signed-in-user')).toBeVisible({ timeout: 30_000 }) // a password hash on a busy machine
    await other.page.goto(`${chartUrl.replace(/\?[^#]*/, `?key=${BRIDGE_KEY}`)}`)
    await other.page.getByRole('button', { name: 'Edit clinical history' }).click()
    const theirs = other.page.getByRole('dialog', { name: 'Clinical history' })
    await expect(theirs.getByLabel('Allergies')).toHaveValue('penicillin (rash)')

    // meanwhile Dr. Moreau changes the allergies here and saves
    await signIn(page, DOC)
    await page.goto(chartUrl)
    await page.getByRole('button', { name: 'Edit clinical history' }).click()
    const mine = page.getByRole('dialog', { name: 'Clinical history' })
    await mine.getByLabel('Allergies').fill('penicillin (rash); iodine contrast (hives)')
    await mine.getByRole('button', { name: 'Save history' }).click()
    await expect(mine).toBeHidden()

    // Dr. Lis saves over the version he read: not saved, and he is told by whom and when
    await theirs.getByLabel('Allergies').fill('penicillin (anaphylaxis)')
    await theirs.getByLabel('Prior fractures').fill('L2 2021')
    await theirs.getByRole('button', { name: 'Save history' }).click()
    const conflict = other.page.getByRole('dialog', { name: new RegExp(`^Not saved: ${DOC.name} changed this at `) })
    await expect(conflict).toBeVisible()
    await expect(conflict).toContainText('Nothing you typed was saved')
    await expect(conflict).not.toContainText('conflict')
    await expect(conflict.getByRole('button', { name: 'Keep my typing' })).toBeFocused()

    // Compare: field by field, in words
    await conflict.getByRole('button', { name: 'Compare' }).click()
    const table = conflict.getByRole('table', { name: 'Yours and theirs, field by field' })
    const allergies = table.getByRole('row').filter({ hasText: 'Allergies' })
    await expect(allergies).toContainText('penicillin (anaphylaxis)')
    await expect(allergies).toContainText('penicillin (rash); iodine contrast (hives)')
    await expect(table.getByRole('row').filter({ hasText: 'Prior fractures' })).toContainText('L2 2021')
    await expectAccessible(other.page, 'the conflict dialog comparing yours and theirs')

    // Reload theirs asks first and offers what was typed to copy
    await conflict.getByRole('button', { name: 'Reload theirs' }).click()
    await expect(conflict.getByRole('textbox', { name: 'What you typed' })).toHaveValue(/Allergies: penicillin \(anaphylaxis\)/)
    await expect(theirs.getByLabel('Allergies')).toHaveValue('penicillin (anaphylaxis)') // not replaced yet
    await conflict.getByRole('button', { name: 'Replace with theirs' }).click()
    await expect(conflict).toBeHidden()
    await expect(theirs.getByLabel('Allergies')).toHaveValue('penicillin (rash); iodine contrast (hives)')

    // now his change saves over hers, knowingly
    await theirs.getByLabel('Prior fractures').fill('L2 2021')
    await theirs.getByRole('button', { name: 'Save history' }).click()
    await expect(theirs).toBeHidden()
  } finally {
    await other.context.close()
  }
})

test("two people edit the same patient's details: the second is told who changed them, compares, and reloads theirs", async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000)
  const patientPath = chartUrl.replace(/#\/chart\/(\d+).*$/, '#/patients/$1')
  const other = await secondWorkstation(browser, baseURL)
  try {
    await signIn(other.page, DOC2)
    await expect(other.page.getByTestId('signed-in-user')).toBeVisible({ timeout: 30_000 })
    await other.page.goto(patientPath.replace(/\?[^#]*/, `?key=${BRIDGE_KEY}`))
    await other.page.getByRole('button', { name: 'Edit', exact: true }).click()
    await expect(other.page.getByLabel('Phone')).toHaveValue('(555) 010-4455')

    // meanwhile Dr. Moreau corrects the phone here
    await signIn(page, DOC)
    await page.goto(patientPath)
    await page.getByRole('button', { name: 'Edit', exact: true }).click()
    await page.getByLabel('Phone').fill('(555) 010-9999')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(page.getByText('(555) 010-9999').first()).toBeVisible()

    // Dr. Lis saves an address over the details he read: not saved, told by whom, compared, reloaded
    await other.page.getByLabel('Address').fill('12 Harbour Road')
    await other.page.getByRole('button', { name: 'Save', exact: true }).click()
    const conflict = other.page.getByRole('dialog', { name: new RegExp(`^Not saved: ${DOC.name} changed this at `) })
    await expect(conflict).toBeVisible()
    await conflict.getByRole('button', { name: 'Compare' }).click()
    const phone = conflict.getByRole('table', { name: 'Yours and theirs, field by field' }).getByRole('row').filter({ hasText: 'Phone' })
    await expect(phone).toContainText('(555) 010-4455')
    await expect(phone).toContainText('(555) 010-9999')
    await conflict.getByRole('button', { name: 'Reload theirs' }).click()
    await conflict.getByRole('button', { name: 'Replace with theirs' }).click()
    await expect(conflict).toBeHidden()
    await expect(other.page.getByLabel('Phone')).toHaveValue('(555) 010-9999')
    await other.page.getByLabel('Address').fill('12 Harbour Road')
    await other.page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(other.page.getByText('12 Harbour Road').first()).toBeVisible()
    await expect(other.page.getByText('(555) 010-9999').first()).toBeVisible()
  } finally {
    await other.context.close()
  }
})

test('signing an empty consultation asks first, naming what is missing; Go back signs nothing', async ({ page }) => {
  await signIn(page, DOC)
  await page.goto(chartUrl)
  await page.getByRole('button', { name: 'New consultation' }).click()
  await expect(page.getByRole('heading', { name: /^Consultation of / })).toBeVisible()
  await page.getByRole('button', { name: 'Sign note…' }).first().click()

  const ask = page.getByRole('dialog', { name: 'Sign this note with parts missing?' })
  await expect(ask).toBeVisible()
  const missing = ask.getByRole('list', { name: 'What is missing' })
  for (const item of ['Chief complaint', 'History of present illness', 'Pain now (0-10)', 'Examination', 'Imaging findings (none recorded)', 'Assessment', 'Plan', 'Candidacy decision']) {
    await expect(missing.getByRole('listitem').filter({ hasText: item })).toBeVisible()
  }
  // Go back has the focus: a reflexive Enter signs nothing
  await expect(ask.getByRole('button', { name: 'Go back' })).toBeFocused()
  await expectAccessible(page, 'the confirmation naming what is missing')
  await page.keyboard.press('Enter')
  await expect(ask).toBeHidden()
  await expect(page.getByRole('dialog', { name: 'Sign this note?' })).toBeHidden()
  await expect(page.getByText('Draft (not signed)')).toBeVisible()

  // "Sign anyway" goes on to the usual confirmation (which asks for the password); cancelled there, still a draft
  await page.getByRole('button', { name: 'Sign note…' }).first().click()
  await ask.getByRole('button', { name: 'Sign anyway' }).click()
  const sign = page.getByRole('dialog', { name: 'Sign this note?' })
  await expect(sign.getByLabel('Your password')).toBeVisible()
  await sign.getByRole('button', { name: 'Cancel' }).click()
  // as stored: a reload (which locks the screen, as it should) shows the note still a draft
  await page.reload()
  await page.getByRole('textbox', { name: 'Password' }).fill(DOC.password)
  await page.getByRole('button', { name: 'Unlock' }).click()
  await expect(page.getByText('Draft (not signed)')).toBeVisible()

  // A vertebroplasty requested with none of the coverage points documented asks too, and says so
  await page.getByRole('combobox', { name: 'Decision' }).selectOption('vertebroplasty')
  await page.getByRole('combobox', { name: 'Levels to treat' }).fill('L1')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Escape')
  await page.getByRole('combobox', { name: 'Decision' }).press('Control+s')
  await expect(page.getByText('All changes saved')).toBeVisible()
  await page.getByRole('button', { name: 'Sign note…' }).first().click()
  await expect(missing.getByRole('listitem').filter({ hasText: /^Coverage readiness: 0 of \d+ documented/ })).toBeVisible()
  await page.keyboard.press('Enter')
  await expect(ask).toBeHidden()
  await expect(page.getByText('Draft (not signed)')).toBeVisible()
})
