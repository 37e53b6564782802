import { Center, Loader } from '@mantine/core'
import { lazy, Suspense } from 'react'
import { useSession } from './session'
import { SignInScreen } from './screens/SignIn/SignInScreen'
import { SetupScreen } from './screens/Setup/SetupScreen'
import { ErrorPanel } from './components/ErrorPanel'

// The signed-in shell (and every screen in it) is loaded only after sign-in.
const Shell = lazy(() => import('./Shell'))

export function App() {
  const session = useSession()
  if (session.isPending) return <FullPageLoader />
  if (session.isError) return <ErrorPanel error={session.error} onRetry={() => void session.refetch()} />
  const state = session.data
  if (state.needsSetup) return <SetupScreen />
  if (!state.user) return <SignInScreen clinicName={state.clinicName} />
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
