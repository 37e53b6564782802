/**
 * The administrator's choice of database for this workstation: the app's SQLite file (one workstation)
 * or the clinic's PostgreSQL server (several). "Test connection" asks the main process to connect and say
 * what it found; "Save" is possible only after a successful test of exactly the values on screen, and
 * the saved choice applies when the app next starts. The screen also says which database is in effect
 * now and why (CLINIC_DB_URL and the command line win over the saved choice).
 */
import { Alert, Button, Checkbox, Code, Group, Loader, NumberInput, Paper, PasswordInput, Radio, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { DbConnectionInput, DEFAULT_POSTGRES_PORT, type DbConnectionView, type DbTestResult } from '../../../shared/schemas/database'
import { api } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { showApiError, validateWith } from '../../forms'
import { useClinicClock } from '../../clinicClock'

const KEY = ['database', 'connection']

const ENGINE_LABELS = { sqlite: 'SQLite file on this computer', postgres: 'PostgreSQL server' } as const

const SOURCE_LABELS: Record<DbConnectionView['inEffect']['source'], string> = {
  'command-line': 'the command line',
  CLINIC_DB_URL: 'the CLINIC_DB_URL environment variable',
  CLINIC_DB_FILE: 'the CLINIC_DB_FILE environment variable',
  saved: 'the setting saved here',
  default: 'the default',
}

interface Values {
  engine: 'sqlite' | 'postgres'
  file: string
  host: string
  port: number | string
  database: string
  user: string
  password: string
  tls: boolean
  verifyCertificate: boolean
}

/** The values the router receives: only the chosen engine's fields. */
function toInput(v: Values): DbConnectionInput {
  if (v.engine === 'sqlite') return { engine: 'sqlite', file: v.file }
  return { engine: 'postgres', host: v.host, port: v.port as number, database: v.database, user: v.user, password: v.password, tls: v.tls, verifyCertificate: v.verifyCertificate }
}

function initialValues(view: DbConnectionView): Values {
  const s = view.saved
  const blank: Values = { engine: 'sqlite', file: '', host: '', port: DEFAULT_POSTGRES_PORT, database: 'spineclinic', user: 'spineclinic', password: '', tls: true, verifyCertificate: true }
  if (!s) return blank
  if (s.engine === 'sqlite') return { ...blank, file: s.file }
  return { ...blank, engine: 'postgres', host: s.host, port: s.port, database: s.database, user: s.user, tls: s.tls, verifyCertificate: s.verifyCertificate }
}

export default function DatabaseScreen() {
  const q = useQuery({ queryKey: KEY, queryFn: () => api('database.connection') })
  if (q.isPending) return <Loader aria-label="Loading the database connection" />
  if (q.isError) return <ErrorPanel error={q.error} />
  return (
    <Stack maw={760}>
      <Title order={2}>Database</Title>
      <InEffect view={q.data} />
      <ConnectionForm view={q.data} />
    </Stack>
  )
}

function InEffect({ view }: { view: DbConnectionView }) {
  const clock = useClinicClock()
  const { inEffect, saved } = view
  const overridden = saved && (inEffect.source === 'command-line' || inEffect.source === 'CLINIC_DB_URL' || inEffect.source === 'CLINIC_DB_FILE')
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="db-in-effect">
      <Stack gap="xs">
        <Title order={3} id="db-in-effect">
          In use now
        </Title>
        <Text data-testid="db-in-effect">
          {ENGINE_LABELS[inEffect.engine]}: <Code>{inEffect.description}</Code>, from {SOURCE_LABELS[inEffect.source]}.
        </Text>
        <Text size="sm">{inEffect.explanation}</Text>
        {view.restartNeeded && (
          <Alert color="blue" title="Restart needed" role="status" styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
            A new database setting was saved{view.savedBy ? ` by ${view.savedBy}` : ''}{view.savedAt ? ` at ${clock.dateTime(view.savedAt)}` : ''}. It takes effect when the app restarts on this computer.
          </Alert>
        )}
        {overridden && (
          <Text size="sm">
            The setting saved here is not used while {SOURCE_LABELS[inEffect.source]} chooses the database.
          </Text>
        )}
        <Text size="sm" c="dimmed">
          Saved in <Code>{view.settingsFile}</Code> on this computer. Order of precedence: command line, then CLINIC_DB_URL, then CLINIC_DB_FILE, then the setting saved here, then the app’s own file.
        </Text>
      </Stack>
    </Paper>
  )
}

