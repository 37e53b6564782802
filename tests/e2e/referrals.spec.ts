/**
 * Issue 19 points 1 and 2 as the front desk works them: adds a referrer to the directory (and is warned when adding
 * them a second time), records a referral for a patient from the patient page, triages it urgent on the Referrals
 * list, books the consultation from the list (the booking form comes back to the list, which no longer shows it),
 * and the patient page shows the referral with its referrer and the booked consultation. The spec makes its own
 * users and patient (names unique to the run), so it needs no other spec.
 */
import { ADMIN } from './env'
import { addUser, expect, expectAccessible, signIn, signOut, test, uniqueUser } from './fixtures'
import { registerPatient } from './patientSteps'

test.describe.configure({ mode: 'serial', timeout: 240_000 })

const DOC = uniqueUser('physician', 'Dr. Lena Vogt')
const DESK = uniqueUser('frontDesk', 'Sam Desk')
const tag = DOC.username.slice(-5)
const PATIENT = { first: 'Referred', last: `Rasmussen-${tag}` }
const NAME = `${PATIENT.last}, ${PATIENT.first}`
const digits = String(Date.now()).slice(-7)
const REFERRER = { name: `Dr. Émile Durand ${tag}`, practice: 'Hôpital Saint-Luc', phone: `(555) ${digits.slice(0, 3)}-${digits.slice(3)}` }

