/**
 * TIFF pages drawn into a canvas with UTIF (photopea's decoder, utif2): Chromium has no TIFF decoder, so a scanned
 * referral letter or an imaging report sent as TIFF would otherwise not show. Loaded only when a TIFF is opened
 * (the viewer imports this module dynamically), so the renderer's first load does not carry it
 * (scripts/check-bundle.mjs).
 */
import * as UTIFModule from 'utif2'

// utif2 is CommonJS (module.exports = UTIF): the bundler hands it over as the default export
const UTIF = ((UTIFModule as unknown as { default?: typeof UTIFModule }).default ?? UTIFModule) as typeof UTIFModule

export interface LoadedTiff {
  /** the image directories that hold a picture: a multi-page fax or scan has several */
  pageCount: number
  /** Decodes page `index` (0-based) and draws it into the canvas at its own pixel size; resolves with that size. */
  draw(index: number, canvas: HTMLCanvasElement): { width: number; height: number }
}

export function loadTiff(bytes: Uint8Array): LoadedTiff {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  // top-level directories with a width are pages; thumbnails and EXIF hang below them (sub-IFDs)
  const pages = UTIF.decode(buffer).filter((ifd) => ifd.t256 !== undefined)
  if (pages.length === 0) throw new Error('the file holds no image')
  return {
    pageCount: pages.length,
    draw(index, canvas) {
      const ifd = pages[index]!
      UTIF.decodeImage(buffer, ifd)
      const rgba = UTIF.toRGBA8(ifd)
      const { width, height } = ifd
      canvas.width = width
      canvas.height = height
      const context = canvas.getContext('2d')
      if (!context) throw new Error('the canvas cannot be drawn on')
      context.putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer as ArrayBuffer, rgba.byteOffset, width * height * 4), width, height), 0, 0)
      return { width, height }
    },
  }
}
