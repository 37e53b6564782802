import { AddAsapEntry, AsapBooked, AsapEntryView, AsapFits, AsapList, AsapListQuery, BookFromAsap, FreedSlot, RemoveAsapEntry, UpdateAsapEntry } from '../schemas/asap'
import { CLINICAL_STAFF, type ChannelDef } from './define'

/**
 * The ASAP list (issue 21 point 4). Front desk, physicians and managers keep the list; the front desk books from
 * it (as it books everything). The list is a worklist: its writes change 'worklists', and booking from it the
 * schedule as well (and what a booking changes: follow-ups).
 */
export const asapChannels = {
  'schedule.asap.list': { input: AsapListQuery, output: AsapList, access: CLINICAL_STAFF, reads: ['worklists', 'schedule', 'patients'] },
  'schedule.asap.add': { input: AddAsapEntry, output: AsapEntryView, access: CLINICAL_STAFF, mutates: true, changes: ['worklists'] },
  'schedule.asap.update': { input: UpdateAsapEntry, output: AsapEntryView, access: CLINICAL_STAFF, mutates: true, changes: ['worklists'] },
  'schedule.asap.remove': { input: RemoveAsapEntry, output: AsapEntryView, access: CLINICAL_STAFF, mutates: true, changes: ['worklists'] },
  /** Who on the list fits a slot just freed (a cancellation, a move away), best first. */
  'schedule.asap.fitsSlot': { input: FreedSlot, output: AsapFits, access: CLINICAL_STAFF, reads: ['worklists', 'schedule', 'patients'] },
  /** Books (or moves their linked appointment) into the freed slot and closes the entry as booked: one transaction. */
  'schedule.asap.book': { input: BookFromAsap, output: AsapBooked, access: ['frontDesk'], mutates: true, changes: ['schedule', 'followUps', 'worklists'] },
} as const satisfies Record<string, ChannelDef>
