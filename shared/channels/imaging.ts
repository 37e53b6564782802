import {
  ImagingImportJob,
  ImagingJobQuery,
  ImagingScan,
  OpenStudy,
  PatientStudies,
  PatientStudiesQuery,
  ScanImagingFolder,
  StartImagingImport,
  StudyView,
} from '../schemas/imaging'
import {
  InstanceContent,
  InstanceContentQuery,
  MeasurementView,
  PatientMeasurements,
  PatientMeasurementsQuery,
  ProcedureMeasurementView,
  SaveMeasurement,
  SaveMeasurementToProcedure,
} from '../schemas/imagingViewer'
import { ChooseFolderResult } from '../schemas/settings'
import { CLINICAL_STAFF, Empty, type ChannelDef } from './define'

/**
 * Imaging studies (issue 20 point 1). The front desk (who receives the patient's CD) and physicians import;
 * managers see the list. The import is a job: `imaging.import.start` checks the folder and the patient, answers
 * at once with a job id, and stores file by file in the background (each file in its own short transaction, so
 * what is stored stays stored and consistent when it is cancelled); `status` and `cancel` follow it. Its writes
 * happen after the call has returned, so the call announces no change itself: the screen refreshes the chart's
 * studies when the job reports done (as the export jobs do).
 */
const IMPORTERS = ['frontDesk', 'physician'] as const
export const imagingChannels = {
  /** What the folder holds, before anything is stored: studies, series, images, the patient on the disc against the chart. */
  'imaging.scan': { input: ScanImagingFolder, output: ImagingScan, access: IMPORTERS, reads: ['chart'] },
  /** The system's folder dialog (the desktop app only; elsewhere available: false, and the path is typed). */
  'imaging.import.chooseFolder': { input: Empty, output: ChooseFolderResult, access: IMPORTERS },
  'imaging.import.start': { input: StartImagingImport, output: ImagingImportJob, access: IMPORTERS },
  'imaging.import.status': { input: ImagingJobQuery, output: ImagingImportJob, access: IMPORTERS },
  /** Stops between two files; what was stored stays. */
  'imaging.import.cancel': { input: ImagingJobQuery, output: ImagingImportJob, access: IMPORTERS },
  'imaging.studies.forPatient': { input: PatientStudiesQuery, output: PatientStudies, access: CLINICAL_STAFF, reads: ['chart'] },
  /** A study's series and images (metadata, not pixels), for the viewer; audited as an opening of the record. */
  'imaging.studies.open': { input: OpenStudy, output: StudyView, access: IMPORTERS, reads: ['chart'] },
  /** One stored image's DICOM file, for the viewer (the study was opened, and audited, by imaging.studies.open). */
  'imaging.instances.content': { input: InstanceContentQuery, output: InstanceContent, access: IMPORTERS, reads: ['chart'] },
  /** Six points on a vertebra into a draft consultation's finding; the main process computes the figures again. */
  'imaging.measurements.save': { input: SaveMeasurement, output: MeasurementView, access: ['physician'], mutates: true, changes: ['chart'] },
  /** Six points on a vertebra into a draft procedure note's heights before or after at a treated level (the note's own save). */
  'imaging.measurements.saveToProcedure': { input: SaveMeasurementToProcedure, output: ProcedureMeasurementView, access: ['physician'], mutates: true, changes: ['chart'] },
  /** The patient's saved measurements (points and figures, no pixels): a finding shows where its figure came from. */
  'imaging.measurements.forPatient': { input: PatientMeasurementsQuery, output: PatientMeasurements, access: CLINICAL_STAFF, reads: ['chart'] },
} as const satisfies Record<string, ChannelDef>
