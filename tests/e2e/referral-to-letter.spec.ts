/**
 * Issue 19's journey end to end, as the clinic works it: the front desk records a referral on the patient page and
 * drops the referrer's PDF letter onto it from the Referrals list, triages it urgent and books the consultation
 * from the list; the physician opens the letter in the viewer, signs the consultation, and the letter to the
 * referrer is due on the Letters list and on the chart; an X-ray attached on the chart belongs to that consultation. The parts are each tested more closely in referrals.spec,
 * documents.spec and letters.spec; this spec shows they make one working day. It makes its own users and patient.
 */
import { makePdf, PNG_1X1 } from '../fixtures/documentFiles'
import { dropFile } from './documentSteps'
import { ADMIN } from './env'
import { addUser, callChannel, confirmSigning, expect, signIn, signOut, test, uniqueUser } from './fixtures'
import { registerPatient } from './patientSteps'

test.describe.configure({ mode: 'serial', timeout: 240_000 })

const DOC = uniqueUser('physician', 'Dr. Hanna Lindqvist')
const DESK = uniqueUser('frontDesk', 'Robin Desk')
const tag = DOC.username.slice(-5)
const PATIENT = { first: 'Journey', last: `Kowalczyk-${tag}` }
const NAME = `${PATIENT.last}, ${PATIENT.first}`
const REFERRER = `Dr. Amara Okafor ${tag}`

