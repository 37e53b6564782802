/**
 * Settings > Letters: the letterhead and the texts of the letters to the referrer (issue 19 point 4), with the
 * placeholders each letter fills in listed beside them. A placeholder a letter does not have is refused when the
 * settings are saved, named under the template (the router's own schema, shared/schemas/letterSettings.ts).
 */
import { Button, Code, Group, List, SimpleGrid, Stack, Text, Textarea } from '@mantine/core'
import { DEFAULT_LETTER_TEMPLATES, PLACEHOLDER_HELP, placeholdersOf, type LetterKind } from '../../../shared/letters/template'
import { LETTER_TEMPLATE_SETTING } from '../../../shared/schemas/letterSettings'
import type { SettingsFormApi } from './SettingsScreen'

const TITLES: Record<LetterKind, string> = { consultation: 'Letter after a consultation', procedure: 'Letter after a procedure' }

function Placeholders({ kind }: { kind: LetterKind }) {
  return (
    <Stack gap={4} id={`letter-placeholders-${kind}`}>
      <Text size="sm" fw={500}>
        Placeholders of the {kind} letter
      </Text>
      <List size="sm" spacing={2}>
        {placeholdersOf(kind).map((p) => (
          <List.Item key={p}>
            <Code>{`{{${p}}}`}</Code> {PLACEHOLDER_HELP[p]}
          </List.Item>
        ))}
      </List>
    </Stack>
  )
}

function TemplateField({ form, kind }: { form: SettingsFormApi; kind: LetterKind }) {
  const key = LETTER_TEMPLATE_SETTING[kind]
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Stack gap="xs">
        <Textarea
          label={TITLES[kind]}
          description="Written between the recipient's address and your signature. Placeholders in double braces are filled in from the signed record; the list beside says which."
          autosize
          minRows={8}
          maxRows={24}
          {...form.getInputProps(key)}
        />
        <Group>
          <Button variant="subtle" size="xs" onClick={() => form.setFieldValue(key, DEFAULT_LETTER_TEMPLATES[kind])}>
            Use the built-in {kind} letter
          </Button>
        </Group>
      </Stack>
      <Placeholders kind={kind} />
    </SimpleGrid>
  )
}

export function LetterTemplatesSection({ form }: { form: SettingsFormApi }) {
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        After a signed consultation, and after a procedure whose discharge summary is signed, the physician produces a letter to the referrer from these texts.
        Letters already produced keep their text.
      </Text>
      <Textarea
        label="Letterhead"
        description="Printed under the clinic's name at the top of every letter: address, phone, fax, one per line"
        autosize
        minRows={3}
        maxRows={8}
        {...form.getInputProps('letterhead')}
      />
      <TemplateField form={form} kind="consultation" />
      <TemplateField form={form} kind="procedure" />
    </Stack>
  )
}
