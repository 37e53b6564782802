/**
 * The referrers' directory (issue 19 point 1): search as the patient search does (any words of the name, practice
 * or specialty, any case or accents, or the phone or fax), add and edit (front desk and physicians; managers read).
 * Adding one the directory may already have warns with the existing ones: open one, or add anyway after
 * confirming (the main process checks again and wants `confirmDuplicate`). Below, the referral texts not matched
 * to a referrer (the upgrade's free text it could not match, or an unknown referrer typed at intake), each of
 * which can be linked to a referrer (the text is kept).
 *
 * `#/referrers?open=<id>` opens a referrer's form.
 */
import { Alert, Anchor, Badge, Button, Checkbox, Group, List, Loader, Modal, NativeSelect, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import type { z } from 'zod'
import {
  DUPLICATE_WHY_LABELS,
  EMPTY_REFERRER,
  LETTER_DELIVERIES,
  LETTER_DELIVERY_LABELS,
  ReferrerFields,
  UNMATCHABLE_LABELS,
  type Referrer,
  type ReferrerDuplicate,
  type UnmatchedReferral,
} from '../../../shared/schemas/referrals'
import { ApiError } from '../../api'
import { useCan, useChannel, useWrite } from '../../data'
import { showApiError, validateWith } from '../../forms'
import { formatDate } from '../../format'
import { useHashQuery } from '../../worklistPlace'
import { ReferrerPicker } from '../../components/ReferrerPicker'

export default function ReferrersScreen() {
  const [params, setParams] = useHashQuery()
  const [q, setQ] = useState('')
  const [showInactive, setShowInactive] = useState(false)
  const found = useChannel('referrers.search', { q, includeInactive: showInactive, limit: 100 })
  const canEdit = useCan('referrers.add')
  const [adding, setAdding] = useState(false)
  const openId = /^\d+$/.test(params.get('open') ?? '') ? Number(params.get('open')) : null
  const opened = useChannel('referrers.get', { id: openId ?? 0 }, { enabled: openId !== null })
  const close = () => {
    setAdding(false)
    if (openId !== null) setParams({ open: null })
  }
  const rows = found.data ?? []
  return (
    <Stack>
      <Title order={2}>Referrers</Title>
      <Text size="sm">Clinicians and practices who refer patients, and how each wants the clinic&apos;s letters.</Text>
      <Group align="flex-end">
        <TextInput label="Search referrers" description="Name, practice, specialty or phone" value={q} onChange={(e) => setQ(e.currentTarget.value)} w={360} data-autofocus />
        <Checkbox label="Include inactive" checked={showInactive} onChange={(e) => setShowInactive(e.currentTarget.checked)} mb={6} />
        {canEdit && (
          <Button onClick={() => setAdding(true)} mb={2}>
            Add referrer
          </Button>
        )}
      </Group>
      {found.isError && <Alert color="red">{found.error.message}</Alert>}
      {found.isPending && <Loader size="sm" aria-label="Loading referrers" />}
      {found.isSuccess && rows.length === 0 && <Text>{q.trim() ? 'No referrer matches.' : 'No referrers yet.'}</Text>}
      {rows.length > 0 && (
        <Table striped aria-label="Referrers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Specialty</Table.Th>
              <Table.Th>Practice</Table.Th>
              <Table.Th>Phone</Table.Th>
              <Table.Th>Fax</Table.Th>
              <Table.Th>Letters by</Table.Th>
              <Table.Th>Referrals</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Anchor component="button" type="button" onClick={() => setParams({ open: String(r.id) })}>
                    {r.name}
                  </Anchor>{' '}
                  {!r.active && <Badge color="gray.7">Inactive</Badge>}
                </Table.Td>
                <Table.Td>{r.specialty}</Table.Td>
                <Table.Td>{r.practice}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.phone}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.fax}</Table.Td>
                <Table.Td>{LETTER_DELIVERY_LABELS[r.letterDelivery]}</Table.Td>
                <Table.Td>{r.referralCount}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <UnmatchedSection canEdit={canEdit} />
      <Modal opened={adding || openId !== null} onClose={close} size="lg" title={adding ? 'Add referrer' : opened.data ? `Referrer: ${opened.data.name}` : 'Referrer'}>
        {adding && <ReferrerForm referrer={null} canEdit={canEdit} onDone={close} onOpen={(id) => (setAdding(false), setParams({ open: String(id) }))} />}
        {!adding && openId !== null && (opened.data ? <ReferrerForm key={opened.data.id} referrer={opened.data} canEdit={canEdit} onDone={close} onOpen={() => {}} /> : <Loader aria-label="Loading" />)}
      </Modal>
    </Stack>
  )
}

type FormValues = z.input<typeof ReferrerFields>

export function ReferrerForm({ referrer, canEdit, onDone, onOpen }: { referrer: Referrer | null; canEdit: boolean; onDone: (saved?: Referrer) => void; onOpen: (id: number) => void }) {
  const form = useForm<FormValues>({ initialValues: referrer ? { ...referrer } : EMPTY_REFERRER, validate: validateWith(ReferrerFields) })
  const add = useWrite('referrers.add')
  const update = useWrite('referrers.update')
  const [duplicates, setDuplicates] = useState<ReferrerDuplicate[]>([])
  const [confirming, setConfirming] = useState(false)
  const readOnly = !canEdit

  async function save(values: FormValues, confirmDuplicate = false) {
    try {
      const saved = referrer
        ? await update.mutateAsync({ ...ReferrerFields.parse(values), id: referrer.id, version: referrer.version })
        : await add.mutateAsync({ ...ReferrerFields.parse(values), confirmDuplicate })
      notifications.show({ color: 'green', title: referrer ? 'Referrer saved' : 'Referrer added', message: saved.name })
      onDone(saved)
    } catch (err) {
      if (err instanceof ApiError && err.code === 'conflict' && err.fields.confirmDuplicate) {
        // the main process found possible duplicates: show them; adding anyway needs a confirmation
        setDuplicates((err.detail as { duplicates: ReferrerDuplicate[] }).duplicates)
        return
      }
      showApiError(err, form)
    }
  }

  return (
    <form onSubmit={form.onSubmit((v) => void save(v))} noValidate>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label="Name" required data-autofocus readOnly={readOnly} {...form.getInputProps('name')} />
          <TextInput label="Specialty" readOnly={readOnly} {...form.getInputProps('specialty')} />
          <TextInput label="Practice" readOnly={readOnly} {...form.getInputProps('practice')} />
          <NativeSelect
            label="Letters by"
            disabled={readOnly}
            data={LETTER_DELIVERIES.map((d) => ({ value: d, label: LETTER_DELIVERY_LABELS[d] }))}
            {...form.getInputProps('letterDelivery')}
          />
          <TextInput label="Referrer phone" type="tel" readOnly={readOnly} {...form.getInputProps('phone')} />
          <TextInput label="Fax" type="tel" readOnly={readOnly} {...form.getInputProps('fax')} />
          <TextInput label="Referrer e-mail" type="email" readOnly={readOnly} {...form.getInputProps('email')} />
        </SimpleGrid>
        <Textarea label="Referrer address" autosize minRows={2} readOnly={readOnly} {...form.getInputProps('address')} />
        {referrer && <Checkbox label="Active (offered when recording a referral)" disabled={readOnly} {...form.getInputProps('active', { type: 'checkbox' })} />}
        {duplicates.length > 0 && (
          <Alert color="orange.9" title="This referrer may already be in the directory" role="alert">
            <List size="sm" mt={4}>
              {duplicates.map((d) => (
                <List.Item key={d.referrer.id}>
                  {d.referrer.name}
                  {d.referrer.practice ? ` (${d.referrer.practice})` : ''} · {d.why.map((w) => DUPLICATE_WHY_LABELS[w]).join(', ')}{' '}
                  <Button size="compact-xs" variant="default" onClick={() => onOpen(d.referrer.id)}>
                    Open
                  </Button>
                </List.Item>
              ))}
            </List>
            <Checkbox mt="sm" label="This is a different referrer: add anyway" checked={confirming} onChange={(e) => setConfirming(e.currentTarget.checked)} />
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone()}>
            {readOnly ? 'Close' : 'Cancel'}
          </Button>
          {canEdit &&
            (duplicates.length > 0 && !referrer ? (
              <Button disabled={!confirming} loading={add.isPending} onClick={() => void save(form.getValues(), true)}>
                Add anyway
              </Button>
            ) : (
              <Button type="submit" loading={add.isPending || update.isPending}>
                {referrer ? 'Save' : 'Add referrer'}
              </Button>
            ))}
        </Group>
      </Stack>
    </form>
  )
}

function UnmatchedSection({ canEdit }: { canEdit: boolean }) {
  const list = useChannel('referrers.unmatched', {})
  const [linking, setLinking] = useState<UnmatchedReferral | null>(null)
  const rows = list.data ?? []
  return (
    <Stack gap="xs" mt="lg">
      <Title order={3}>Referral texts not matched to a referrer</Title>
      <Text size="sm">
        Who referred, as written, where no referrer of the directory is named: texts the upgrade could not match to one clinician, and unknown referrers typed
        with a referral. The text is always kept; linking it to a referrer counts the referral under them.
      </Text>
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      {list.isSuccess && rows.length === 0 && <Text size="sm">Every referral names a referrer.</Text>}
      {rows.length > 0 && (
        <Table striped aria-label="Referral texts not matched to a referrer">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Text</Table.Th>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Received</Table.Th>
              <Table.Th>Why not matched</Table.Th>
              {canEdit && <Table.Th>Link</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.referrerText}</Table.Td>
                <Table.Td>
                  <Anchor href={`#/patients/${u.patientId}`}>{u.patientName}</Anchor> · {u.patientMrn}
                </Table.Td>
                <Table.Td>{u.source === 'migrated' ? 'Before referrals were recorded' : formatDate(u.receivedOn)}</Table.Td>
                <Table.Td>{u.why ? UNMATCHABLE_LABELS[u.why] : 'Typed at intake; no referrer chosen'}</Table.Td>
                {canEdit && (
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setLinking(u)} aria-label={`Link "${u.referrerText}" (${u.patientName}) to a referrer`}>
                      Link…
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={linking !== null} onClose={() => setLinking(null)} title={linking ? `Link "${linking.referrerText}" to a referrer` : ''}>
        {linking && <LinkForm unmatched={linking} onDone={() => setLinking(null)} />}
      </Modal>
    </Stack>
  )
}

function LinkForm({ unmatched, onDone }: { unmatched: UnmatchedReferral; onDone: () => void }) {
  const [referrerId, setReferrerId] = useState<number | null>(null)
  const link = useWrite('referrals.setReferrer')
  async function save() {
    if (referrerId === null) return
    try {
      await link.mutateAsync({ id: unmatched.id, version: unmatched.version, referrerId })
      notifications.show({ color: 'green', title: 'Referral linked', message: unmatched.patientName })
      onDone()
    } catch (err) {
      showApiError(err)
    }
  }
  return (
    <Stack gap="sm">
      <Text size="sm">The text &ldquo;{unmatched.referrerText}&rdquo; stays on the referral as it was written.</Text>
      <ReferrerPicker value={referrerId} onChange={setReferrerId} initialQuery={unmatched.referrerText} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button disabled={referrerId === null} loading={link.isPending} onClick={() => void save()}>
          Link
        </Button>
      </Group>
    </Stack>
  )
}
