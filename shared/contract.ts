/**
 * Every call the renderer may make. The main process accepts nothing that is not
 * listed here, validates every input against its schema and checks the caller's role.
 */
import { z } from 'zod'
import type { Role } from './roles'
import { AuditEntry, AuditQuery } from './schemas/audit'
import { Id } from './schemas/common'
import {
  FindDuplicates,
  Patient,
  PatientSearch,
  PatientSummary,
  RegisterPatient,
  UpdatePatient,
} from './schemas/patients'
import { SessionState, SignIn, Unlock } from './schemas/session'
import { SettingsView, UpdateSettings } from './schemas/settings'
import { CompleteSetup } from './schemas/setup'
import { CreateUser, ResetPassword, UpdateUser, User } from './schemas/users'

/** 'public': no sign-in needed. 'session': any signed-in user, even with the screen locked. */
export type Access = readonly Role[] | 'public' | 'session'

export interface ChannelDef {
  input: z.ZodType
  output: z.ZodType
  access: Access
  /** Runs in one write transaction together with its audit rows. */
  mutates?: boolean
}

const Empty = z.object({}).strict()
const Ok = z.object({ ok: z.literal(true) })

const ALL_STAFF = ['frontDesk', 'physician', 'manager', 'admin'] as const
const REGISTRARS = ['frontDesk', 'physician'] as const
const PATIENT_READERS = ['frontDesk', 'physician', 'manager'] as const

export const contract = {
  'session.state': { input: Empty, output: SessionState, access: 'public' },
  'setup.complete': { input: CompleteSetup, output: SessionState, access: 'public', mutates: true },
  'session.signIn': { input: SignIn, output: SessionState, access: 'public', mutates: true },
  'session.signOut': { input: Empty, output: Ok, access: 'session', mutates: true },
  'session.lock': { input: Empty, output: Ok, access: 'session', mutates: true },
  'session.unlock': { input: Unlock, output: SessionState, access: 'session', mutates: true },

  'settings.get': { input: Empty, output: SettingsView, access: ALL_STAFF },
  'settings.update': { input: UpdateSettings, output: SettingsView, access: ['admin'], mutates: true },

  'users.list': { input: Empty, output: z.array(User), access: ['admin'] },
  'users.create': { input: CreateUser, output: User, access: ['admin'], mutates: true },
  'users.update': { input: UpdateUser, output: User, access: ['admin'], mutates: true },
  'users.resetPassword': { input: ResetPassword, output: User, access: ['admin'], mutates: true },

  'patients.search': { input: PatientSearch, output: z.array(PatientSummary), access: PATIENT_READERS },
  'patients.get': { input: z.object({ id: Id }), output: Patient, access: PATIENT_READERS },
  'patients.findDuplicates': { input: FindDuplicates, output: z.array(PatientSummary), access: REGISTRARS },
  'patients.register': { input: RegisterPatient, output: Patient, access: REGISTRARS, mutates: true },
  'patients.update': { input: UpdatePatient, output: Patient, access: REGISTRARS, mutates: true },

  'audit.list': { input: AuditQuery, output: z.array(AuditEntry), access: ['manager', 'admin'] },
} as const satisfies Record<string, ChannelDef>

export type Contract = typeof contract
export type Channel = keyof Contract
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>
export type ChannelParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>

export const CHANNELS = Object.keys(contract) as Channel[]

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name)
}

/** Events the main process pushes to open windows. */
export type AppEvent = { type: 'dataChanged'; entity: string; id?: number } | { type: 'sessionChanged' }
