/**
 * Issue 20 point 3, the procedure's side: a physician measures L1 on the lateral radiograph (written here with dcmjs:
 * bodies of known heights at 0.2 mm per pixel) and saves the six points as the heights before on their draft
 * procedure note; measuring again asks before replacing them. The note shows the heights in its L1 table with the
 * measurement beside them ("Show on the image" opens the viewer with the points placed), and says so when a height
 * is typed over. On the way, the import's "Choose folder…" says, in the browser, that the dialog is the desktop
 * app's and the path is typed. The spec makes its own user, patient, disc and note.
 */
import { SIX_POINT_NAMES } from '../../shared/clinical/morphometry'
import { vertebraCorners, type DrawnVertebra } from '../fixtures/dicomStudies'
import { ADMIN } from './env'
import { addUser, callChannel, expect, expectAccessible, signIn, test, uniqueUser } from './fixtures'
import { clickImagePoint, openStudy, tempDiscs } from './imagingSteps'
import { registerPatient } from './patientSteps'

test.describe.configure({ timeout: 180_000 })

const SPACING = 0.2
/** L1 as a wedge of 66, 80 and 100 pixels: 13.2, 16 and 20 mm. */
const L1: DrawnVertebra = { level: 'L1', top: 150, x: { anterior: 50, middle: 100, posterior: 150 }, heightPx: { anterior: 66, middle: 80, posterior: 100 } }
const VERTEBRAE: DrawnVertebra[] = [
  { level: 'T12', top: 30, x: { anterior: 50, middle: 100, posterior: 150 }, heightPx: { anterior: 96, middle: 96, posterior: 100 } },
  L1,
  { level: 'L2', top: 270, x: { anterior: 50, middle: 100, posterior: 150 }, heightPx: { anterior: 100, middle: 98, posterior: 100 } },
]
const discs = tempDiscs()
test.afterAll(() => discs.removeAll())

