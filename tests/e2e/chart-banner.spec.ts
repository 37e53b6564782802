/**
 * The chart's banner tells what the signed notes say (issue 23 point 3): a physician records osteoporosis,
 * long-term steroids and a contrast allergy in a consultation note and signs it; the banner then reads
 * "Osteoporosis: yes (consultation of ...)" where the history said "not known", and raises the contrast allergy
 * alert naming the note. When the physician then sets the history to disagree, the banner shows both.
 * The spec makes its own users and patient, so it needs no other spec.
 */
import { ADMIN } from './env'
import { addUser, confirmSigning, expect, expectAccessible, signIn, signOut, test, uniqueUser } from './fixtures'

test.describe.configure({ mode: 'serial' })

const DOC = uniqueUser('physician', 'Dr. Lena Brandt')
const PATIENT = { first: 'Agnieszka', last: `Zielińska-${DOC.username.slice(-5)}` }

test('a signed note fills the banner where the history says not known, and a disagreeing history shows beside it', async ({ page }) => {
  test.setTimeout(180_000)
  await addUser(page, ADMIN, DOC)
  await signIn(page, DOC)
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('button', { name: 'Register patient' }).click()
  await page.getByLabel('First name').fill(PATIENT.first)
  await page.getByLabel('Last name').fill(PATIENT.last)
  await page.getByLabel('Date of birth').fill('1946-02-09')
  await page.getByRole('combobox', { name: 'Sex' }).click()
  await page.getByRole('option', { name: 'Female' }).click()
  await page.getByRole('button', { name: 'Register', exact: true }).click()
  await expect(page.getByRole('heading', { name: `${PATIENT.last}, ${PATIENT.first}` })).toBeVisible()
  await page.getByRole('button', { name: 'Open chart' }).click()
  const banner = page.getByRole('region', { name: 'Patient summary' })
  await expect(banner).toContainText('Osteoporosis: not known')
  await expect(banner).toContainText('Steroids: not known')
  await expect(banner.getByRole('list', { name: 'Alerts' })).toHaveCount(0)

  // The consultation records what the history does not know, and a contrast allergy on the checklist.
  await page.getByRole('button', { name: 'New consultation' }).click()
  await page.getByRole('textbox', { name: 'Chief complaint' }).fill('Thoracolumbar pain after a fall at home')
  await page.getByRole('radiogroup', { name: 'Osteoporosis' }).getByRole('radio', { name: 'Yes' }).check()
  await page.getByRole('radiogroup', { name: 'Long-term steroid use' }).getByRole('radio', { name: 'Yes' }).check()
  await page.getByRole('combobox', { name: 'Decision' }).selectOption('continueConservative')
  await page.getByRole('checkbox', { name: 'Contrast allergy' }).check()
  await page.getByRole('textbox', { name: 'Reasons' }).fill('First week; analgesia and a brace first.')
  await page.getByRole('textbox', { name: 'Reasons' }).press('Control+s')
  await expect(page.getByText('All changes saved')).toBeVisible()

  // A draft says nothing on the banner yet.
  await page.getByRole('link', { name: /^← Chart of/ }).click()
  await expect(banner).toContainText('Osteoporosis: not known')

  await page.getByRole('link', { name: /^Consultation with / }).first().click()
  await page.getByRole('button', { name: 'Sign note…' }).first().click()
  await confirmSigning(page, 'Sign this note?', DOC.password)
  await expect(page.getByTestId('signed-line')).toContainText(`Signed by ${DOC.name} at `)

  // Signed: the banner reads the note's answers with their source, and the allergy alert names the note.
  await page.getByRole('link', { name: /^← Chart of/ }).click()
  await expect(banner).toContainText(/Osteoporosis: yes \(consultation of [^)]+\)/)
  await expect(banner).toContainText(/Steroids: yes \(consultation of [^)]+\)/)
  const alert = banner.getByRole('listitem').filter({ hasText: 'CONTRAST ALLERGY' })
  await expect(alert).toContainText(/Recorded in the signed consultation of /)
  await expect(banner).toContainText('Allergies: see alerts')
  await expectAccessible(page, 'patient chart with the banner read from a signed note')

  // The physician sets the history to "no": the history is the record, and the note that says yes stays beside it.
  await page.getByRole('button', { name: 'Edit clinical history' }).click()
  const history = page.getByRole('dialog', { name: 'Clinical history' })
  await history.getByRole('radiogroup', { name: 'Osteoporosis' }).getByRole('radio', { name: 'No', exact: true }).check()
  await history.getByRole('button', { name: 'Save history' }).click()
  await expect(history).toBeHidden()
  await expect(banner).toContainText(/Osteoporosis: no \(patient history\); yes \(consultation of [^)]+\)/)
  await expectAccessible(page, 'patient chart with a history that disagrees with a signed note')
  await signOut(page)
})
