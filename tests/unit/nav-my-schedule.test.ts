/**
 * "My schedule" (issue 22): a physician's navigation has it, opening the schedule's week on their own lane; the
 * front desk's and the manager's do not. The link marked as the current place is My schedule while the address
 * is that week (whatever else the schedule adds to it, such as a date), and Schedule otherwise.
 */
import { describe, expect, it } from 'vitest'
import { isNavActive, screenAt, screensFor } from '../../renderer/screens/registry'

const labels = (role: Parameters<typeof screensFor>[0]) => screensFor(role).filter((s) => s.nav !== false).map((s) => s.label)

describe('My schedule in the navigation', () => {
  it('is listed for physicians only, after Schedule, and opens their own week', () => {
    expect(labels('physician').slice(0, 2)).toEqual(['Schedule', 'My schedule'])
    for (const role of ['frontDesk', 'manager', 'admin'] as const) expect(labels(role)).not.toContain('My schedule')
    const mine = screensFor('physician').find((s) => s.label === 'My schedule')!
    expect(mine.href).toBe('/schedule?view=week&lane=me')
    // the same screen as Schedule (one chunk), which the address opens
    expect(screenAt(mine.href!, screensFor('physician'))?.label).toBe('Schedule')
    expect(mine.component).toBe(screensFor('physician')[0]!.component)
  })

  it('marks My schedule current on its week, Schedule on any other schedule address', () => {
    const screens = screensFor('physician')
    const current = (route: string) => screens.filter((s) => isNavActive(s, route, screens)).map((s) => s.label)
    expect(current('/schedule?view=week&lane=me')).toEqual(['My schedule'])
    expect(current('/schedule?lane=me&date=2026-12-07&view=week')).toEqual(['My schedule'])
    expect(current('/schedule')).toEqual(['Schedule'])
    expect(current('/schedule?view=week&lane=p:3')).toEqual(['Schedule'])
    expect(current('/schedule?view=day&lane=me')).toEqual(['Schedule'])
    expect(current('/patients/4')).toEqual(['Patients'])
    const desk = screensFor('frontDesk')
    expect(desk.filter((s) => isNavActive(s, '/schedule?view=week&lane=me', desk)).map((s) => s.label)).toEqual(['Schedule'])
  })
})
