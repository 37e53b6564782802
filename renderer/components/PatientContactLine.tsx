import { Text } from '@mantine/core'
import { contactSummary } from '../../shared/contactPreferences'
import { useChannel } from '../data'

/**
 * One read-only line: how the chosen patient wants to be contacted ("Prefers phone · 555-0100 · reminders not asked
 * yet"), where the front desk books or confirms, so a reminder or a call goes the way the patient asked.
 */
export function PatientContactLine({ patientId }: { patientId: number }) {
  const patient = useChannel('patients.get', { id: patientId })
  if (!patient.data) return null
  return (
    <Text size="sm" c="gray.8" data-testid="patient-contact-line">
      {contactSummary(patient.data)}
    </Text>
  )
}