test('a referral with its letter dropped on it, triaged urgent and booked; the physician reads the letter, signs, and the letter back is due', async ({ page }) => {
  await addUser(page, ADMIN, DOC)
  await addUser(page, ADMIN, DESK)

  // the front desk: the patient and the referrer are known; the referral is recorded on the patient page
  await signIn(page, DESK)
  await expect(page.getByTestId('signed-in-user')).toContainText(DESK.name)
  const patient = await registerPatient(page, { firstName: PATIENT.first, lastName: PATIENT.last, dateOfBirth: '1938-09-14', sex: 'female', phone: '(555) 010-7790' })
  await callChannel(page, 'referrers.add', { name: REFERRER, practice: 'Northside Family Practice', fax: '(555) 010-8890', letterDelivery: 'fax', confirmDuplicate: true })
  await page.goto(`/#/patients/${patient.id}`)
  const referrals = page.getByTestId('patient-referrals')
  await referrals.getByRole('button', { name: 'Add referral' }).click()
  await referrals.getByRole('combobox', { name: 'Referrer', exact: true }).fill(`okafor ${tag}`)
  await page.getByRole('option', { name: new RegExp(`Okafor ${tag}`) }).click()
  await referrals.getByRole('textbox', { name: 'Reason for referral' }).fill('T12 compression fracture, severe pain for two weeks')
  await referrals.getByRole('button', { name: 'Record referral' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'Referral recorded' })).toBeVisible()

  // the referrer's letter, dropped onto the referral from the Referrals list
  const nav = page.getByRole('navigation', { name: 'Main' })
  await nav.getByRole('link', { name: 'Referrals', exact: true }).click()
  await page.getByRole('button', { name: `Letter and documents of ${NAME}'s referral` }).click()
  const docs = page.getByRole('dialog', { name: new RegExp(`referral of .* from ${REFERRER.replace('.', '\\.')}`) })
  const letter = await makePdf([['Dear colleague,', 'Please see Mrs Kowalczyk: T12 compression fracture, severe pain.', 'Yours, Dr. Okafor']])
  await dropFile(page, 'document-drop', { name: 'okafor-referral.pdf', mimeType: 'application/pdf', buffer: letter })
  const form = docs.getByRole('group', { name: 'Attach okafor-referral.pdf' })
  await expect(form.getByRole('combobox', { name: 'Kind' })).toHaveValue('referralLetter')
  await form.getByRole('button', { name: 'Attach' }).click()
  await expect(docs.getByRole('table', { name: 'Documents, newest first' })).toContainText('okafor-referral.pdf')
  await page.keyboard.press('Escape')
  await expect(docs).toBeHidden()

  // triaged urgent, then the consultation booked from the list
  const row = page.getByRole('row').filter({ hasText: NAME })
  await row.getByRole('combobox', { name: `Urgency of ${NAME}'s referral` }).selectOption({ label: 'Urgent (within days)' })
  await expect(page.getByRole('alert').filter({ hasText: 'Referral triaged' })).toBeVisible()
  await row.getByRole('button', { name: `Book consultation for ${NAME}` }).click()
  const booking = page.getByRole('dialog', { name: 'Book appointment' })
  await booking.getByRole('combobox', { name: 'Provider' }).selectOption({ label: DOC.name })
  await booking.getByRole('button', { name: 'Find next free slot' }).click()
  await expect(booking.getByLabel('Start time')).toHaveValue(/^\d{2}:\d{2}$/)
  await booking.getByRole('button', { name: 'Book', exact: true }).click()
  await expect(booking).toBeHidden()
  await expect(page.getByRole('alert').filter({ hasText: 'Appointment booked' })).toContainText(NAME)
  await expect(page.getByRole('row').filter({ hasText: NAME })).toHaveCount(0)
  await signOut(page)

  // the physician reads the letter in the viewer
  await signIn(page, DOC)
  await expect(page.getByTestId('signed-in-user')).toContainText(DOC.name)
  await page.goto(`/#/chart/${patient.id}`)
  await page.getByTestId('documents-section').getByRole('button', { name: 'okafor-referral', exact: true }).click()
  const viewer = page.getByRole('dialog', { name: 'Referral letter: okafor-referral' })
  await expect(viewer.getByTestId('pdf-page-1-text')).toContainText('T12 compression fracture, severe pain', { timeout: 30_000 })
  await page.keyboard.press('Escape')
  await expect(viewer).toBeHidden()

  // signs the consultation
  await page.getByRole('button', { name: 'New consultation' }).click()
  await expect(page.getByRole('textbox', { name: 'Chief complaint' })).toBeFocused()
  await page.getByRole('textbox', { name: 'Chief complaint' }).fill('Mid-back pain since lifting a suitcase')
  await page.getByRole('textbox', { name: 'Chief complaint' }).press('Enter')
  await expect(page.getByText('All changes saved')).toBeVisible()
  await page.getByRole('button', { name: 'Sign note…' }).first().click()
  await confirmSigning(page, 'Sign this note?', DOC.password)
  await expect(page.getByTestId('signed-line')).toBeVisible()

  // the lateral X-ray she brought, attached on the chart to that consultation
  await page.goto(`/#/chart/${patient.id}`)
  const chartDocs = page.getByTestId('documents-section')
  await chartDocs.getByLabel('File to attach').setInputFiles({ name: 'lateral.png', mimeType: 'image/png', buffer: PNG_1X1 })
  const attach = chartDocs.getByRole('group', { name: 'Attach lateral.png' })
  await attach.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Imaging report' })
  await attach.getByRole('combobox', { name: 'About the record' }).selectOption({ index: 1 })
  await expect(attach.getByRole('combobox', { name: 'About the record' })).toHaveValue(/^consultation:\d+$/)
  const consultationId = Number((await attach.getByRole('combobox', { name: 'About the record' }).inputValue()).split(':')[1])
  await attach.getByRole('button', { name: 'Attach' }).click()
  await expect(attach).toBeHidden()
  const attached = await callChannel<{ documents: { fileName: string; consultationId: number | null; referralId: number | null }[] }>(page, 'documents.forPatient', { patientId: patient.id })
  expect(attached.documents.map((d) => [d.fileName, d.consultationId, d.referralId !== null])).toEqual(
    expect.arrayContaining([
      ['lateral.png', consultationId, false],
      ['okafor-referral.pdf', null, true],
    ]),
  )

  // the letter back to the referrer: due on the chart and on the Letters list
  await expect(page.getByTestId('patient-letters').getByRole('table', { name: 'Letters due for this patient' })).toContainText(REFERRER)
  await nav.getByRole('link', { name: 'Letters', exact: true }).click()
  const due = page.getByRole('table', { name: 'Letters due', exact: true }).getByRole('row').filter({ hasText: NAME })
  await expect(due).toContainText(`${REFERRER}, Northside Family Practice (Fax)`)
  await signOut(page)
})
