/**
 * Issue 20 points 2 and 3, the viewer's series thumbnails and the Cobb angle tool, as a physician uses them: the
 * patient's CD (written here with dcmjs: a lateral "spine" of bright bodies on a dark ground, and an MR series) is
 * imported on the chart; each series in the viewer's list is a button showing a picture of its image; on the lateral
 * radiograph the Cobb tool takes four clicks, each asked for by name, and shows the angle between the two endplates
 * that this test works out from the points it clicked. The spec makes its own user, patient and disc.
 */
import { ADMIN } from './env'
import { addUser, expect, expectAccessible, signIn, test, uniqueUser } from './fixtures'
import { drawnPixels, importDiscOnChart, openStudy, tempDiscs } from './imagingSteps'
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
  const disc = discs.write({ name: `THUMB-${tag.toUpperCase()}^SIGRID`, birthDate: '19460308', id: 'RAD-93' }, { mrSlices: 3 })
  await importDiscOnChart(page, patient.id, disc.dir, 4)

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
