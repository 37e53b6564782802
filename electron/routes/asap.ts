import type { asapChannels } from '../../shared/channels/asap'
import * as asap from '../services/asap'
import type { RouteTable } from './types'

export const asapRoutes: RouteTable<keyof typeof asapChannels> = {
  'schedule.asap.list': (ctx, input) => asap.listEntries(ctx, input),
  'schedule.asap.add': (ctx, input) => asap.addEntry(ctx, input),
  'schedule.asap.update': (ctx, input) => asap.updateEntry(ctx, input),
  'schedule.asap.remove': (ctx, input) => asap.removeEntry(ctx, input),
  'schedule.asap.fitsSlot': (ctx, input) => asap.fitsSlot(ctx, input),
  'schedule.asap.book': (ctx, input) => asap.bookFromAsap(ctx, input),
}
