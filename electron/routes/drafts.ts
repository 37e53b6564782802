import type { draftChannels } from '../../shared/channels/drafts'
import * as drafts from '../services/drafts'
import type { RouteTable } from './types'

export const draftRoutes: RouteTable<keyof typeof draftChannels> = {
  'drafts.get': (ctx, input) => drafts.getDraft(ctx, input),
  'drafts.save': (ctx, input) => drafts.saveDraft(ctx, input),
  'drafts.discard': (ctx, input) => drafts.discardDraft(ctx, input),
}
