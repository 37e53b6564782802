/**
 * Settings > Reminders (issue 21 point 3): the clinic's SMTP server, the From address, the phone number patients
 * call, when reminders go out, the clinic's address, what each appointment type asks patients to bring, and the
 * text (placeholders only). The password is this computer's (saved in its keystore, never in the settings), and a
 * test e-mail reports the server's answer in words.
 */
import { Alert, Button, Group, NumberInput, PasswordInput, Select, Stack, Text, Textarea, TextInput } from '@mantine/core'
import { useState } from 'react'
import { REMINDER_PLACEHOLDERS } from '../../../shared/schemas/reminderSettings'
import { run, useChannel } from '../../data'
import { showApiError } from '../../forms'
import type { SettingsFormApi } from './SettingsScreen'

const TLS_OPTIONS = [
  { value: 'starttls', label: 'STARTTLS (usually port 587)' },
  { value: 'tls', label: 'TLS from the start (usually port 465)' },
  { value: 'none', label: 'None (only a relay inside the clinic network, usually port 25)' },
]

/** "3, 1" -> [3, 1]; a word that is not a whole number stays NaN so the schema names it. */
function parseDays(text: string): number[] {
  if (text.trim() === '') return []
  return text.split(',').map((d) => (d.trim() === '' ? Number.NaN : Number(d.trim())))
}

export function ReminderSection({ form }: { form: SettingsFormApi }) {
  const [daysText, setDaysText] = useState(() => form.values.reminderDaysBefore.join(', '))
  const types = useChannel('schedule.setup.get', {})
  const passwordState = useChannel('reminders.smtpPassword', {})
  const [password, setPassword] = useState('')
  const [savingPassword, setSavingPassword] = useState(false)
  const [testTo, setTestTo] = useState('')
  const [testing, setTesting] = useState(false)
  const [testResult, setTestResult] = useState<{ ok: boolean; message: string } | null>(null)
  const daysError = Object.entries(form.errors).find(([k]) => k.startsWith('reminderDaysBefore'))?.[1]

  const savePassword = async () => {
    setSavingPassword(true)
    try {
      await run('reminders.setSmtpPassword', { password })
      setPassword('')
      await passwordState.refetch()
    } catch (err) {
      showApiError(err)
    } finally {
      setSavingPassword(false)
    }
  }
  const sendTest = async () => {
    setTesting(true)
    setTestResult(null)
    try {
      setTestResult(await run('reminders.testEmail', { to: testTo }))
    } catch (err) {
      showApiError(err)
    } finally {
      setTesting(false)
    }
  }
  const source = passwordState.data?.source
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Reminders go only to patients who gave consent: by e-mail to those who chose e-mail and have an address, as a printed letter to those who chose letters (or e-mail
        without an address). Patients who chose phone are on the confirmation call list instead. One workstation sends (see the README for the clinic&apos;s IT).
      </Text>
      <Group align="flex-start" grow>
        <TextInput label="SMTP server" description="Host name or address; empty: no e-mail reminders" placeholder="mail.clinic.example" {...form.getInputProps('smtpHost')} />
        <NumberInput label="SMTP port" min={1} max={65535} allowDecimal={false} maw={160} {...form.getInputProps('smtpPort')} />
      </Group>
      <Select label="SMTP security (TLS)" data={TLS_OPTIONS} allowDeselect={false} {...form.getInputProps('smtpTls')} />
      <Group align="flex-start" grow>
        <TextInput label="SMTP user" description="Empty if the server takes mail without signing in" autoComplete="off" {...form.getInputProps('smtpUser')} />
        <TextInput label="Reminders' From address" placeholder="reminders@clinic.example" {...form.getInputProps('reminderFrom')} />
      </Group>
      <Group align="flex-end" wrap="nowrap">
        <PasswordInput
          style={{ flex: 1 }}
          label="SMTP password (this computer)"
          description={
            source === 'saved'
              ? 'A password is saved in this computer\u2019s keystore. Type a new one to replace it, or save empty to remove it.'
              : source === 'env'
                ? 'This computer uses the CLINIC_SMTP_PASSWORD environment variable.'
                : 'Kept in this computer\u2019s keystore, never in the clinic\u2019s settings. Saved at once (not with Save settings).'
          }
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <Button variant="default" onClick={() => void savePassword()} loading={savingPassword}>
          Save password
        </Button>
      </Group>
      {passwordState.data?.problem ? (
        <Alert color="yellow" title="The password cannot be kept here" styles={{ title: { color: 'var(--mantine-color-black)' } }}>
          {passwordState.data.problem}
        </Alert>
      ) : null}
      <TextInput
        label="Days before the appointment"
        description="When reminders go out, e.g. 3, 1: that many days (of 24 hours) before the appointment's start. Empty: no reminders."
        maw={320}
        value={daysText}
        onChange={(e) => {
          setDaysText(e.currentTarget.value)
          form.setFieldValue('reminderDaysBefore', parseDays(e.currentTarget.value))
        }}
        error={daysError}
      />
      <TextInput label="Phone number for patients" description="{phone} in the text" {...form.getInputProps('reminderPhone')} />
      <TextInput label="Clinic address" description="{place}, after the room's name" {...form.getInputProps('reminderPlace')} />
      <Textarea
        label="Reminder text"
        description={`The e-mail's and the letter's words. Placeholders: ${REMINDER_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}. Nothing else of the record is added: keep diagnoses and procedures out.`}
        autosize
        minRows={5}
        {...form.getInputProps('reminderTemplate')}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          What to bring ({'{bring}'}), by appointment type
        </Text>
        {(types.data?.types ?? []).filter((t) => t.active).map((t) => (
          <TextInput
            key={t.code}
            label={t.name}
            placeholder="e.g. your insurance card and medication list"
            value={form.values.reminderBring[t.code] ?? ''}
            onChange={(e) => form.setFieldValue('reminderBring', { ...form.values.reminderBring, [t.code]: e.currentTarget.value })}
          />
        ))}
      </Stack>
      <Group align="flex-end" wrap="nowrap">
        <TextInput style={{ flex: 1 }} label="Send a test e-mail to" description="Uses the saved settings and this computer's password" placeholder="it@clinic.example" value={testTo} onChange={(e) => setTestTo(e.currentTarget.value)} />
        <Button variant="default" onClick={() => void sendTest()} loading={testing}>
          Send a test e-mail
        </Button>
      </Group>
      {testResult ? (
        <Alert color={testResult.ok ? 'green' : 'red'} title={testResult.ok ? 'The server accepted it' : 'Not sent'} role="status" styles={{ title: { color: testResult.ok ? "var(--mantine-color-black)" : "var(--mantine-color-red-9)" } }}>
          {testResult.message}
        </Alert>
      ) : null}
    </Stack>
  )
}
