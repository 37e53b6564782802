/**
 * The chart's timeline and the spine's treated levels, built from the records the chart reads (pure: the main
 * process reads the rows and hands them over as plain data; the unit test builds the same entries by hand).
 *
 * Every record is an entry, newest first: consultations, care plans and their reassessments, procedure
 * requests, procedures with their levels, recovery, the stay decision, discharge summaries, follow-up visits,
 * addenda, and the marks that put a record in error. A record entered in error keeps its entry (flagged, the
 * screen strikes it through); the mark is an entry of its own, dated when it was made, with who and why.
 */
import { CANDIDACY_LABELS, type CandidacyDecisionKind } from './clinical/contraindications'
import type { ProcedureKind } from './clinical/cpt'
import type { VertebralLevel } from './clinical/levels'
import { describeStayReasons, DISPOSITION_LABELS, type Disposition, type StayReason } from './clinical/observation'
import { clinicDateOf, clinicTimeOf } from './clinicClock'
import type { SpineTreatment, TimelineItem, TimelineKind } from './schemas/chart'
import { DOCUMENT_KIND_LABELS, type DocumentKind } from './schemas/documents'
import { TIMELINE_KINDS } from './schemas/chart'
import { APPROACH_LABELS, BIOPSY_RESULT_LABELS, COMPLICATION_LABELS, LEAKAGE_LABELS, PROCEDURE_KIND_LABELS, type BIOPSY_RESULTS } from './schemas/procedures'

type BiopsyResult = (typeof BIOPSY_RESULTS)[number]
import { SIGNED_RECORD_STATUS_LABELS, type SignedRecordStatus } from './schemas/signing'

/** The signed record types (electron/services/signing.ts) and the words the timeline uses for them. */
export type SignedRecordType = 'consultation' | 'procedure' | 'dischargeSummary'
const RECORD_WORDS: Record<SignedRecordType, string> = { consultation: 'consultation note', procedure: 'procedure note', dischargeSummary: 'discharge summary' }

export interface TimelineSources {
  /** the clinic's time zone: an instant's calendar date and clock time are the clinic's */
  timeZone: string
  consultations: { id: number; visitDate: string; createdAt: string; providerName: string; chiefComplaint: string; decision: CandidacyDecisionKind | null; decisionLevels: string[] }[]
  carePlans: {
    id: number
    consultationId: number
    startDate: string
    createdAt: string
    bracing: string
    painMedication: string
    otherMeasures: string
    reassessmentDate: string
    outcome: string | null
    outcomeAt: string | null
    outcomeReason: string
    outcomeConsultationId: number | null
  }[]
  procedureRequests: { id: number; consultationId: number; createdAt: string; kind: CandidacyDecisionKind; levels: string[]; status: string; cancelReason: string }[]
  procedures: { id: number; procedureDate: string; createdAt: string; startedAt: string | null; kind: ProcedureKind; providerName: string }[]
  /** the levels of every procedure, any order: each procedure lists its own in the order treated */
  procedureLevels: { procedureId: number; treatedOrder: number; level: VertebralLevel; approach: string | null; cementVolumeMl: number | null; leakage: string }[]
  recoveries: { procedureId: number; supineStartedAt: string | null; supineEndedAt: string | null; arrivedAt: string | null; departedAt: string | null; updatedAt: string }[]
  stays: { procedureId: number; disposition: Disposition; reasons: StayReason[]; otherText: string; note: string; overCapacity: boolean; decidedAt: string; decidedByName: string }[]
  dischargeSummaries: { id: number; procedureId: number; createdAt: string; providerName: string; medications: string }[]
  followUpVisits: {
    id: number
    procedureId: number
    label: string
    visitDate: string
    recordedAt: string
    painNrs: number | null
    odiScore: number | null
    newFractureLevels: string[]
    complications: string[]
    /** a visit is put in error on its own row (follow_up_visits.error_*), not through the signing tables */
    error: { at: string; byName: string; reason: string } | null
  }[]
  addenda: { id: number; recordType: SignedRecordType; recordId: number; authorName: string; signedAt: string; text: string }[]
  /** pathology results appended to a procedure note (migration 0022): never changed, a later one supersedes */
  biopsyResults: { id: number; procedureId: number; level: string; result: BiopsyResult; text: string; recordedAt: string; recordedByName: string }[]
  /** the patient's signed records, of every type */
  signed: { recordType: SignedRecordType; recordId: number }[]
  /** the patient's entered-in-error marks, of every type */
  marks: { recordType: SignedRecordType; recordId: number; markerName: string; markedAt: string; reason: string }[]
}

