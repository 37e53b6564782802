/**
 * The administrator's Settings: every clinic setting (shared/schemas/settings.ts), grouped on tabs, validated with
 * the router's schema before it is sent and saved as one versioned document (audited with what changed). A tab
 * with a message to fix says so in its name, and saving with one opens it.
 */
import { Anchor, Button, Group, Loader, NumberInput, Stack, Tabs, Text, TextInput, Title } from '@mantine/core'
import { useForm, type UseFormReturnType } from '@mantine/form'
import { modals } from '@mantine/modals'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { IDLE_LOCK_MAX_SECONDS, IDLE_LOCK_MIN_SECONDS, ClinicSettings, type SettingsView } from '../../../shared/schemas/settings'
import { staleVersionDetail } from '../../../shared/conflicts'
import { ApiError } from '../../api'
import { openConflictDialog } from '../../components/ConflictDialog'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useSetChannelData, useWrite } from '../../data'
import { capitalizeAll, focusFirstError, showApiError, validateWith } from '../../forms'
import { useSettings } from '../../hooks'
import { BackupSection } from './BackupSection'
import { DischargeTemplatesSection } from './DischargeTemplatesSection'
import { FollowUpSection } from './FollowUpSection'
import { ProcedureDaySection } from './ProcedureDaySection'
import { ReminderSection } from './ReminderSection'
import { DocumentSettingsSection } from './DocumentSettingsSection'
import { LetterTemplatesSection } from './LetterTemplatesSection'
import { fieldOfError, SETTINGS_TABS, tabOfField, toFormValues, toSettings, type SettingsTab, type SettingsValues } from './settingsForm'

export type SettingsFormApi = UseFormReturnType<SettingsValues>

const validateSettings = validateWith(ClinicSettings)

function formErrors(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [fieldOfError(k), v]))
}

/** `#/settings?tab=backups` opens the Backups tab (the Backups screen links there). */
function tabFromAddress(): SettingsTab | null {
  const asked = new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('tab')
  return SETTINGS_TABS.find((t) => t.id === asked)?.id ?? null
}

export default function SettingsScreen() {
  const q = useSettings()
  // kept above the form, which starts afresh from each saved version: the tab stays open after saving
  const [tab, setTab] = useState<SettingsTab>(() => tabFromAddress() ?? 'clinic')
  if (q.isPending) return <Loader aria-label="Loading settings" />
  if (q.isError) return <ErrorPanel error={q.error} />
  return <SettingsForm view={q.data} key={q.data.version} tab={tab} setTab={setTab} />
}

