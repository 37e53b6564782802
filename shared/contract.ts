/**
 * Every call the renderer may make. The main process accepts nothing that is not
 * listed here, validates every input against its schema and checks the caller's role.
 * Each part of the clinic lists its channels in shared/channels/<area>.ts.
 */
import type { z } from 'zod'
import { consultationChannels } from './channels/consultations'
import { backupChannels } from './channels/backup'
import { databaseChannels } from './channels/database'
import { draftChannels } from './channels/drafts'
import { preferenceChannels } from './channels/preferences'
import { patientChannels } from './channels/patients'
import { outcomeChannels } from './channels/outcomes'
import { procedureChannels } from './channels/procedures'
import { schedulingChannels } from './channels/scheduling'
import { reminderChannels } from './channels/reminders'
import { asapChannels } from './channels/asap'
import { confirmationChannels } from './channels/confirmations'
import { referralChannels } from './channels/referrals'
import { documentChannels } from './channels/documents'
import { letterChannels } from './channels/letters'
import { imagingChannels } from './channels/imaging'
import { sessionChannels } from './channels/session'
import { userChannels } from './channels/users'

import type { Area } from './channels/define'
export { AREAS, LOCAL_AREAS, announcedAreas } from './channels/define'
export type { Access, Area, ChannelDef } from './channels/define'

export const contract = {
  ...sessionChannels,
  ...userChannels,
  ...patientChannels,
  ...consultationChannels,
  ...procedureChannels,
  ...outcomeChannels,
  ...schedulingChannels,
  ...reminderChannels,
  ...asapChannels,
  ...confirmationChannels,
  ...referralChannels,
  ...documentChannels,
  ...letterChannels,
  ...imagingChannels,
  ...backupChannels,
  ...databaseChannels,
  ...draftChannels,
  ...preferenceChannels,
} as const

export type Contract = typeof contract
export type Channel = keyof Contract
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>
export type ChannelParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>

export const CHANNELS = Object.keys(contract) as Channel[]

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name)
}

/**
 * Events the main process pushes to open windows. `dataChanged` names the areas a write changed (its channel's
 * `changes`), or '*' when everything may have (a restore, changes missed while the PostgreSQL listener was away,
 * another program's write to the SQLite file).
 */
export type AppEvent = { type: 'dataChanged'; areas: readonly Area[] | '*' } | { type: 'sessionChanged' }
