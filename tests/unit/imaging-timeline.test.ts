/** Imaging studies on the chart's timeline (issue 20 point 4): on the study's date, merged in order, filterable. */
import { describe, expect, it } from 'vitest'
import { filterTimeline, imagingTimelineItems, mergeTimeline, timelineFilterCounts, type TimelineStudy } from '../../shared/chartTimeline'
import type { TimelineItem } from '../../shared/schemas/chart'

const study = (over: Partial<TimelineStudy> = {}): TimelineStudy => ({
  id: 7,
  studyDate: '2026-11-02',
  modalities: ['CR'],
  description: 'LUMBAR SPINE 2 VIEWS',
  series: 1,
  images: 2,
  importedAt: '2026-11-30T15:00:00.000Z',
  importedBy: 'Dr. Ilse Brandt',
  ...over,
})

describe('imaging studies on the timeline', () => {
  it('reads as the modalities and description, on the study date, with what it holds and who imported it', () => {
    expect(imagingTimelineItems([study()], 'America/Chicago')).toEqual([
      {
        kind: 'imagingStudy',
        date: '2026-11-02',
        at: '2026-11-30T15:00:00.000Z',
        title: 'CR: LUMBAR SPINE 2 VIEWS',
        detail: '2 images in 1 series; imported by Dr. Ilse Brandt',
        status: 'Imported',
        ref: { type: 'imagingStudy', id: 7 },
        consultationId: null,
        procedureId: null,
        enteredInError: false,
      },
    ])
  })

  it('a disc without a study date dates it the clinic day it was imported, and says so', () => {
    // 03:30 UTC on Dec 1 is still Nov 30 in Chicago
    const [item] = imagingTimelineItems([study({ studyDate: null, modalities: [], description: '', images: 1, importedAt: '2026-12-01T03:30:00.000Z' })], 'America/Chicago')
    expect(item).toMatchObject({ date: '2026-11-30', title: 'Imaging: No description' })
    expect(item!.detail).toBe('1 image in 1 series (no study date on the disc: dated the day it was imported); imported by Dr. Ilse Brandt')
  })

  it('merges into the timeline newest first, and has a filter of its own', () => {
    const visit = { kind: 'consultation', date: '2026-11-10', at: '2026-11-10T15:00:00.000Z', title: 'Consultation', detail: '', status: 'Signed', ref: { type: 'consultation', id: 1 }, consultationId: 1, procedureId: null, enteredInError: false } as TimelineItem
    const all = mergeTimeline([visit], imagingTimelineItems([study(), study({ id: 8, studyDate: '2026-11-20', modalities: ['MR'], description: 'MRI LUMBAR SPINE' })], 'UTC'))
    expect(all.map((i) => i.date)).toEqual(['2026-11-20', '2026-11-10', '2026-11-02'])
    expect(filterTimeline(all, 'imaging').map((i) => i.ref.id)).toEqual([8, 7])
    expect(timelineFilterCounts(all)).toMatchObject({ all: 3, imaging: 2, consultations: 1 })
  })
})
