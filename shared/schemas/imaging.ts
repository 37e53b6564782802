/**
 * Imaging (issue 20 point 1): importing a patient's studies from a CD, USB stick or folder, and the studies on
 * the chart. One schema per shape, used by the screens and the router alike.
 */
import { z } from 'zod'
import { Id } from './common'

/**
 * A folder on the clinic machine the main process reads (the CD's mount point, a USB stick, a copied folder).
 * A path, not files: the browser bridge cannot hand a folder's files to the main process, and the main process
 * must read the CD itself file by file anyway. It checks the path (exists, is a folder, readable); Electron's
 * folder dialog can supply it later.
 */
export const ImagingFolder = z
  .string({ message: 'is required' })
  .trim()
  .min(1, { message: 'is required' })
  .max(4096, { message: 'must be at most 4096 characters' })

/** A DICOM UID: digits and dots, at most 64 characters (DICOM PS3.5 9.1). */
export const DicomUid = z
  .string({ message: 'must be a DICOM UID' })
  .max(64, { message: 'must be at most 64 characters' })
  .regex(/^[0-9]+(\.[0-9]+)*$/, { message: 'must be a DICOM UID (digits and dots)' })

export const ScanImagingFolder = z.object({ patientId: Id, folder: ImagingFolder })
export type ScanImagingFolder = z.infer<typeof ScanImagingFolder>

export const SkippedFile = z.object({
  /** the file's path inside the folder */
  file: z.string(),
  reason: z.string(),
})
export type SkippedFile = z.infer<typeof SkippedFile>

/** How a study on the disc compares with the chart's patient. */
export const IdentityCheck = z.object({
  matches: z.boolean(),
  /** in words: "Birth date on the disc 03/01/1948, the chart's 02/29/1948" */
  differences: z.array(z.string()),
})
export type IdentityCheck = z.infer<typeof IdentityCheck>

export const FoundSeries = z.object({
  seriesInstanceUid: z.string(),
  seriesNumber: z.number().int().nullable(),
  modality: z.string(),
  description: z.string(),
  images: z.number().int(),
})
export type FoundSeries = z.infer<typeof FoundSeries>

export const FoundStudy = z.object({
  studyInstanceUid: z.string(),
  /** as the disc spells it, "Family, Given" */
  patientName: z.string(),
  /** YYYY-MM-DD, null when the disc does not say */
  patientBirthDate: z.string().nullable(),
  /** the imaging centre's own patient id (not the clinic's MRN) */
  patientIdOnDisc: z.string(),
  studyDate: z.string().nullable(),
  description: z.string(),
  modalities: z.array(z.string()),
  images: z.number().int(),
  /** images of this study the patient's chart holds already (same SOP Instance UID): skipped by the import */
  alreadyStored: z.number().int(),
  series: z.array(FoundSeries),
  identity: IdentityCheck,
})
export type FoundStudy = z.infer<typeof FoundStudy>

/** At most this many skipped files are listed one by one (the count is always whole). */
export const SKIPPED_LISTED = 200

export const ImagingScan = z.object({
  folder: z.string(),
  /** 'dicomdir': the disc's index was read; 'walk': no usable DICOMDIR, every file was looked at */
  source: z.enum(['dicomdir', 'walk']),
  /** files that will be read by the import */
  files: z.number().int(),
  studies: z.array(FoundStudy),
  skipped: z.array(SkippedFile),
  skippedCount: z.number().int(),
})
export type ImagingScan = z.infer<typeof ImagingScan>

export const StartImagingImport = z.object({
  patientId: Id,
  folder: ImagingFolder,
  /** the studies, among those whose patient differs from the chart's, that the user confirmed are this patient's */
  confirmedStudyUids: z.array(DicomUid).max(1000).default([]),
  /** only these studies (all found when absent) */
  studyUids: z.array(DicomUid).min(1, { message: 'must name at least one study' }).max(1000).optional(),
})
export type StartImagingImport = z.input<typeof StartImagingImport>

export const ImagingJobQuery = z.object({ jobId: z.string().regex(/^[a-f0-9]{32}$/, { message: 'is not an import job' }) })

export const IMPORT_STATES = ['running', 'done', 'cancelled', 'failed'] as const

export const ImagingImportJob = z.object({
  jobId: z.string(),
  state: z.enum(IMPORT_STATES),
  patientId: z.number().int(),
  /** files looked at so far, of filesTotal */
  filesDone: z.number().int(),
  filesTotal: z.number().int(),
  /** images stored by this import */
  stored: z.number().int(),
  /** images the chart held already (same SOP Instance UID), not stored again */
  duplicates: z.number().int(),
  /** studies this import added to the chart */
  newStudies: z.number().int(),
  skipped: z.array(SkippedFile),
  skippedCount: z.number().int(),
  error: z.string().nullable(),
})
export type ImagingImportJob = z.infer<typeof ImagingImportJob>

export const PatientStudiesQuery = z.object({ patientId: Id })

export const StudySummary = z.object({
  id: z.number().int(),
  studyInstanceUid: z.string(),
  studyDate: z.string().nullable(),
  modalities: z.array(z.string()),
  description: z.string(),
  series: z.number().int(),
  images: z.number().int(),
  patientNameOnDisc: z.string(),
  /** who confirmed a study whose name or birth date differed from the chart's; null when they matched */
  identityConfirmedBy: z.string().nullable(),
  importedAt: z.string(),
  importedBy: z.string(),
})
export type StudySummary = z.infer<typeof StudySummary>

export const PatientStudies = z.object({ studies: z.array(StudySummary) })

export const OpenStudy = z.object({ studyId: Id })

export const SpacingMm = z.object({ row: z.number(), column: z.number() }).nullable()

export const InstanceView = z.object({
  id: z.number().int(),
  sopInstanceUid: z.string(),
  instanceNumber: z.number().int().nullable(),
  rows: z.number().int().nullable(),
  columns: z.number().int().nullable(),
  frames: z.number().int(),
  /** Pixel Spacing (0028,0030): in the patient */
  pixelSpacing: SpacingMm,
  /** Imager Pixel Spacing (0018,1164): at a radiograph's detector */
  imagerPixelSpacing: SpacingMm,
  windowCenter: z.number().nullable(),
  windowWidth: z.number().nullable(),
  sliceLocation: z.number().nullable(),
  sha256: z.string(),
  size: z.number().int(),
})
export type InstanceView = z.infer<typeof InstanceView>

export const SeriesView = z.object({
  id: z.number().int(),
  seriesInstanceUid: z.string(),
  seriesNumber: z.number().int().nullable(),
  modality: z.string(),
  description: z.string(),
  bodyPart: z.string(),
  instances: z.array(InstanceView),
})

export const StudyView = StudySummary.extend({
  patientId: z.number().int(),
  patientBirthDateOnDisc: z.string().nullable(),
  accessionNumber: z.string(),
  seriesList: z.array(SeriesView),
})
export type StudyView = z.infer<typeof StudyView>