/** A signed record's status: entered in error whatever its signature, then signed, else a draft. */
export function recordStatuses(s: Pick<TimelineSources, 'signed' | 'marks'>): (type: SignedRecordType, id: number) => SignedRecordStatus {
  const key = (type: string, id: number) => `${type}:${id}`
  const signed = new Set(s.signed.map((r) => key(r.recordType, r.recordId)))
  const bad = new Set(s.marks.map((r) => key(r.recordType, r.recordId)))
  return (type, id) => (bad.has(key(type, id)) ? 'enteredInError' : signed.has(key(type, id)) ? 'signed' : 'draft')
}

/** At the same date and instant, what follows from another record comes first (newest first). */
const SAME_INSTANT_ORDER: readonly TimelineKind[] = [
  'enteredInError',
  'addendum',
  'biopsyResult',
  'procedureRequest',
  'consultation',
  'reassessment',
  'conservativeCare',
  'followUp',
  'dischargeSummary',
  'stayDecision',
  'recovery',
  'procedure',
  'document',
]

/** Newest first: by date, then by the instant recorded, then what follows from what, then the later record. */
export function compareTimelineItems(x: TimelineItem, y: TimelineItem): number {
  if (x.date !== y.date) return x.date < y.date ? 1 : -1
  if (x.at !== y.at) return x.at < y.at ? 1 : -1
  const k = SAME_INSTANT_ORDER.indexOf(x.kind) - SAME_INSTANT_ORDER.indexOf(y.kind)
  return k !== 0 ? k : y.ref.id - x.ref.id
}

/** Merges lists of entries into one timeline, newest first (a new array; the lists are not changed). */
export function mergeTimeline(...lists: readonly (readonly TimelineItem[])[]): TimelineItem[] {
  return lists.flat().sort(compareTimelineItems)
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)
const clip = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)
const listOf = (levels: readonly string[]) => levels.join(', ')

/** A procedure's levels in the order treated. */
function levelsByProcedure(rows: TimelineSources['procedureLevels']): Map<number, TimelineSources['procedureLevels']> {
  const out = new Map<number, TimelineSources['procedureLevels']>()
  for (const l of [...rows].sort((a, b) => a.treatedOrder - b.treatedOrder)) out.set(l.procedureId, [...(out.get(l.procedureId) ?? []), l])
  return out
}

function describeLevel(l: TimelineSources['procedureLevels'][number]): string {
  const leaks = l.leakage
    .split(',')
    .filter((k) => k && k !== 'none')
    .map((k) => LEAKAGE_LABELS[k as keyof typeof LEAKAGE_LABELS] ?? k)
  const parts = [l.approach ? APPROACH_LABELS[l.approach as keyof typeof APPROACH_LABELS]?.toLowerCase() ?? l.approach : null, l.cementVolumeMl !== null ? `${l.cementVolumeMl} mL cement` : null, leaks.length ? `leak: ${leaks.join(', ').toLowerCase()}` : null]
  const said = parts.filter(Boolean).join(', ')
  return said ? `${l.level} ${said}` : l.level
}

