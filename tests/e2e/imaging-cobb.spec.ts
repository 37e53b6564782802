/**
 * Issue 20 points 2 and 3, the viewer's series thumbnails and the Cobb angle tool, as a physician uses them: the
 * patient's CD (written here with dcmjs: a lateral "spine" of bright bodies on a dark ground, and an MR series) is
 * imported on the chart; each series in the viewer's list is a button showing a picture of its image; on the lateral
 * radiograph the Cobb tool takes four clicks, each asked for by name, and shows the angle between the two endplates
 * that this test works out from the points it clicked; both tools' points can be placed by keyboard alone (the
 * six points on L1 give the heights and grade of the mouse journey in imaging-measure.spec). The spec makes its own
 * user, patient and disc.
 */
import type { Page } from '@playwright/test'
import { genantGrade, GENANT_LABELS } from '../../shared/clinical/genant'
import { LATERAL_VERTEBRAE, type DrawnVertebra } from '../fixtures/dicomStudies'
import { ADMIN } from './env'
import { addUser, callChannel, expect, expectAccessible, signIn, test, uniqueUser } from './fixtures'
import { clickImagePoint, drawnPixels, importDiscOnChart, openStudy, tempDiscs } from './imagingSteps'
import { registerPatient } from './patientSteps'

test.describe.configure({ timeout: 180_000 })

const discs = tempDiscs()
test.afterAll(() => discs.removeAll())

test('each series in the viewer shows a thumbnail of its image, as a button named by its series', async ({ page }) => {
  const doc = uniqueUser('physician', 'Dr. Noor Haddad')
  const tag = doc.username.slice(-5)
  await addUser(page, ADMIN, doc)
  await signIn(page, doc)
  await expect(page.getByTestId('signed-in-user')).toContainText(doc.name)
  const patient = await registerPatient(page, { firstName: 'Sigrid', lastName: `Thumb-${tag}`, dateOfBirth: '1946-03-08', sex: 'female', phone: '(555) 010-4433' })
  const disc = discs.write({ name: `THUMB-${tag.toUpperCase()}^SIGRID`, birthDate: '19460308', id: 'RAD-93' }, { mrSlices: 3, lateral: { rle: true } })
  await importDiscOnChart(page, patient.id, disc.dir, 4)

  // the radiograph compressed (RLE Lossless: decoded in dwv's workers, for the thumbnail as for the image), the MR not
  for (const [study, series] of [
    ['LUMBAR SPINE 2 VIEWS', 'CR L-SPINE LAT, Series 1, 1 image'],
    ['MRI LUMBAR SPINE', /^MR .*, Series \d+, 3 images$/],
  ] as const) {
    const viewer = await openStudy(page, study)
    const list = viewer.getByRole('list', { name: `Series of ${study}` })
    const button = list.getByRole('button', { name: series })
    await expect(button).toHaveAttribute('aria-pressed', 'true')
    const thumbnail = button.getByTestId('series-thumbnail')
    await expect(thumbnail).toBeVisible()
    // something was drawn: not every pixel is the background
    await expect.poll(() => drawnPixels(thumbnail)).toBeGreaterThan(50)
    // the thumbnail is no canvas of the stage: the stage's image is drawn as before
    await expect(viewer.getByTestId('viewer-stage').locator('canvas').first()).toBeVisible()
    await expect(button.getByTestId('series-thumbnail-missing')).toHaveCount(0)
    // Tab reaches the series and Enter shows it
    await button.focus()
    await page.keyboard.press('Enter')
    await expect(button).toHaveAttribute('aria-pressed', 'true')
    await expect(viewer.getByTestId('viewer-position')).toHaveText(/^Image 1 of /)
    await expectAccessible(page, `the viewer's series list of ${study}`)
    await page.keyboard.press('Escape')
    await expect(viewer).toHaveCount(0)
  }
})

