/** The folder of this run's built bundles (tests/setup/buildBundle.ts); a failed build fails the caller with its message. */
import { inject } from 'vitest'

export function bundleDirOrFail(): string {
  const error = inject('bundleError')
  if (error) throw new Error(error)
  return inject('bundleDir')
}
