/** Documents on the chart's timeline (issue 19 point 3): on the date they bear, merged in order, a mark of its own. */
import { describe, expect, it } from 'vitest'
import { documentTimelineItems, filterTimeline, mergeTimeline, type TimelineDocument } from '../../shared/chartTimeline'
import type { TimelineItem } from '../../shared/schemas/chart'

const doc = (over: Partial<TimelineDocument> = {}): TimelineDocument => ({
  id: 1,
  kind: 'referralLetter',
  title: 'Letter from Dr. Durand',
  documentDate: '2026-11-20',
  fileName: 'durand.pdf',
  size: 48_213,
  createdAt: '2026-11-30T15:00:00.000Z',
  createdBy: 'Fran Desk',
  consultationId: null,
  procedureId: null,
  enteredInError: null,
  ...over,
})

describe('documents on the timeline', () => {
  it('reads as the kind and title, on the date the document bears, with the file and who attached it', () => {
    expect(documentTimelineItems([doc()], 'America/Chicago')).toEqual([
      {
        kind: 'document',
        date: '2026-11-20',
        at: '2026-11-30T15:00:00.000Z',
        title: 'Referral letter: Letter from Dr. Durand',
        detail: 'durand.pdf, 47 kB; attached by Fran Desk',
        status: 'Attached',
        ref: { type: 'document', id: 1 },
        consultationId: null,
        procedureId: null,
        enteredInError: false,
      },
    ])
  })

  it('one entered in error stays, flagged, and its mark is an entry on the clinic date it was made, with who and why', () => {
    // 03:00 UTC on 1 December is still 30 November in Chicago
    const items = documentTimelineItems([doc({ id: 7, kind: 'imagingReport', title: 'MRI', enteredInError: { at: '2026-12-01T03:00:00.000Z', by: 'Dr Bones', reason: 'Another patient’s MRI' } })], 'America/Chicago')
    expect(items.map((i) => [i.kind, i.date, i.enteredInError])).toEqual([
      ['enteredInError', '2026-11-30', false],
      ['document', '2026-11-20', true],
    ])
    expect(items[0]).toMatchObject({ title: 'Imaging report "MRI" of 2026-11-20 marked entered in error by Dr Bones', detail: 'Another patient’s MRI', ref: { type: 'document', id: 7 } })
    expect(filterTimeline(items, 'documents').map((i) => i.ref.id)).toEqual([7])
    expect(filterTimeline(items, 'corrections').map((i) => i.kind)).toEqual(['enteredInError'])
  })

  it('merges into the rest of the timeline newest first', () => {
    const visit: TimelineItem = { kind: 'consultation', date: '2026-11-25', at: '2026-11-25T15:00:00.000Z', title: 'Consultation', detail: '', status: 'Signed', ref: { type: 'consultation', id: 3 }, consultationId: 3, procedureId: null, enteredInError: false }
    const merged = mergeTimeline([visit], documentTimelineItems([doc(), doc({ id: 2, documentDate: '2026-11-28', size: 3 * 1024 * 1024 })], 'UTC'))
    expect(merged.map((i) => `${i.kind}:${i.ref.id}`)).toEqual(['document:2', 'consultation:3', 'document:1'])
    expect(merged[0]!.detail).toBe('durand.pdf, 3.0 MB; attached by Fran Desk')
  })
})