function SettingsForm({ view, tab, setTab }: { view: SettingsView; tab: SettingsTab; setTab: (t: SettingsTab) => void }) {
  const setChannelData = useSetChannelData()
  const update = useWrite('settings.update')
  const form = useForm<SettingsValues>({
    initialValues: toFormValues(view.settings),
    validate: (values) => formErrors(validateSettings(toSettings(values))),
  })
  const tabsWithErrors = new Set(Object.keys(form.errors).map(tabOfField).filter((t) => t !== null))

  const save = async (values: SettingsValues, confirmBackupFolderOnSameDisk = false) => {
    try {
      const saved = await update.mutateAsync({ version: view.version, settings: toSettings(values), ...(confirmBackupFolderOnSameDisk ? { confirmBackupFolderOnSameDisk } : {}) })
      // (the session's clinic name and idle lock refresh too: settings.update changes 'session')
      setChannelData('settings.get', {}, saved)
      notifications.show({ color: 'green', title: 'Settings saved', message: 'They apply to every workstation.' })
    } catch (err) {
      const sameDisk = (err as { detail?: { backupFolderOnSameDisk?: boolean } }).detail?.backupFolderOnSameDisk === true
      if (sameDisk) {
        setTab('backups')
        modals.openConfirmModal({
          title: 'Keep the backups on the same disk?',
          children: <Text size="sm">{(err as Error).message.replace(/ Nothing was changed\.$/, '')}</Text>,
          labels: { confirm: 'Keep this folder', cancel: 'Choose another folder' },
          onConfirm: () => void save(values, true),
        })
        return
      }
      if (err instanceof ApiError && err.code === 'conflict' && staleVersionDetail(err.detail)) {
        // another administrator saved first: who and when, compare, and their settings only when asked
        const current = staleVersionDetail(err.detail)?.current as SettingsView | undefined
        openConflictDialog({
          error: err,
          yours: toSettings(values),
          theirs: current?.settings,
          onReload: () => setChannelData('settings.get', {}, current ?? view),
        })
        return
      }
      const e = showApiError(err)
      if (e?.fields && Object.keys(e.fields).length > 0) {
        const errors = capitalizeAll(formErrors(e.fields))
        form.setErrors(errors)
        const first = Object.keys(errors).map(tabOfField).find((t) => t !== null)
        if (first) setTab(first)
      }
    }
  }

  return (
    <Stack maw={820}>
      <Title order={2}>Settings</Title>
      <Text size="sm" c="dimmed">
        For every workstation of the clinic. Saving records who changed what in the audit log.
      </Text>
      <form
        noValidate
        onSubmit={form.onSubmit(
          (values) => save(values),
          (errors, values, event) => {
            const first = Object.keys(errors).map(tabOfField).find((t) => t !== null)
            if (first) setTab(first)
            // the field's tab is shown first, then the field itself is focused and named
            focusFirstError(errors, values, event)
          },
        )}
      >
        <Stack>
          <Tabs value={tab} onChange={(t) => t && setTab(t as SettingsTab)}>
            <Tabs.List aria-label="Groups of settings">
              {SETTINGS_TABS.map((t) => (
                <Tabs.Tab key={t.id} value={t.id} c={tabsWithErrors.has(t.id) ? 'red' : undefined}>
                  {t.label}
                  {tabsWithErrors.has(t.id) ? ' (to check)' : ''}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            <Tabs.Panel value="clinic" pt="md">
              <Stack>
                <TextInput label="Clinic name" required description="On the sign-in screen, letters and discharge summaries" {...form.getInputProps('clinicName')} />
                <TextInput label="Medical record number prefix" description="1 to 6 letters; new patients get PREFIX-000123. Existing numbers keep theirs." {...form.getInputProps('mrnPrefix')} />
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="schedule" pt="md">
              <Stack>
                <TextInput
                  label="Clinic time zone"
                  description="IANA name, e.g. America/New_York: the schedule, the day's lists and the daily backup use this local time"
                  {...form.getInputProps('timeZone')}
                />
                <Text size="sm">
                  Opening hours, closed days, rooms and appointment types are set under{' '}
                  <Anchor href="#/schedule-setup">
                    Schedule setup
                  </Anchor>
                  .
                </Text>
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="procedure" pt="md">
              <ProcedureDaySection form={form} />
            </Tabs.Panel>
            <Tabs.Panel value="followUps" pt="md">
              <FollowUpSection form={form} />
            </Tabs.Panel>
            <Tabs.Panel value="discharge" pt="md">
              <DischargeTemplatesSection form={form} />
            </Tabs.Panel>
            <Tabs.Panel value="backups" pt="md">
              <BackupSection form={form} />
            </Tabs.Panel>
            <Tabs.Panel value="reminders" pt="md">
              <ReminderSection form={form} />
            </Tabs.Panel>
            <Tabs.Panel value="letters" pt="md">
              <LetterTemplatesSection form={form} />
            </Tabs.Panel>
            <Tabs.Panel value="documents" pt="md">
              <DocumentSettingsSection form={form} />
            </Tabs.Panel>
            <Tabs.Panel value="security" pt="md">
              <NumberInput
                label="Lock the screen after (minutes idle)"
                description={`Between ${IDLE_LOCK_MIN_SECONDS / 60} and ${(IDLE_LOCK_MAX_SECONDS / 3600) * 60} minutes; fractions allowed. Only what a person does counts: a screen refreshing itself does not keep it open.`}
                min={IDLE_LOCK_MIN_SECONDS / 60}
                max={IDLE_LOCK_MAX_SECONDS / 60}
                decimalScale={2}
                step={1}
                value={Number.isFinite(form.values.idleLockSeconds) ? form.values.idleLockSeconds / 60 : ''}
                onChange={(v) => form.setFieldValue('idleLockSeconds', typeof v === 'number' ? Math.round(v * 60) : Number.NaN)}
                error={form.errors.idleLockSeconds}
              />
            </Tabs.Panel>
          </Tabs>
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              {form.isDirty() ? 'Unsaved changes' : 'No unsaved changes'}
            </Text>
            <Button type="submit" loading={update.isPending}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  )
}
