/**
 * Issue 20 point 1 as a physician works it: a patient's CD (a test "disc" written here with dcmjs into a folder of
 * this machine, which is also the clinic machine the development bridge runs on) is imported from the chart's
 * Imaging section: the path typed, the preview shows the two studies before anything is stored, the import runs
 * with its progress and ends, and the chart lists the studies. A second disc whose patient's birth date differs
 * is shown as differing and is imported only after the box confirming it is ticked. The spec makes its own users,
 * patient and discs.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeDisc } from '../fixtures/dicomStudies'
import { ADMIN } from './env'
import { addUser, expect, expectAccessible, signIn, test, uniqueUser } from './fixtures'
import { registerPatient } from './patientSteps'

test.describe.configure({ mode: 'serial', timeout: 180_000 })

const DOC = uniqueUser('physician', 'Dr. Ilse Brandt')
const DESK = uniqueUser('frontDesk', 'Pia Desk')
const tag = DOC.username.slice(-5)
const PATIENT = { first: 'Ingrid', last: `Solberg-${tag}` }
const dirs: string[] = []
/** the first test's patient and first disc, for the front desk's test after it */
let patientId = 0
let firstDisc = ''
test.afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

test('a physician imports a CD from a folder on the chart: preview first, progress, then the studies listed; a differing patient is confirmed first', async ({ page }) => {
  await addUser(page, ADMIN, DOC)
  await signIn(page, DOC)
  await expect(page.getByTestId('signed-in-user')).toContainText(DOC.name)
  const patient = await registerPatient(page, { firstName: PATIENT.first, lastName: PATIENT.last, dateOfBirth: '1944-09-03', sex: 'female', phone: '(555) 010-4420' })
  const disc = mkdtempSync(join(tmpdir(), 'clinic-e2e-cd-'))
  dirs.push(disc)
  patientId = patient.id
  firstDisc = disc
  writeDisc(disc, { name: `${PATIENT.last.toUpperCase()}^${PATIENT.first.toUpperCase()}`, birthDate: '19440903', id: 'RAD-77' }, { mrSlices: 4, junk: true })

  await page.goto(`/#/chart/${patient.id}`)
  const section = page.getByTestId('imaging-section')
  await expect(section.getByText('No imaging imported.')).toBeVisible()
  await section.getByRole('button', { name: 'Import from folder' }).click()
  const form = section.getByRole('group', { name: 'Import imaging from a folder' })
  await form.getByRole('textbox', { name: 'Folder on this computer' }).fill(join(disc, 'nowhere'))
  await form.getByRole('button', { name: 'Look in folder' }).click()
  await expect(form.getByText(/Folder does not exist/)).toBeVisible()

  await form.getByRole('textbox', { name: 'Folder on this computer' }).fill(disc)
  await form.getByRole('button', { name: 'Look in folder' }).click()
  const preview = form.getByTestId('imaging-preview')
  await expect(preview).toContainText("Read from the disc's DICOMDIR: 2 studies, 5 images. Nothing is stored until you import.")
  const found = preview.getByRole('table', { name: 'Studies found' })
  await expect(found.getByRole('row')).toHaveCount(3)
  await expect(found).toContainText('LUMBAR SPINE 2 VIEWS')
  await expect(found).toContainText('MRI LUMBAR SPINE')
  await expect(found.getByText('Matches the chart')).toHaveCount(2)
  await expectAccessible(page, 'the import preview')
  await form.getByRole('button', { name: 'Import 5 images' }).click()
  await expect(form.getByText(/Import finished\. 5 of 5 files looked at; 5 images stored, 0 stored already, 0 skipped\./)).toBeVisible()
  await form.getByRole('button', { name: 'Close' }).click()
  const studies = section.getByRole('table', { name: 'Imaging studies' })
  await expect(studies.getByRole('row')).toHaveCount(3)
  await expect(studies.getByRole('row').nth(1)).toContainText('MR')
  await expect(studies.getByRole('row').nth(1)).toContainText('4 in 1 series')
  await expect(studies.getByRole('row').nth(2)).toContainText('CR')

  // a second disc, from another centre that recorded another birth date
  const other = mkdtempSync(join(tmpdir(), 'clinic-e2e-cd-'))
  dirs.push(other)
  writeDisc(other, { name: `${PATIENT.last.toUpperCase()}^${PATIENT.first.toUpperCase()}`, birthDate: '19440309', id: 'XR-1' }, { mrSlices: 1 })
  await section.getByRole('button', { name: 'Import from folder' }).click()
  await form.getByRole('textbox', { name: 'Folder on this computer' }).fill(other)
  await form.getByRole('button', { name: 'Look in folder' }).click()
  await expect(form.getByText('Differs from the chart')).toHaveCount(2)
  await expect(form.getByText("Birth date on the disc is 03/09/1944, the chart's is 09/03/1944").first()).toBeVisible()
  await expect(form.getByRole('button', { name: /^Import/ })).toBeDisabled()
  await form.getByRole('checkbox', { name: "I have checked: this study is this patient's" }).first().check()
  await expect(form.getByText('Studies whose patient is not confirmed are left out.')).toBeVisible()
  await form.getByRole('button', { name: 'Import 1 image' }).click()
  await expect(form.getByText(/Import finished\. 1 of 1 files looked at; 1 image stored/)).toBeVisible()
  await form.getByRole('button', { name: 'Close' }).click()
  await expect(studies.getByRole('row')).toHaveCount(4)
  await expect(studies).toContainText('confirmed as this patient by Dr. Ilse Brandt')
  await expectAccessible(page, 'the Imaging section')
})

test('the front desk sees the studies on the patient page, and importing the same CD again stores nothing', async ({ page }) => {
  test.skip(patientId === 0, 'needs the first test')
  await addUser(page, ADMIN, DESK)
  await signIn(page, DESK)
  await expect(page.getByTestId('signed-in-user')).toContainText(DESK.name)
  await page.goto(`/#/patients/${patientId}`)
  const section = page.getByTestId('imaging-section')
  await expect(section.getByRole('table', { name: 'Imaging studies' }).getByRole('row')).toHaveCount(4)
  await section.getByRole('button', { name: 'Import from folder' }).click()
  const form = section.getByRole('group', { name: 'Import imaging from a folder' })
  await form.getByRole('textbox', { name: 'Folder on this computer' }).fill(firstDisc)
  await form.getByRole('textbox', { name: 'Folder on this computer' }).press('Enter')
  await expect(form.getByTestId('imaging-preview')).toContainText('(4 stored already)')
  await form.getByRole('button', { name: 'Import (all stored already)' }).click()
  await expect(form.getByText(/Import finished\. 5 of 5 files looked at; 0 images stored, 5 stored already, 0 skipped\./)).toBeVisible()
  await expectAccessible(page, 'the patient page with its Imaging section')
})
