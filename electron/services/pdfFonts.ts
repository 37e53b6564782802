/**
 * The fonts of the PDFs the main process makes with pdfkit (the discharge summary), and drawing text with them.
 *
 * pdfkit's built-in Helvetica is WinAnsi only: "Łukasz Wiśniewski", "Nguyễn Thị Mai", "Дмитрий" or "王伟" came
 * out as other characters. The PDFs embed Noto Sans (Latin, Greek, Cyrillic and Vietnamese) and, for what it
 * has no glyph for, Noto Sans SC (Chinese, and the Japanese and Korean characters it shares), from Google Fonts
 * by way of the @expo-google-fonts packages, which ship whole TTF files (runtime `dependencies`, so the
 * installer packs them). pdfkit embeds only the glyphs a document uses, so a summary grows by a few kilobytes.
 *
 * A line with several scripts is split into runs by which font has the glyphs (`splitRuns`), and the runs are
 * drawn one after another on the same line (pdfkit's `continued`), so wrapping still works across them.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

export type FontWeight = 'regular' | 'bold'
export type FontFamily = 'latin' | 'cjk'

/** Which family draws a character: the first in this order that has a glyph for it. */
export const FALLBACK_ORDER: readonly FontFamily[] = ['latin', 'cjk']

/** The font files, as paths inside their npm packages. */
export const FONT_FILES: Record<FontFamily, Record<FontWeight, string>> = {
  latin: {
    regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  },
  cjk: {
    regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
  },
}

/** What this module uses of a fontkit font (pdfkit takes the object itself as a font source). */
export interface LoadedFont {
  hasGlyphForCodePoint(codePoint: number): boolean
  layout(text: string, features?: unknown, ...rest: unknown[]): { glyphs: { id: number; codePoints: number[] }[] }
  readonly ascent: number
  readonly xHeight: number
  readonly unitsPerEm: number
}

interface Fontkit {
  create(bytes: Uint8Array): LoadedFont
}

/**
 * Resolves packages from where this code is: beside the bundle (dist-electron/core.cjs, also inside the packaged
 * app's asar, which Electron's module resolution reads) and the TypeScript sources under vitest both have
 * `__filename`. A source file run by tsx as an ES module has not, and `import.meta` cannot be written here
 * (esbuild empties it in the CommonJS bundle, with a warning on every build); tsx runs from the project folder
 * (npm scripts start there), whose node_modules holds the same packages.
 */
function requireHere(): NodeJS.Require {
  return createRequire(typeof __filename === 'string' ? __filename : join(process.cwd(), 'package.json'))
}

let fontkit: Fontkit | undefined
/** The fontkit pdfkit itself uses (its dependency), so that the two agree and nothing is bundled twice. */
function loadFontkit(): Fontkit {
  if (!fontkit) {
    const req = requireHere()
    fontkit = createRequire(req.resolve('pdfkit'))('fontkit') as Fontkit
  }
  return fontkit
}

/** Where a font file is on this machine (an error naming the package if it is not installed). */
export function fontFilePath(family: FontFamily, weight: FontWeight): string {
  const file = FONT_FILES[family][weight]
  try {
    return requireHere().resolve(file)
  } catch (err) {
    const pkg = file.split('/').slice(0, 2).join('/')
    throw new Error(`The PDF font ${file} is missing: the package ${pkg} is not installed (${(err as Error).message.split('\n')[0]}).`, { cause: err })
  }
}

/**
 * Shaping without `ccmp`: Noto Sans's glyph composition splits a precomposed letter such as "ị" into "i" and a
 * combining dot, and pdfkit maps each glyph back to one text for copying and searching, so "Thị" read back as
 * "Thi". Text is drawn in NFC, whose letters have glyphs of their own, so nothing is lost by turning it off.
 */
const SHAPING = { ccmp: false }

interface Position {
  xAdvance: number
  yAdvance: number
  xOffset: number
  yOffset: number
}
interface GlyphRun {
  glyphs: { id: number; codePoints: number[]; advanceWidth: number }[]
  positions: Position[]
  readonly advanceWidth: number
}

/** Words laid out per font, across documents; emptied when full (names make the set of words open-ended). */
const LAYOUT_CACHE_SIZE = 20_000

/**
 * Lays out with SHAPING, and keeps each word's layout for the next document: pdfkit keeps them per document
 * only, and fontkit decodes its substitution and positioning tables again on every call, which made up most
 * of a summary's 60 ms. pdfkit scales the positions it gets in place, so each call gets copies of them.
 */
function shapedLayout(font: LoadedFont): LoadedFont['layout'] {
  const layout = font.layout.bind(font) as (text: string, features: unknown, ...rest: unknown[]) => GlyphRun
  const cache = new Map<string, { glyphs: GlyphRun['glyphs']; positions: Position[] }>()
  return (text, features, ...rest) => {
    if (features !== undefined || rest.length > 0) return layout(text, features, ...rest)
    let hit = cache.get(text)
    if (!hit) {
      const run = layout(text, SHAPING)
      hit = { glyphs: run.glyphs, positions: run.positions.map((p) => ({ xAdvance: p.xAdvance, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset })) }
      if (cache.size >= LAYOUT_CACHE_SIZE) cache.clear()
      cache.set(text, hit)
    }
    const positions = hit.positions.map((p) => ({ ...p }))
    return {
      glyphs: hit.glyphs,
      positions,
      // as fontkit's GlyphRun: the sum of the advances, after whatever scaling the caller applied
      get advanceWidth() {
        return positions.reduce((w, p) => w + p.xAdvance, 0)
      },
    }
  }
}