test('the Cobb tool: four clicks named one by one on the lateral image give the angle between the two endplates, non-square pixels kept', async ({ page }) => {
  const doc = uniqueUser('physician', 'Dr. Tomas Berg')
  const tag = doc.username.slice(-5)
  await addUser(page, ADMIN, doc)
  await signIn(page, doc)
  await expect(page.getByTestId('signed-in-user')).toContainText(doc.name)
  const patient = await registerPatient(page, { firstName: 'Elin', lastName: `Cobb-${tag}`, dateOfBirth: '1938-12-01', sex: 'female', phone: '(555) 010-4434' })
  // rows 0.2 mm apart, columns 0.4 mm: an angle read in pixels would be wrong
  const spacing = { row: 0.2, column: 0.4 }
  const disc = discs.write({ name: `COBB-${tag.toUpperCase()}^ELIN`, birthDate: '19381201', id: 'RAD-94' }, { mrSlices: 1, lateral: { spacing: [spacing.row, spacing.column] } })
  await importDiscOnChart(page, patient.id, disc.dir, 2)
  const viewer = await openStudy(page, 'LUMBAR SPINE 2 VIEWS')
  const bounds = viewer.getByTestId('image-bounds')

  // L1 as drawn: its superior endplate level, its inferior one sloping down from the short anterior wall to the posterior
  const l1 = LATERAL_VERTEBRAE.find((v) => v.level === 'L1')!
  const clicks: [number, number][] = [
    [l1.x.anterior, l1.top],
    [l1.x.posterior, l1.top],
    [l1.x.anterior, l1.top + l1.heightPx.anterior],
    [l1.x.posterior, l1.top + l1.heightPx.posterior],
  ]
  const mmVector = (from: [number, number], to: [number, number]) => ({ x: (to[0] - from[0]) * spacing.column, y: (to[1] - from[1]) * spacing.row })
  const u = mmVector(clicks[0]!, clicks[1]!)
  const v = mmVector(clicks[2]!, clicks[3]!)
  const expected = (Math.abs(Math.atan2(u.x * v.y - u.y * v.x, u.x * v.x + u.y * v.y)) * 180) / Math.PI
  // in pixels it would read 21.8 degrees; in millimetres 11.3
  expect(expected).toBeCloseTo(11.31, 1)

  await viewer.getByRole('radiogroup', { name: 'Measuring tool' }).getByText('Cobb angle').click()
  const panel = viewer.getByTestId('cobb-panel')
  await expect(panel).toContainText('Pixels of 0.2 mm between rows and 0.4 mm between columns')
  for (const [group, level, which] of [
    ['Upper endplate', 'L1', 'superior'],
    ['Lower endplate', 'L1', 'inferior'],
  ] as const) {
    await panel.getByRole('combobox', { name: `${group}: vertebra` }).selectOption(level)
    await panel.getByRole('combobox', { name: `${group}: which` }).selectOption(which)
  }
  await panel.getByRole('button', { name: 'Place the four points' }).click()
  const prompt = panel.getByTestId('cobb-prompt')
  const prompts = [
    'Upper endplate (the superior endplate of L1), anterior end',
    'Upper endplate (the superior endplate of L1), posterior end',
    'Lower endplate (the inferior endplate of L1), anterior end',
    'Lower endplate (the inferior endplate of L1), posterior end',
  ]
  // a wrong first click, undone; the stage's live region says each change once (the prompt is shown, not announced)
  const said = viewer.getByTestId('placing-announcement')
  await expect(prompt).not.toHaveAttribute('aria-live')
  await expect(prompt).toHaveText(`Click point 1 of 4: ${prompts[0]}`)
  await clickImagePoint(page, bounds, [20, 20])
  await expect(prompt).toHaveText(`Click point 2 of 4: ${prompts[1]}`)
  await expect(said).toHaveText(`Point 1 placed. Next: point 2 of 4, ${prompts[1]}.`)
  await panel.getByRole('button', { name: 'Undo last point' }).click()
  await expect(said).toHaveText(`Point 1 undone. Next: point 1 of 4, ${prompts[0]}.`)
  for (const [i, point] of clicks.entries()) {
    await expect(prompt).toHaveText(`Click point ${i + 1} of 4: ${prompts[i]}`)
    await clickImagePoint(page, bounds, point)
  }
  await expect(prompt).toHaveText('All four points placed.')
  await expect(said).toHaveText('Point 4 placed. All 4 points placed.')
  const overlay = viewer.getByTestId('measure-overlay')
  await expect(overlay.locator('circle')).toHaveCount(4)
  await expect(overlay.locator('line')).toHaveCount(2)
  const result = panel.getByTestId('cobb-result')
  await expect(result).toContainText('Between the superior endplate of L1 and the inferior endplate of L1.')
  const shown = Number(/Cobb angle ([\d.]+)°/.exec((await result.textContent())!)![1])
  // one decimal; a click lands within a fraction of a pixel
  expect(String(shown)).toMatch(/^\d+\.\d$/)
  expect(Math.abs(shown - expected)).toBeLessThanOrEqual(0.5)
  await expectAccessible(page, 'the Cobb tool with its angle')

  // the heights tool keeps its own points; back on the Cobb tool, Start again clears the four
  await viewer.getByRole('radiogroup', { name: 'Measuring tool' }).getByText('Vertebral heights').click()
  await expect(viewer.getByTestId('measure-panel')).toBeVisible()
  await expect(overlay.locator('circle')).toHaveCount(0)
  await viewer.getByRole('radiogroup', { name: 'Measuring tool' }).getByText('Cobb angle').click()
  await expect(overlay.locator('circle')).toHaveCount(4)
  await panel.getByRole('button', { name: 'Start again' }).click()
  await expect(overlay.locator('circle')).toHaveCount(0)
  await expect(result).toHaveCount(0)
  await expect(prompt).toHaveText(`Click point 1 of 4: ${prompts[0]}`)
  await expect(said).toHaveText(`Points cleared. Next: point 1 of 4, ${prompts[0]}.`)
})

