import { z } from 'zod'
import type { Role } from '../roles'

/** 'public': no sign-in needed. 'session': any signed-in user, even with the screen locked. */
export type Access = readonly Role[] | 'public' | 'session'

/**
 * The parts of the clinic's data a screen shows and a write changes. A write declares the areas it changes
 * (`changes`); the router announces exactly those after its commit (to the other windows, and on PostgreSQL to
 * the other workstations through NOTIFY), and every open screen whose channel reads one of them (`reads`)
 * refreshes (renderer/data.ts). 'session', 'drafts' and 'preferences' belong to one window's user and are never announced.
 */
export const AREAS = [
  'session',
  'drafts',
  'settings',
  'users',
  'patients',
  'chart',
  'followUps',
  'worklists',
  'stays',
  'schedule',
  'scheduleSetup',
  'backups',
  'preferences',
] as const
export type Area = (typeof AREAS)[number]
/** Areas of one window's own user: refreshed in that window, announced to no other. */
export const LOCAL_AREAS: readonly Area[] = ['session', 'drafts', 'preferences']

export interface ChannelDef {
  input: z.ZodType
  output: z.ZodType
  access: Access
  /** What this call changes: required of every `mutates` channel (tests/unit/contract-areas.test.ts). */
  changes?: readonly Area[]
  /** What this call shows: its open screens refresh when another call changes one of these. */
  reads?: readonly Area[]
  /** Runs in one write transaction together with its audit rows. */
  mutates?: boolean
  /**
   * Runs alone: the router lets the calls in progress finish, holds new ones until this one is done, and
   * gives the service `ctx.replaceDatabase` (a restore swaps the database file under the app).
   */
  exclusive?: boolean
  /**
   * Made by the app on the user's behalf (a draft's autosave), not by a person's action: it does not count as
   * activity that keeps the idle lock away; it is still accepted for a few seconds after the window locked (the
   * autosave fired as the lock begins must land; see rpc.ts); and it announces no change to other windows or
   * workstations (nobody else sees it).
   */
  background?: boolean
  /**
   * Signs something in the person's name (a clinical record, an addendum): the input carries the signed-in
   * user's `password`, which the router checks before the call runs (outside the write transaction, with the
   * window's backoff), so that a workstation left signed in cannot sign for its user.
   */
  reauthenticate?: boolean
  /**
   * Hashes or checks a password (scrypt at OWASP's cost: a few hundred milliseconds and 128 MiB). The router
   * opens no write transaction around it: the service does the slow part first and then writes through
   * `ctx.write` in a short transaction, so no other window's write waits on a hash.
   */
  hashesPassword?: boolean
}

/** The areas a channel's call announces to other windows and workstations: none for a background call. */
export function announcedAreas(def: ChannelDef): Area[] {
  if (def.background) return []
  return (def.changes ?? []).filter((a) => !LOCAL_AREAS.includes(a))
}

export const Empty = z.object({}).strict()
export const Ok = z.object({ ok: z.literal(true) })

export const ALL_STAFF = ['frontDesk', 'physician', 'manager', 'admin'] as const
export const CLINICAL_STAFF = ['frontDesk', 'physician', 'manager'] as const
