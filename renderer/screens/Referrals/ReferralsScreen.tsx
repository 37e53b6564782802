/**
 * The Referrals worklist (issue 19 point 2): every referral not yet booked, declined or closed, the most urgent and
 * then the oldest first (urgent, not triaged, soon, routine), with the days waited since it was received (the
 * clinic's today, from the main process's clock). The front desk and physicians set the urgency inline and decline
 * with a reason; the front desk books the consultation, which opens the schedule's booking form linked to the
 * referral (`link=referral:ID:VERSION`) and comes back here (`back=`), the referral then off the list.
 */
import { Alert, Anchor, Badge, Button, Group, Loader, Modal, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { TRIAGE_URGENCIES, URGENCY_LABELS, type ReferralView, type Urgency } from '../../../shared/schemas/referrals'
import { useCan, useChannel, useWrite } from '../../data'
import { showApiError } from '../../forms'
import { formatDate } from '../../format'
import { bookingPath } from '../../paths'
import { navigate } from '../../routing'
import { leaveWorklist, useRestoreWorklistPlace } from '../../worklistPlace'
import { DocumentsSection } from '../../components/documents/DocumentsSection'

const URGENCY_COLOURS: Record<Urgency, string> = { urgent: 'red.9', untriaged: 'yellow.9', soon: 'orange.9', routine: 'gray.7' }
/** The appointment type of a first consultation (the clinic's seeded code). */
const CONSULTATION_TYPE = 'new-consultation'

export default function ReferralsScreen() {
  const list = useChannel('referrals.worklist', {})
  useRestoreWorklistPlace(list.isSuccess)
  const canTriage = useCan('referrals.triage')
  const canBook = useCan('schedule.appointments.bookAndLink')
  const [declining, setDeclining] = useState<ReferralView | null>(null)
  // the referral's letter and other papers (issue 19 point 3), attached with the referral named
  const canSeeDocuments = useCan('documents.forPatient')
  const [papers, setPapers] = useState<ReferralView | null>(null)
  const rows = list.data?.referrals ?? []
  const untriaged = rows.filter((r) => r.urgency === 'untriaged').length
  return (
    <Stack>
      <Title order={2}>Referrals</Title>
      <Text size="sm">
        Referrals to triage and to book, most urgent first, then the longest waiting. Urgent: an acute fracture with severe pain, to be seen within days; soon:
        within 2 weeks; routine: within weeks.
      </Text>
      {list.data && (
        <Text size="sm" fw={500}>
          {rows.length === 1 ? '1 referral' : `${rows.length} referrals`} to book{untriaged > 0 ? `, ${untriaged} not triaged` : ''}
        </Text>
      )}
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      {list.isPending && <Loader size="sm" aria-label="Loading referrals" />}
      {list.isSuccess && rows.length === 0 && <Text>No referral is waiting.</Text>}
      {rows.length > 0 && (
        <Table striped aria-label="Referrals to book" data-testid="referrals-worklist">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Urgency</Table.Th>
              <Table.Th>Received</Table.Th>
              <Table.Th>Waited</Table.Th>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Referrer</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Action</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id} data-testid={`referral-${r.id}`}>
                <Table.Td>{canTriage ? <TriageSelect referral={r} /> : <Badge color={URGENCY_COLOURS[r.urgency]}>{URGENCY_LABELS[r.urgency]}</Badge>}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(r.receivedOn)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.daysWaited === 1 ? '1 day' : `${r.daysWaited} days`}</Table.Td>
                <Table.Td>
                  <Anchor href={`#/patients/${r.patientId}`}>{r.patientName}</Anchor>
                  <Text size="xs">
                    {r.patientMrn}
                    {r.patientPhone ? <span style={{ whiteSpace: 'nowrap' }}> · {r.patientPhone}</span> : ''}
                  </Text>
                </Table.Td>
                <Table.Td>{r.referrerName}</Table.Td>
                <Table.Td>{r.reason}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {canBook && (
                      <Button
                        size="xs"
                        aria-label={`Book consultation for ${r.patientName}`}
                        onClick={() =>
                          navigate(bookingPath({ patientId: r.patientId, patientName: `${r.patientName} · ${r.patientMrn}`, typeCode: CONSULTATION_TYPE, link: { kind: 'referral', id: r.id, version: r.version }, back: leaveWorklist() }))
                        }
                      >
                        Book consultation
                      </Button>
                    )}
                    {canTriage && (
                      <Button size="xs" variant="outline" color="red.9" aria-label={`Decline ${r.patientName}'s referral`} onClick={() => setDeclining(r)}>
                        Decline…
                      </Button>
                    )}
                    {canSeeDocuments && (
                      <Button size="xs" variant="default" aria-label={`Letter and documents of ${r.patientName}'s referral`} onClick={() => setPapers(r)}>
                        Documents…
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={papers !== null} onClose={() => setPapers(null)} size="xl" title={papers ? `${papers.patientName}'s referral of ${formatDate(papers.receivedOn)} from ${papers.referrerName}` : ''}>
        {papers && <DocumentsSection patientId={papers.patientId} referralId={papers.id} />}
      </Modal>
      <Modal opened={declining !== null} onClose={() => setDeclining(null)} title={declining ? `Decline ${declining.patientName}'s referral` : ''}>
        {declining && <DeclineForm referral={declining} onDone={() => setDeclining(null)} />}
      </Modal>
    </Stack>
  )
}

function TriageSelect({ referral }: { referral: ReferralView }) {
  const triage = useWrite('referrals.triage')
  return (
    <NativeSelect
      size="xs"
      aria-label={`Urgency of ${referral.patientName}'s referral`}
      value={referral.urgency}
      disabled={triage.isPending}
      data={[...(referral.urgency === 'untriaged' ? [{ value: 'untriaged', label: URGENCY_LABELS.untriaged }] : []), ...TRIAGE_URGENCIES.map((u) => ({ value: u, label: URGENCY_LABELS[u] }))]}
      onChange={(e) => {
        const urgency = e.currentTarget.value as (typeof TRIAGE_URGENCIES)[number]
        triage.mutate(
          { id: referral.id, version: referral.version, urgency },
          {
            onSuccess: () => notifications.show({ color: 'green', title: 'Referral triaged', message: `${referral.patientName}: ${URGENCY_LABELS[urgency]}` }),
            onError: (err) => showApiError(err),
          },
        )
      }}
    />
  )
}

function DeclineForm({ referral, onDone }: { referral: ReferralView; onDone: () => void }) {
  const decline = useWrite('referrals.decline')
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')
  async function save() {
    if (reason.trim() === '') {
      setError('Say why the referral is declined')
      return
    }
    try {
      await decline.mutateAsync({ id: referral.id, version: referral.version, reason })
      notifications.show({ color: 'green', title: 'Referral declined', message: referral.patientName })
      onDone()
    } catch (err) {
      showApiError(err)
    }
  }
  return (
    <Stack gap="sm">
      <Text size="sm">The referral stays on the patient&apos;s page with who declined it, when and why.</Text>
      <TextInput label="Reason for declining" required data-autofocus maxLength={500} value={reason} error={error || undefined} onChange={(e) => setReason(e.currentTarget.value)} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Keep it
        </Button>
        <Button color="red.9" loading={decline.isPending} onClick={() => void save()}>
          Decline referral
        </Button>
      </Group>
    </Stack>
  )
}
