import { z } from 'zod'
import { Id, IsoDate } from './common'

export const AuditQuery = z.object({
  userId: Id.optional(),
  patientId: Id.optional(),
  action: z.string().max(60).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  limit: z.number().int().min(1).max(500).default(100),
  beforeId: Id.optional(),
})

export const AuditEntry = z.object({
  id: Id,
  at: z.string(),
  userId: z.number().nullable(),
  username: z.string().nullable(),
  workstation: z.string(),
  action: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  patientId: z.number().nullable(),
  details: z.string(),
})
export type AuditEntry = z.infer<typeof AuditEntry>
