import { DiscardDraft, Draft, DraftDiscarded, DraftSaved, GetDraft, SaveDraft } from '../schemas/drafts'
import { ALL_STAFF, type ChannelDef } from './define'

/**
 * A user's own unsaved forms (renderer/drafts.ts). Every role has forms; a window only ever reaches the drafts
 * of the user signed in to it. Reading one needs an unlocked screen (it holds what was typed, often clinical);
 * saving and discarding are `background`: autosave is not the person's activity, and the save fired as the
 * screen locks still lands.
 */
export const draftChannels = {
  'drafts.get': { input: GetDraft, output: Draft.nullable(), access: ALL_STAFF, reads: ['drafts'] },
  'drafts.save': { input: SaveDraft, output: DraftSaved, access: ALL_STAFF, mutates: true, background: true, changes: ['drafts'] },
  'drafts.discard': { input: DiscardDraft, output: DraftDiscarded, access: ALL_STAFF, mutates: true, background: true, changes: ['drafts'] },
} as const satisfies Record<string, ChannelDef>
