/**
 * Issue 20 points 2 and 3 as a physician works them: the patient's CD (written here with dcmjs: a lateral "spine"
 * of bright bodies with known heights at 0.2 mm per pixel) is imported on the chart, the lateral image is opened
 * in the viewer (dwv, drawn on a 2D canvas), the six points are clicked on L1 with the mouse, each prompted, the
 * heights and grade show, and Save puts them into the draft consultation's L1 finding, where the note shows the
 * height loss and the Genant grade this test works out from the body it drew. The spec makes its own user,
 * patient and disc.
 */
import { genantGrade, GENANT_LABELS } from '../../shared/clinical/genant'
import { SIX_POINT_LABELS, SIX_POINT_NAMES } from '../../shared/clinical/morphometry'
import { vertebraCorners, type DrawnVertebra } from '../fixtures/dicomStudies'
import { ADMIN } from './env'
import { addUser, callChannel, expect, expectAccessible, signIn, test, uniqueUser } from './fixtures'
import { clickImagePoint, drawnBrightness, drawnPixels, importDiscOnChart, openStudy, tempDiscs } from './imagingSteps'
import { registerPatient } from './patientSteps'

test.describe.configure({ timeout: 180_000 })

const DOC = uniqueUser('physician', 'Dr. Mira Okafor')
const tag = DOC.username.slice(-5)
const PATIENT = { first: 'Helga', last: `Lindqvist-${tag}` }
const SPACING = 0.2
/** L1 drawn as a wedge of 66, 80 and 100 pixels: a 34% loss against its posterior height, away from any grade's edge. */
const L1: DrawnVertebra = { level: 'L1', top: 150, x: { anterior: 50, middle: 100, posterior: 150 }, heightPx: { anterior: 66, middle: 80, posterior: 100 } }
const VERTEBRAE: DrawnVertebra[] = [
  { level: 'T12', top: 30, x: { anterior: 50, middle: 100, posterior: 150 }, heightPx: { anterior: 96, middle: 96, posterior: 100 } },
  L1,
  { level: 'L2', top: 270, x: { anterior: 50, middle: 100, posterior: 150 }, heightPx: { anterior: 100, middle: 98, posterior: 100 } },
]
const EXPECTED_LOSS = Math.round((1 - Math.min(L1.heightPx.anterior, L1.heightPx.middle) / L1.heightPx.posterior) * 1000) / 10
const EXPECTED_GRADE = genantGrade(EXPECTED_LOSS)
const discs = tempDiscs()
test.afterAll(() => discs.removeAll())

