/** The Oswestry Disability Index as the patient answered it, section by section, with the score as it stands. */
import { Group, Radio, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { describeOdi, ODI_MAX_UNANSWERED, ODI_SECTIONS, scoreOdi } from '../../shared/clinical/scores'

export function OdiQuestionnaire({ answers, onChange, error }: { answers: readonly (number | null)[]; onChange: (section: number, answer: number | null) => void; error?: string | undefined }) {
  const odi = scoreOdi([...answers])
  return (
    <Stack gap="xs">
      <Title order={4}>Oswestry Disability Index</Title>
      <Text size="sm" c="gray.8">
        {`Each section as the patient answered it: 0 (no limitation) to 5 (the most severe statement). A section left unanswered is left out of the score; with more than ${ODI_MAX_UNANSWERED} unanswered there is no score.`}
      </Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xs">
        {ODI_SECTIONS.map((name, i) => (
          <Radio.Group key={name} label={`${i + 1}. ${name}`} value={answers[i] === null || answers[i] === undefined ? '' : String(answers[i])} onChange={(v) => onChange(i, v === '' ? null : Number(v))}>
            <Group gap="sm" mt={2}>
              <Radio value="" label="Not answered" />
              {[0, 1, 2, 3, 4, 5].map((n) => (
                <Radio key={n} value={String(n)} label={String(n)} />
              ))}
            </Group>
          </Radio.Group>
        ))}
      </SimpleGrid>
      <Text fw={600} aria-live="polite" data-testid="odi-score">
        {describeOdi(odi)}
      </Text>
      {error && (
        <Text c="red.9" size="sm">
          {error}
        </Text>
      )}
    </Stack>
  )
}
