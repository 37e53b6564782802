/** The Oswestry Disability Index as the patient answered it, section by section, with the score as it stands. */
import { Radio, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { memo } from 'react'
import { describeOdi, ODI_MAX_UNANSWERED, ODI_SECTIONS, ODI_STATEMENTS, scoreOdi } from '../../shared/clinical/scores'

export function OdiQuestionnaire({ answers, onChange, error }: { answers: readonly (number | null)[]; onChange: (section: number, answer: number | null) => void; error?: string | undefined }) {
  const odi = scoreOdi([...answers])
  return (
    <Stack gap="xs">
      <Title order={4}>Oswestry Disability Index</Title>
      <Text size="sm" c="gray.8">
        {`Each section: the statement the patient chose, scored 0 (no limitation) to 5 (the most severe). A section left unanswered is left out of the score; with more than ${ODI_MAX_UNANSWERED} unanswered there is no score.`}
      </Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xs">
        {ODI_SECTIONS.map((name, i) => (
          <OdiSection key={name} index={i} answer={answers[i] ?? null} onChange={onChange} />
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

/**
 * One section: its six published statements as the choices, each with the points it scores ("3: The pain is fairly
 * severe at the moment"). Memoised on its own answer, so that answering one section redraws that section alone.
 */
const OdiSection = memo(function OdiSection({ index, answer, onChange }: { index: number; answer: number | null; onChange: (section: number, answer: number | null) => void }) {
  const name = ODI_SECTIONS[index]!
  return (
    <Radio.Group label={`${index + 1}. ${name}`} value={answer === null ? '' : String(answer)} onChange={(v) => onChange(index, v === '' ? null : Number(v))}>
      <Stack gap={4} mt={4}>
        <Radio value="" label="Not answered" />
        {ODI_STATEMENTS[name].map((statement, n) => (
          <Radio key={n} value={String(n)} label={`${n}: ${statement}`} />
        ))}
      </Stack>
    </Radio.Group>
  )
})
