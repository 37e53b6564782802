/** One handler per channel of the contract; TypeScript refuses a missing or mistyped one. */
import type { Channel } from '../shared/contract'
import { consultationRoutes } from './routes/consultations'
import { backupRoutes } from './routes/backup'
import { databaseRoutes } from './routes/database'
import { draftRoutes } from './routes/drafts'
import { preferenceRoutes } from './routes/preferences'
import { patientRoutes } from './routes/patients'
import { outcomeRoutes } from './routes/outcomes'
import { procedureRoutes } from './routes/procedures'
import { sessionRoutes } from './routes/session'
import { schedulingRoutes } from './routes/scheduling'
import { reminderRoutes } from './routes/reminders'
import { asapRoutes } from './routes/asap'
import { confirmationRoutes } from './routes/confirmations'
import { referralRoutes } from './routes/referrals'
import { documentRoutes } from './routes/documents'
import { letterRoutes } from './routes/letters'
import { imagingRoutes } from './routes/imaging'
import type { RouteTable } from './routes/types'
import { userRoutes } from './routes/users'

export const handlers: RouteTable<Channel> = {
  ...sessionRoutes,
  ...userRoutes,
  ...patientRoutes,
  ...consultationRoutes,
  ...procedureRoutes,
  ...outcomeRoutes,
  ...schedulingRoutes,
  ...reminderRoutes,
  ...asapRoutes,
  ...confirmationRoutes,
  ...referralRoutes,
  ...documentRoutes,
  ...letterRoutes,
  ...imagingRoutes,
  ...backupRoutes,
  ...databaseRoutes,
  ...draftRoutes,
  ...preferenceRoutes,
}
