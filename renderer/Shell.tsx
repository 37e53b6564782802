import { AppShell, Burger, Button, Group, Kbd, Loader, Menu, Modal, NavLink, Text, Title, UnstyledButton } from '@mantine/core'
import { useDisclosure, useIdle } from '@mantine/hooks'
import { spotlight } from '@mantine/spotlight'
import { useQueryClient } from '@tanstack/react-query'
import { Suspense, useCallback, useEffect } from 'react'
import { ErrorBoundary } from 'react-error-boundary'
import { ROLE_LABELS } from '../shared/roles'
import type { SessionState } from '../shared/schemas/session'
import { api } from './api'
import { forgetRecords, refreshAreas, useDataEvents } from './data'
import { flushDrafts } from './drafts'
import { AuditCheckAlert } from './components/AuditCheckAlert'
import { PatientSpotlight } from './components/PatientSpotlight'
import { navigate, useRoute } from './routing'
import { isNavActive, screenAt, screensFor } from './screens/registry'
import { ChangePasswordForm } from './screens/Account/ChangePassword'
import { LockScreen } from './screens/Lock/LockScreen'
import { ScreenFailed } from './components/ScreenFailed'
import { SESSION_KEY, useSetSession } from './session'

const ACTIVITY_EVENTS: (keyof DocumentEventMap)[] = ['keydown', 'mousemove', 'mousedown', 'touchstart', 'wheel', 'scroll']

export default function Shell({ session }: { session: SessionState }) {
  const user = session.user!
  const qc = useQueryClient()
  const setSession = useSetSession()
  const route = useRoute()
  const [navOpen, { toggle }] = useDisclosure()
  const [changingPassword, passwordDialog] = useDisclosure()
  const screens = screensFor(user.role)
  const idle = useIdle(session.idleLockSeconds * 1000, { events: ACTIVITY_EVENTS, initialState: false })

  useEffect(() => {
    if (idle && !session.locked) void lockScreen('idle')
    // eslint-disable-next-line react-hooks/exhaustive-deps -- lockScreen reads nothing that changes
  }, [idle, session.locked])

  /** Saves what is typed in any form first (the lock screen replaces the form), then locks. */
  async function lockScreen(reason: 'idle' | 'user') {
    await flushDrafts()
    await api('session.lock', { reason }).catch(() => undefined)
    await refreshAreas(qc, ['session'])
  }

  // Another window or workstation changed something: the open queries reading the areas it names refetch
  // (renderer/data.ts). Sessions were ended (a restore): forget what was on screen and ask who is signed in.
  useDataEvents(
    useCallback(() => {
      forgetRecords(qc)
      void refreshAreas(qc, ['session'])
    }, [qc]),
  )

  // The screen the address names, among this role's; any other address goes to the role's first screen.
  const named = screenAt(route, screens)
  const active = named ?? screens[0]
  useEffect(() => {
    if (!named && active) navigate(active.path)
  }, [named, active])
  // The window's title (the taskbar, Alt+Tab, the browser tab) says which screen is open.
  const title = session.locked ? `Locked · ${session.clinicName}` : `${active?.label ?? 'Spine Clinic'} · ${session.clinicName}`
  useEffect(() => {
    document.title = title
  }, [title])
  // A screen opened from the navigation (or Back) takes the keyboard's focus, so the next Tab is the screen's first
  // control rather than the next navigation link; a field the screen focuses itself (a search box) keeps it.
  const activePath = active?.path
  useEffect(() => {
    const focused = document.activeElement
    const screen = document.getElementById('screen')
    if (screen && (!focused || focused === document.body || focused.closest('nav') !== null)) screen.focus({ preventScroll: true })
  }, [activePath])

  if (session.locked) return <LockScreen user={user} />

  async function signOut() {
    // the user's unsaved forms are kept as their drafts, for the next time they sign in
    await flushDrafts()
    await api('session.signOut').catch(() => undefined)
    setSession(null)
  }

  const canFindPatients = user.role !== 'admin'
  const Screen = active?.component

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="md">
      <AppShell.Header>
        {/* The first Tab stop: past the header and the navigation's links straight to the screen (WCAG 2.4.1). */}
        <a href="#" className="skip-link" onClick={(e) => (e.preventDefault(), document.getElementById('screen')?.focus())}>
          Skip to the screen
        </a>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpen} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={1} size="h4">
              {session.clinicName}
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {canFindPatients && (
              <UnstyledButton onClick={() => spotlight.open()} aria-label="Find a patient (Ctrl+K)">
                <Group gap={6}>
                  <Text size="sm" c="gray.8">
                    Find patient
                  </Text>
                  <Kbd size="xs">Ctrl</Kbd>
                  <Kbd size="xs">K</Kbd>
                </Group>
              </UnstyledButton>
            )}
            {/* the user menu: what the signed-in person does about their own account */}
            <Menu position="bottom-end" shadow="md">
              <Menu.Target>
                <UnstyledButton>
                  <Group gap={4} wrap="nowrap">
                    <Text size="sm" c="gray.8" data-testid="signed-in-user">
                      {user.displayName} · {ROLE_LABELS[user.role]}
                    </Text>
                    <Text size="sm" c="gray.8" aria-hidden>
                      ▾
                    </Text>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={passwordDialog.open}>Change my password</Menu.Item>
              </Menu.Dropdown>
            </Menu>
            <Modal opened={changingPassword} onClose={passwordDialog.close} title="Change my password">
              <ChangePasswordForm
                onCancel={passwordDialog.close}
                onChanged={(state) => {
                  passwordDialog.close()
                  qc.setQueryData(SESSION_KEY, state)
                }}
              />
            </Modal>
            <Button variant="default" size="xs" onClick={() => void lockScreen('user')}>
              Lock
            </Button>
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {screens.filter((s) => s.nav !== false).map((s) => (
          <NavLink key={s.label} href={`#${s.href ?? s.path}`} label={s.label} active={isNavActive(s, route, screens)} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="screen" tabIndex={-1} style={{ outline: 'none' }}>
        {/* An altered audit log is shown to administrators on every screen (the Backups screen says what) */}
        {user.role === 'admin' && active?.path !== '/backups' && <AuditCheckAlert />}
        {/* a screen that fails to draw fails alone; another address draws afresh */}
        <ErrorBoundary FallbackComponent={ScreenFailed} resetKeys={[route]}>
          <Suspense fallback={<Loader aria-label="Loading screen" />}>{Screen ? <Screen /> : <Text>No screens for this role.</Text>}</Suspense>
        </ErrorBoundary>
      </AppShell.Main>
      {canFindPatients && <PatientSpotlight />}
    </AppShell>
  )
}
