import { z } from 'zod'
import { Id } from '../schemas/common'
import { FindDuplicates, Patient, PatientSearch, PatientSummary, RegisterPatient, UpdatePatient } from '../schemas/patients'
import { CLINICAL_STAFF, type ChannelDef } from './define'

const REGISTRARS = ['frontDesk', 'physician'] as const

export const patientChannels = {
  'patients.search': { input: PatientSearch, output: z.array(PatientSummary), access: CLINICAL_STAFF, reads: ['patients'] },
  'patients.get': { input: z.object({ id: Id }), output: Patient, access: CLINICAL_STAFF, reads: ['patients'] },
  'patients.findDuplicates': { input: FindDuplicates, output: z.array(PatientSummary), access: REGISTRARS, reads: ['patients'] },
  'patients.register': { input: RegisterPatient, output: Patient, access: REGISTRARS, mutates: true, changes: ['patients'] },
  'patients.update': { input: UpdatePatient, output: Patient, access: REGISTRARS, mutates: true, changes: ['patients', 'chart', 'schedule', 'worklists', 'followUps', 'stays'] },
} as const satisfies Record<string, ChannelDef>
