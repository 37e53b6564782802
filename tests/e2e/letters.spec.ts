/**
 * Issue 19 point 4 as the clinic works it: a patient referred by a referrer in the directory (letters by fax) sees the
 * physician, who signs the consultation note; the letter to the referrer is then due on the Letters list and on the
 * chart; the physician produces it (signed with their password); the front desk marks it sent by fax, and it has
 * left the due list and the list of letters to send; the front desk then records the patient's primary care physician
 * on the patient form, and a second letter, to them, is due. The spec makes its own users, patient and referrer (names unique
 * to the run), so it needs no other spec.
 */
import { ADMIN } from './env'
import { addUser, callChannel, confirmSigning, expect, expectAccessible, signIn, signOut, test, uniqueUser } from './fixtures'
import { saveSettings } from './settingsSteps'
import { registerPatient } from './patientSteps'

test.describe.configure({ mode: 'serial', timeout: 240_000 })

const DOC = uniqueUser('physician', 'Dr. Inès Morel')
const DESK = uniqueUser('frontDesk', 'Kim Desk')
const tag = DOC.username.slice(-5)
const PATIENT = { first: 'Lettre', last: `Østergaard-${tag}` }
const NAME = `${PATIENT.last}, ${PATIENT.first}`
const REFERRER = `Dr. Émile Durand ${tag}`
const PCP = `Dr. Anaïs Lefèvre ${tag}`