export function buildTimeline(s: TimelineSources): TimelineItem[] {
  const zone = s.timeZone
  const statusOf = recordStatuses(s)
  const noteInError = (id: number) => statusOf('consultation', id) === 'enteredInError'
  const procedureInError = (id: number) => statusOf('procedure', id) === 'enteredInError'
  const procedures = new Map(s.procedures.map((p) => [p.id, p]))
  const notes = new Map(s.consultations.map((n) => [n.id, n]))
  const summaries = new Map(s.dischargeSummaries.map((d) => [d.id, d]))
  const levels = levelsByProcedure(s.procedureLevels)
  const procedureLevels = (id: number) => (levels.get(id) ?? []).map((l) => l.level)
  const items: TimelineItem[] = []
  const entry = (e: Omit<TimelineItem, 'consultationId' | 'procedureId'> & Partial<Pick<TimelineItem, 'consultationId' | 'procedureId'>>) =>
    items.push({ consultationId: null, procedureId: null, ...e })

  for (const n of s.consultations) {
    const decision = n.decision ? `${CANDIDACY_LABELS[n.decision]}${n.decisionLevels.length ? ` (${listOf(n.decisionLevels)})` : ''}` : ''
    entry({
      kind: 'consultation',
      date: n.visitDate,
      at: n.createdAt,
      title: `Consultation with ${n.providerName}`,
      detail: [n.chiefComplaint, decision].filter(Boolean).join(' - '),
      status: SIGNED_RECORD_STATUS_LABELS[statusOf('consultation', n.id)],
      ref: { type: 'consultation', id: n.id },
      consultationId: n.id,
      enteredInError: noteInError(n.id),
    })
  }
  for (const p of s.carePlans) {
    const measures = [p.bracing && `Brace: ${p.bracing}`, p.painMedication && `Medication: ${p.painMedication}`, p.otherMeasures].filter(Boolean).join('; ')
    entry({
      kind: 'conservativeCare',
      date: p.startDate,
      at: p.createdAt,
      title: 'Conservative care',
      detail: measures,
      status: p.outcome ? `Reassessed: ${p.outcome}` : `Reassessment due ${p.reassessmentDate}`,
      ref: { type: 'conservativeCare', id: p.id },
      consultationId: p.consultationId,
      enteredInError: noteInError(p.consultationId),
    })
    if (p.outcome && p.outcomeAt) {
      entry({
        kind: 'reassessment',
        date: clinicDateOf(p.outcomeAt, zone),
        at: p.outcomeAt,
        title: `Reassessment: conservative care ${p.outcome}`,
        detail: p.outcomeReason,
        status: p.outcome,
        ref: { type: 'conservativeCare', id: p.id },
        consultationId: p.outcomeConsultationId ?? p.consultationId,
        enteredInError: noteInError(p.consultationId),
      })
    }
  }
  for (const r of s.procedureRequests) {
    entry({
      kind: 'procedureRequest',
      date: clinicDateOf(r.createdAt, zone),
      at: r.createdAt,
      title: `${CANDIDACY_LABELS[r.kind]} requested: ${listOf(r.levels)}`,
      detail: r.cancelReason,
      status: r.status,
      ref: { type: 'procedureRequest', id: r.id },
      consultationId: r.consultationId,
      enteredInError: noteInError(r.consultationId),
    })
  }
  for (const p of s.procedures) {
    const here = levels.get(p.id) ?? []
    entry({
      kind: 'procedure',
      date: p.procedureDate,
      // the day reads in the order things happened: the procedure, then recovery, the stay, the summary
      at: p.startedAt ?? p.createdAt,
      title: `${PROCEDURE_KIND_LABELS[p.kind]} ${here.length ? listOf(here.map((l) => l.level)) : '(no levels recorded yet)'} by ${p.providerName}`,
      detail: here.map(describeLevel).join('; '),
      status: SIGNED_RECORD_STATUS_LABELS[statusOf('procedure', p.id)],
      ref: { type: 'procedure', id: p.id },
      procedureId: p.id,
      enteredInError: procedureInError(p.id),
    })
  }
  for (const r of s.recoveries) {
    // every procedure has its recovery record from the start: until a time is recorded there is nothing to show
    if (!r.supineStartedAt && !r.arrivedAt && !r.departedAt) continue
    const p = procedures.get(r.procedureId)
    const time = (at: string) => clinicTimeOf(at, zone)
    const supine = r.supineStartedAt ? `Supine from ${time(r.supineStartedAt)}${r.supineEndedAt ? ` until ${time(r.supineEndedAt)}` : ''}` : ''
    const bay = r.arrivedAt ? `in the observation bay from ${time(r.arrivedAt)}${r.departedAt ? ` until ${time(r.departedAt)}` : ''}` : ''
    const started = r.arrivedAt ?? r.supineStartedAt
    entry({
      kind: 'recovery',
      date: clinicDateOf(started ?? r.departedAt ?? r.updatedAt, zone),
      at: started ?? r.departedAt ?? r.updatedAt,
      title: `Recovery after the ${p ? PROCEDURE_KIND_LABELS[p.kind].toLowerCase() : 'procedure'}`,
      detail: capitalised([supine, bay].filter(Boolean).join('; ')),
      status: r.departedAt ? 'Departed' : r.arrivedAt ? 'In the observation bay' : 'Not yet in the bay',
      ref: { type: 'recovery', id: r.procedureId },
      procedureId: r.procedureId,
      enteredInError: procedureInError(r.procedureId),
    })
  }
  for (const st of s.stays) {
    const why = describeStayReasons(st.reasons, st.otherText)
    entry({
      kind: 'stayDecision',
      date: clinicDateOf(st.decidedAt, zone),
      at: st.decidedAt,
      title: `Stay decision: ${DISPOSITION_LABELS[st.disposition]}`,
      detail: [`Decided by ${st.decidedByName}`, why && `reasons: ${why}`, st.overCapacity && 'over the overnight beds available', st.note].filter(Boolean).join('; '),
      status: 'Decided',
      ref: { type: 'stayDecision', id: st.procedureId },
      procedureId: st.procedureId,
      enteredInError: procedureInError(st.procedureId),
    })
  }
  for (const d of s.dischargeSummaries) {
    const status = statusOf('dischargeSummary', d.id)
    entry({
      kind: 'dischargeSummary',
      date: clinicDateOf(d.createdAt, zone),
      at: d.createdAt,
      title: `Discharge summary by ${d.providerName}`,
      detail: d.medications ? `Medications: ${clip(d.medications)}` : '',
      status: SIGNED_RECORD_STATUS_LABELS[status],
      ref: { type: 'dischargeSummary', id: d.id },
      procedureId: d.procedureId,
      enteredInError: status === 'enteredInError' || procedureInError(d.procedureId),
    })
  }
  for (const v of s.followUpVisits) {
    const complications = v.complications.map((c) => COMPLICATION_LABELS[c as keyof typeof COMPLICATION_LABELS] ?? c)
    const detail = [
      v.painNrs !== null && `Pain ${v.painNrs}/10`,
      v.odiScore !== null && `ODI ${v.odiScore}%`,
      v.newFractureLevels.length > 0 && `new fracture at ${listOf(v.newFractureLevels)}`,
      complications.length > 0 && `complications: ${complications.join(', ')}`,
    ]
    entry({
      kind: 'followUp',
      date: v.visitDate,
      at: v.recordedAt,
      title: `Follow-up visit (${v.label})`,
      detail: detail.filter(Boolean).join(' · '),
      status: v.error ? SIGNED_RECORD_STATUS_LABELS.enteredInError : 'Recorded',
      ref: { type: 'followUpVisit', id: v.id },
      procedureId: v.procedureId,
      enteredInError: v.error !== null || procedureInError(v.procedureId),
    })
    if (v.error) {
      entry({
        kind: 'enteredInError',
        date: clinicDateOf(v.error.at, zone),
        at: v.error.at,
        title: `Follow-up visit (${v.label}) of ${v.visitDate} marked entered in error by ${v.error.byName}`,
        detail: v.error.reason,
        status: SIGNED_RECORD_STATUS_LABELS.enteredInError,
        ref: { type: 'followUpVisit', id: v.id },
        procedureId: v.procedureId,
        enteredInError: false,
      })
    }
  }

  for (const b of s.biopsyResults) {
    const p = procedures.get(b.procedureId)
    entry({
      kind: 'biopsyResult',
      date: clinicDateOf(b.recordedAt, zone),
      at: b.recordedAt,
      title: `Biopsy result at ${b.level}${p ? ` (${PROCEDURE_KIND_LABELS[p.kind].toLowerCase()} of ${p.procedureDate})` : ''}: ${BIOPSY_RESULT_LABELS[b.result] ?? b.result}`,
      detail: [`Recorded by ${b.recordedByName}`, b.text && clip(b.text)].filter(Boolean).join('; '),
      status: 'Recorded',
      ref: { type: 'procedure', id: b.procedureId },
      procedureId: b.procedureId,
      enteredInError: procedureInError(b.procedureId),
    })
  }

  /** The record an addendum or a mark is about: its words, its date, and where it belongs. */
  const about = (type: SignedRecordType, id: number) => {
    if (type === 'consultation') return { words: RECORD_WORDS[type], date: notes.get(id)?.visitDate, consultationId: id, procedureId: null }
    const procedureId = type === 'procedure' ? id : (summaries.get(id)?.procedureId ?? null)
    const date = type === 'procedure' ? procedures.get(id)?.procedureDate : summaries.has(id) ? clinicDateOf(summaries.get(id)!.createdAt, zone) : undefined
    const levelsText = procedureId !== null && type === 'procedure' && procedureLevels(procedureId).length ? ` (${listOf(procedureLevels(procedureId))})` : ''
    return { words: `${RECORD_WORDS[type]}${levelsText}`, date, consultationId: null, procedureId }
  }
  for (const a of s.addenda) {
    const r = about(a.recordType, a.recordId)
    entry({
      kind: 'addendum',
      date: clinicDateOf(a.signedAt, zone),
      at: a.signedAt,
      title: `Addendum to the ${r.words}${r.date ? ` of ${r.date}` : ''} by ${a.authorName}`,
      detail: clip(a.text),
      status: SIGNED_RECORD_STATUS_LABELS.signed,
      ref: { type: a.recordType, id: a.recordId },
      consultationId: r.consultationId,
      procedureId: r.procedureId,
      enteredInError: statusOf(a.recordType, a.recordId) === 'enteredInError',
    })
  }
  for (const m of s.marks) {
    const r = about(m.recordType, m.recordId)
    entry({
      kind: 'enteredInError',
      date: clinicDateOf(m.markedAt, zone),
      at: m.markedAt,
      title: `${capitalised(r.words)}${r.date ? ` of ${r.date}` : ''} marked entered in error by ${m.markerName}`,
      detail: m.reason,
      status: SIGNED_RECORD_STATUS_LABELS.enteredInError,
      ref: { type: m.recordType, id: m.recordId },
      consultationId: r.consultationId,
      procedureId: r.procedureId,
      // the mark is the correction itself, not a record in error: it reads plainly
      enteredInError: false,
    })
  }
  return items.sort(compareTimelineItems)
}

