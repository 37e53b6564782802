/** The procedure note: vertebroplasty or kyphoplasty, level by level. */
import { z } from 'zod'
import { CPT_DESCRIPTIONS, PROCEDURE_KINDS } from '../clinical/cpt'
import { HEIGHT_WALLS } from '../clinical/height'
import { normalizeIcd10Cm } from '../clinical/icd10'
import { Id, IsoDate, IsoInstant, optionalText, Version } from './common'
import { Level } from './consultations'
import { SEXES } from './patients'
import { SigningState } from './signing'

export { CPT_DESCRIPTIONS }

/** An ISO-8601 UTC time, stored in one form (milliseconds and Z) so that stored times compare as text. */
export const UtcInstant = IsoInstant.transform((v) => new Date(v).toISOString())

export const ProcedureKind = z.enum(PROCEDURE_KINDS, { message: 'must be vertebroplasty or kyphoplasty' })
export const PROCEDURE_KIND_LABELS: Record<(typeof PROCEDURE_KINDS)[number], string> = { vertebroplasty: 'Vertebroplasty', kyphoplasty: 'Kyphoplasty' }

export const APPROACHES = ['unipedicular', 'bipedicular', 'extrapedicular'] as const
export const APPROACH_LABELS: Record<(typeof APPROACHES)[number], string> = { unipedicular: 'Unipedicular', bipedicular: 'Bipedicular', extrapedicular: 'Extrapedicular' }

/**
 * Where the cement leaked, as the SIR/CIRSE quality improvement guidelines for percutaneous vertebral augmentation
 * (Baerlocher et al., and Tsoumakidou et al. for CIRSE, 2017) list extravasation: epidural, foraminal,
 * paravertebral (soft tissue), venous (paravertebral veins, including a pulmonary embolus's source) and into the
 * disc. Issue 17 point 7 asks for these locations. The choice a note offers.
 */
export const LEAK_LOCATIONS = ['epidural', 'foraminal', 'paravertebral', 'venous', 'disc'] as const
/**
 * The earlier classification by route (Yeom et al. 2003: basivertebral vein, segmental vein, cortical defect; plus
 * disc). Notes written before migration 0022 hold these: a signed note is never rewritten, so they stay readable and
 * labelled. A draft that already holds one at a level keeps it when saved; a level cannot be given one anew
 * (electron/services/procedures/note.ts saveProcedure refuses it, naming the field and the locations to use).
 */
export const LEGACY_LEAK_TYPES = ['basivertebralVein', 'segmentalVein', 'corticalDefect'] as const
/** @deprecated the old name of LEAK_LOCATIONS' list; kept for readers of old code: the locations offered now. */
export const LEAK_TYPES = LEAK_LOCATIONS
/** What a new note can record: none, or the leak locations. */
export const LEAKAGE_VALUES = ['none', ...LEAK_LOCATIONS] as const
/** Everything a stored note may hold (what reading accepts). */
export const STORED_LEAKAGE_VALUES = [...LEAKAGE_VALUES, ...LEGACY_LEAK_TYPES] as const
export type LeakageValue = (typeof STORED_LEAKAGE_VALUES)[number]
export const isLegacyLeak = (v: string): v is (typeof LEGACY_LEAK_TYPES)[number] => (LEGACY_LEAK_TYPES as readonly string[]).includes(v)
export const LEAKAGE_LABELS: Record<LeakageValue, string> = {
  none: 'None',
  epidural: 'Epidural',
  foraminal: 'Foraminal',
  paravertebral: 'Paravertebral (soft tissue)',
  venous: 'Venous',
  disc: 'Disc',
  // the old classification's labels stay as they were: signed notes and discharge summaries read them
  basivertebralVein: 'Basivertebral vein',
  segmentalVein: 'Segmental vein',
  corticalDefect: 'Cortical defect',
}

export const ANAESTHESIA = ['local', 'moderateSedation', 'deepSedation', 'generalAnaesthesia'] as const
export const ANAESTHESIA_LABELS: Record<(typeof ANAESTHESIA)[number], string> = {
  local: 'Local anaesthesia only',
  moderateSedation: 'Local with moderate (conscious) sedation',
  deepSedation: 'Deep sedation',
  generalAnaesthesia: 'General anaesthesia',
}

export const POSITIONS = ['prone', 'lateral', 'other'] as const
export const POSITION_LABELS: Record<(typeof POSITIONS)[number], string> = { prone: 'Prone', lateral: 'Lateral decubitus', other: 'Other' }

