/** `#/follow-up-visits/new?followUp=ID&patient=ID`: a physician records what was found at a follow-up visit. */
import { Alert, Anchor, Loader, Stack, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { ErrorPanel } from '../../components/ErrorPanel'
import { WithDraft } from '../../drafts'
import { PatientBanner } from '../../components/PatientBanner'
import { formatDate } from '../../format'
import { navigate, useRoute } from '../../routing'
import { clinicToday } from '../../../shared/clinicClock'
import { useChart, usePatientFollowUps, usePatientOutcomes, useSettings } from '../../hooks'
import type { VisitValues } from './visitForm'
import { VisitForm } from './VisitForm'

export default function RecordVisitScreen() {
  const route = useRoute()
  const params = new URLSearchParams(route.split('?')[1] ?? '')
  const followUpId = Number(params.get('followUp'))
  const patientId = Number(params.get('patient'))
  if (!Number.isInteger(followUpId) || followUpId < 1 || !Number.isInteger(patientId) || patientId < 1) {
    return (
      <Stack>
        <Title order={2}>Follow-up visit</Title>
        <Text>Open the visit from the follow-ups due or from the patient's chart.</Text>
      </Stack>
    )
  }
  return <RecordVisit followUpId={followUpId} patientId={patientId} />
}

function RecordVisit({ followUpId, patientId }: { followUpId: number; patientId: number }) {
  const chart = useChart(patientId)
  const followUps = usePatientFollowUps(patientId)
  const outcomes = usePatientOutcomes(patientId)
  const timeZone = useSettings()
  const failed = chart.error ?? followUps.error ?? outcomes.error ?? timeZone.error
  if (failed) return <ErrorPanel error={failed} />
  if (!chart.data || !followUps.data || !outcomes.data || !timeZone.data) return <Loader aria-label="Loading the follow-up visit" />
  const f = followUps.data.find((x) => x.id === followUpId)
  const recorded = outcomes.data.visits.find((v) => v.followUpId === followUpId && !v.enteredInError)
  const back = (
    <Anchor href={`#/chart/${patientId}`} size="sm">
      ← Chart of {chart.data.header.lastName}, {chart.data.header.firstName}
    </Anchor>
  )

  return (
    <Stack>
      {back}
      <PatientBanner header={chart.data.header} />
      <Title order={2}>{f ? `${f.label} follow-up visit (due ${formatDate(f.targetDate)})` : 'Follow-up visit'}</Title>
      {!f ? (
        <Alert color="yellow">This follow-up is not planned for this patient any more (cancelled, or not theirs). Nothing can be recorded on it.</Alert>
      ) : recorded ? (
        <Alert color="blue">
          This visit was recorded on {formatDate(recorded.fields.visitDate)} by {recorded.recordedBy}. To correct it, mark that record entered in error on the chart and record the visit again.
        </Alert>
      ) : (
        <WithDraft<VisitValues> draftKey={`followUpVisit:${followUpId}`} noun="visit">
          {(restored) => (
            <VisitForm
              followUpId={followUpId}
              today={clinicToday(Date.now(), timeZone.data.settings.timeZone)}
              restored={restored}
              onSaved={(v) => {
                notifications.show({ color: 'green', title: 'Visit recorded', message: `${v.label} follow-up of ${formatDate(v.fields.visitDate)}${v.odiScore === null ? '' : `, ODI ${v.odiScore}%`}${v.rmdqScore === null ? '' : `, Roland-Morris ${v.rmdqScore}/24`}` })
                navigate(`/chart/${patientId}`)
              }}
            />
          )}
        </WithDraft>
      )}
    </Stack>
  )
}