test("a physician measures L1 on the image and saves it as the procedure note's heights before; the note shows them with the link to the image", async ({ page }) => {
  const doc = uniqueUser('physician', 'Dr. Ines Halvorsen')
  const tag = doc.username.slice(-5)
  await addUser(page, ADMIN, doc)
  await signIn(page, doc)
  await expect(page.getByTestId('signed-in-user')).toContainText(doc.name)
  const patient = await registerPatient(page, { firstName: 'Ruth', lastName: `Osei-${tag}`, dateOfBirth: '1944-03-08', sex: 'female', phone: '(555) 010-4433' })
  const disc = discs.write({ name: `OSEI-${tag.toUpperCase()}^RUTH`, birthDate: '19440308', id: 'RAD-93' }, { mrSlices: 1, lateral: { spacing: [SPACING, SPACING], vertebrae: VERTEBRAE } })
  const job = await callChannel<{ jobId: string }>(page, 'imaging.import.start', { patientId: patient.id, folder: disc.dir, confirmedStudyUids: [] })
  await expect.poll(async () => (await callChannel<{ state: string }>(page, 'imaging.import.status', { jobId: job.jobId })).state).toBe('done')
  // the draft procedure note, treating T12 and L1
  const opened = await callChannel<{ id: number; version: number }>(page, 'procedures.open', { patientId: patient.id, kind: 'vertebroplasty' })
  await callChannel(page, 'procedures.save', { id: opened.id, version: opened.version, fields: { kind: 'vertebroplasty', procedureDate: '2026-11-30' }, levels: [{ level: 'T12' }, { level: 'L1' }] })

  await page.goto(`/#/chart/${patient.id}`)
  // the import's folder dialog is the desktop app's: in the browser, asking for it says to type the path, and the button goes
  const section = page.getByTestId('imaging-section')
  await section.getByRole('button', { name: 'Import from folder' }).click()
  const form = section.getByRole('group', { name: 'Import imaging from a folder' })
  await form.getByRole('button', { name: 'Choose folder…' }).click()
  await expect(form.getByText("The folder dialog opens in the desktop app; here, type the folder's full path")).toBeVisible()
  await expect(form.getByRole('button', { name: 'Choose folder…' })).toHaveCount(0)
  await expect(form.getByRole('textbox', { name: 'Folder on this computer' })).toBeEditable()
  await form.getByRole('button', { name: 'Close' }).click()

  const viewer = await openStudy(page, 'LUMBAR SPINE 2 VIEWS')
  const bounds = viewer.getByTestId('image-bounds')
  const panel = viewer.getByTestId('measure-panel')
  await panel.getByRole('button', { name: 'Measure a vertebra' }).click()
  const corners = vertebraCorners(L1)
  for (const name of SIX_POINT_NAMES) {
    await clickImagePoint(page, bounds, [corners[name].x, corners[name].y])
  }
  await expect(panel.getByTestId('measure-prompt')).toHaveText('All six points placed.')

  const save = panel.getByRole('group', { name: 'Save the measurement' })
  await save.getByRole('radio', { name: "A procedure's heights before or after" }).check()
  await expect(save.getByRole('combobox', { name: 'Into the procedure note' })).toContainText(`Nov 30, 2026 Vertebroplasty (draft, ${doc.name})`)
  await save.getByRole('combobox', { name: 'Level treated' }).selectOption('L1')
  await save.getByRole('radio', { name: 'Before the procedure' }).check()
  await save.getByRole('button', { name: 'Save as the L1 heights before' }).click()
  const savedText = panel.getByTestId('measure-saved')
  await expect(savedText).toContainText('Saved as the L1 heights before on the procedure note of Nov 30, 2026: anterior')
  // the heights the main process computed from the points: within a click's fraction of a pixel of the drawing
  const heights = /anterior ([\d.]+), middle ([\d.]+), posterior ([\d.]+) mm/.exec((await savedText.textContent())!)!.slice(1).map(Number)
  ;[L1.heightPx.anterior, L1.heightPx.middle, L1.heightPx.posterior].forEach((px, i) => expect(Math.abs(heights[i]! - px * SPACING)).toBeLessThanOrEqual(0.2))

  // measuring the same heights again asks before replacing them
  await save.getByRole('button', { name: 'Save as the L1 heights before' }).click()
  const replace = panel.getByTestId('measure-replace')
  await expect(replace).toContainText('L1 already has heights before')
  await expect(replace).toContainText(`The note holds anterior ${heights[0]}, middle ${heights[1]}, posterior ${heights[2]} mm.`)
  await expectAccessible(page, 'the question before replacing heights')
  await replace.getByRole('button', { name: 'Replace the heights before' }).click()
  await expect(replace).toHaveCount(0)
  await expect(savedText).toContainText('Saved as the L1 heights before')
  await page.keyboard.press('Escape')

  // the note shows them in L1's table, with the measurement beside them
  await page.goto(`/#/procedures/${opened.id}`)
  const level = page.getByRole('group', { name: 'Level L1' })
  await expect(level.getByRole('textbox', { name: 'Anterior height before (mm)' })).toHaveValue(String(heights[0]))
  await expect(level.getByRole('textbox', { name: 'Middle height before (mm)' })).toHaveValue(String(heights[1]))
  await expect(level.getByRole('textbox', { name: 'Posterior height before (mm)' })).toHaveValue(String(heights[2]))
  const link = level.getByTestId('procedure-measurement-L1-before')
  await expect(link).toContainText('Heights before, measured on the image: anterior')
  await expect(link).toContainText(`by ${doc.name}`)
  await expect(link.getByText(/changed by hand since/)).toHaveCount(0)
  await expectAccessible(page, 'a procedure note with measured heights')
  await link.getByRole('button', { name: 'Show the L1 heights before on the image' }).click()
  await expect(viewer.getByTestId('viewer-identity')).toContainText('LUMBAR SPINE 2 VIEWS')
  await expect(viewer.getByTestId('measure-saved-shown')).toBeVisible()
  await expect(viewer.getByTestId('measure-overlay').locator('circle')).toHaveCount(6)
  await page.keyboard.press('Escape')
  await expect(viewer).toHaveCount(0)

  // a height typed over: the note says it is no longer the measured one
  await level.getByRole('textbox', { name: 'Anterior height before (mm)' }).fill('15')
  await expect(link).toContainText('The heights before on the note are no longer the measured ones: they were changed by hand since.')
})
