import { z } from 'zod'
import { requiredText } from './common'
import { DisplayName, Password, Username } from './users'

export const CompleteSetup = z.object({
  clinicName: requiredText(120),
  admin: z.object({ displayName: DisplayName, username: Username, password: Password }),
})
export type CompleteSetup = z.infer<typeof CompleteSetup>
