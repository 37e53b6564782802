/**
 * Nothing typed is lost: a physician types into a consultation note without saving; the idle lock fires, a
 * reload comes, she leaves for another screen or jumps to a patient with Ctrl+K. Each time the text is there
 * when she comes back (after her password where the screen locked), with a note that it was restored, until
 * she saves it or discards it. Leaving a form with unsaved text asks first.
 * The spec makes its own physician and patient (names unique to the run), so it needs no other spec.
 */
import type { Page } from '@playwright/test'
import { ADMIN } from './env'
import { addUser, expect, expectAccessible, signIn, signOut, test, uniqueUser } from './fixtures'

test.describe.configure({ mode: 'serial' })

const DOC = uniqueUser('physician', 'Dr. Ines Okonkwo')
const PATIENT = { first: 'Bożena', last: `Kowalczyk-${DOC.username.slice(-5)}` }
let noteUrl = ''

const complaint = (page: Page) => page.getByRole('textbox', { name: 'Chief complaint' })
const examination = (page: Page) => page.getByRole('textbox', { name: 'Examination' })

async function unlock(page: Page) {
  await expect(page.getByRole('heading', { name: 'Screen locked' })).toBeVisible()
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(DOC.password)
  await page.getByRole('button', { name: 'Unlock' }).click()
}

