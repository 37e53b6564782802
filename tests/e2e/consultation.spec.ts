/**
 * A physician charts a consultation from the patient's chart, signs it, and cannot change it afterwards;
 * the front desk books the reassessment and the procedure it decides from their lists.
 * The spec makes its own users and patient (names unique to the run), so it needs no other spec.
 */
import type { Page } from '@playwright/test'
import { reassessmentDate } from '../../shared/clinical/dates'
import { formatTypedDate, parseTypedDate } from '../../shared/dates'
import { ADMIN } from './env'
import { addUser, confirmSigning, expect, expectAccessible, signIn, signOut, test, uniqueUser } from './fixtures'

test.describe.configure({ mode: 'serial' })

const DOC = uniqueUser('physician', 'Dr. Petra Vance')
const DESK = uniqueUser('frontDesk', 'Dana Desk')
const PATIENT = { first: 'Halina', last: `Wiśniewska-${DOC.username.slice(-5)}` }
let chartUrl = ''
let reassessOn = ''

async function registerPatient(page: Page) {
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('button', { name: 'Register patient' }).click()
  await page.getByLabel('First name').fill(PATIENT.first)
  await page.getByLabel('Last name').fill(PATIENT.last)
  await page.getByLabel('Date of birth').fill('1941-06-15')
  await page.getByRole('combobox', { name: 'Sex' }).click()
  await page.getByRole('option', { name: 'Female' }).click()
  await page.getByLabel('Phone').fill('(555) 010-7788')
  await page.getByRole('button', { name: 'Register', exact: true }).click()
  await expect(page.getByRole('heading', { name: `${PATIENT.last}, ${PATIENT.first}` })).toBeVisible()
}

