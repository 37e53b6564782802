/** Settings > Discharge templates: the activity guidelines and warning signs a new discharge summary starts from. */
import { Button, Group, List, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core'
import { DEFAULT_ACTIVITY_GUIDELINES, DEFAULT_WARNING_SIGNS } from '../../../shared/schemas/procedureSettings'
import type { SettingsFormApi } from './SettingsScreen'

/** The text as the summary prints it: each line a bullet point, blank lines dropped (electron/services/procedures/pdf.ts). */
function PreviewLines({ text }: { text: string }) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean)
  if (lines.length === 0) return <Text size="sm" c="dimmed">(empty)</Text>
  return (
    <List size="sm" spacing={2}>
      {lines.map((l, i) => (
        <List.Item key={i}>{l}</List.Item>
      ))}
    </List>
  )
}

export function DischargeTemplatesSection({ form }: { form: SettingsFormApi }) {
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        A new discharge summary starts with these texts; the physician adapts them to the patient before signing. Summaries already opened keep their text. One
        instruction per line.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Stack>
          <Textarea label="Activity guidelines" autosize minRows={5} maxRows={14} {...form.getInputProps('dischargeActivityGuidelines')} />
          <Group>
            <Button variant="subtle" size="xs" onClick={() => form.setFieldValue('dischargeActivityGuidelines', DEFAULT_ACTIVITY_GUIDELINES)}>
              Use the built-in activity guidelines
            </Button>
          </Group>
          <Textarea label="Warning signs" autosize minRows={4} maxRows={14} {...form.getInputProps('dischargeWarningSigns')} />
          <Group>
            <Button variant="subtle" size="xs" onClick={() => form.setFieldValue('dischargeWarningSigns', DEFAULT_WARNING_SIGNS)}>
              Use the built-in warning signs
            </Button>
          </Group>
        </Stack>
        <Paper withBorder p="md" aria-label="Preview of the discharge summary's instructions" role="region">
          <Stack gap="xs">
            <Text size="xs" c="dimmed">
              Preview: as the discharge summary prints them
            </Text>
            <Title order={4} size="h5">
              Activity guidelines
            </Title>
            <PreviewLines text={form.values.dischargeActivityGuidelines} />
            <Title order={4} size="h5">
              Warning signs: call the clinic or 911
            </Title>
            <PreviewLines text={form.values.dischargeWarningSigns} />
          </Stack>
        </Paper>
      </SimpleGrid>
    </Stack>
  )
}
