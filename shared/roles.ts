export const ROLES = ['frontDesk', 'physician', 'manager', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  frontDesk: 'Front desk',
  physician: 'Physician',
  manager: 'Manager',
  admin: 'Administrator',
}

/**
 * Who may mark a record entered in error: its author, or a manager when the author cannot (the clinic's
 * correction policy: a record is corrected by the person who made it, so that the correction carries their
 * knowledge; the manager stands in for an author who has left). One rule for the main process, which enforces
 * it, and the screens, which offer the action only to those it allows.
 */
export function mayMarkEnteredInError(user: { id: number; role: Role }, authorId: number): boolean {
  return user.role === 'manager' || user.id === authorId
}