test('a physician opens the lateral image, places the six points on L1 with the mouse, and saves them into the L1 finding', async ({ page }) => {
  expect(EXPECTED_GRADE).toBe(2)
  await addUser(page, ADMIN, DOC)
  await signIn(page, DOC)
  await expect(page.getByTestId('signed-in-user')).toContainText(DOC.name)
  const patient = await registerPatient(page, { firstName: PATIENT.first, lastName: PATIENT.last, dateOfBirth: '1941-05-17', sex: 'female', phone: '(555) 010-4431' })
  const { mrn } = await callChannel<{ mrn: string }>(page, 'patients.get', { id: patient.id })
  const disc = discs.write({ name: `${PATIENT.last.toUpperCase()}^${PATIENT.first.toUpperCase()}`, birthDate: '19410517', id: 'RAD-91' }, { mrSlices: 3, lateral: { spacing: [SPACING, SPACING], vertebrae: VERTEBRAE } })

  // a draft consultation to measure into
  await page.goto(`/#/chart/${patient.id}`)
  await page.getByRole('button', { name: 'New consultation' }).click()
  await expect(page.getByRole('heading', { name: /^Consultation of / })).toBeVisible()
  const noteUrl = page.url()

  await importDiscOnChart(page, patient.id, disc.dir, 4)

  // the MR series first: the wheel and the arrow keys move through its slices
  const viewer = await openStudy(page, 'MRI LUMBAR SPINE')
  const identity = viewer.getByTestId('viewer-identity')
  await expect(identity).toContainText(`${PATIENT.last}, ${PATIENT.first} · MRN ${mrn}`)
  await expect(identity).toContainText('Nov 4, 2026 · MRI LUMBAR SPINE')
  await expect(viewer.getByTestId('image-bounds')).toBeAttached()
  await expect(viewer.getByTestId('viewer-position')).toHaveText('Image 1 of 3')
  const stage = viewer.getByTestId('viewer-stage')
  await stage.hover()
  await page.mouse.wheel(0, 120)
  await expect(viewer.getByTestId('viewer-position')).toHaveText('Image 2 of 3')
  await stage.focus()
  await page.keyboard.press('ArrowDown')
  await expect(viewer.getByTestId('viewer-position')).toHaveText('Image 3 of 3')
  await page.keyboard.press('ArrowUp')
  await expect(viewer.getByTestId('viewer-position')).toHaveText('Image 2 of 3')
  await viewer.getByRole('button', { name: 'Bone' }).click()
  await expect(viewer.getByRole('button', { name: 'Bone' })).toHaveAttribute('aria-pressed', 'true')
  await page.keyboard.press('Escape')

  await openStudy(page, 'LUMBAR SPINE 2 VIEWS')
  await expect(identity).toContainText('Nov 2, 2026 · LUMBAR SPINE 2 VIEWS')
  const bounds = viewer.getByTestId('image-bounds')
  // dwv drew the radiograph: the middle of L1 is bright, the space between two bodies dark
  await expect.poll(() => drawnBrightness(page, bounds, [100, 190])).toBeGreaterThan(150)
  expect(await drawnBrightness(page, bounds, [100, 262])).toBeLessThan(60)
  await expectAccessible(page, 'the imaging viewer')

  // before and after: a second study side by side, each named above its images
  await viewer.getByRole('combobox', { name: 'Compare with another study' }).selectOption({ label: 'Nov 4, 2026 · MRI LUMBAR SPINE' })
  const compare = viewer.getByTestId('viewer-compare')
  await expect(compare.getByTestId('viewer-stage')).toHaveCount(2)
  await expect(compare.getByTestId('image-bounds')).toHaveCount(2)
  await expect(compare).toContainText('Nov 2, 2026 · LUMBAR SPINE 2 VIEWS')
  await expect(compare).toContainText('Nov 4, 2026 · MRI LUMBAR SPINE')
  await expect(compare.getByTestId('viewer-position').nth(1)).toHaveText('Image 1 of 3')
  await expectAccessible(page, 'two studies side by side')
  await viewer.getByRole('combobox', { name: 'Compare with another study' }).selectOption({ label: 'Compare with… (none)' })
  await expect(compare).toHaveCount(0)
  await expect(bounds).toBeAttached()

  const panel = viewer.getByTestId('measure-panel')
  await panel.getByRole('button', { name: 'Measure a vertebra' }).click()
  const corners = vertebraCorners(L1)
  for (const [i, name] of SIX_POINT_NAMES.entries()) {
    await expect(panel.getByTestId('measure-prompt')).toHaveText(`Click point ${i + 1} of 6: ${SIX_POINT_LABELS[name]}`)
    await clickImagePoint(page, bounds, [corners[name].x, corners[name].y])
  }
  await expect(panel.getByTestId('measure-prompt')).toHaveText('All six points placed.')
  const result = panel.getByTestId('measure-result')
  // heights in mm from the drawing (a click lands within a fraction of a pixel: 0.1 mm either way)
  const mm = async (wall: string) => Number((await result.getByRole('row', { name: new RegExp(`^${wall} height`) }).getByRole('cell').textContent())!.replace(' mm', ''))
  expect(Math.abs((await mm('Anterior')) - L1.heightPx.anterior * SPACING)).toBeLessThanOrEqual(0.2)
  expect(Math.abs((await mm('Middle')) - L1.heightPx.middle * SPACING)).toBeLessThanOrEqual(0.2)
  expect(Math.abs((await mm('Posterior')) - L1.heightPx.posterior * SPACING)).toBeLessThanOrEqual(0.2)
  await expect(result).toContainText("Against the same vertebra's posterior height")
  await expect(result).toContainText(`Genant ${GENANT_LABELS[EXPECTED_GRADE]}`)
  await expect(result).toContainText('Wedge (anterior height reduced)')
  // against the adjacent vertebrae instead: their heights typed, the reference named with its height
  await panel.getByRole('radio', { name: "The adjacent normal vertebrae's mean posterior height" }).check()
  await panel.getByRole('textbox', { name: 'Posterior heights of the adjacent normal vertebrae (mm)' }).fill('20, 20, 20')
  await expect(panel.getByText('At most two adjacent vertebrae (the one above and the one below).')).toBeVisible()
  await panel.getByRole('textbox', { name: 'Posterior heights of the adjacent normal vertebrae (mm)' }).fill('19, 21')
  await expect(result).toContainText("Against the adjacent normal vertebrae's mean posterior height (20.0 mm)")
  await panel.getByRole('radio', { name: "The same vertebra's posterior height" }).check()
  await expect(result).toContainText("Against the same vertebra's posterior height")

  const save = panel.getByRole('group', { name: 'Save the measurement' })
  await save.getByRole('combobox', { name: 'Level' }).selectOption('L1')
  await save.getByRole('button', { name: 'Save into the L1 finding' }).click()
  await expect(panel.getByTestId('measure-saved')).toContainText(`Genant grade ${EXPECTED_GRADE}`)
  const savedLoss = Number(/height loss ([\d.]+)%/.exec((await panel.getByTestId('measure-saved').textContent())!)![1])
  expect(Math.abs(savedLoss - EXPECTED_LOSS)).toBeLessThanOrEqual(1)
  await page.keyboard.press('Escape')

  // the note's L1 finding shows the loss and the grade
  await page.goto(noteUrl)
  const finding = page.getByRole('group', { name: 'Imaging finding 1 (L1)' })
  await expect(finding).toBeVisible()
  await expect(finding.getByRole('textbox', { name: 'Height loss (%)' })).toHaveValue(String(savedLoss))
  await expect(finding.getByTestId('genant-0')).toHaveText(`Genant ${GENANT_LABELS[EXPECTED_GRADE]}`)

  // the chart's L1 finding links back to the image: a preview of it with the points, and the viewer opens with them placed
  await page.goto(`/#/chart/${patient.id}`)
  // the two studies are on the chart's timeline, on their study dates, with a filter of their own
  const timeline = page.getByRole('list', { name: 'Timeline, newest first' })
  await expect(timeline).toContainText('CR: LUMBAR SPINE 2 VIEWS')
  await expect(timeline).toContainText('MR: MRI LUMBAR SPINE')
  await page.getByRole('radiogroup', { name: 'Show on the timeline' }).getByText('Imaging (2)').click()
  await expect(page.getByTestId('timeline-showing')).toHaveText('Imaging: 2 of 3 entries, newest first')
  await page.getByRole('button', { name: /^L1, 1 finding/ }).click()
  const l1 = page.getByRole('table', { name: 'Findings at L1' })
  await expect(l1).toContainText(`${savedLoss}% · Genant ${GENANT_LABELS[EXPECTED_GRADE]}`)
  const link = l1.getByTestId('finding-measurement-L1')
  await expect(link).toContainText('Measured on the image: anterior')
  // the measured image itself, cropped around L1, with the six points over it: drawn once it is on the screen, the
  // points' sketch until then
  await expect(link.getByRole('img', { name: `Outline of the measured vertebra: ${savedLoss}% height loss` })).toBeVisible()
  await link.scrollIntoViewIfNeeded()
  const preview = link.getByRole('img', { name: 'L1 measured on the image of Nov 2, 2026: six points' })
  await expect(preview).toBeVisible()
  const previewImage = preview.getByTestId('measurement-preview-image')
  await expect.poll(() => drawnPixels(previewImage)).toBeGreaterThan(1000)
  // the crop is the points' box and 40% of its span on each side: L1's middle is bright bone, the discs above and
  // below dark, and T12's inferior and L2's superior endplates show
  const shown = await previewImage.boundingBox()
  const crop = { left: 50 - 40, top: 150 - 40, side: 100 * 1.8 }
  const previewBrightness = (x: number, y: number) =>
    previewImage.evaluate(
      (img, [px, py]) => {
        const i = img as HTMLImageElement
        const c = document.createElement('canvas')
        c.width = i.naturalWidth
        c.height = i.naturalHeight
        const ctx = c.getContext('2d')!
        ctx.drawImage(i, 0, 0)
        return ctx.getImageData(Math.round(px! * i.naturalWidth), Math.round(py! * i.naturalHeight), 1, 1).data[0]!
      },
      [(x - crop.left) / crop.side, (y - crop.top) / crop.side],
    )
  expect(await previewBrightness(100, 190)).toBeGreaterThan(150)
  expect(await previewBrightness(100, 140)).toBeLessThan(60)
  expect(await previewBrightness(100, 260)).toBeLessThan(60)
  expect(await previewBrightness(100, 120)).toBeGreaterThan(150)
  expect(await previewBrightness(100, 280)).toBeGreaterThan(150)
  // the six points sit on L1's corners and middles of the picture
  const points = preview.getByTestId('measurement-preview-points').locator('circle')
  await expect(points).toHaveCount(6)
  for (const [i, name] of SIX_POINT_NAMES.entries()) {
    const dot = (await points.nth(i).boundingBox())!
    const { x, y } = corners[name]
    const expected = { x: shown!.x + ((x - crop.left) / crop.side) * shown!.width, y: shown!.y + ((y - crop.top) / crop.side) * shown!.height }
    expect(Math.abs(dot.x + dot.width / 2 - expected.x)).toBeLessThanOrEqual(3)
    expect(Math.abs(dot.y + dot.height / 2 - expected.y)).toBeLessThanOrEqual(3)
  }
  await expectAccessible(page, 'the measured image on the L1 finding')
  await link.getByRole('button', { name: 'Show the L1 measurement on the image' }).click()
  await expect(identity).toContainText('Nov 2, 2026 · LUMBAR SPINE 2 VIEWS')
  await expect(viewer.getByTestId('measure-saved-shown')).toBeVisible()
  await expect(viewer.getByTestId('measure-result')).toContainText(`Genant ${GENANT_LABELS[EXPECTED_GRADE]}`)
  await expect(viewer.getByTestId('measure-overlay').locator('circle')).toHaveCount(6)
  await expectAccessible(page, 'a saved measurement shown on its image')
})

