import type { imagingChannels } from '../../shared/channels/imaging'
import * as jobs from '../services/imaging/importJobs'
import * as studies from '../services/imaging/studies'
import { chooseImportFolder } from '../services/imaging/chooseFolder'
import { instanceContent } from '../services/imaging/instanceContent'
import { patientMeasurements, saveMeasurement } from '../services/imaging/measurements'
import { saveMeasurementToProcedure } from '../services/imaging/measurementsProcedure'
import type { RouteTable } from './types'

export const imagingRoutes: RouteTable<keyof typeof imagingChannels> = {
  'imaging.scan': (ctx, input) => jobs.scanImagingFolder(ctx, input),
  'imaging.import.chooseFolder': (ctx) => chooseImportFolder(ctx),
  'imaging.import.start': (ctx, input) => jobs.startImagingImport(ctx, input),
  'imaging.import.status': (ctx, input) => jobs.imagingImportStatus(ctx, input),
  'imaging.import.cancel': (ctx, input) => jobs.cancelImagingImport(ctx, input),
  'imaging.studies.forPatient': (ctx, input) => studies.patientStudies(ctx, input),
  'imaging.studies.open': (ctx, input) => studies.openStudy(ctx, input),
  'imaging.instances.content': (ctx, input) => instanceContent(ctx, input),
  'imaging.measurements.save': (ctx, input) => saveMeasurement(ctx, input),
  'imaging.measurements.saveToProcedure': (ctx, input) => saveMeasurementToProcedure(ctx, input),
  'imaging.measurements.forPatient': (ctx, input) => patientMeasurements(ctx, input),
}
