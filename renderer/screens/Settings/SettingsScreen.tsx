import { Button, Group, Loader, NumberInput, Stack, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { IDLE_LOCK_MAX_SECONDS, IDLE_LOCK_MIN_SECONDS, type ClinicSettings, type SettingsView } from '../../../shared/schemas/settings'
import { useSetChannelData, useWrite } from '../../data'
import { useSettings } from '../../hooks'
import { ErrorPanel } from '../../components/ErrorPanel'
import { showApiError } from '../../forms'

export default function SettingsScreen() {
  const q = useSettings()
  if (q.isPending) return <Loader aria-label="Loading settings" />
  if (q.isError) return <ErrorPanel error={q.error} />
  return <SettingsForm view={q.data} key={q.data.version} />
}

function SettingsForm({ view }: { view: SettingsView }) {
  const setChannelData = useSetChannelData()
  const update = useWrite('settings.update')
  const form = useForm({
    initialValues: { ...view.settings, idleLockMinutes: view.settings.idleLockSeconds / 60 },
  })

  return (
    <Stack maw={560}>
      <Title order={2}>Settings</Title>
      <form
        noValidate
        onSubmit={form.onSubmit(async ({ idleLockMinutes, ...rest }) => {
          const settings: ClinicSettings = { ...rest, idleLockSeconds: Math.round(Number(idleLockMinutes) * 60) }
          try {
            const saved = await update.mutateAsync({ version: view.version, settings })
            // (the session's clinic name and idle lock refresh too: settings.update changes 'session')
            setChannelData('settings.get', {}, saved)
            notifications.show({ color: 'green', title: 'Settings saved', message: 'They apply to every workstation.' })
          } catch (err) {
            const e = showApiError(err)
            if (e?.fields) {
              const { 'settings.idleLockSeconds': idle, ...others } = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, v]))
              form.setErrors({ ...Object.fromEntries(Object.entries(others).map(([k, v]) => [k.replace(/^settings\./, ''), v])), ...(idle ? { idleLockMinutes: idle } : {}) })
            }
          }
        })}
      >
        <Stack>
          <TextInput label="Clinic name" required {...form.getInputProps('clinicName')} />
          <TextInput label="Medical record number prefix" description="1 to 6 letters; new patients get PREFIX-000123" {...form.getInputProps('mrnPrefix')} />
          <NumberInput
            label="Lock the screen after (minutes idle)"
            description={`Between ${IDLE_LOCK_MIN_SECONDS / 60} and ${IDLE_LOCK_MAX_SECONDS / 3600 * 60} minutes; fractions allowed`}
            min={IDLE_LOCK_MIN_SECONDS / 60}
            max={IDLE_LOCK_MAX_SECONDS / 60}
            decimalScale={2}
            step={1}
            {...form.getInputProps('idleLockMinutes')}
          />
          <TextInput label="Clinic time zone" description="IANA name, e.g. America/New_York; the schedule shows this local time" {...form.getInputProps('timeZone')} />
          <Group justify="flex-end">
            <Button type="submit">Save settings</Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  )
}
