import { describe, expect, it } from 'vitest'
import { mayMarkEnteredInError, ROLES } from '../../shared/roles'

describe('who may mark a record entered in error (the clinic correction policy)', () => {
  it('the author may, whatever their role', () => {
    for (const role of ROLES) expect(mayMarkEnteredInError({ id: 7, role }, 7), role).toBe(true)
  })
  it('a manager may mark anyone\'s record', () => {
    expect(mayMarkEnteredInError({ id: 1, role: 'manager' }, 7)).toBe(true)
  })
  it('another physician, the front desk or an administrator may not', () => {
    for (const role of ['physician', 'frontDesk', 'admin'] as const) expect(mayMarkEnteredInError({ id: 8, role }, 7), role).toBe(false)
  })
})
