/** Steps the document journeys share. */
import type { Page } from '@playwright/test'

/** Drops a file on the element as a person dragging it from the desktop would (a DataTransfer with the file). */
export async function dropFile(page: Page, testId: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  const transfer = await page.evaluateHandle(
    ([b64, name, type]) => {
      const bin = atob(b64)
      const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0))
      const dt = new DataTransfer()
      dt.items.add(new File([bytes], name, { type }))
      return dt
    },
    [file.buffer.toString('base64'), file.name, file.mimeType] as const,
  )
  const target = page.getByTestId(testId)
  await target.dispatchEvent('dragover', { dataTransfer: transfer })
  await target.dispatchEvent('drop', { dataTransfer: transfer })
}
