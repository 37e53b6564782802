import { Alert, Anchor, List } from '@mantine/core'
import type { PatientSummary } from '../../../shared/schemas/patients'
import { useClinicClock } from '../../clinicClock'
import { formatDob } from '../../format'

export function DuplicateWarning({ duplicates }: { duplicates: PatientSummary[] }) {
  const today = useClinicClock().today()
  if (duplicates.length === 0) return null
  return (
    <Alert color="yellow" title="This patient may already be registered" role="alert">
      A patient with the same name and date of birth exists:
      <List size="sm" mt={4}>
        {duplicates.map((d) => (
          <List.Item key={d.id}>
            <Anchor href={`#/patients/${d.id}`}>
              {d.lastName}, {d.firstName} · {d.mrn} · born {formatDob(d.dateOfBirth, today)}
            </Anchor>
          </List.Item>
        ))}
      </List>
      Open that record instead, or register anyway if this is a different person.
    </Alert>
  )
}