export const IMAGING = ['fluoroscopy', 'biplaneFluoroscopy', 'ctFluoroscopy', 'ct'] as const
export const IMAGING_LABELS: Record<(typeof IMAGING)[number], string> = {
  fluoroscopy: 'Fluoroscopy',
  biplaneFluoroscopy: 'Biplane fluoroscopy',
  ctFluoroscopy: 'CT fluoroscopy',
  ct: 'CT',
}

export const COMPLICATIONS = ['hypotension', 'cementEmbolism', 'newFracture', 'neurologicalDeficit', 'infection', 'bleeding', 'other'] as const
export const COMPLICATION_LABELS: Record<(typeof COMPLICATIONS)[number], string> = {
  hypotension: 'Hypotension',
  cementEmbolism: 'Cement embolism',
  newFracture: 'New fracture',
  neurologicalDeficit: 'Neurological deficit',
  infection: 'Infection',
  bleeding: 'Bleeding or haematoma',
  other: 'Other',
}

/** Per-level limits (migration 0022; the angle's range is the consultation's kyphotic_angle, migration 0019). */
export const CEMENT_LOT_MAX = 60
export const DEVICE_IDS_MAX = 1000
export const KYPHOTIC_ANGLE_MIN = -90
export const KYPHOTIC_ANGLE_MAX = 90

const num = (min: number, max: number, unit: string) =>
  z
    .number({ message: 'must be a number' })
    .min(min, { message: `must be ${min} to ${max} ${unit}` })
    .max(max, { message: `must be ${min} to ${max} ${unit}` })

const positive = (max: number, unit: string) =>
  z
    .number({ message: 'must be a number' })
    .positive({ message: `must be above 0 ${unit}` })
    .max(max, { message: `must be at most ${max} ${unit}` })

/** Vertebral body heights in mm at the anterior, middle and posterior wall. */
export const WallHeightsSchema = z.object(Object.fromEntries(HEIGHT_WALLS.map((w) => [w, positive(80, 'mm')])) as Record<(typeof HEIGHT_WALLS)[number], ReturnType<typeof positive>>)

export const Diagnosis = z.object({
  code: z
    .string({ message: 'is required' })
    .transform((c, ctx) => {
      const n = normalizeIcd10Cm(c)
      if (!n) {
        ctx.addIssue({ code: 'custom', message: 'must be an ICD-10-CM code such as M80.08XA' })
        return z.NEVER
      }
      return n
    }),
  description: optionalText(200),
})
export type Diagnosis = z.infer<typeof Diagnosis>

export const ProcedureFields = z
  .object({
    kind: ProcedureKind,
    procedureDate: IsoDate,
    anaesthesia: z.enum(ANAESTHESIA, { message: 'must be local, moderate sedation, deep sedation or general anaesthesia' }).nullable().default(null),
    anaesthesiaNote: optionalText(500),
    position: z.enum(POSITIONS, { message: 'must be prone, lateral or other' }).default('prone'),
    imagingGuidance: z.enum(IMAGING, { message: 'must be fluoroscopy, biplane fluoroscopy, CT fluoroscopy or CT' }).default('fluoroscopy'),
    fluoroscopySeconds: num(0, 7200, 'seconds').nullable().default(null),
    /** cumulative air kerma at the reference point, mGy */
    doseAirKermaMgy: num(0, 20000, 'mGy').nullable().default(null),
    /** dose-area product, mGy·cm² */
    doseDapMgyCm2: num(0, 1_000_000, 'mGy·cm²').nullable().default(null),
    startedAt: UtcInstant.nullable().default(null),
    endedAt: UtcInstant.nullable().default(null),
    intraComplications: z.array(z.enum(COMPLICATIONS, { message: 'must be an item of the complication list' }), { message: 'must be a list' }).default([]).transform((c) => COMPLICATIONS.filter((k) => c.includes(k))),
    intraComplicationsNote: optionalText(2000),
    postComplications: z.array(z.enum(COMPLICATIONS, { message: 'must be an item of the complication list' }), { message: 'must be a list' }).default([]).transform((c) => COMPLICATIONS.filter((k) => c.includes(k))),
    postComplicationsNote: optionalText(2000),
    narrative: optionalText(20000),
    diagnoses: z.array(Diagnosis, { message: 'must be a list' }).max(12, { message: 'must be at most 12 codes' }).default([]),
  })
  .superRefine((v, ctx) => {
    if (v.startedAt && v.endedAt && v.endedAt < v.startedAt) ctx.addIssue({ code: 'custom', path: ['endedAt'], message: 'must be after the start time' })
    if (v.intraComplications.includes('other') && !v.intraComplicationsNote) ctx.addIssue({ code: 'custom', path: ['intraComplicationsNote'], message: 'is required to describe the other complication' })
    if (v.postComplications.includes('other') && !v.postComplicationsNote) ctx.addIssue({ code: 'custom', path: ['postComplicationsNote'], message: 'is required to describe the other complication' })
    const seen = new Set<string>()
    v.diagnoses.forEach((d, i) => {
      if (seen.has(d.code)) ctx.addIssue({ code: 'custom', path: ['diagnoses', i, 'code'], message: `${d.code} is listed twice` })
      seen.add(d.code)
    })
  })