test("a series whose image cannot be drawn shows a labelled placeholder instead of its thumbnail, and the viewer goes on", async ({ page }) => {
  const doc = uniqueUser('physician', 'Dr. Ana Ruiz')
  const tag = doc.username.slice(-5)
  await addUser(page, ADMIN, doc)
  await signIn(page, doc)
  await expect(page.getByTestId('signed-in-user')).toContainText(doc.name)
  const patient = await registerPatient(page, { firstName: 'Maren', lastName: `Broken-${tag}`, dateOfBirth: '1950-07-21', sex: 'female', phone: '(555) 010-4435' })
  const disc = discs.write({ name: `BROKEN-${tag.toUpperCase()}^MAREN`, birthDate: '19500721', id: 'RAD-95' }, { mrSlices: 3 })
  await importDiscOnChart(page, patient.id, disc.dir, 4)
  const { studies } = await callChannel<{ studies: { id: number; description: string }[] }>(page, 'imaging.studies.forPatient', { patientId: patient.id })
  const mr = await callChannel<{ seriesList: { instances: { id: number }[] }[] }>(page, 'imaging.studies.open', { studyId: studies.find((s) => s.description === 'MRI LUMBAR SPINE')!.id })
  // the series' thumbnail is made from its middle slice: its file comes back damaged (the viewer's first slice does not)
  const middle = mr.seriesList[0]!.instances[1]!.id
  await page.route('**/rpc', async (route) => {
    const call = route.request().postDataJSON() as { channel?: string; input?: { instanceId?: number } }
    if (call.channel !== 'imaging.instances.content' || call.input?.instanceId !== middle) return route.continue()
    const response = await route.fetch()
    const answer = (await response.json()) as { value: { content: string } }
    await route.fulfill({ response, json: { ...answer, value: { ...answer.value, content: Buffer.from('DICM, then nothing readable').toString('base64') } } })
  })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))

  const viewer = await openStudy(page, 'MRI LUMBAR SPINE')
  const button = viewer.getByRole('button', { name: 'MR SAG STIR, Series 2, 3 images, no preview (its image could not be drawn)' })
  await expect(button).toBeVisible({ timeout: 20_000 })
  await expect(button.getByTestId('series-thumbnail-missing')).toHaveText('No preview')
  await expect(button.getByTestId('series-thumbnail')).toHaveCount(0)
  // the image itself is shown and the series can still be gone through
  await expect(viewer.getByTestId('viewer-position')).toHaveText('Image 1 of 3')
  await viewer.getByRole('button', { name: 'Next image' }).click()
  await expect(viewer.getByTestId('viewer-position')).toHaveText('Image 2 of 3')
  await expectAccessible(page, 'a series without a preview')
  expect(errors).toEqual([])
})

