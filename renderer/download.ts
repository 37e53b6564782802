/**
 * Files the main process made, handed to the user as a download: the browser's own "save" (Chromium asks or
 * saves to Downloads; Electron shows its save dialog). One helper for every screen that downloads.
 */

/** The bytes of base64 text (PDFs and other binary files cross the bridge as base64). */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Offers `data` as a file named `fileName`; the object URL is freed once the download has had time to start. */
export function saveFile(data: Blob | BlobPart, fileName: string, type: string): void {
  const blob = data instanceof Blob ? data : new Blob([data], { type })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