test('the front desk records a referral, triages it urgent and books the consultation from the Referrals list', async ({ page }) => {
  await addUser(page, ADMIN, DOC)
  await addUser(page, ADMIN, DESK)
  await signIn(page, DESK)
  await expect(page.getByTestId('signed-in-user')).toContainText(DESK.name)
  const patient = await registerPatient(page, { firstName: PATIENT.first, lastName: PATIENT.last, dateOfBirth: '1944-03-08', sex: 'female', phone: '(555) 010-6612' })

  // 1. the referrer goes into the directory
  const nav = page.getByRole('navigation', { name: 'Main' })
  await nav.getByRole('link', { name: 'Referrers', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Referrers', level: 2 })).toBeVisible()
  await page.getByRole('button', { name: 'Add referrer' }).click()
  let form = page.getByRole('dialog', { name: 'Add referrer' })
  await form.getByRole('button', { name: 'Add referrer' }).click()
  await expect(form.getByText('Is required')).toBeVisible() // no name: refused under the field
  await form.getByRole('textbox', { name: 'Name' }).fill(REFERRER.name)
  await form.getByRole('textbox', { name: 'Specialty' }).fill('Orthopaedic surgery')
  await form.getByRole('textbox', { name: 'Practice' }).fill(REFERRER.practice)
  await form.getByRole('textbox', { name: 'Referrer phone' }).fill(REFERRER.phone)
  await form.getByRole('combobox', { name: 'Letters by' }).selectOption({ label: 'Fax' })
  await form.getByRole('button', { name: 'Add referrer' }).click()
  await expect(form).toBeHidden()
  // found as the patient search finds: without accents, in any case
  await page.getByRole('textbox', { name: 'Search referrers' }).fill(`emile DURAND ${tag}`)
  const directory = page.getByRole('table', { name: 'Referrers' })
  await expect(directory.getByRole('row')).toHaveCount(2)
  await expect(directory).toContainText(REFERRER.practice)
  await expect(directory).toContainText('Fax')

  // adding them again (another spelling, the same practice) warns with the existing one; nothing is added
  await page.getByRole('button', { name: 'Add referrer' }).click()
  form = page.getByRole('dialog', { name: 'Add referrer' })
  await form.getByRole('textbox', { name: 'Name' }).fill(`emile durand ${tag}, MD`)
  await form.getByRole('textbox', { name: 'Practice' }).fill('Hopital Saint Luc')
  await form.getByRole('button', { name: 'Add referrer' }).click()
  const warning = form.getByRole('alert').filter({ hasText: 'This referrer may already be in the directory' })
  await expect(warning).toContainText('same name and practice')
  await expect(form.getByRole('button', { name: 'Add anyway' })).toBeDisabled()
  await expectAccessible(page, 'the duplicate referrer warning')
  await form.getByRole('button', { name: 'Cancel' }).click()
  await expect(directory.getByRole('row')).toHaveCount(2)
  await expectAccessible(page, 'the Referrers screen')

  // 2. the referral, recorded on the patient page
  await page.goto(`/#/patients/${patient.id}`)
  const section = page.getByTestId('patient-referrals')
  await expect(section.getByText('No referral recorded.')).toBeVisible()
  await section.getByRole('button', { name: 'Add referral' }).click()
  await section.getByRole('button', { name: 'Record referral' }).click()
  await expect(section.getByText('Is required').first()).toBeVisible() // no reason, no referrer: refused, nothing saved
  await section.getByRole('combobox', { name: 'Referrer', exact: true }).fill(`durand ${tag}`)
  await page.getByRole('option', { name: new RegExp(`Durand ${tag}`) }).click()
  await section.getByRole('textbox', { name: 'Reason for referral' }).fill('L1 compression fracture after a fall, severe pain despite opioids')
  await section.getByRole('button', { name: 'Record referral' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'Referral recorded' })).toBeVisible()
  await expect(section).toContainText(`from ${REFERRER.name}, ${REFERRER.practice}`)
  await expect(section).toContainText('Not triaged')
  // the header's "Referred by" is the referral's referrer from the directory now, not the registration's text
  await expect(page.getByTestId('referred-by')).toContainText(`Referred by${REFERRER.name}, ${REFERRER.practice}received `)
  await expectAccessible(page, 'the patient page with a referral')

  // 3. triaged urgent on the Referrals list
  await nav.getByRole('link', { name: 'Referrals', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Referrals', level: 2 })).toBeVisible()
  const row = page.getByRole('row').filter({ hasText: NAME })
  await expect(row).toContainText(REFERRER.name)
  await expect(row).toContainText('0 days')
  await row.getByRole('combobox', { name: `Urgency of ${NAME}'s referral` }).selectOption({ label: 'Urgent (within days)' })
  await expect(page.getByRole('alert').filter({ hasText: 'Referral triaged' })).toBeVisible()
  await expect(row.getByRole('combobox', { name: `Urgency of ${NAME}'s referral` })).toHaveValue('urgent')
  await expectAccessible(page, 'the Referrals list')

  // 4. the consultation, booked from the list; the form comes back to the list, which no longer shows the referral
  await row.getByRole('button', { name: `Book consultation for ${NAME}` }).click()
  const booking = page.getByRole('dialog', { name: 'Book appointment' })
  await expect(booking.getByLabel('Appointment type')).toHaveValue(/.+/)
  await booking.getByRole('combobox', { name: 'Provider' }).selectOption({ label: DOC.name })
  await booking.getByRole('button', { name: 'Find next free slot' }).click()
  await expect(booking.getByLabel('Start time')).toHaveValue(/^\d{2}:\d{2}$/)
  await booking.getByRole('button', { name: 'Book', exact: true }).click()
  await expect(booking).toBeHidden()
  await expect(page.getByRole('alert').filter({ hasText: 'Appointment booked' })).toContainText(NAME)
  await expect(page.getByRole('heading', { name: 'Referrals', level: 2 })).toBeVisible()
  await expect(page.getByRole('row').filter({ hasText: NAME })).toHaveCount(0)

  // 5. the patient page: the referral with its referrer and the booked consultation
  await page.goto(`/#/patients/${patient.id}`)
  await expect(section).toContainText(`from ${REFERRER.name}, ${REFERRER.practice}`)
  await expect(section).toContainText('Urgent (within days)')
  await expect(section).toContainText('Consultation booked')
  await expect(section).toContainText(/Consultation: New patient consultation on /)
  await signOut(page)
})
