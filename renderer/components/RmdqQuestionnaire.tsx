/**
 * The Roland-Morris Disability Questionnaire as the patient ticked it (24 statements; the score is the number
 * ticked, shared/clinical/scores.ts scoreRmdq), optional: null when it was not done. The consultation note's
 * editor shows the same controls; the follow-up visit uses this one (issue 17 point 7: RMDQ at follow-up visits).
 */
import { Checkbox, SimpleGrid, Stack, Switch, Text } from '@mantine/core'
import { RMDQ_ITEM_COUNT, scoreRmdq } from '../../shared/clinical/scores'

export const emptyRmdq = () => Array<boolean>(RMDQ_ITEM_COUNT).fill(false)

export function RmdqQuestionnaire({ answers, onChange, error }: { answers: readonly boolean[] | null; onChange: (answers: boolean[] | null) => void; error?: string | undefined }) {
  return (
    <Stack gap="xs">
      <Switch label="Record the Roland-Morris questionnaire (optional)" checked={answers !== null} onChange={(e) => onChange(e.currentTarget.checked ? emptyRmdq() : null)} />
      {answers !== null && (
        <>
          <Checkbox.Group
            label="Roland-Morris: statements the patient ticked"
            description="Tick the numbers of the statements ticked on the patient's form"
            value={answers.flatMap((a, i) => (a ? [String(i)] : []))}
            onChange={(v) => onChange(Array.from({ length: RMDQ_ITEM_COUNT }, (_, i) => v.includes(String(i))))}
          >
            <SimpleGrid cols={{ base: 4, sm: 8, lg: 12 }} mt={4} spacing={6}>
              {answers.map((_, i) => (
                <Checkbox key={i} value={String(i)} label={String(i + 1)} aria-label={`Statement ${i + 1}`} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Text fw={600} aria-live="polite" data-testid="rmdq-score">
            Roland-Morris {answers.length === RMDQ_ITEM_COUNT ? scoreRmdq([...answers]) : '—'} / 24
          </Text>
        </>
      )}
      {error && (
        <Text c="red.9" size="sm">
          {error}
        </Text>
      )}
    </Stack>
  )
}