test('a physician charts a fresh L1 fracture, scores the ODI, starts bracing, signs, and the note is locked', async ({ page }) => {
  test.setTimeout(240_000) // a whole consultation, and two users made first
  await addUser(page, ADMIN, DOC)
  await addUser(page, ADMIN, DESK)
  await signIn(page, DOC)
  await registerPatient(page)

  // The patient's page leads to the chart (focused, so Enter opens it).
  await expect(page.getByRole('button', { name: 'Open chart' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('region', { name: 'Patient summary' })).toBeVisible()
  chartUrl = page.url()

  // Clinical history: a cement allergy and an anticoagulant show as alerts in the header.
  await page.getByRole('button', { name: 'Edit clinical history' }).click()
  const history = page.getByRole('dialog', { name: 'Clinical history' })
  await history.getByLabel('Bone cement (PMMA) allergy').check()
  await history.getByLabel('Anticoagulants').fill('apixaban 5 mg twice daily')
  await history.getByRole('radiogroup', { name: 'Osteoporosis' }).getByRole('radio', { name: 'Yes' }).check()
  await history.getByRole('button', { name: 'Save history' }).click()
  await expect(page.getByText('CEMENT ALLERGY')).toBeVisible()
  await expect(page.getByRole('listitem').filter({ hasText: 'ANTICOAGULANT' })).toContainText('apixaban 5 mg twice daily')
  await expect(page.getByText('No imaging findings recorded yet.')).toBeVisible()
  await expectAccessible(page, 'patient chart')

  // A new note; the chief complaint has the focus.
  await page.getByRole('button', { name: 'New consultation' }).click()
  await expect(page.getByRole('heading', { name: /^Consultation of / })).toBeVisible()
  await expect(page).toHaveURL(/#\/consultations\/\d+$/)
  await expect(page.getByRole('textbox', { name: 'Chief complaint' })).toBeFocused()
  await page.getByRole('textbox', { name: 'Chief complaint' }).fill('Sudden low back pain after lifting a laundry basket')
  await page.getByRole('textbox', { name: 'Pain now (0-10)' }).fill('8')
  // LCD L33569's severity criteria read the pain trend and the kyphotic angle (issue 17.4)
  await page.getByRole('combobox', { name: 'Pain trend' }).selectOption('worsening')
  await page.getByRole('textbox', { name: 'Kyphotic angle at the fracture, before treatment (degrees)' }).fill('12')

  // ODI, section by section; the score and band follow each answer.
  const odi = [3, 2, 4, 3, 2, 3, 2, 1, 3, 2]
  const sections = ['Pain intensity', 'Personal care', 'Lifting', 'Walking', 'Sitting', 'Standing', 'Sleeping', 'Sex life', 'Social life', 'Travelling']
  await sections.reduce(async (prev, name, i) => {
    await prev
    await page.getByRole('radiogroup', { name: `${i + 1}. ${name}` }).getByRole('radio', { name: new RegExp(`^${odi[i]}: `) }).check()
  }, Promise.resolve())
  await expect(page.getByTestId('odi-score')).toHaveText('ODI 50% · Severe disability (41-60%) · 10 of 10 sections answered')
  // each choice reads as the published statement with its points, and the arrow keys move between them (issue 23)
  const odiPain = page.getByRole('radiogroup', { name: '1. Pain intensity' })
  await expect(odiPain.getByRole('radio', { name: '3: The pain is fairly severe at the moment' })).toBeChecked()
  await odiPain.getByRole('radio', { name: /^3: / }).focus()
  await page.keyboard.press('ArrowDown')
  await expect(odiPain.getByRole('radio', { name: '4: The pain is very severe at the moment' })).toBeChecked()
  await expect(page.getByTestId('odi-score')).toHaveText(/^ODI 52% /)
  await page.keyboard.press('ArrowUp')
  await expect(page.getByTestId('odi-score')).toHaveText('ODI 50% · Severe disability (41-60%) · 10 of 10 sections answered')

  // A fresh L1 fracture on MRI with 30% height loss: Genant grade 2 as soon as it is typed.
  await page.getByRole('button', { name: 'Add finding' }).click()
  const finding = page.getByRole('group', { name: /^Imaging finding 1/ })
  await expect(finding.getByRole('combobox', { name: 'Level' })).toBeFocused()
  await page.keyboard.type('L1') // a native select picks by typing
  await expect(page.getByRole('group', { name: 'Imaging finding 1 (L1)' })).toBeVisible()
  await finding.getByRole('combobox', { name: 'Imaging', exact: true }).selectOption('mri')
  await finding.getByRole('combobox', { name: /^Acuity/ }).selectOption('acute')
  await finding.getByRole('radiogroup', { name: 'Marrow oedema (MRI STIR)' }).getByRole('radio', { name: 'Yes' }).check()
  await finding.getByRole('textbox', { name: 'Height loss (%)' }).fill('30')
  await expect(finding.getByTestId('genant-0')).toHaveText('Genant Grade 2 moderate (25-40%)')

  // Six weeks of bracing: the reassessment date defaults to six weeks after the start.
  await page.getByRole('switch', { name: /^Prescribe conservative care/ }).check()
  await page.getByRole('textbox', { name: 'Bracing' }).fill('TLSO brace when upright')
  // Dates show as the clinic types them, MM/DD/YYYY.
  const start = parseTypedDate(await page.getByRole('textbox', { name: 'Start date' }).inputValue())!
  reassessOn = reassessmentDate(start)
  await expect(page.getByRole('textbox', { name: 'Reassessment date' })).toHaveValue(formatTypedDate(reassessOn))

  await page.getByRole('combobox', { name: 'Decision' }).selectOption('continueConservative')
  await page.getByRole('textbox', { name: 'Reasons' }).fill('Acute fracture, first week; brace and analgesia first.')
  await page.getByRole('checkbox', { name: 'Contraindications reviewed' }).check()

  // Ctrl+S saves from wherever the cursor is.
  await page.getByRole('textbox', { name: 'Reasons' }).press('Control+s')
  await expect(page.getByText('All changes saved')).toBeVisible()
  const coverage = page.getByRole('region', { name: 'Coverage readiness' })
  await expect(coverage.getByText('A function score is recorded (ODI or Roland-Morris)')).toBeVisible()
  await expect(coverage.getByText('ODI 50%')).toBeVisible()
  // the new points, each naming the criterion it comes from (issue 17.4)
  await expect(coverage.getByText('Worsening pain, or pain of 5 or more with two severity criteria')).toBeVisible()
  await expect(coverage.getByText('pain worsening (qualifies on its own)')).toBeVisible()
  await expect(coverage.getByText(`reviewed by ${DOC.name} at `, { exact: false })).toBeVisible()
  await expect(coverage.getByText(/^Criterion: LCD L33569 covered indication: acute or subacute VCF documented by imaging/)).toBeVisible()
  // the chart's anticoagulant and cement allergy suggest their own checklist items (issue 17.5)
  const suggestions = page.getByRole('list', { name: 'Suggestions from the record' })
  await expect(suggestions).toContainText('Bleeding risk (anticoagulant or antiplatelet): the patient record lists anticoagulant: apixaban 5 mg twice daily')
  await expect(suggestions).toContainText('Bone cement (PMMA) allergy: the patient record lists a bone cement allergy')
  await expect(suggestions).not.toContainText('Contrast allergy')
  await expectAccessible(page, 'consultation note (draft)')

  // Sign: one confirmation that asks for the password again (a wrong one signs nothing), then the note is locked.
  await page.getByRole('button', { name: 'Sign note…' }).first().click()
  await confirmSigning(page, 'Sign this note?', 'not-my-password')
  await expect(page.getByRole('dialog', { name: 'Sign this note?' }).getByText('The password is wrong.')).toBeVisible()
  await expect(page.getByTestId('signed-line')).toHaveCount(0)
  await confirmSigning(page, 'Sign this note?', DOC.password)
  await expect(page.getByTestId('signed-line')).toContainText(`Signed by ${DOC.name} at `)
  await expect(page.getByRole('textbox')).toHaveCount(2) // only the new addendum, and the password that signs it
  await expect(page.getByRole('textbox', { name: 'Chief complaint' })).toHaveCount(0)
  await expect(page.getByRole('button', { name: /Save|Sign note/ })).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Add finding' })).toHaveCount(0)
  await expect(page.getByText('Sudden low back pain after lifting a laundry basket')).toBeVisible()
  await expect(page.getByRole('cell', { name: '30% · Genant Grade 2 moderate (25-40%)' })).toBeVisible()

  // A correction is a signed addendum (Ctrl+Enter adds it), signed with the password like the note.
  const addenda = page.getByRole('region', { name: 'Addenda' })
  await page.getByRole('textbox', { name: 'New addendum' }).fill('Patient also reports night pain; no red flags.')
  await page.getByRole('textbox', { name: 'New addendum' }).press('Control+Enter')
  await expect(addenda.getByText('Is required')).toBeVisible()
  await expect(page.getByTestId('addendum')).toHaveCount(0)
  await addenda.getByLabel('Your password').fill(DOC.password)
  await page.getByRole('textbox', { name: 'New addendum' }).press('Control+Enter')
  await expect(page.getByTestId('addendum')).toContainText(`Addendum signed by ${DOC.name} at `)
  await expect(page.getByTestId('addendum')).toContainText('Patient also reports night pain; no red flags.')
  await expectAccessible(page, 'consultation note (signed)')

  // Back on the chart: the signed note on the timeline, L1 marked on the spine and opening its finding.
  await page.getByRole('link', { name: /^← Chart of/ }).click()
  await expect(page.getByRole('link', { name: `Consultation with ${DOC.name}` })).toBeVisible()
  const l1 = page.getByRole('button', { name: /^L1, 1 finding, latest acute, Genant Grade 2/ })
  await l1.focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Findings at L1' })).toBeVisible()
  await expect(page.getByRole('table', { name: 'Findings at L1' })).toContainText('30% · Genant Grade 2')
  // the arrow keys move along the spine
  await page.keyboard.press('ArrowDown')
  await expect(page.getByRole('button', { name: /^L2, no findings/ })).toBeFocused()
  await expectAccessible(page, 'patient chart with a signed note')
  await signOut(page)
})

test('a note entered in error stays readable and no longer reads signed', async ({ page }) => {
  await signIn(page, DOC)
  await page.goto(chartUrl)
  await page.getByRole('button', { name: 'New consultation' }).click()
  await expect(page.getByRole('textbox', { name: 'Chief complaint' })).toBeFocused()
  await page.getByRole('textbox', { name: 'Chief complaint' }).fill('Opened on the wrong patient')
  await page.getByRole('textbox', { name: 'Chief complaint' }).press('Enter') // Enter in a one-line field saves
  await expect(page.getByText('All changes saved')).toBeVisible()
  await page.getByRole('button', { name: 'Sign note…' }).first().click()
  await confirmSigning(page, 'Sign this note?', DOC.password)
  await expect(page.getByTestId('signed-line')).toBeVisible()

  await page.getByRole('button', { name: 'Mark entered in error…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Mark this note entered in error' })
  await dialog.getByRole('button', { name: 'Mark entered in error' }).click()
  await expect(dialog.getByText('Is required')).toBeVisible()
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Wrong patient')
  await dialog.getByRole('button', { name: 'Mark entered in error' }).click()
  await expect(page.getByRole('status')).toContainText(`Marked entered in error by ${DOC.name}`)
  await expect(page.getByRole('status')).toContainText('Wrong patient')
  await expect(page.getByTestId('signed-line')).toHaveCount(0)
  await expect(page.getByText('Signed', { exact: true })).toHaveCount(0)
  await expect(page.getByText('Opened on the wrong patient')).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'New addendum' })).toHaveCount(0)
  await signOut(page)
})

