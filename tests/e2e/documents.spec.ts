/**
 * Issue 19 point 3 as the clinic works it: the front desk attaches a referral letter (a PDF made here with pdfkit)
 * to a patient from the file dialog, is refused a program renamed .pdf, and drops an X-ray image on the drop
 * target (a DataTransfer drop); a physician opens the letter on the chart in the viewer (PDF.js draws the page, its
 * text is there), zooms, sees both documents on the timeline, and marks the image entered in error: it stays,
 * struck through, with the reason. The spec makes its own users and patient.
 */
import * as UTIFModule from 'utif2'
import { makePdf, PNG_1X1, REFERRAL_LETTER_LINES, WINDOWS_PROGRAM } from '../fixtures/documentFiles'
import { dropFile } from './documentSteps'
import { ADMIN } from './env'
import { addUser, callChannel, expect, expectAccessible, signIn, signOut, test, uniqueUser } from './fixtures'
import { registerPatient } from './patientSteps'

test.describe.configure({ mode: 'serial', timeout: 240_000 })

const DOC = uniqueUser('physician', 'Dr. Ines Moreau')
const DESK = uniqueUser('frontDesk', 'Pat Desk')
const tag = DOC.username.slice(-5)
const PATIENT = { first: 'Documented', last: `Halvorsen-${tag}` }

// utif2 is CommonJS: under tsx its functions may sit on the default export
const UTIF = ((UTIFModule as unknown as { default?: typeof UTIFModule }).default ?? UTIFModule) as typeof UTIFModule

/**
 * A TIFF of solid-colour pages, uncompressed RGBA as UTIF.encodeImage writes one page, with one image directory per
 * page (a multi-page scan): the directories first, each page's pixels after them.
 */
function makeTiff(pages: { width: number; height: number; rgb: [number, number, number] }[]): Buffer {
  const start = 4096
  let offset = start
  const ifds = pages.map(({ width, height }) => {
    const ifd = { t256: [width], t257: [height], t258: [8, 8, 8, 8], t259: [1], t262: [2], t273: [offset], t277: [4], t278: [height], t279: [width * height * 4], t284: [1], t338: [1] }
    offset += width * height * 4
    return ifd
  })
  const head = new Uint8Array(UTIF.encode(ifds as unknown as UTIFModule.IFD[]))
  const out = new Uint8Array(offset)
  out.set(head)
  let at = start
  for (const { width, height, rgb } of pages) {
    for (let i = 0; i < width * height; i++, at += 4) out.set([...rgb, 255], at)
  }
  return Buffer.from(out)
}

