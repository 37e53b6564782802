/**
 * The clinic's clock for the screens: "today", "now" and every shown date-time in the clinic's time zone (a
 * setting, which the session state carries), whatever zone this computer is set to. "Now" is the browser's
 * clock; the maths is shared/clinicClock.ts, the same the main process uses.
 */
import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import {
  clinicAge,
  clinicDateOf,
  clinicInstantNotBefore,
  clinicTimeOf,
  clinicToday,
  formatClinicDateTime,
  formatClinicTime,
  type ClinicFormat,
  type Instant,
} from '../shared/clinicClock'
import { api } from './api'
import { SESSION_KEY } from './session'

export interface ClinicClock {
  /** the clinic's IANA time zone */
  zone: string
  /** the clinic's date now, YYYY-MM-DD */
  today(): string
  /** the clinic's time now, HH:MM */
  nowHhmm(): string
  dateOf(instant: Instant): string
  /** HH:MM of an instant; '' for none */
  hhmmOf(instant: Instant | null | undefined): string
  /** HH:MM typed for a clinic date as an instant; on the next day when it would be before `notBefore` */
  instantAt(date: string, hhmm: string, notBefore?: string | null): string
  /** 'Dec 6, 2026, 8:05 PM' (with `withZone`, '... EST') */
  dateTime(instant: Instant, opts?: ClinicFormat): string
  /** '20:05' (with `withZone`, '20:05 EST') */
  time(instant: Instant, opts?: { withZone?: boolean }): string
  /** age in whole years on the clinic's today */
  age(birthDate: string): number
}

export function clinicClock(zone: string, now: () => number = Date.now): ClinicClock {
  return {
    zone,
    today: () => clinicToday(now(), zone),
    nowHhmm: () => clinicTimeOf(now(), zone),
    dateOf: (instant) => clinicDateOf(instant, zone),
    hhmmOf: (instant) => (instant === null || instant === undefined || instant === '' ? '' : clinicTimeOf(instant, zone)),
    instantAt: (date, hhmm, notBefore) => clinicInstantNotBefore(date, hhmm, zone, notBefore),
    dateTime: (instant, opts) => formatClinicDateTime(instant, zone, opts),
    time: (instant, opts) => formatClinicTime(instant, zone, opts),
    age: (birthDate) => clinicAge(birthDate, now(), zone),
  }
}

/** The clinic's clock, inside the signed-in shell (whose session state is always loaded there). */
export function useClinicClock(): ClinicClock {
  const zone = useQuery({ queryKey: SESSION_KEY, queryFn: () => api('session.state'), select: (s) => s.timeZone }).data
  const clock = useMemo(() => (zone ? clinicClock(zone) : null), [zone])
  if (!clock) throw new Error("useClinicClock: the session state (which names the clinic's time zone) is not loaded; use it inside the signed-in shell")
  return clock
}