test('a signed consultation makes the letter to the referrer due; produced by the physician, marked sent by fax', async ({ page }) => {
  await addUser(page, ADMIN, DOC)
  await addUser(page, ADMIN, DESK)

  // the scene, as the front desk records it: the patient, the referrer (letters by fax) and the referral
  await signIn(page, DESK)
  await expect(page.getByTestId('signed-in-user')).toContainText(DESK.name)
  const patient = await registerPatient(page, { firstName: PATIENT.first, lastName: PATIENT.last, dateOfBirth: '1939-04-02', sex: 'female', phone: '(555) 010-7734' })
  const referrer = await callChannel<{ id: number }>(page, 'referrers.add', { name: REFERRER, practice: 'Hôpital Saint-Luc', fax: '(555) 010-8800', letterDelivery: 'fax', confirmDuplicate: true })
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
  await callChannel(page, 'referrals.add', { patientId: patient.id, receivedOn: today, referrerId: referrer.id, referrerText: '', reason: 'L1 fracture, severe pain' })
  await signOut(page)

  // the physician signs the consultation note
  await signIn(page, DOC)
  await page.goto(`/#/chart/${patient.id}`)
  await page.getByRole('button', { name: 'New consultation' }).click()
  await expect(page.getByRole('textbox', { name: 'Chief complaint' })).toBeFocused()
  await page.getByRole('textbox', { name: 'Chief complaint' }).fill('Back pain since a fall')
  await page.getByRole('textbox', { name: 'Chief complaint' }).press('Enter')
  await expect(page.getByText('All changes saved')).toBeVisible()
  await page.getByRole('button', { name: 'Sign note…' }).first().click()
  await confirmSigning(page, 'Sign this note?', DOC.password)
  await expect(page.getByTestId('signed-line')).toBeVisible()

  // the letter is due on the chart ...
  await page.goto(`/#/chart/${patient.id}`)
  const onChart = page.getByTestId('patient-letters')
  await expect(onChart.getByRole('table', { name: 'Letters due for this patient' })).toContainText(REFERRER)
  await expect(onChart.getByRole('table', { name: 'Letters due for this patient' })).toContainText('Consultation of')

  // ... and on the Letters list
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Letters', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Letters', level: 2 })).toBeVisible()
  const due = page.getByRole('table', { name: 'Letters due', exact: true })
  const dueRow = due.getByRole('row').filter({ hasText: NAME })
  await expect(dueRow).toHaveCount(1)
  await expect(dueRow).toContainText(`${REFERRER}, Hôpital Saint-Luc (Fax)`)
  await expectAccessible(page, 'the Letters list with a letter due')

  // the physician produces it: credentials, then signed with the password asked again
  await dueRow.getByRole('button', { name: `Produce the letter about ${NAME} to ${REFERRER}, Hôpital Saint-Luc` }).click()
  const produce = page.getByRole('dialog', { name: 'Produce the letter to the referrer' })
  await produce.getByRole('textbox', { name: 'Your credentials (printed under your name)' }).fill('MD, FRCPC')
  await expectAccessible(page, 'the dialog producing a letter')
  // the draft, read in the dialog before signing
  await produce.getByRole('button', { name: 'Read the draft' }).click()
  const draft = produce.locator('iframe[title^="Draft letter letter-"]')
  await expect(draft).toBeVisible()
  await produce.getByRole('button', { name: 'Close the draft' }).click()
  await expect(draft).toHaveCount(0)
  await produce.getByLabel('Your password').fill('not-my-password')
  await produce.getByRole('button', { name: 'Sign and produce letter' }).click()
  await expect(produce.getByText('The password is wrong.')).toBeVisible()
  await produce.getByLabel('Your password').fill(DOC.password)
  await produce.getByRole('button', { name: 'Sign and produce letter' }).click()
  await expect(produce).toBeHidden()
  await expect(due.getByRole('row').filter({ hasText: NAME })).toHaveCount(0)
  const unsent = page.getByRole('table', { name: 'Letters not sent yet' })
  await expect(unsent.getByRole('row').filter({ hasText: NAME })).toContainText(REFERRER)

  // the chart has it, not sent yet
  await page.goto(`/#/chart/${patient.id}`)
  const produced = onChart.getByRole('table', { name: 'Letters produced' })
  await expect(produced.getByRole('row').filter({ hasText: REFERRER })).toContainText('Not sent yet')
  await expect(produced).toContainText('MD, FRCPC')
  await signOut(page)

  // the front desk faxes it and marks it sent
  await signIn(page, DESK)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Letters', exact: true }).click()
  const row = page.getByRole('table', { name: 'Letters not sent yet' }).getByRole('row').filter({ hasText: NAME })
  const download = page.waitForEvent('download')
  await row.getByRole('button', { name: `Download the letter about ${NAME} to ${REFERRER}` }).click()
  expect((await download).suggestedFilename()).toMatch(/^letter-.+-consultation-\d{4}-\d{2}-\d{2}\.pdf$/)
  await row.getByRole('button', { name: `Mark sent: the letter about ${NAME} to ${REFERRER}` }).click()
  const mark = page.getByRole('dialog', { name: 'Mark the letter sent' })
  await expect(mark.getByRole('combobox', { name: 'Sent by' })).toHaveValue('fax')
  await expect(mark).toContainText('To: (555) 010-8800')
  await mark.getByRole('combobox', { name: 'Sent by' }).selectOption({ label: 'Fax' })
  await mark.getByRole('button', { name: 'Mark sent' }).click()
  await expect(mark).toBeHidden()
  await expect(page.getByRole('alert').filter({ hasText: 'Letter marked sent' })).toBeVisible()
  await expect(page.getByRole('table', { name: 'Letters not sent yet' }).getByRole('row').filter({ hasText: NAME })).toHaveCount(0)
  await expect(page.getByRole('table', { name: 'Letters due', exact: true }).getByRole('row').filter({ hasText: NAME })).toHaveCount(0)
  const letters = await callChannel<{ letters: { sentMethod: string; sentAt: string | null }[] }>(page, 'letters.forPatient', { patientId: patient.id })
  expect(letters.letters.map((l) => l.sentMethod)).toEqual(['fax'])
  await expectAccessible(page, 'the Letters list after sending')
  await signOut(page)

  // the physician finds it sent on the chart; marked entered in error it stays there, and the note is due again
  await signIn(page, DOC)
  await page.goto(`/#/chart/${patient.id}`)
  const sentRow = onChart.getByRole('table', { name: 'Letters produced' }).getByRole('row').filter({ hasText: REFERRER })
  await expect(sentRow).toContainText('Sent (Fax)')
  await sentRow.getByRole('button', { name: `Mark entered in error: the letter about ${NAME} to ${REFERRER}` }).click()
  const eie = page.getByRole('dialog', { name: 'Mark the letter entered in error' })
  await eie.getByRole('textbox', { name: 'Reason' }).fill('Sent before the addendum')
  await eie.getByRole('button', { name: 'Mark entered in error' }).click()
  await expect(eie).toBeHidden()
  await expect(sentRow).toContainText('Entered in error')
  await expect(sentRow).toContainText('Sent before the addendum')
  await expect(onChart.getByRole('table', { name: 'Letters due for this patient' })).toContainText(REFERRER)
  await signOut(page)

  // the front desk records the patient's primary care physician on the patient form: a second letter is due, to them
  await signIn(page, DESK)
  await expect(page.getByTestId('signed-in-user')).toContainText(DESK.name)
  await callChannel(page, 'referrers.add', { name: PCP, practice: 'Clinique du Parc', letterDelivery: 'post', confirmDuplicate: true })
  await page.goto(`/#/patients/${patient.id}`)
  await page.getByRole('button', { name: 'Edit' }).click()
  await page.getByRole('combobox', { name: 'Primary care physician', exact: true }).fill(`Lefèvre ${tag}`)
  await page.getByRole('option', { name: new RegExp(`Lefèvre ${tag}`) }).click()
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'Saved' })).toBeVisible()
  await expect(page.getByText(`${PCP}, Clinique du Parc`)).toBeVisible()
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Letters', exact: true }).click()
  const pcpRow = page.getByRole('table', { name: 'Letters due', exact: true }).getByRole('row').filter({ hasText: PCP })
  await expect(pcpRow).toHaveCount(1)
  await expect(pcpRow).toContainText(NAME)
  await expect(pcpRow).toContainText('Primary care physician')
  await signOut(page)
})

test('the administrator edits the letterhead; a template naming an unknown placeholder is refused, naming it', async ({ page }) => {
  await signIn(page, ADMIN)
  await page.getByRole('link', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'Letters' }).click()
  const template = page.getByRole('textbox', { name: 'Letter after a procedure' })
  await expect(template).toHaveValue(/\{\{levels\}\}/)
  // the placeholders are listed beside the text
  await expect(page.getByText('{{outcome}}', { exact: true })).toBeVisible()
  await expectAccessible(page, 'settings: letters')
  await template.fill('Dear {{recipient.name}},\nLevels: {{levls}}')
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByText(/has \{\{levls\}\}, which is not a placeholder of the procedure letter/i)).toBeVisible()
  await expect(page.getByRole('tab', { name: 'Letters (to check)' })).toBeVisible()
  await page.getByRole('button', { name: 'Use the built-in procedure letter' }).click()
  await page.getByRole('textbox', { name: 'Letterhead' }).fill(`1 Riverside Drive, Springfield\nFax (555) 010-0000 ${tag}`)
  await saveSettings(page)
  await signOut(page)
})