test('the front desk attaches a letter and drops an image; a physician reads the letter in the viewer and marks the image entered in error', async ({ page }) => {
  await addUser(page, ADMIN, DOC)
  await addUser(page, ADMIN, DESK)
  await signIn(page, DESK)
  await expect(page.getByTestId('signed-in-user')).toContainText(DESK.name)
  const patient = await registerPatient(page, { firstName: PATIENT.first, lastName: PATIENT.last, dateOfBirth: '1941-06-12', sex: 'female', phone: '(555) 010-7781' })
  const letter = await makePdf([REFERRAL_LETTER_LINES])

  // 1. the letter, chosen with the file dialog (its input)
  await page.goto(`/#/patients/${patient.id}`)
  const section = page.getByTestId('documents-section')
  await expect(section.getByText('No documents attached.')).toBeVisible()
  await expect(section.getByRole('button', { name: 'Choose a file…' })).toBeVisible()
  await section.getByLabel('File to attach').setInputFiles({ name: 'durand-letter.pdf', mimeType: 'application/pdf', buffer: letter })
  const form = section.getByRole('group', { name: 'Attach durand-letter.pdf' })
  await expect(form.getByRole('textbox', { name: 'Title' })).toHaveValue('durand-letter')
  await expect(form.getByRole('combobox', { name: 'Kind' })).toHaveValue('referralLetter')
  await form.getByRole('textbox', { name: 'Title' }).fill('Letter from Dr. Durand')
  await form.getByRole('textbox', { name: 'Document date' }).fill('11/20/2026')
  await expectAccessible(page, 'the attach form')
  await form.getByRole('button', { name: 'Attach' }).click()
  await expect(form).toBeHidden()
  const list = section.getByRole('table', { name: 'Documents, newest first' })
  await expect(list).toContainText('Letter from Dr. Durand')
  await expect(list).toContainText('Referral letter')
  await expect(list).toContainText('durand-letter.pdf')

  // 2. a program renamed .pdf is refused at once, naming the file; nothing is attached
  await section.getByLabel('File to attach').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: WINDOWS_PROGRAM })
  await expect(section.getByRole('alert')).toContainText('"invoice.pdf" is a Windows program (MZ), not a document')
  await expect(section.getByRole('group', { name: /^Attach / })).toHaveCount(0)

  // 3. an X-ray dropped on the drop target
  await dropFile(page, 'document-drop', { name: 'lateral_xray.png', mimeType: 'image/png', buffer: PNG_1X1 })
  const imageForm = section.getByRole('group', { name: 'Attach lateral_xray.png' })
  await expect(imageForm.getByRole('textbox', { name: 'Title' })).toHaveValue('lateral xray')
  await imageForm.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Imaging report' })
  await imageForm.getByRole('textbox', { name: 'Title' }).fill(`Lateral X-ray ${tag}`)
  await imageForm.getByRole('button', { name: 'Attach' }).click()
  await expect(imageForm).toBeHidden()
  await expect(list.getByRole('row')).toHaveCount(3)
  // results are the physicians' to open: the front desk sees the title, not a link
  await expect(list.getByRole('button', { name: `Lateral X-ray ${tag}`, exact: true })).toHaveCount(0)
  await expect(list).toContainText('Opened by the physicians')
  await expectAccessible(page, 'the Documents section')
  await signOut(page)

  // 4. the physician reads the letter on the chart
  await signIn(page, DOC)
  await expect(page.getByTestId('signed-in-user')).toContainText(DOC.name)
  await page.goto(`/#/chart/${patient.id}`)
  const chartDocs = page.getByTestId('documents-section')
  await chartDocs.getByRole('button', { name: 'Letter from Dr. Durand', exact: true }).click()
  const viewer = page.getByRole('dialog', { name: 'Referral letter: Letter from Dr. Durand' })
  await expect(viewer.getByTestId('pdf-page-count')).toHaveText('1 page', { timeout: 30_000 })
  await expect(viewer.getByTestId('pdf-page-1-text')).toContainText('L1 compression fracture after a fall', { timeout: 30_000 })
  // the page is drawn: the canvas holds more than blank white
  await expect
    .poll(() =>
      viewer.locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
        let dark = 0
        for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++
        return dark
      }),
    )
    .toBeGreaterThan(100)
  await viewer.getByRole('button', { name: 'Zoom in' }).click()
  await expect(viewer.getByTestId('document-zoom')).toHaveText('125%')
  await expectAccessible(page, 'the document viewer')
  await page.keyboard.press('Escape')
  await expect(viewer).toBeHidden()

  // 5. both on the timeline; the image marked entered in error stays, struck through, with the reason
  const timeline = page.getByRole('list', { name: 'Timeline, newest first' })
  await expect(timeline).toContainText('Referral letter: Letter from Dr. Durand')
  await expect(timeline).toContainText(`Imaging report: Lateral X-ray ${tag}`)
  await chartDocs.getByRole('button', { name: `Mark "Lateral X-ray ${tag}" entered in error` }).click()
  const mark = page.getByRole('dialog', { name: 'Mark this document entered in error?' })
  await mark.getByRole('textbox', { name: 'Reason' }).fill('Another patient’s X-ray')
  await mark.getByRole('button', { name: 'Mark entered in error' }).click()
  await expect(mark).toBeHidden()
  const row = chartDocs.getByRole('row').filter({ hasText: `Lateral X-ray ${tag}` })
  await expect(row).toContainText('Entered in error')
  await expect(row).toContainText('Another patient’s X-ray')
  await expect(timeline).toContainText(`Imaging report "Lateral X-ray ${tag}" of`)
  await expect(timeline).toContainText('marked entered in error by')
  // the physician still opens it (the record of what was wrong)
  await chartDocs.getByRole('button', { name: `Lateral X-ray ${tag}`, exact: true }).click()
  await expect(page.getByRole('dialog').getByTestId('document-image')).toBeVisible()
  await page.keyboard.press('Escape')
})