/** Moves the keyboard's crosshair by (dx, dy) image pixels: Shift+arrow for each ten, an arrow for each one left. */
async function moveCrosshair(page: Page, dx: number, dy: number) {
  for (const [d, less, more] of [
    [dx, 'ArrowLeft', 'ArrowRight'],
    [dy, 'ArrowUp', 'ArrowDown'],
  ] as const) {
    const arrow = d < 0 ? less : more
    for (let i = 0; i < Math.floor(Math.abs(d) / 10); i++) await page.keyboard.press(`Shift+${arrow}`)
    for (let i = 0; i < Math.abs(d) % 10; i++) await page.keyboard.press(arrow)
  }
}

test('by keyboard alone: Tab to the image, arrows and Enter place the six points on L1 and give the heights and grade of the mouse journey; the Cobb tool takes the same keys', async ({ page }) => {
  const doc = uniqueUser('physician', 'Dr. Ines Varga')
  const tag = doc.username.slice(-5)
  await addUser(page, ADMIN, doc)
  await signIn(page, doc)
  await expect(page.getByTestId('signed-in-user')).toContainText(doc.name)
  const patient = await registerPatient(page, { firstName: 'Karin', lastName: `Keys-${tag}`, dateOfBirth: '1944-09-30', sex: 'female', phone: '(555) 010-4436' })
  // imaging-measure.spec's mouse journey: L1 a wedge of 66, 80 and 100 pixels at 0.2 mm (34% loss, grade 2)
  const spacing = 0.2
  const l1: DrawnVertebra = { level: 'L1', top: 150, x: { anterior: 50, middle: 100, posterior: 150 }, heightPx: { anterior: 66, middle: 80, posterior: 100 } }
  const vertebrae = LATERAL_VERTEBRAE.map((v) => (v.level === 'L1' ? l1 : v))
  const disc = discs.write({ name: `KEYS-${tag.toUpperCase()}^KARIN`, birthDate: '19440930', id: 'RAD-96' }, { mrSlices: 3, lateral: { spacing: [spacing, spacing], vertebrae } })
  await importDiscOnChart(page, patient.id, disc.dir, 4)
  const loss = Math.round((1 - Math.min(l1.heightPx.anterior, l1.heightPx.middle) / l1.heightPx.posterior) * 1000) / 10
  const grade = genantGrade(loss)
  expect(grade).toBe(2)

  const viewer = await openStudy(page, 'LUMBAR SPINE 2 VIEWS')
  const stage = viewer.getByTestId('viewer-stage')
  const said = viewer.getByTestId('placing-announcement')
  const crosshair = viewer.getByTestId('placing-crosshair')
  const panel = viewer.getByTestId('measure-panel')
  await expect(crosshair).toHaveCount(0)
  // Enter on the panel's button starts; the button goes, and the image takes the focus with its instructions
  await panel.getByRole('button', { name: 'Measure a vertebra' }).focus()
  await page.keyboard.press('Enter')
  await expect(stage).toBeFocused()
  // Tab reaches the image again after leaving it
  await page.keyboard.press('Shift+Tab')
  await expect(stage).not.toBeFocused()
  await page.keyboard.press('Tab')
  await expect(stage).toBeFocused()
  await expect(stage).toHaveAccessibleName(/^Image 1 of 1\. Placing points: point 1 of 6, Superior endplate, anterior\. Arrow keys move the crosshair one image pixel, ten with Shift; Enter or Space places the point; Backspace undoes the last point; Escape stops placing\.$/)
  await expect(said).toHaveText('Placing points. Next: point 1 of 6, Superior endplate, anterior. Crosshair at pixel 100 across, 200 down (20.0 mm across, 40.0 mm down).')
  await expect(crosshair).toBeVisible()
  await expectAccessible(page, 'the image placing points by keyboard')

  const corners: [number, number][] = [
    [l1.x.anterior, l1.top],
    [l1.x.middle, l1.top],
    [l1.x.posterior, l1.top],
    [l1.x.anterior, l1.top + l1.heightPx.anterior],
    [l1.x.middle, l1.top + l1.heightPx.middle],
    [l1.x.posterior, l1.top + l1.heightPx.posterior],
  ]
  const overlay = viewer.getByTestId('measure-overlay')
  const mm = (v: number) => (v * spacing).toFixed(1)
  let at: [number, number] = [100, 200]
  // a point placed where it should not be, and Backspace takes it back (the crosshair stays where it was)
  await moveCrosshair(page, -3, 0)
  await expect(said).toHaveText(`pixel 97 across, 200 down (${mm(97)} mm across, ${mm(200)} mm down)`)
  await page.keyboard.press('Space')
  await expect(overlay.locator('circle')).toHaveCount(1)
  await expect(said).toHaveText(`Point 1 placed at pixel 97 across, 200 down (${mm(97)} mm across, ${mm(200)} mm down). Next: point 2 of 6, Superior endplate, middle.`)
  await page.keyboard.press('Backspace')
  await expect(overlay.locator('circle')).toHaveCount(0)
  await expect(said).toHaveText('Point 1 undone. Next: point 1 of 6, Superior endplate, anterior.')
  at = [97, 200]
  for (const [i, [x, y]] of corners.entries()) {
    await moveCrosshair(page, x - at[0], y - at[1])
    at = [x, y]
    await expect(said).toHaveText(`pixel ${x} across, ${y} down (${mm(x)} mm across, ${mm(y)} mm down)`)
    await page.keyboard.press('Enter')
    await expect(overlay.locator('circle')).toHaveCount(i + 1)
    await expect(said).toContainText(`Point ${i + 1} placed at pixel ${x} across, ${y} down`)
  }
  await expect(said).toContainText('All 6 points placed.')
  await expect(crosshair).toHaveCount(0)
  await expect(panel.getByTestId('measure-prompt')).toHaveText('All six points placed.')
  // the heights of the drawing exactly (whole pixels), the loss and grade the mouse journey gets
  const result = panel.getByTestId('measure-result')
  for (const [wall, px] of [
    ['Anterior', l1.heightPx.anterior],
    ['Middle', l1.heightPx.middle],
    ['Posterior', l1.heightPx.posterior],
  ] as const) {
    await expect(result.getByRole('row', { name: new RegExp(`^${wall} height`) }).getByRole('cell')).toHaveText(`${mm(px)} mm`)
  }
  await expect(result.getByRole('row', { name: /^Height loss/ }).getByRole('cell')).toHaveText(`${loss}%`)
  await expect(result).toContainText(`Genant ${GENANT_LABELS[grade]}`)
  await expect(result).toContainText('Wedge (anterior height reduced)')
  // Escape stops placing and leaves the viewer open; a second Escape closes it, as before
  await page.keyboard.press('Escape')
  await expect(panel.getByRole('button', { name: 'Go on measuring' })).toBeVisible()
  await expect(said).toHaveText('Stopped placing points.')
  await expect(viewer).toBeVisible()
  await expect(stage).toHaveAccessibleName('Image 1 of 1. Arrow keys or the mouse wheel move through the series.')

  // the Cobb tool on the MR series: while it places, the arrows move its crosshair, not through the slices
  await page.keyboard.press('Escape')
  await expect(viewer).toHaveCount(0)
  await openStudy(page, 'MRI LUMBAR SPINE')
  await viewer.getByRole('radiogroup', { name: 'Measuring tool' }).getByText('Cobb angle').click()
  const cobb = viewer.getByTestId('cobb-panel')
  await cobb.getByRole('button', { name: 'Place the four points' }).focus()
  await page.keyboard.press('Enter')
  await expect(stage).toBeFocused()
  await expect(said).toContainText('Next: point 1 of 4, Upper endplate (the superior endplate of T12), anterior end.')
  await page.keyboard.press('ArrowDown')
  await expect(said).toContainText('down')
  await page.keyboard.press('Enter')
  await expect(said).toContainText('Next: point 2 of 4, Upper endplate (the superior endplate of T12), posterior end.')
  await expect(viewer.getByTestId('viewer-position')).toHaveText('Image 1 of 3')
  await expect(overlay.locator('circle')).toHaveCount(1)
  await page.keyboard.press('Escape')
  await expect(cobb.getByRole('button', { name: 'Go on placing points' })).toBeVisible()
  await page.keyboard.press('ArrowDown')
  await expect(viewer.getByTestId('viewer-position')).toHaveText('Image 2 of 3')
})
