import { z } from 'zod'

/**
 * A signed-in user's own preferences (how the schedule is shown to them), kept by the main process in
 * `user_preferences` so that they follow the person to any workstation and survive signing out and a restart.
 *
 * The keys are a fixed list with one value schema each: the router refuses an unknown key or a value its key's
 * schema does not accept, naming the field, so that the table only ever holds values a screen can use. A key
 * is added here (and nowhere else on the main process's side); a key dropped later is simply no longer read.
 */
export const PREFERENCE_SCHEMAS = {
  /** The schedule's slot height. */
  'schedule.zoom': z.enum(['compact', 'normal', 'large'], { message: 'for schedule.zoom must be compact, normal or large' }),
  /** Which lanes the day view shows. */
  'schedule.lanes': z.enum(['all', 'providers', 'rooms'], { message: 'for schedule.lanes must be all, providers or rooms' }),
  /** The lane the per-lane week last showed: 'p:<provider id>' or 'r:<room id>'. */
  'schedule.weekLane': z
    .string({ message: 'for schedule.weekLane must be a lane such as p:12 or r:3' })
    .max(20, { message: 'for schedule.weekLane must be a lane such as p:12 or r:3' })
    .regex(/^[pr]:\d+$/, { message: 'for schedule.weekLane must be a lane such as p:12 or r:3' }),
} as const

export type PreferenceKey = keyof typeof PREFERENCE_SCHEMAS
export const PREFERENCE_KEYS = Object.keys(PREFERENCE_SCHEMAS) as PreferenceKey[]
/** The value a key holds (what its schema gives). */
export type PreferenceValue<K extends PreferenceKey> = z.output<(typeof PREFERENCE_SCHEMAS)[K]>

export function isPreferenceKey(key: unknown): key is PreferenceKey {
  return typeof key === 'string' && Object.hasOwn(PREFERENCE_SCHEMAS, key)
}

const KEY_MESSAGE = `must be one of the known preferences: ${PREFERENCE_KEYS.join(', ')}`

/**
 * `me.preferences.set`: one key and its value, judged by that key's schema. A discriminated union, so that an
 * unknown key is refused under `key` and a bad value under `value` (with a message naming the key), and the
 * parsed input is typed per key. Strict: no other field (a user id in particular) is accepted.
 */
export const SetPreference = z.discriminatedUnion(
  'key',
  [
    z.object({ key: z.literal('schedule.zoom'), value: PREFERENCE_SCHEMAS['schedule.zoom'] }).strict(),
    z.object({ key: z.literal('schedule.lanes'), value: PREFERENCE_SCHEMAS['schedule.lanes'] }).strict(),
    z.object({ key: z.literal('schedule.weekLane'), value: PREFERENCE_SCHEMAS['schedule.weekLane'] }).strict(),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? KEY_MESSAGE : undefined) },
)
export type SetPreference = z.infer<typeof SetPreference>

/** The signed-in user's preferences: a key they never set is absent (the screen uses its own default). */
export const Preferences = z.object({
  'schedule.zoom': PREFERENCE_SCHEMAS['schedule.zoom'].optional(),
  'schedule.lanes': PREFERENCE_SCHEMAS['schedule.lanes'].optional(),
  'schedule.weekLane': PREFERENCE_SCHEMAS['schedule.weekLane'].optional(),
})
export type Preferences = z.infer<typeof Preferences>

export const PreferenceSet = z.object({ key: z.string(), updatedAt: z.string() })

// Every key can be set: the union above lists each key of PREFERENCE_SCHEMAS (TypeScript refuses one left out).
const everyKeySettable: Record<PreferenceKey, SetPreference['key']> = { 'schedule.zoom': 'schedule.zoom', 'schedule.lanes': 'schedule.lanes', 'schedule.weekLane': 'schedule.weekLane' }
void everyKeySettable