function ConnectionForm({ view }: { view: DbConnectionView }) {
  const qc = useQueryClient()
  const form = useForm<Values>({ initialValues: initialValues(view), validate: (v) => validateWith(DbConnectionInput)(toInput(v)) })
  const [tested, setTested] = useState<{ key: string; result: DbTestResult } | null>(null)
  const [busy, setBusy] = useState<'test' | 'save' | null>(null)
  const v = form.values
  const key = JSON.stringify(toInput(v))
  const current = tested && tested.key === key ? tested.result : null
  const canSave = !!current?.ok && !current.passwordNotStorable

  async function test() {
    if (form.validate().hasErrors) return
    setBusy('test')
    try {
      const input = toInput(form.values)
      setTested({ key: JSON.stringify(input), result: await api('database.test', input) })
    } catch (err) {
      setTested(null)
      showApiError(err, form)
    } finally {
      setBusy(null)
    }
  }

  async function save() {
    setBusy('save')
    try {
      const saved = await api('database.save', toInput(form.values))
      qc.setQueryData(KEY, saved)
      setTested(null)
      notifications.show({ color: 'green', title: 'Database setting saved', message: 'It takes effect when the app restarts on this computer.' })
    } catch (err) {
      showApiError(err, form)
    } finally {
      setBusy(null)
    }
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="db-choose">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void test()
        }}
      >
        <Stack>
          <Title order={3} id="db-choose">
            Choose the database
          </Title>
          <Radio.Group
            label="Database"
            description="A SQLite file serves one workstation. Several workstations share one PostgreSQL server (a SQLite file on a network share is not safe)."
            {...form.getInputProps('engine')}
          >
            <Stack gap="xs" mt="xs">
              <Radio value="sqlite" label="SQLite file on this computer (the default)" />
              <Radio value="postgres" label="PostgreSQL server (several workstations)" />
            </Stack>
          </Radio.Group>

          {v.engine === 'sqlite' ? (
            <TextInput
              label="SQLite file"
              description={`Leave empty for the app’s own file: ${view.defaultSqliteFile}`}
              placeholder={view.defaultSqliteFile}
              {...form.getInputProps('file')}
            />
          ) : (
            <>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label="Server" description="Name or IP address, e.g. db.clinic.local" required autoComplete="off" {...form.getInputProps('host')} />
                <NumberInput label="Port" description="Usually 5432" required min={1} max={65535} allowDecimal={false} {...form.getInputProps('port')} />
                <TextInput label="Database name" required autoComplete="off" {...form.getInputProps('database')} />
                <TextInput label="User" required autoComplete="off" {...form.getInputProps('user')} />
              </SimpleGrid>
              <PasswordInput
                label="Password"
                autoComplete="new-password"
                description={
                  view.passwordStorage.available
                    ? `Stored encrypted with this computer’s keystore. ${view.saved?.engine === 'postgres' && view.saved.passwordSaved ? 'A password is saved; type it again to keep it when saving.' : 'Leave empty if the server trusts this computer or ~/.pgpass holds it.'}`
                    : view.passwordStorage.message
                }
                {...form.getInputProps('password')}
              />
              <Checkbox label="Encrypt the connection (TLS)" description="Keep it on unless the server and the workstations share a trusted network" {...form.getInputProps('tls', { type: 'checkbox' })} />
              <Checkbox
                label="Verify the server’s certificate"
                description="Checks that the server is the one named above; turn off only for a server with a self-signed certificate on a trusted network"
                disabled={!v.tls}
                {...form.getInputProps('verifyCertificate', { type: 'checkbox' })}
              />
            </>
          )}

          {current && (
            <Alert color={current.ok && !current.passwordNotStorable ? 'green' : current.ok ? 'yellow' : 'red'} title={current.ok ? 'Connection works' : 'This connection cannot be used'}
              data-testid="db-test-result"
              styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}
            >
              {current.message}
            </Alert>
          )}
          {tested && !current && (
            <Text size="sm" role="status">
              The values changed since the last test: test again before saving.
            </Text>
          )}

          <Group justify="space-between">
            <Text size="sm" maw={380}>
              Save becomes possible after a successful test of these values; it takes effect when the app restarts on this computer.
            </Text>
            <Group>
              <Button type="submit" variant="default" loading={busy === 'test'}>
                Test connection
              </Button>
              <Button onClick={() => void save()} disabled={!canSave} loading={busy === 'save'}>
                Save
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Paper>
  )
}