test('a compressed radiograph (RLE Lossless, as many discs hold) is decoded and drawn by the viewer', async ({ page }) => {
  const doc = uniqueUser('physician', 'Dr. Kofi Mensah')
  await addUser(page, ADMIN, doc)
  await signIn(page, doc)
  await expect(page.getByTestId('signed-in-user')).toContainText(doc.name)
  const patient = await registerPatient(page, { firstName: 'Agnes', lastName: `Rle-${doc.username.slice(-5)}`, dateOfBirth: '1939-02-11', sex: 'female', phone: '(555) 010-4432' })
  const disc = discs.write({ name: `RLE-${doc.username.slice(-5).toUpperCase()}^AGNES`, birthDate: '19390211', id: 'RAD-92' }, { mrSlices: 1, lateral: { rle: true, vertebrae: VERTEBRAE } })
  const job = await callChannel<{ jobId: string }>(page, 'imaging.import.start', { patientId: patient.id, folder: disc.dir, confirmedStudyUids: [] })
  await expect.poll(async () => (await callChannel<{ state: string; stored: number }>(page, 'imaging.import.status', { jobId: job.jobId })).state).toBe('done')

  await page.goto(`/#/chart/${patient.id}`)
  const viewer = await openStudy(page, 'LUMBAR SPINE 2 VIEWS')
  const bounds = viewer.getByTestId('image-bounds')
  await expect.poll(() => drawnBrightness(page, bounds, [100, 190])).toBeGreaterThan(150)
  expect(await drawnBrightness(page, bounds, [100, 262])).toBeLessThan(60)
  await expect(viewer.getByText(/could not be drawn/)).toHaveCount(0)
})