export type ProcedureFields = z.infer<typeof ProcedureFields>
export type ProcedureFieldsInput = z.input<typeof ProcedureFields>

export const LevelFields = z
  .object({
    level: Level,
    approach: z.enum(APPROACHES, { message: 'must be unipedicular, bipedicular or extrapedicular' }).nullable().default(null),
    needleGauge: z.number({ message: 'must be a number' }).int({ message: 'must be a whole gauge' }).min(8, { message: 'must be 8 to 18 gauge' }).max(18, { message: 'must be 8 to 18 gauge' }).nullable().default(null),
    /** kyphoplasty only: the balloon's inflation volume (mL) and the highest pressure (psi) */
    balloonVolumeMl: positive(10, 'mL').nullable().default(null),
    balloonPressurePsi: positive(700, 'psi').nullable().default(null),
    cementType: optionalText(120),
    cementVolumeMl: positive(20, 'mL').nullable().default(null),
    heightBefore: WallHeightsSchema.nullable().default(null),
    heightAfter: WallHeightsSchema.nullable().default(null),
    /** [] not recorded yet; ['none']; or the leak locations seen (old notes: the old types, see LEGACY_LEAK_TYPES) */
    leakage: z
      .array(z.enum(STORED_LEAKAGE_VALUES, { message: 'must be none, epidural, foraminal, paravertebral, venous or disc' }), { message: 'must be a list' })
      .default([])
      .transform((l) => STORED_LEAKAGE_VALUES.filter((k) => l.includes(k)))
      .refine((l) => !(l.includes('none') && l.length > 1), { message: 'cannot be none and a leak at once' }),
    leakageSymptomatic: z.boolean({ message: 'must be yes or no' }).nullable().default(null),
    notes: optionalText(2000),
    /** the cement's lot number, as printed on the pack */
    cementLot: optionalText(CEMENT_LOT_MAX),
    /** the kit, needle and balloon identifiers (lot numbers or UDIs), one per line */
    deviceIds: optionalText(DEVICE_IDS_MAX),
    /** degrees at this level after the procedure; the angle before is the consultation's (same range) */
    kyphoticAngleAfter: num(KYPHOTIC_ANGLE_MIN, KYPHOTIC_ANGLE_MAX, 'degrees').nullable().default(null),
    /** null: not recorded (notes written before migration 0022) */
    biopsyTaken: z.boolean({ message: 'must be yes or no' }).nullable().default(null),
  })
  .superRefine((v, ctx) => {
    const leaked = v.leakage.some((l) => l !== 'none')
    if (!leaked && v.leakageSymptomatic !== null) ctx.addIssue({ code: 'custom', path: ['leakageSymptomatic'], message: 'applies only to a cement leak' })
  })
export type LevelFields = z.infer<typeof LevelFields>
export type LevelFieldsInput = z.input<typeof LevelFields>

export const SaveProcedure = z
  .object({
    id: Id,
    version: Version,
    fields: ProcedureFields,
    /** the levels in the order they were treated (the first carries the primary CPT code) */
    levels: z.array(LevelFields, { message: 'must be a list' }).max(10, { message: 'must be at most 10 levels' }),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>()
    v.levels.forEach((l, i) => {
      if (seen.has(l.level)) ctx.addIssue({ code: 'custom', path: ['levels', i, 'level'], message: `${l.level} is listed twice` })
      seen.add(l.level)
      if (v.fields.kind === 'vertebroplasty') {
        if (l.balloonVolumeMl !== null) ctx.addIssue({ code: 'custom', path: ['levels', i, 'balloonVolumeMl'], message: 'is for kyphoplasty only' })
        if (l.balloonPressurePsi !== null) ctx.addIssue({ code: 'custom', path: ['levels', i, 'balloonPressurePsi'], message: 'is for kyphoplasty only' })
      }
    })
  })

