import { Attendance, AttendanceQuery, ConfirmationList, ConfirmationsQuery, LogContactAttempt, LoggedContactAttempt } from '../schemas/confirmations'
import { CLINICAL_STAFF, type ChannelDef } from './define'

/** Who changes an appointment's status (shared/channels/scheduling.ts STATUS_CHANGERS) logs the calls too. */
const CALLERS = ['frontDesk', 'physician'] as const

export const confirmationChannels = {
  /** the Confirmations screen: the day's appointments not yet confirmed nor cancelled, with their calls */
  'confirmations.list': { input: ConfirmationsQuery, output: ConfirmationList, access: CLINICAL_STAFF, reads: ['schedule', 'patients', 'worklists'] },
  /** a call logged (who and when from the session and the server's clock); with `confirm`, the appointment confirmed too */
  'confirmations.logAttempt': { input: LogContactAttempt, output: LoggedContactAttempt, access: CALLERS, mutates: true, changes: ['schedule', 'worklists'] },
  /** the Outcomes dashboard: confirmation and no-show rates by appointment type and by reminder channel */
  'outcomes.attendance': { input: AttendanceQuery, output: Attendance, access: ['manager'], reads: ['schedule', 'patients'] },
} as const satisfies Record<string, ChannelDef>