const loaded = new Map<string, LoadedFont>()
/**
 * A font, read and parsed once per process and shared by every document (pdfkit accepts the parsed font):
 * parsing the tables again for each PDF cost about 150 ms. The Chinese font (10 MB) is read only when a text
 * needs it.
 */
export function loadFont(family: FontFamily, weight: FontWeight): LoadedFont {
  const key = `${family}-${weight}`
  let font = loaded.get(key)
  if (!font) {
    font = loadFontkit().create(readFileSync(fontFilePath(family, weight)))
    font.layout = shapedLayout(font)
    loaded.set(key, font)
  }
  return font
}

export interface TextRun {
  text: string
  /** index into the fallback order: the font that draws this run */
  font: number
}

/** Spaces, combining marks (variation selectors among them) and joiners go with the run they are in. */
const ATTACHED = /^(?:\s|\p{M}|\u200c|\u200d)$/u

/**
 * Splits a text into runs, each drawn by the first font in `covers` that has a glyph for its characters.
 * A character no font has goes to the first font (which draws a placeholder box for it).
 */
export function splitRuns(text: string, covers: readonly ((codePoint: number) => boolean)[]): TextRun[] {
  const runs: TextRun[] = []
  let current: TextRun | undefined
  for (const ch of text) {
    if (current && ATTACHED.test(ch)) {
      current.text += ch
      continue
    }
    const cp = ch.codePointAt(0)!
    let font = covers.findIndex((has) => has(cp))
    if (font < 0) font = 0
    if (current && current.font === font) current.text += ch
    else runs.push((current = { text: ch, font }))
  }
  return runs
}

export interface TextStyle {
  weight: FontWeight
  size: number
}

export type PdfFontMode =
  /** Noto Sans with the Chinese fallback, embedded (what every PDF is made with now) */
  | 'embedded'
  /** pdfkit's Helvetica, as PDFs were made before embedded fonts: only to check that such a stored PDF is reproducible */
  | 'standard'

/** Draws text on a pdfkit document in the mode's fonts. */
export class PdfTypesetter {
  private readonly registered = new Set<string>()

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    readonly mode: PdfFontMode = 'embedded',
  ) {}

  private useFont(family: FontFamily, style: TextStyle): void {
    const name = `noto-${family}-${style.weight}`
    if (!this.registered.has(name)) {
      // pdfkit accepts a parsed fontkit font where its types say file name or bytes
      this.doc.registerFont(name, loadFont(family, style.weight) as unknown as Buffer)
      this.registered.add(name)
    }
    this.doc.font(name).fontSize(style.size)
  }

  /** The runs of a text in this style (NFC, so that letters with accents are the single glyphs the fonts have). */
  runs(text: string, weight: FontWeight): { text: string; family: FontFamily }[] {
    const covers = FALLBACK_ORDER.map((family) => (cp: number) => loadFont(family, weight).hasGlyphForCodePoint(cp))
    return splitRuns(text.normalize('NFC'), covers).map((r) => ({ text: r.text, family: FALLBACK_ORDER[r.font]! }))
  }

  /** Like pdfkit's `text`, in this style, the runs of each script in the font that has them. */
  text(text: string, style: TextStyle, options: PDFKit.Mixins.TextOptions = {}): this {
    if (this.mode === 'standard') {
      this.doc.font(style.weight === 'bold' ? 'Helvetica-Bold' : 'Helvetica').fontSize(style.size).text(text, options)
      return this
    }
    const runs = this.runs(text, style.weight)
    if (runs.length === 0) runs.push({ text: '', family: FALLBACK_ORDER[0]! })
    runs.forEach((r, i) => {
      this.useFont(r.family, style)
      this.doc.text(r.text, i < runs.length - 1 ? { ...options, continued: true } : options)
    })
    return this
  }

  /** A bulleted list, like pdfkit's `list` (which takes one font per item, so cannot mix scripts). */
  list(items: string[], style: TextStyle, options: PDFKit.Mixins.TextOptions & { bulletRadius?: number } = {}): this {
    if (this.mode === 'standard') {
      this.doc.font(style.weight === 'bold' ? 'Helvetica-Bold' : 'Helvetica').fontSize(style.size).list(items, options)
      return this
    }
    const { bulletRadius = 1.5, ...textOptions } = options
    // pdfkit's list geometry (the text five radii in), but the bullet centred on the lower-case letters:
    // pdfkit centres it on half the ascender, which sits high with Noto's tall ascender
    const indent = bulletRadius * 5
    const latin = loadFont('latin', style.weight)
    const midLine = ((latin.ascent - latin.xHeight / 2) / latin.unitsPerEm) * style.size
    const doc = this.doc
    const x = doc.x
    const width = doc.page.width - doc.page.margins.right - x - indent
    for (const item of items) {
      this.useFont('latin', style)
      // the bullet goes on the page the item's first line goes on
      if (doc.y + doc.currentLineHeight(true) > doc.page.maxY()) doc.addPage()
      const y = doc.y
      doc.circle(x + bulletRadius, y + midLine, bulletRadius).fill()
      doc.x = x + indent
      this.text(item, style, { ...textOptions, width })
      doc.x = x
    }
    return this
  }
}