export const OpenProcedure = z.object({
  patientId: Id,
  /** the procedure appointment the note is opened from */
  appointmentId: Id.optional(),
  /** the candidacy's procedure request (found from the appointment, or the patient's only active request, when not given) */
  procedureRequestId: Id.optional(),
  /** required when no procedure request is linked; otherwise the request's kind */
  kind: ProcedureKind.optional(),
  procedureDate: IsoDate.optional(),
})

// ---- views ----

export const WallRestorationView = z.object({
  wall: z.enum(HEIGHT_WALLS),
  before: z.number(),
  after: z.number(),
  gainMm: z.number(),
  gainPercent: z.number(),
  restoredOfLossPercent: z.number().nullable(),
})

export const LevelView = z.object({
  ...LevelFields.shape,
  id: Id,
  position: z.number().int(),
  /** computed when all six heights are recorded */
  heightRestoration: z.object({ walls: z.array(WallRestorationView), maxGainMm: z.number() }).nullable(),
})

export const CptView = z.object({
  lines: z.array(z.object({ level: Level, code: z.string(), primary: z.boolean(), description: z.string() })),
  summary: z.array(z.object({ code: z.string(), units: z.number().int(), description: z.string() })),
  problems: z.array(z.object({ level: Level.nullable(), message: z.string() })),
})
export type CptView = z.infer<typeof CptView>

export const PatientHeader = z.object({ id: Id, mrn: z.string(), firstName: z.string(), lastName: z.string(), dateOfBirth: IsoDate, sex: z.enum(SEXES), age: z.number().int() })

/**
 * A level's biopsy result, from pathology days after the procedure (when the note is signed and locked), so it is
 * recorded apart from the note: append-only, a corrected report is a new result and the newest is in force.
 */
export const BIOPSY_RESULTS = ['benign', 'malignant', 'infection', 'nonDiagnostic'] as const
export const BIOPSY_RESULT_LABELS: Record<(typeof BIOPSY_RESULTS)[number], string> = {
  benign: 'Benign (osteoporotic or other non-malignant)',
  malignant: 'Malignant (tumour)',
  infection: 'Infection',
  nonDiagnostic: 'Non-diagnostic',
}
export const RecordBiopsyResult = z.object({
  procedureId: Id,
  level: Level,
  result: z.enum(BIOPSY_RESULTS, { message: 'must be benign, malignant, infection or non-diagnostic' }),
  /** the pathology report's words (diagnosis, lab, report number) */
  text: optionalText(4000),
})
export type RecordBiopsyResult = z.infer<typeof RecordBiopsyResult>
export const BiopsyResultView = z.object({
  id: Id,
  level: Level,
  result: z.enum(BIOPSY_RESULTS),
  text: z.string(),
  recordedAt: IsoInstant,
  recordedBy: z.string(),
})
export type BiopsyResultView = z.infer<typeof BiopsyResultView>

export const ProcedureView = z.object({
  id: Id,
  patient: PatientHeader,
  appointmentId: Id.nullable(),
  procedureRequest: z.object({ id: Id, consultationId: Id, kind: ProcedureKind, levels: z.array(Level), status: z.string() }).nullable(),
  providerId: Id,
  providerName: z.string(),
  fields: ProcedureFields,
  levels: z.array(LevelView),
  totalCementMl: z.number(),
  cpt: CptView,
  /** what signing still needs, field path -> message */
  missingForSigning: z.record(z.string(), z.string()),
  /** the kyphotic angle the candidacy's consultation measured (degrees), shown beside each level's angle after */
  kyphoticAngleBefore: z.number().nullable(),
  /** biopsy results recorded after the procedure, oldest first */
  biopsyResults: z.array(BiopsyResultView),
  signing: SigningState,
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
  version: Version,
})
export type ProcedureView = z.infer<typeof ProcedureView>

export const ProcedureSummary = z.object({
  id: Id,
  patientId: Id,
  procedureDate: IsoDate,
  kind: ProcedureKind,
  levels: z.array(Level),
  providerName: z.string(),
  status: SigningState.shape.status,
})
export type ProcedureSummary = z.infer<typeof ProcedureSummary>
