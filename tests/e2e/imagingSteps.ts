/**
 * Steps shared by the imaging journeys (issue 20): a test "CD" written with dcmjs into a temporary folder, imported
 * on the chart as the physician does it, the viewer opened on a study, and the mapping between a pixel of the
 * displayed image and the screen (to click a point on it, or to read what dwv drew there). What a spec tests is in
 * the spec; these only set the scene and measure.
 */
import type { Locator, Page } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeDisc, type TestDisc, type TestPatient } from '../fixtures/dicomStudies'
import { expect } from './fixtures'

/** The lateral radiograph of tests/fixtures/dicomStudies.ts lateralSpine: columns x rows. */
export const LATERAL_SIZE = { width: 200, height: 400 } as const

/** Temporary discs of one spec file: `discs.write(...)` in a test, `discs.removeAll()` in afterAll. */
export function tempDiscs() {
  const dirs: string[] = []
  return {
    write(patient: TestPatient, opts: Parameters<typeof writeDisc>[2] = {}): TestDisc {
      const dir = mkdtempSync(join(tmpdir(), 'clinic-e2e-cd-'))
      dirs.push(dir)
      return writeDisc(dir, patient, opts)
    },
    removeAll() {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
    },
  }
}

/** Imports every image of the disc in `folder` from the chart's Imaging section, through the form (preview, import). */
export async function importDiscOnChart(page: Page, patientId: number, folder: string, images: number): Promise<Locator> {
  await page.goto(`/#/chart/${patientId}`)
  const section = page.getByTestId('imaging-section')
  await section.getByRole('button', { name: 'Import from folder' }).click()
  const form = section.getByRole('group', { name: 'Import imaging from a folder' })
  await form.getByRole('textbox', { name: 'Folder on this computer' }).fill(folder)
  await form.getByRole('button', { name: 'Look in folder' }).click()
  await form.getByRole('button', { name: `Import ${images} image${images === 1 ? '' : 's'}` }).click()
  await expect(form.getByText(/Import finished\./)).toBeVisible()
  await form.getByRole('button', { name: 'Close' }).click()
  return section
}

/** Opens the viewer on the study whose View button's name starts with `description`; the viewer, once its image is loaded. */
export async function openStudy(page: Page, description: string): Promise<Locator> {
  await page.getByTestId('imaging-section').getByRole('button', { name: new RegExp(`^View ${description}`) }).click()
  const viewer = page.getByRole('dialog', { name: 'Imaging viewer' })
  await expect(viewer.getByTestId('image-bounds').first()).toBeAttached()
  return viewer
}

/** Where image pixel (x, y) of an image of `size` is on the screen, from the viewer's image-bounds overlay. */
export async function screenPoint(bounds: Locator, [x, y]: readonly [number, number], size: { width: number; height: number } = LATERAL_SIZE): Promise<{ x: number; y: number }> {
  const box = (await bounds.boundingBox())!
  return { x: box.x + (x * box.width) / size.width, y: box.y + (y * box.height) / size.height }
}

/** Clicks image pixel (x, y) with the mouse. */
export async function clickImagePoint(page: Page, bounds: Locator, point: readonly [number, number], size = LATERAL_SIZE): Promise<void> {
  const at = await screenPoint(bounds, point, size)
  await page.mouse.click(at.x, at.y)
}

/** The red channel (0-255) that dwv drew at image pixel (x, y) on the first viewer stage's canvas. */
export async function drawnBrightness(page: Page, bounds: Locator, point: readonly [number, number], size = LATERAL_SIZE): Promise<number> {
  const at = await screenPoint(bounds, point, size)
  return page.evaluate(
    ([cx, cy]) => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="viewer-stage"] canvas')!
      const r = canvas.getBoundingClientRect()
      return canvas.getContext('2d')!.getImageData(Math.round(((cx! - r.left) * canvas.width) / r.width), Math.round(((cy! - r.top) * canvas.height) / r.height), 1, 1).data[0]!
    },
    [at.x, at.y],
  )
}

/**
 * How many pixels of an <img> or <canvas> differ from its first (corner) pixel, read in the page: 0 for a blank
 * picture (all background), more when something was drawn on it.
 */
export async function drawnPixels(picture: Locator): Promise<number> {
  return picture.evaluate((el) => {
    const source = el as HTMLImageElement | HTMLCanvasElement
    const w = source instanceof HTMLImageElement ? source.naturalWidth : source.width
    const h = source instanceof HTMLImageElement ? source.naturalHeight : source.height
    if (!w || !h) return 0
    const c = document.createElement('canvas')
    c.width = w
    c.height = h
    const ctx = c.getContext('2d')!
    ctx.drawImage(source, 0, 0)
    const d = ctx.getImageData(0, 0, w, h).data
    let differing = 0
    for (let i = 4; i < d.length; i += 4) if (Math.abs(d[i]! - d[0]!) > 16 || Math.abs(d[i + 3]! - d[3]!) > 16) differing++
    return differing
  })
}
