import { Center, Loader } from '@mantine/core'
import { lazy, Suspense, useEffect } from 'react'
import { useRoute } from './routing'
import { screenAt } from './screens/registry'
import { useSession } from './session'
import { SignInScreen } from './screens/SignIn/SignInScreen'
import { SetupScreen } from './screens/Setup/SetupScreen'
import { ForcedPasswordChange } from './screens/Account/ChangePassword'
import { ErrorPanel } from './components/ErrorPanel'

// The signed-in shell (and every screen in it) is loaded only after sign-in...
const loadShell = () => import('./Shell')
const Shell = lazy(loadShell)

/** ...but fetched while the user types their password: the shell and the screen the address names. */
function useWarmChunks(active: boolean) {
  const route = useRoute()
  useEffect(() => {
    if (!active) return
    const t = setTimeout(() => {
      void loadShell()
      void screenAt(route)?.load()
    }, 300)
    return () => clearTimeout(t)
  }, [active, route])
}

export function App() {
  const session = useSession()
  useWarmChunks(!!session.data && !session.data.needsSetup && !session.data.user)
  if (session.isPending) return <FullPageLoader />
  if (session.isError) return <ErrorPanel error={session.error} onRetry={() => void session.refetch()} />
  const state = session.data
  if (state.needsSetup) return <SetupScreen />
  if (!state.user) return <SignInScreen clinicName={state.clinicName} />
  if (state.mustChangePassword && !state.locked) return <ForcedPasswordChange state={state} />
  return (
    <Suspense fallback={<FullPageLoader />}>
      <Shell session={state} />
    </Suspense>
  )
}

export function FullPageLoader() {
  return (
    <Center h="100vh" component="main">
      <Loader aria-label="Loading" />
    </Center>
  )
}
