import { lazy, type ComponentType, type LazyExoticComponent } from 'react'
import type { Role } from '../../shared/roles'

export interface ScreenDef {
  /** Hash path prefix, e.g. '/patients'. */
  path: string
  label: string
  roles: readonly Role[]
  component: LazyExoticComponent<ComponentType>
  /** false: reached by links only (a patient's chart, a note), not listed in the navigation */
  nav?: false
}

/** The navigation, in order; each screen is its own chunk, loaded when first opened. */
export const SCREENS: ScreenDef[] = [
  { path: '/schedule', label: 'Schedule', roles: ['frontDesk', 'physician', 'manager'], component: lazy(() => import('./Schedule/ScheduleScreen')) },
  { path: '/waiting', label: "Today's board", roles: ['frontDesk', 'physician', 'manager'], component: lazy(() => import('./Schedule/WaitingBoardScreen')) },
  { path: '/rebook', label: 'No-shows and cancellations', roles: ['frontDesk', 'physician', 'manager'], component: lazy(() => import('./Schedule/RebookScreen')) },
  { path: '/day-list', label: 'Day list', roles: ['frontDesk', 'physician', 'manager'], component: lazy(() => import('./Schedule/DayListScreen')), nav: false },
  { path: '/schedule-setup', label: 'Schedule setup', roles: ['admin'], component: lazy(() => import('./Schedule/ScheduleSetupScreen')) },
  { path: '/patients', label: 'Patients', roles: ['frontDesk', 'physician', 'manager'], component: lazy(() => import('./Patients/PatientsScreen')) },
  { path: '/users', label: 'Users', roles: ['admin'], component: lazy(() => import('./Users/UsersScreen')) },
  { path: '/settings', label: 'Settings', roles: ['admin'], component: lazy(() => import('./Settings/SettingsScreen')) },
  { path: '/database', label: 'Database', roles: ['admin'], component: lazy(() => import('./Database/DatabaseScreen')) },
  { path: '/reassessments', label: 'Due reassessments', roles: ['frontDesk', 'physician', 'manager'], component: lazy(() => import('./Reassessments/DueReassessmentsScreen')) },
  { path: '/follow-ups', label: 'Follow-ups due', roles: ['frontDesk', 'physician', 'manager'], component: lazy(() => import('./FollowUps/FollowUpsDueScreen')) },
  { path: '/follow-up-visits', label: 'Follow-up visit', roles: ['physician'], component: lazy(() => import('./FollowUps/RecordVisitScreen')), nav: false },
  { path: '/procedure-requests', label: 'Procedure requests', roles: ['frontDesk', 'physician', 'manager'], component: lazy(() => import('./ProcedureRequests/ProcedureRequestsScreen')) },
  { path: '/chart', label: 'Chart', roles: ['physician', 'manager'], component: lazy(() => import('./Chart/ChartScreen')), nav: false },
  { path: '/consultations', label: 'Consultation note', roles: ['physician', 'manager'], component: lazy(() => import('./Consultation/ConsultationScreen')), nav: false },
  { path: '/procedures', label: 'Procedure', roles: ['physician', 'manager'], component: lazy(() => import('./Procedure/ProcedureScreen')), nav: false },
  { path: '/stays', label: 'Overnight stays', roles: ['physician', 'manager'], component: lazy(() => import('./Stays/StaysScreen')) },
  { path: '/outcomes', label: 'Outcomes', roles: ['manager'], component: lazy(() => import('./Dashboard/DashboardScreen')) },
  { path: '/backups', label: 'Backups', roles: ['admin'], component: lazy(() => import('./Backups/BackupsScreen')) },
  { path: '/audit', label: 'Audit log', roles: ['manager', 'admin'], component: lazy(() => import('./Audit/AuditScreen')) },
]

export function screensFor(role: Role): ScreenDef[] {
  return SCREENS.filter((s) => s.roles.includes(role))
}