test('the front desk sees who is due and what to book, but no chart or note', async ({ page }) => {
  await signIn(page, DESK)
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible()
  await page.getByRole('link', { name: 'Due reassessments' }).click()
  await page.getByRole('textbox', { name: 'Due on or before' }).fill(reassessOn)
  await expect(page.getByRole('link', { name: `${PATIENT.last}, ${PATIENT.first}` })).toBeVisible()
  await expectAccessible(page, 'due reassessments')
  await page.getByRole('link', { name: 'Procedure requests' }).click()
  await expect(page.getByRole('heading', { name: 'Procedure requests' })).toBeVisible()
  await expectAccessible(page, 'procedure requests')

  // No way into the chart: no button, and the address leads back to the patient list.
  await page.getByRole('link', { name: 'Due reassessments' }).click()
  await page.getByRole('textbox', { name: 'Due on or before' }).fill(formatTypedDate(reassessOn))
  await page.getByRole('link', { name: `${PATIENT.last}, ${PATIENT.first}` }).click()
  await expect(page.getByRole('heading', { name: `${PATIENT.last}, ${PATIENT.first}` })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Open chart' })).toHaveCount(0)
  await page.goto(chartUrl)
  // The chart address sends the front desk back to its own first screen.
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible()
  await expect(page).not.toHaveURL(chartUrl)
  await expect(page.getByText('CEMENT ALLERGY')).toHaveCount(0)
})

test('the front desk books the due reassessment from its list: the booking form opens with the patient, type and physician', async ({ page }) => {
  await signIn(page, DESK)
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('link', { name: 'Due reassessments' }).click()
  await page.getByRole('textbox', { name: 'Due on or before' }).fill(reassessOn)
  await page.getByRole('button', { name: `Book reassessment for ${PATIENT.last}, ${PATIENT.first}` }).click()
  const dialog = page.getByRole('dialog', { name: 'Book appointment' })
  await expect(dialog.getByLabel('Patient', { exact: true })).toHaveValue(new RegExp(`^${PATIENT.last}, ${PATIENT.first} · `))
  await expect(dialog.getByRole('combobox', { name: 'Appointment type' }).locator('option:checked')).toHaveText(/^Follow-up consultation/)
  await expect(dialog.getByRole('combobox', { name: 'Provider' }).locator('option:checked')).toHaveText(DOC.name)
  await expect(dialog.getByLabel(/^Date\W*$/)).toHaveValue(formatTypedDate(reassessOn))
  // The due day may fall on a weekend: the next free slot from that day is the clinic's to find.
  await dialog.getByRole('button', { name: 'Find next free slot' }).click()
  await expect(dialog.getByLabel('Start time')).toHaveValue(/^\d{2}:\d{2}$/)
  expect(parseTypedDate(await dialog.getByLabel(/^Date\W*$/).inputValue())! >= reassessOn).toBe(true)
  await expectAccessible(page, 'booking form opened from the due reassessments')
  await dialog.getByRole('button', { name: 'Book' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('alert').filter({ hasText: 'Appointment booked' })).toContainText(`${PATIENT.last}, ${PATIENT.first} · Follow-up consultation`)

  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('link', { name: 'Due reassessments' }).click()
  await page.getByRole('textbox', { name: 'Due on or before' }).fill(reassessOn)
  await expect(page.getByRole('button', { name: `Book reassessment for ${PATIENT.last}, ${PATIENT.first}` })).toHaveCount(0)
  await page.getByRole('switch', { name: 'Include those already booked' }).check()
  await expect(page.getByRole('row').filter({ hasText: PATIENT.last })).toContainText(/Booked \(appointment \d+\)/)
  await signOut(page)
})

test('a vertebroplasty decided in a signed note becomes a request the front desk books from the list', async ({ page }) => {
  test.setTimeout(120_000)
  await signIn(page, DOC)
  await page.goto(chartUrl)
  await page.getByRole('button', { name: 'New consultation' }).click()
  await page.getByRole('textbox', { name: 'Chief complaint' }).fill('Pain persists at L1 despite six weeks of bracing')
  await page.getByRole('combobox', { name: 'Decision' }).selectOption('vertebroplasty')
  // typed as the field says: a level, then Enter (signing below needs the level)
  await page.getByRole('combobox', { name: 'Levels to treat' }).fill('L1')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Escape')
  await page.getByRole('textbox', { name: 'Reasons' }).fill('Persistent pain, oedema on MRI.')
  await page.getByRole('textbox', { name: 'Reasons' }).press('Control+s')
  await expect(page.getByText('All changes saved')).toBeVisible()
  await page.getByRole('button', { name: 'Sign note…' }).first().click()
  await confirmSigning(page, 'Sign this note?', DOC.password)
  await expect(page.getByTestId('signed-line')).toContainText(`Signed by ${DOC.name} at `)
  await signOut(page)

  await signIn(page, DESK)
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('link', { name: 'Due reassessments' }).click()
  await page.getByRole('link', { name: 'Procedure requests' }).click()
  await page.getByRole('button', { name: `Book Vertebroplasty for ${PATIENT.last}, ${PATIENT.first}` }).click()
  const dialog = page.getByRole('dialog', { name: 'Book appointment' })
  await expect(dialog.getByLabel('Patient', { exact: true })).toHaveValue(new RegExp(`^${PATIENT.last}, ${PATIENT.first} · `))
  await expect(dialog.getByRole('combobox', { name: 'Appointment type' }).locator('option:checked')).toHaveText('Vertebroplasty (60 min + 120 min observation)')
  await expect(dialog.getByRole('combobox', { name: 'Provider' }).locator('option:checked')).toHaveText(DOC.name)
  await dialog.getByRole('button', { name: 'Find next free slot' }).click()
  await expect(dialog.getByLabel('Start time')).toHaveValue(/^\d{2}:\d{2}$/)
  await expect(dialog.getByTestId('booking-ends')).toContainText('then 120 min in an observation bay')
  await dialog.getByRole('button', { name: 'Book' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('alert').filter({ hasText: 'Appointment booked' })).toContainText(`${PATIENT.last}, ${PATIENT.first} · Vertebroplasty`)

  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('link', { name: 'Due reassessments' }).click()
  await page.getByRole('link', { name: 'Procedure requests' }).click()
  await expect(page.getByRole('button', { name: `Book Vertebroplasty for ${PATIENT.last}, ${PATIENT.first}` })).toHaveCount(0)
  await page.getByRole('radiogroup', { name: 'Show requests' }).getByText('Booked', { exact: true }).click()
  await expect(page.getByRole('row').filter({ hasText: PATIENT.last })).toContainText(/Booked \(appointment \d+\)/)
  await signOut(page)
})

test('the examination and bone-health fields: cause, tenderness and cleft per level, leg neurology, osteoporosis treatment and the FLS referral (issue 17.7)', async ({ page }) => {
  test.setTimeout(120_000)
  await signIn(page, DOC)
  await page.goto(chartUrl)
  await page.getByRole('button', { name: 'New consultation' }).click()
  await page.getByRole('textbox', { name: 'Chief complaint' }).fill('New mid-back pain; history of breast cancer')
  const visitDate = await page.getByRole('textbox', { name: 'Visit date' }).inputValue()

  // an abnormal leg exam needs its description: the save is refused and the field says why
  await page.getByRole('combobox', { name: 'Leg neurology (baseline)' }).selectOption('abnormal')
  await page.getByRole('textbox', { name: 'Chief complaint' }).press('Control+s')
  const details = page.getByRole('textbox', { name: 'Leg neurology findings' })
  await expect(details).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText(/required when the neurological exam is abnormal/i)).toBeVisible()
  await details.fill('Right EHL 4/5, reduced pinprick L5 on the right, reflexes symmetrical')

  await page.getByRole('combobox', { name: 'Osteoporosis treatment' }).selectOption('startedToday')
  await page.getByRole('checkbox', { name: 'Referred to the fracture liaison service' }).check()
  await page.getByRole('textbox', { name: 'Fracture liaison referral date' }).fill(visitDate)

  await page.getByRole('button', { name: 'Add finding' }).click()
  const finding = page.getByRole('group', { name: /^Imaging finding 1/ })
  await finding.getByRole('combobox', { name: 'Level' }).selectOption('T12')
  await finding.getByRole('combobox', { name: 'Imaging', exact: true }).selectOption('mri')
  await finding.getByRole('combobox', { name: /^Acuity/ }).selectOption('acute')
  await finding.getByRole('combobox', { name: 'Fracture cause' }).selectOption('tumour')
  await finding.getByRole('combobox', { name: 'Tender on palpation' }).selectOption('yes')
  await finding.getByRole('combobox', { name: 'Intravertebral cleft' }).selectOption('yes')
  await expectAccessible(page, 'consultation note with the examination fields')
  await details.press('Control+s')
  await expect(page.getByText('All changes saved')).toBeVisible()

  await page.getByRole('button', { name: 'Sign note…' }).first().click()
  await confirmSigning(page, 'Sign this note?', DOC.password)
  await expect(page.getByTestId('signed-line')).toContainText(`Signed by ${DOC.name} at `)
  // the signed note reads them back
  await expect(page.getByText('Abnormal: Right EHL 4/5, reduced pinprick L5 on the right, reflexes symmetrical')).toBeVisible()
  await expect(page.getByText('Started today', { exact: true })).toBeVisible()
  await expect(page.getByText(/^referred on /)).toBeVisible()
  const table = page.getByRole('table', { name: 'Imaging findings' })
  await expect(table.getByRole('cell', { name: 'Tumour', exact: true })).toBeVisible()
  await expect(table).toContainText('tender; intravertebral cleft')

  // the chart's spine names the tumour at T12, and its findings table shows it first
  await page.getByRole('link', { name: /^← Chart of/ }).click()
  const t12 = page.getByRole('button', { name: /^T12, 1 finding, latest acute, .*caused by a tumour/ })
  await t12.focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('table', { name: 'Findings at T12' })).toContainText('Tumour; tender; intravertebral cleft')
  await signOut(page)
})
