import type { patientChannels } from '../../shared/channels/patients'
import * as patients from '../services/patients'
import type { RouteTable } from './types'

export const patientRoutes: RouteTable<keyof typeof patientChannels> = {
  'patients.search': (ctx, input) => patients.searchPatients(ctx, input),
  'patients.get': (ctx, input) => patients.getPatient(ctx, input),
  'patients.findDuplicates': (ctx, input) => patients.findDuplicates(ctx, input),
  'patients.register': (ctx, input) => patients.registerPatient(ctx, input),
  'patients.update': (ctx, input) => patients.updatePatient(ctx, input),
}