/** What the timeline needs of a document on the chart (shared/schemas/documents.ts DocumentView has it). */
export interface TimelineDocument {
  id: number
  kind: DocumentKind
  title: string
  documentDate: string
  fileName: string
  size: number
  createdAt: string
  createdBy: string
  consultationId: number | null
  procedureId: number | null
  enteredInError: { at: string; by: string; reason: string } | null
}

const sizeWords = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`)

/**
 * The chart's documents as timeline entries (issue 19 point 3), to merge with buildTimeline's (mergeTimeline):
 * each on the date it bears, attached by whom; one entered in error keeps its entry (flagged) and its mark is an
 * entry of its own, dated when it was made, with who and why, as for every other record.
 */
export function documentTimelineItems(docs: readonly TimelineDocument[], timeZone: string): TimelineItem[] {
  const items: TimelineItem[] = []
  for (const d of docs) {
    const label = DOCUMENT_KIND_LABELS[d.kind]
    items.push({
      kind: 'document',
      date: d.documentDate,
      at: d.createdAt,
      title: `${label}: ${d.title}`,
      detail: `${d.fileName}, ${sizeWords(d.size)}; attached by ${d.createdBy}`,
      status: d.enteredInError ? SIGNED_RECORD_STATUS_LABELS.enteredInError : 'Attached',
      ref: { type: 'document', id: d.id },
      consultationId: d.consultationId,
      procedureId: d.procedureId,
      enteredInError: d.enteredInError !== null,
    })
    if (d.enteredInError) {
      items.push({
        kind: 'enteredInError',
        date: clinicDateOf(d.enteredInError.at, timeZone),
        at: d.enteredInError.at,
        title: `${label} "${d.title}" of ${d.documentDate} marked entered in error by ${d.enteredInError.by}`,
        detail: d.enteredInError.reason,
        status: SIGNED_RECORD_STATUS_LABELS.enteredInError,
        ref: { type: 'document', id: d.id },
        consultationId: d.consultationId,
        procedureId: d.procedureId,
        enteredInError: false,
      })
    }
  }
  return items.sort(compareTimelineItems)
}

/** What the timeline needs of an imaging study (StudySummary in shared/schemas/imaging.ts). */
export interface TimelineStudy {
  id: number
  studyDate: string | null
  modalities: readonly string[]
  description: string
  series: number
  images: number
  importedAt: string
  importedBy: string
}

/**
 * The chart's imaging studies as timeline entries (issue 20 point 4), to merge with buildTimeline's: each on the
 * date the study was done (the disc's Study Date; the day it was imported when the disc gives none), with what it
 * holds and who imported it. They open from the Imaging section's viewer, not from the timeline.
 */
export function imagingTimelineItems(studies: readonly TimelineStudy[], timeZone: string): TimelineItem[] {
  return studies
    .map(
      (s): TimelineItem => ({
        kind: 'imagingStudy',
        date: s.studyDate ?? clinicDateOf(s.importedAt, timeZone),
        at: s.importedAt,
        title: `${s.modalities.join(', ') || 'Imaging'}: ${s.description || 'No description'}`,
        detail: `${s.images === 1 ? '1 image' : `${s.images} images`} in ${s.series} series${s.studyDate ? '' : ' (no study date on the disc: dated the day it was imported)'}; imported by ${s.importedBy}`,
        status: 'Imported',
        ref: { type: 'imagingStudy', id: s.id },
        consultationId: null,
        procedureId: null,
        enteredInError: false,
      }),
    )
    .sort(compareTimelineItems)
}

/** The timeline's filter: one choice, "All" by default; each choice names the kinds of entry it shows. */
export const TIMELINE_FILTERS = [
  { key: 'all', label: 'All', kinds: TIMELINE_KINDS },
  { key: 'consultations', label: 'Consultations', kinds: ['consultation'] },
  { key: 'care', label: 'Care plans', kinds: ['conservativeCare', 'reassessment'] },
  { key: 'procedures', label: 'Procedures', kinds: ['procedureRequest', 'procedure', 'biopsyResult'] },
  { key: 'recovery', label: 'Recovery and stay', kinds: ['recovery', 'stayDecision'] },
  { key: 'discharge', label: 'Discharge', kinds: ['dischargeSummary'] },
  { key: 'followUps', label: 'Follow-up visits', kinds: ['followUp'] },
  { key: 'corrections', label: 'Addenda and corrections', kinds: ['addendum', 'enteredInError'] },
  { key: 'documents', label: 'Documents', kinds: ['document'] },
  { key: 'imaging', label: 'Imaging', kinds: ['imagingStudy'] },
] as const satisfies readonly { key: string; label: string; kinds: readonly TimelineKind[] }[]
export type TimelineFilter = (typeof TIMELINE_FILTERS)[number]['key']

/** The entries a filter shows, in the timeline's order. An unknown filter shows everything rather than nothing. */
export function filterTimeline<T extends Pick<TimelineItem, 'kind'>>(items: readonly T[], filter: TimelineFilter): T[] {
  const f = TIMELINE_FILTERS.find((x) => x.key === filter) ?? TIMELINE_FILTERS[0]
  const kinds: readonly TimelineKind[] = f.kinds
  return items.filter((i) => kinds.includes(i.kind))
}

/** How many entries each filter shows. */
export function timelineFilterCounts(items: readonly Pick<TimelineItem, 'kind'>[]): Record<TimelineFilter, number> {
  return Object.fromEntries(TIMELINE_FILTERS.map((f) => [f.key, filterTimeline(items, f.key).length])) as Record<TimelineFilter, number>
}

/**
 * The procedures at each level for the spine diagram, newest first. A procedure entered in error treated
 * nothing as far as the chart is concerned; a draft note's levels count (the day's procedure is recorded
 * before it is signed), and say so.
 */
export function treatmentsByLevel(
  s: Pick<TimelineSources, 'procedures' | 'procedureLevels' | 'signed' | 'marks'>,
): Map<VertebralLevel, SpineTreatment[]> {
  const statusOf = recordStatuses(s)
  const procedures = new Map(s.procedures.map((p) => [p.id, p]))
  const out = new Map<VertebralLevel, SpineTreatment[]>()
  for (const l of s.procedureLevels) {
    const p = procedures.get(l.procedureId)
    const noteStatus = statusOf('procedure', l.procedureId)
    if (!p || noteStatus === 'enteredInError') continue
    out.set(l.level, [...(out.get(l.level) ?? []), { procedureId: p.id, date: p.procedureDate, kind: p.kind, noteStatus }])
  }
  for (const list of out.values()) list.sort((a, b) => (a.date !== b.date ? (a.date < b.date ? 1 : -1) : b.procedureId - a.procedureId))
  return out
}
