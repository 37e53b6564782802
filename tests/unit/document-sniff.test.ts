/**
 * What a file attached to the chart is (shared/documentSniff.ts), by its first bytes: each accepted type at its
 * signature's edge, the programs refused whatever their name, a name that claims another type, and properties
 * over arbitrary bytes (a program is never accepted; an accepted file's type is its content's, whatever it is named).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { contentType, nameType, sniffDocument, titleFromFileName } from '../../shared/documentSniff'

const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)))

describe('the content decides the type', () => {
  it('recognises each type by its signature, and not one byte short of it', () => {
    expect(contentType(bytes('%PDF-1.7\n'))).toBe('application/pdf')
    expect(contentType(bytes('%PDF'))).toBe('text/plain') // four bytes of text, not a PDF
    expect(contentType(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg')
    expect(contentType(bytes([0xff, 0xd8]))).toBeNull()
    expect(contentType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png')
    expect(contentType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a]))).toBeNull()
    expect(contentType(bytes('II', [0x2a, 0x00]))).toBe('image/tiff')
    expect(contentType(bytes('MM', [0x00, 0x2a]))).toBe('image/tiff')
    expect(contentType(bytes('MM', [0x2a, 0x00]))).toBeNull() // the little-endian marker after "MM": not a TIFF (and a NUL: not text)
    expect(contentType(Uint8Array.from(Buffer.from('Zoë, L1 – 8/10\n')))).toBe('text/plain')
    expect(contentType(bytes('a', [0], 'b'))).toBeNull() // NUL: not text
    expect(contentType(bytes([0xc3, 0x28]))).toBeNull() // invalid UTF-8
  })

  it('refuses programs by name of what they are, whatever the file is called', () => {
    const cases: [number[] | string, string][] = [
      ['MZ\x90\x00', 'a Windows program (MZ)'],
      [[0x7f, 0x45, 0x4c, 0x46, 2], 'a Linux program (ELF)'],
      [[0xcf, 0xfa, 0xed, 0xfe], 'a macOS program (Mach-O)'],
      [[0xfe, 0xed, 0xfa, 0xce], 'a macOS program (Mach-O)'],
      [[0xca, 0xfe, 0xba, 0xbe], 'a macOS or Java program'],
      ['#!/usr/bin/env python3\n', 'a script (#!)'],
    ]
    for (const [b, words] of cases) {
      for (const name of ['letter.pdf', 'scan.jpg', 'notes.txt', 'README']) {
        expect(sniffDocument(name, bytes(b))).toEqual({ ok: false, reason: 'executable', message: `"${name}" is ${words}, not a document: programs are never attached to a chart.` })
      }
    }
  })

  it('refuses an empty file, an unknown ending, and a name that claims another type; a name without an ending goes by content', () => {
    expect(sniffDocument('a.pdf', new Uint8Array())).toMatchObject({ ok: false, reason: 'empty' })
    expect(sniffDocument('a.docx', bytes('words'))).toMatchObject({ ok: false, reason: 'unsupported' })
    expect(sniffDocument('a.pdf', bytes([0xff, 0xd8, 0xff]))).toMatchObject({ ok: false, reason: 'mismatch', message: '"a.pdf" is named as a PDF but its content is a JPEG image: rename it or attach the right file.' })
    expect(sniffDocument('a.txt', bytes('%PDF-1.4'))).toMatchObject({ ok: false, reason: 'mismatch' })
    expect(sniffDocument('scan', bytes('%PDF-1.4'))).toEqual({ ok: true, mediaType: 'application/pdf' })
    expect(sniffDocument('SCAN.JPEG', bytes([0xff, 0xd8, 0xff]))).toEqual({ ok: true, mediaType: 'image/jpeg' })
    expect(sniffDocument('fax.tif', bytes('II', [0x2a, 0]))).toEqual({ ok: true, mediaType: 'image/tiff' })
    expect(sniffDocument('blob', bytes([0, 1, 2]))).toMatchObject({ ok: false, reason: 'unsupported', message: '"blob" is not a PDF, JPEG, PNG, TIFF or plain text file.' })
  })

  it('never accepts a program, and accepts a file only as what its content is', () => {
    const name = fc.constantFrom('a.pdf', 'a.jpg', 'a.png', 'a.tiff', 'a.txt', 'a', 'a.exe')
    fc.assert(
      fc.property(name, fc.uint8Array({ maxLength: 64 }), (n, b) => {
        const r = sniffDocument(n, b)
        if (!r.ok) return
        expect(b.length).toBeGreaterThan(0)
        expect(r.mediaType).toBe(contentType(b))
        const claimed = nameType(n)
        if (claimed) expect(claimed.type).toBe(r.mediaType)
        expect([[0x4d, 0x5a], [0x23, 0x21], [0x7f, 0x45, 0x4c, 0x46]].some((sig) => sig.every((x, i) => b[i] === x))).toBe(false)
      }),
    )
  })

  it('makes a title of the file name', () => {
    expect(titleFromFileName('MRI_report_2026-11-18.pdf')).toBe('MRI report 2026-11-18')
    expect(titleFromFileName('C:\\scans\\Durand  letter.PDF')).toBe('Durand letter')
    expect(titleFromFileName('noending')).toBe('noending')
  })
})
