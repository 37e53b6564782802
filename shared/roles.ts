export const ROLES = ['frontDesk', 'physician', 'manager', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  frontDesk: 'Front desk',
  physician: 'Physician',
  manager: 'Manager',
  admin: 'Administrator',
}
