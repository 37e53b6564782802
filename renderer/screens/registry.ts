import { lazy, type ComponentType, type LazyExoticComponent } from 'react'
import type { Role } from '../../shared/roles'

export interface ScreenDef {
  /** Hash path prefix, e.g. '/patients'. */
  path: string
  label: string
  roles: readonly Role[]
  component: LazyExoticComponent<ComponentType>
  /** Fetches the screen's chunk without drawing it (the sign-in screen warms the one the address names). */
  load: () => Promise<unknown>
  /** false: reached by links only (a patient's chart, a note), not listed in the navigation */
  nav?: false
  /** Where its navigation link goes when that is not `path` alone (My schedule: the schedule's week of the user's own lane). */
  href?: string
}

function chunk(load: () => Promise<{ default: ComponentType }>): Pick<ScreenDef, 'component' | 'load'> {
  return { component: lazy(load), load }
}

const schedule = chunk(() => import('./Schedule/ScheduleScreen'))

/** The navigation, in order; each screen is its own chunk, loaded when first opened. */
export const SCREENS: ScreenDef[] = [
  { path: '/schedule', label: 'Schedule', roles: ['frontDesk', 'physician', 'manager'], ...schedule },
  // A physician's own week (issue 22): the schedule opened on the signed-in user's provider lane (lane=me).
  // Providers are the physicians (schedule.setup.get lists the users with that role).
  { path: '/schedule', href: '/schedule?view=week&lane=me', label: 'My schedule', roles: ['physician'], ...schedule },
  { path: '/waiting', label: "Today's board", roles: ['frontDesk', 'physician', 'manager'], ...chunk(() => import('./Schedule/WaitingBoardScreen')) },
  { path: '/confirmations', label: 'Confirmations', roles: ['frontDesk', 'physician', 'manager'], ...chunk(() => import('./Confirmations/ConfirmationsScreen')) },
  { path: '/rebook', label: 'No-shows and cancellations', roles: ['frontDesk', 'physician', 'manager'], ...chunk(() => import('./Schedule/RebookScreen')) },
  { path: '/day-list', label: 'Day list', roles: ['frontDesk', 'physician', 'manager'], ...chunk(() => import('./Schedule/DayListScreen')), nav: false },
  { path: '/schedule-setup', label: 'Schedule setup', roles: ['admin'], ...chunk(() => import('./Schedule/ScheduleSetupScreen')) },
  { path: '/patients', label: 'Patients', roles: ['frontDesk', 'physician', 'manager'], ...chunk(() => import('./Patients/PatientsScreen')) },
  { path: '/users', label: 'Users', roles: ['admin'], ...chunk(() => import('./Users/UsersScreen')) },
  { path: '/settings', label: 'Settings', roles: ['admin'], ...chunk(() => import('./Settings/SettingsScreen')) },
  { path: '/database', label: 'Database', roles: ['admin'], ...chunk(() => import('./Database/DatabaseScreen')) },
  { path: '/reassessments', label: 'Due reassessments', roles: ['frontDesk', 'physician', 'manager'], ...chunk(() => import('./Reassessments/DueReassessmentsScreen')) },
  { path: '/referrals', label: 'Referrals', roles: ['frontDesk', 'physician', 'manager'], ...chunk(() => import('./Referrals/ReferralsScreen')) },
  { path: '/referrers', label: 'Referrers', roles: ['frontDesk', 'physician', 'manager'], ...chunk(() => import('./Referrals/ReferrersScreen')) },
  { path: '/letters', label: 'Letters', roles: ['frontDesk', 'physician', 'manager'], ...chunk(() => import('./Letters/LettersScreen')) },
  { path: '/asap', label: 'ASAP list', roles: ['frontDesk', 'physician', 'manager'], ...chunk(() => import('./Asap/AsapListScreen')) },
  { path: '/follow-ups', label: 'Follow-ups due', roles: ['frontDesk', 'physician', 'manager'], ...chunk(() => import('./FollowUps/FollowUpsDueScreen')) },
  { path: '/follow-up-visits', label: 'Follow-up visit', roles: ['physician'], ...chunk(() => import('./FollowUps/RecordVisitScreen')), nav: false },
  { path: '/procedure-requests', label: 'Procedure requests', roles: ['frontDesk', 'physician', 'manager'], ...chunk(() => import('./ProcedureRequests/ProcedureRequestsScreen')) },
  { path: '/chart', label: 'Chart', roles: ['physician', 'manager'], ...chunk(() => import('./Chart/ChartScreen')), nav: false },
  { path: '/consultations', label: 'Consultation note', roles: ['physician', 'manager'], ...chunk(() => import('./Consultation/ConsultationScreen')), nav: false },
  { path: '/procedures', label: 'Procedure', roles: ['physician', 'manager'], ...chunk(() => import('./Procedure/ProcedureScreen')), nav: false },
  { path: '/stays', label: 'Overnight stays', roles: ['physician', 'manager'], ...chunk(() => import('./Stays/StaysScreen')) },
  { path: '/outcomes', label: 'Outcomes', roles: ['manager'], ...chunk(() => import('./Dashboard/DashboardScreen')) },
  { path: '/reminders', label: 'Reminder outbox', roles: ['frontDesk', 'admin'], ...chunk(() => import('./Reminders/ReminderOutboxScreen')) },
  { path: '/backups', label: 'Backups', roles: ['admin'], ...chunk(() => import('./Backups/BackupsScreen')) },
  { path: '/audit', label: 'Audit log', roles: ['manager', 'admin'], ...chunk(() => import('./Audit/AuditScreen')) },
]

export function screensFor(role: Role): ScreenDef[] {
  return SCREENS.filter((s) => s.roles.includes(role))
}

/**
 * Whether a navigation link is the one to mark as the current place: a link with its own address (My schedule)
 * when the address carries every parameter of it, otherwise the link of the screen the address opens.
 */
export function isNavActive(s: ScreenDef, route: string, among: readonly ScreenDef[]): boolean {
  const own = among.find((x) => x.href !== undefined && carries(route, x.href))
  if (own) return s === own
  return s.href === undefined && s === screenAt(route, among)
}

function carries(route: string, href: string): boolean {
  const [path, query = ''] = route.split('?')
  const [hrefPath, hrefQuery = ''] = href.split('?')
  if (path !== hrefPath) return false
  const params = new URLSearchParams(query)
  return [...new URLSearchParams(hrefQuery)].every(([k, v]) => params.get(k) === v)
}

/** The screen an address opens, if any: `#/schedule?date=…` belongs to `/schedule` as much as `#/schedule/…` does. */
export function screenAt(route: string, among: readonly ScreenDef[] = SCREENS): ScreenDef | undefined {
  const path = route.split('?')[0] ?? ''
  return among.find((s) => path === s.path || path.startsWith(`${s.path}/`))
}