test('the front desk attaches the referral letter from the Referrals list; it is the referral’s and on the patient page', async ({ page }) => {
  await signIn(page, DESK)
  await expect(page.getByTestId('signed-in-user')).toContainText(DESK.name)
  const patient = await registerPatient(page, { firstName: 'Lettered', lastName: `Okonkwo-${tag}`, dateOfBirth: '1939-02-03', sex: 'male', phone: '(555) 010-7782' })
  const referral = await callChannel<{ id: number; patientName: string }>(page, 'referrals.add', { patientId: patient.id, receivedOn: '2026-11-25', referrerId: null, referrerText: `Dr. Park ${tag}`, reason: 'T12 fracture' })
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals', exact: true }).click()
  await page.getByRole('button', { name: `Letter and documents of ${referral.patientName}'s referral` }).click()
  const dialog = page.getByRole('dialog', { name: new RegExp(`referral of .* from Dr\\. Park ${tag}`) })
  await expect(dialog.getByText('No documents attached.')).toBeVisible()
  await dialog.getByLabel('File to attach').setInputFiles({ name: 'park-referral.pdf', mimeType: 'application/pdf', buffer: await makePdf([['Dear colleague,', 'T12 fracture, please see.']]) })
  const form = dialog.getByRole('group', { name: 'Attach park-referral.pdf' })
  // the referral is the one the list was opened on: no choice to make
  await expect(form.getByRole('combobox', { name: 'Came with the referral' })).toHaveCount(0)
  await form.getByRole('button', { name: 'Attach' }).click()
  await expect(dialog.getByRole('table', { name: 'Documents, newest first' })).toContainText('park-referral')
  await expectAccessible(page, 'the referral’s documents')
  await page.keyboard.press('Escape')
  await page.goto(`/#/patients/${patient.id}`)
  await expect(page.getByTestId('documents-section').getByRole('table', { name: 'Documents, newest first' })).toContainText('park-referral.pdf')
  const docs = await callChannel<{ documents: { referralId: number | null }[] }>(page, 'documents.forPatient', { patientId: patient.id })
  expect(docs.documents.map((d) => d.referralId)).toEqual([referral.id])
})

test('a physician opens a scanned TIFF of two pages: the first is drawn, zooms as an image does, and the second is offered', async ({ page }) => {
  await signIn(page, DOC)
  await expect(page.getByTestId('signed-in-user')).toContainText(DOC.name)
  const patient = await registerPatient(page, { firstName: 'Scanned', lastName: `Lindqvist-${tag}`, dateOfBirth: '1944-09-30', sex: 'female', phone: '(555) 010-7783' })
  // page 1 a red 120 x 80 scan, page 2 a blue 60 x 90 one
  const tiff = makeTiff([
    { width: 120, height: 80, rgb: [200, 30, 40] },
    { width: 60, height: 90, rgb: [20, 40, 210] },
  ])
  await page.goto(`/#/chart/${patient.id}`)
  const section = page.getByTestId('documents-section')
  await section.getByLabel('File to attach').setInputFiles({ name: 'mri-report-scan.tif', mimeType: 'image/tiff', buffer: tiff })
  const form = section.getByRole('group', { name: 'Attach mri-report-scan.tif' })
  await form.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Imaging report' })
  await form.getByRole('textbox', { name: 'Title' }).fill('MRI report, scanned')
  await form.getByRole('button', { name: 'Attach' }).click()
  await expect(form).toBeHidden()
  await section.getByRole('button', { name: 'MRI report, scanned', exact: true }).click()
  const viewer = page.getByRole('dialog', { name: 'Imaging report: MRI report, scanned' })
  const canvas = viewer.getByRole('img', { name: 'MRI report, scanned, page 1 of 2' })
  await expect(canvas).toBeVisible({ timeout: 30_000 })
  await expect(viewer.getByTestId('tiff-page')).toHaveText('Page 1 of 2')
  const drawn = () =>
    canvas.evaluate((c: HTMLCanvasElement) => {
      const p = c.getContext('2d')!.getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data
      return { width: c.width, height: c.height, shown: Math.round(c.getBoundingClientRect().width), rgb: [p[0], p[1], p[2]] }
    })
  await expect.poll(drawn).toEqual({ width: 120, height: 80, shown: 120, rgb: [200, 30, 40] })
  // zoom as for PNG and JPEG: the picture's own width times the zoom
  await viewer.getByRole('button', { name: 'Zoom in' }).click()
  await expect(viewer.getByTestId('document-zoom')).toHaveText('125%')
  await expect.poll(async () => (await drawn()).shown).toBe(150)
  await expectAccessible(page, 'the TIFF viewer')
  await viewer.getByRole('button', { name: 'Next page' }).click()
  await expect(viewer.getByTestId('tiff-page')).toHaveText('Page 2 of 2')
  const second = viewer.getByRole('img', { name: 'MRI report, scanned, page 2 of 2' })
  await expect
    .poll(() =>
      second.evaluate((c: HTMLCanvasElement) => {
        const p = c.getContext('2d')!.getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data
        return { width: c.width, height: c.height, rgb: [p[0], p[1], p[2]] }
      }),
    )
    .toEqual({ width: 60, height: 90, rgb: [20, 40, 210] })
  await expect(viewer.getByRole('button', { name: 'Next page' })).toBeDisabled()
  await page.keyboard.press('Escape')
})
