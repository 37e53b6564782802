/**
 * The PDF fonts: which font draws which part of a line (splitRuns, with fallback), and that the fonts the app
 * ships have the glyphs of the names the issue lists and give each letter back as its own text (so that
 * pdftotext, search and copy read "Thị", not "Thi").
 */
import { existsSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FALLBACK_ORDER, FONT_FILES, fontFilePath, loadFont, splitRuns, type FontFamily, type FontWeight } from '../../electron/services/pdfFonts'

const ascii = (cp: number) => cp < 0x80
const han = (cp: number) => cp >= 0x4e00 && cp <= 0x9fff
const join = (runs: { text: string }[]) => runs.map((r) => r.text).join('')

describe('splitRuns', () => {
  it('gives each script to the first font that has it, spaces staying in the run they follow', () => {
    expect(splitRuns('Mai 王伟 end', [ascii, han])).toEqual([
      { text: 'Mai ', font: 0 },
      { text: '王伟 ', font: 1 },
      { text: 'end', font: 0 },
    ])
  })

  it('keeps a combining mark with its letter, and gives a character no font has to the first font', () => {
    expect(splitRuns('Thi\u0323 王', [ascii, han])).toEqual([
      { text: 'Thi\u0323 ', font: 0 },
      { text: '王', font: 1 },
    ])
    expect(splitRuns('a😀b', [ascii, han])).toEqual([{ text: 'a😀b', font: 0 }])
    expect(splitRuns('', [ascii, han])).toEqual([])
  })

  it('loses nothing: the runs put together are the text, none empty, neighbours in different fonts', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const runs = splitRuns(text, [ascii, han])
        expect(join(runs)).toBe(text)
        for (const [i, r] of runs.entries()) {
          expect(r.text.length).toBeGreaterThan(0)
          if (i > 0) expect(r.font).not.toBe(runs[i - 1]!.font)
        }
      }),
    )
  })
})

describe('the fonts the app ships', () => {
  it('are installed where the app looks for them', () => {
    for (const family of Object.keys(FONT_FILES) as FontFamily[]) {
      for (const weight of ['regular', 'bold'] as FontWeight[]) expect(existsSync(fontFilePath(family, weight)), FONT_FILES[family][weight]).toBe(true)
    }
  })

  const covers = (weight: FontWeight) => FALLBACK_ORDER.map((f) => (cp: number) => loadFont(f, weight).hasGlyphForCodePoint(cp))

  it.each(['regular', 'bold'] as FontWeight[])('draw every character of the four names (%s), Chinese in the fallback font', (weight) => {
    const runs = splitRuns('Łukasz Wiśniewski, Nguyễn Thị Mai, Дмитрий Иванов, 王伟, Zoë Ødegaard-Nuñez', covers(weight))
    expect(runs.map((r) => [r.text, FALLBACK_ORDER[r.font]])).toEqual([
      ['Łukasz Wiśniewski, Nguyễn Thị Mai, Дмитрий Иванов, ', 'latin'],
      ['王伟', 'cjk'],
      [', Zoë Ødegaard-Nuñez', 'latin'],
    ])
    for (const r of runs) {
      const font = loadFont(FALLBACK_ORDER[r.font]!, weight)
      for (const ch of r.text) expect(font.hasGlyphForCodePoint(ch.codePointAt(0)!), ch).toBe(true)
    }
  })

  it('lay out each accented letter as one glyph that carries the letter (what a PDF reader gives back)', () => {
    // every Vietnamese letter with a tone or vowel mark, upper and lower case, and Polish and Cyrillic ones
    const letters = [...'ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđơưăâêô', ...'łśźżćńąęó', ...'дмитрийёщ']
    for (const weight of ['regular', 'bold'] as FontWeight[]) {
      const font = loadFont('latin', weight)
      for (const letter of [...letters, ...letters.map((l) => l.toUpperCase())]) {
        const run = font.layout(letter.normalize('NFC'))
        expect(run.glyphs.map((g) => String.fromCodePoint(...g.codePoints)).join(''), `${letter} (${weight})`).toBe(letter.normalize('NFC'))
        expect(run.glyphs.every((g) => g.id !== 0), `${letter} has a glyph`).toBe(true)
      }
    }
  })
})
