/**
 * The managers' referral figures (issue 19 point 2) on the dashboard: referrals received in the last 12 months by
 * referrer, and the median days from receipt to the consultation and to the procedure. Always the last 12 months
 * (not the dashboard's period filter): a referral's path to a procedure takes months.
 */
import { Loader, Paper, Stack, Table, Text, Title } from '@mantine/core'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useChannel } from '../../data'
import { formatDate } from '../../format'

const days = (n: number | null, of: number) => (n === null ? 'not enough data yet' : `${n} ${n === 1 ? 'day' : 'days'} (median of ${of})`)

export function ReferralsCard() {
  const q = useChannel('referrals.stats', {})
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="referrals-card-title" data-testid="referral-figures">
      <Stack gap="xs">
        <Title order={3} size="h4" id="referrals-card-title">
          Referrals
        </Title>
        {q.isPending ? (
          <Loader size="sm" aria-label="Loading the referral figures" />
        ) : q.isError ? (
          <ErrorPanel error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <>
            <Text size="sm">
              {q.data.total} received {formatDate(q.data.from)} to {formatDate(q.data.to)} · to consultation: {days(q.data.medianDaysToConsultation, q.data.consultations)} · to
              procedure: {days(q.data.medianDaysToProcedure, q.data.procedures)}
            </Text>
            {q.data.byReferrer.length > 0 && (
              <Table aria-label="Referrals by referrer, last 12 months" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Referrer</Table.Th>
                    <Table.Th>Referrals</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {q.data.byReferrer.slice(0, 20).map((r) => (
                    <Table.Tr key={`${r.referrerId ?? 'text'}:${r.name}`}>
                      <Table.Td>{r.name}</Table.Td>
                      <Table.Td>{r.count}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </>
        )}
        <Text size="xs" c="gray.8">
          Counted: referrals recorded in the app and received in the last 12 months. To consultation: from receipt to the consultation booked from the referral,
          once the patient came. To procedure: from receipt to the patient&apos;s first procedure after it.
        </Text>
      </Stack>
    </Paper>
  )
}
