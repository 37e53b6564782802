/**
 * A save refused because someone saved the record first (issue 23 point 1): "Not saved: Dr Ana Ruiz changed this
 * at Dec 6, 2026, 10:04 AM", with
 *   - Compare: a field-by-field table of what differs, yours beside theirs, in words;
 *   - Reload theirs: asks first, showing what you typed (to copy) before the form takes their version;
 *   - Keep my typing: closes; the form keeps everything typed (the next save is refused again until reloaded).
 * The service sends who and when (shared/conflicts.ts); the screen gives what it typed and their values.
 */
import { Alert, Button, CopyButton, Group, Loader, Stack, Table, Text, Textarea } from '@mantine/core'
import { modals } from '@mantine/modals'
import { useEffect, useState } from 'react'
import { staleVersionDetail, type StaleVersionDetail } from '../../shared/conflicts'
import { fieldName } from '../../shared/fieldNames'
import type { ApiError } from '../api'
import { useClinicClock } from '../clinicClock'

type Values = Record<string, unknown>

export interface ConflictDialogOptions {
  error: ApiError
  /** What the form holds now (what the person typed). */
  yours: Values
  /** The record as it is stored now: the refusal's `current` when the service sent it, or read again on Compare. */
  theirs?: Values | (() => Promise<Values>)
  /** A path's words on the screen where they differ from fieldName's ('allergyCement' -> 'Bone cement (PMMA) allergy'). */
  labels?: Record<string, string>
  /** Puts the stored record (and its version) in the form. */
  onReload: () => Promise<void> | void
}

const MODAL_ID = 'save-conflict'

export function openConflictDialog(o: ConflictDialogOptions): void {
  const detail = staleVersionDetail(o.error.detail) ?? { changedBy: null, changedAt: null }
  modals.close(MODAL_ID)
  modals.open({
    modalId: MODAL_ID,
    size: 'xl',
    title: <ConflictTitle detail={detail} />,
    children: <ConflictBody options={o} detail={detail} />,
  })
}

function ConflictTitle({ detail }: { detail: StaleVersionDetail }) {
  const clock = useClinicClock()
  return <>{conflictTitle(detail, (at) => clock.dateTime(at))}</>
}

/** "Not saved: Dr Ana Ruiz changed this at Dec 6, 2026, 10:04 AM" (someone else, when the record does not say who). */
export function conflictTitle(d: StaleVersionDetail, dateTime: (iso: string) => string): string {
  return `Not saved: ${d.changedBy ?? 'someone else'} changed this${d.changedAt ? ` at ${dateTime(d.changedAt)}` : ''}`
}

/** A value as a person reads it. */
export function inWords(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(empty)'
  if (v === true || v === 'yes') return 'Yes'
  if (v === false || v === 'no') return 'No'
  if (v === 'unknown') return 'Not known'
  if (Array.isArray(v)) return v.length === 0 ? '(none)' : v.map(inWords).join(', ')
  if (typeof v === 'object') {
    return Object.entries(v as Values)
      .map(([k, x]) => `${fieldName(k)}: ${inWords(x)}`)
      .join('; ')
  }
  return String(v)
}

/** Nested objects and lists of objects as dot paths ('findings.0.level'); lists of plain values stay whole. */
function flatten(v: Values, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, x] of Object.entries(v)) {
    const path = prefix ? `${prefix}.${k}` : k
    if (x && typeof x === 'object' && !Array.isArray(x)) flatten(x as Values, path, out)
    else if (Array.isArray(x) && x.some((i) => i && typeof i === 'object')) {
      if (x.length === 0) out[path] = x
      x.forEach((item, i) => (item && typeof item === 'object' ? flatten(item as Values, `${path}.${i}`, out) : (out[`${path}.${i}`] = item)))
    } else out[path] = x
  }
  return out
}

export interface DifferenceRow {
  path: string
  label: string
  yours: string
  theirs: string
}

/** The fields where what was typed and what is stored read differently, in the order the form has them. */
export function differences(yours: Values, theirs: Values, labels: Record<string, string> = {}): DifferenceRow[] {
  const a = flatten(yours)
  const b = flatten(theirs)
  const paths = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))]
  return paths
    .map((path) => ({ path, label: labels[path] ?? fieldName(path), yours: inWords(a[path]), theirs: inWords(b[path]) }))
    .filter((r) => r.yours !== r.theirs)
}

function ConflictBody({ options: o, detail }: { options: ConflictDialogOptions; detail: StaleVersionDetail }) {
  const [step, setStep] = useState<'choose' | 'compare' | 'replace'>('choose')
  const [theirs, setTheirs] = useState<Values | null>(() => (typeof o.theirs === 'object' ? o.theirs : detail.current && typeof detail.current === 'object' ? (detail.current as Values) : null))
  const [loadError, setLoadError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (step === 'choose' || theirs || typeof o.theirs !== 'function') return
    o.theirs().then(setTheirs, (err: unknown) => setLoadError(err instanceof Error ? err.message : String(err)))
  }, [step, theirs, o])

  const rows = theirs ? differences(o.yours, theirs, o.labels) : null
  const yoursText = rows ? rows.map((r) => `${r.label}: ${r.yours}`).join('\n') : Object.entries(flatten(o.yours)).map(([k, v]) => `${o.labels?.[k] ?? fieldName(k)}: ${inWords(v)}`).join('\n')

  async function reload() {
    setBusy(true)
    try {
      await o.onReload()
      modals.close(MODAL_ID)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Stack>
      <Text>{o.error.message}</Text>
      <Text size="sm">Nothing you typed was saved, and nothing of theirs was overwritten. What you typed stays in the form until you choose.</Text>
      {step === 'compare' && (
        <>
          {loadError && (
            <Alert color="red" title="Their version could not be read">
              {loadError}
            </Alert>
          )}
          {!rows && !loadError && <Loader size="sm" aria-label="Reading their version" />}
          {rows && rows.length === 0 && <Text>What you typed is the same as what they saved.</Text>}
          {rows && rows.length > 0 && (
            <Table withTableBorder striped aria-label="Yours and theirs, field by field">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Field</Table.Th>
                  <Table.Th>Yours (not saved)</Table.Th>
                  <Table.Th>Theirs (saved{detail.changedBy ? ` by ${detail.changedBy}` : ''})</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.path}>
                    <Table.Td fw={600}>{r.label}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{r.yours}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{r.theirs}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
      {step === 'replace' && (
        <Alert color="orange" title="Replace your typing with their version?" styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
          <Stack gap="xs">
            <Text size="sm">What you typed is lost once the form takes their version. Copy it first if you need it:</Text>
            <Textarea label="What you typed" readOnly autosize minRows={2} maxRows={10} value={yoursText} />
            <Group>
              <CopyButton value={yoursText}>{({ copied, copy }) => <Button variant="default" onClick={copy}>{copied ? 'Copied' : 'Copy what I typed'}</Button>}</CopyButton>
              <Button color="red.9" loading={busy} onClick={() => void reload()}>
                Replace with theirs
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" data-autofocus onClick={() => modals.close(MODAL_ID)}>
          Keep my typing
        </Button>
        {step !== 'compare' && (
          <Button variant="default" onClick={() => setStep('compare')}>
            Compare
          </Button>
        )}
        {step !== 'replace' && <Button onClick={() => setStep('replace')}>Reload theirs</Button>}
      </Group>
    </Stack>
  )
}