test('the idle lock fires while a note has unsaved text: after the password the text is there', async ({ page }) => {
  test.setTimeout(180_000)
  await addUser(page, ADMIN, DOC)
  await signIn(page, DOC)

  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('button', { name: 'Register patient' }).click()
  await page.getByLabel('First name').fill(PATIENT.first)
  await page.getByLabel('Last name').fill(PATIENT.last)
  await page.getByLabel('Date of birth').fill('1939-11-02')
  await page.getByRole('combobox', { name: 'Sex' }).click()
  await page.getByRole('option', { name: 'Female' }).click()
  await page.getByRole('button', { name: 'Register', exact: true }).click()
  await page.getByRole('button', { name: 'Open chart' }).click()
  await page.getByRole('button', { name: 'New consultation' }).click()
  await expect(page).toHaveURL(/#\/consultations\/\d+$/)
  noteUrl = page.url()
  await expect(complaint(page)).toBeFocused()
  // The page's clock is Playwright's from here, so the ten idle minutes pass at once (the clinic's setting
  // stays as it is for every other spec).
  await page.clock.install()

  // Typed, not saved, and the screen locks at once: the save fired as the lock begins is what keeps it.
  await complaint(page).pressSequentially('Fell from a chair on Sunday; sharp pain at the thoracolumbar junction')
  await expect(page.getByText('Unsaved changes')).toBeVisible()
  await page.clock.fastForward('10:30')
  await expect(page.getByRole('heading', { name: 'Screen locked' })).toBeVisible()
  await expect(complaint(page)).toHaveCount(0)

  await unlock(page)
  await expect(complaint(page)).toHaveValue('Fell from a chair on Sunday; sharp pain at the thoracolumbar junction')
  const restored = page.getByTestId('draft-restored')
  await expect(restored).toContainText(/Restored your unsaved draft from .+\d/)
  await expect(page.getByText('Unsaved changes')).toBeVisible()
  await expectAccessible(page, 'consultation note with a restored draft')

  // Saved into the note: the draft and its notice go.
  await complaint(page).press('Control+s')
  await expect(page.getByText('All changes saved')).toBeVisible()
  await expect(restored).toHaveCount(0)
})

test('a reload keeps the physician signed in to a locked screen, and the text typed before it', async ({ page }) => {
  test.setTimeout(180_000)
  await signIn(page, DOC)
  await page.goto(noteUrl)
  // (the first note a page opens loads the note screen's code too: slow on a busy machine)
  await expect(complaint(page)).toHaveValue('Fell from a chair on Sunday; sharp pain at the thoracolumbar junction', { timeout: 30_000 })
  await expect(page.getByTestId('draft-restored')).toHaveCount(0) // saved last time: nothing to restore

  await examination(page).fill('Tender over T12 and L1; legs neurologically intact')
  await page.reload()
  // Not the sign-in screen: the same user, who enters her password.
  await expect(page.getByRole('heading', { name: 'Screen locked' })).toBeVisible()
  await expect(page.getByText(`Signed in as ${DOC.name}`)).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Sign in' })).toHaveCount(0)
  await expectAccessible(page, 'lock screen after a reload')

  await unlock(page)
  await expect(examination(page)).toHaveValue('Tender over T12 and L1; legs neurologically intact', { timeout: 30_000 })
  await expect(complaint(page)).toHaveValue('Fell from a chair on Sunday; sharp pain at the thoracolumbar junction')
  await expect(page.getByTestId('draft-restored')).toContainText('Restored your unsaved draft from')
})

test('leaving a note with unsaved text asks first: stay, leave and keep the draft, or discard it', async ({ page }) => {
  test.setTimeout(240_000)
  await signIn(page, DOC)
  await page.goto(noteUrl)
  // last test's unsaved examination is still there, kept as her draft
  await expect(examination(page)).toHaveValue('Tender over T12 and L1; legs neurologically intact', { timeout: 30_000 })

  // The chart link: asked, and Stay keeps everything as it is.
  await page.getByRole('link', { name: /^← Chart of/ }).click()
  const ask = page.getByRole('dialog', { name: 'Leave with unsaved changes?' })
  await expect(ask).toBeVisible()
  await expect(ask.getByRole('button', { name: 'Stay' })).toBeFocused()
  await expectAccessible(page, 'leave with unsaved changes')
  await page.keyboard.press('Enter')
  await expect(ask).toBeHidden()
  await expect(page).toHaveURL(noteUrl)
  await expect(examination(page)).toHaveValue('Tender over T12 and L1; legs neurologically intact')

  // Ctrl+K, even from the field being typed in, to jump to the patient: asked again; leave and keep the draft.
  await examination(page).press('Control+k')
  await page.getByRole('textbox', { name: 'Find a patient' }).fill(PATIENT.last)
  await page.getByRole('button', { name: new RegExp(`^${PATIENT.last}, ${PATIENT.first}`) }).click()
  await expect(ask).toBeVisible()
  await ask.getByRole('button', { name: 'Leave, keep the draft' }).click()
  await expect(page.getByRole('heading', { name: `${PATIENT.last}, ${PATIENT.first}` })).toBeVisible()

  // Back to the note (Back button): the draft is restored; Discard puts the note back as saved.
  await page.goBack()
  await expect(examination(page)).toHaveValue('Tender over T12 and L1; legs neurologically intact')
  await page.getByTestId('draft-restored').getByRole('button', { name: 'Discard draft' }).click()
  await page.getByRole('dialog', { name: 'Discard your unsaved draft?' }).getByRole('button', { name: 'Discard the draft' }).click()
  await expect(page.getByTestId('draft-restored')).toHaveCount(0)
  await expect(examination(page)).toHaveValue('')
  await expect(complaint(page)).toHaveValue('Fell from a chair on Sunday; sharp pain at the thoracolumbar junction')
  await expect(page.getByText('All changes saved')).toBeVisible()

  // Nothing unsaved: leaving asks nothing; "discard and leave" throws the typing away for good.
  await page.getByRole('link', { name: /^← Chart of/ }).click()
  await expect(page.getByRole('region', { name: 'Patient summary' })).toBeVisible()
  await page.goto(noteUrl)
  await examination(page).fill('typed by mistake')
  await page.getByRole('link', { name: /^← Chart of/ }).click()
  await ask.getByRole('button', { name: 'Discard my changes and leave' }).click()
  await expect(page.getByRole('region', { name: 'Patient summary' })).toBeVisible()
  await page.goto(noteUrl)
  await expect(examination(page)).toHaveValue('')
  await expect(page.getByTestId('draft-restored')).toHaveCount(0)
  await signOut(page)
})
