/**
 * Hands the dashboard's selection over as a file: the main process writes it as a job (progress from
 * `exports.status`, stopped by `exports.cancel`), and the finished file is downloaded. Cancel, or closing the
 * dialog while it runs, leaves no file anywhere.
 */
import { Alert, Button, Checkbox, Group, Modal, Progress, Radio, Stack, Text } from '@mantine/core'
import { useEffect, useRef, useState } from 'react'
import type { ExportJobView, OutcomeFilter } from '../../../shared/schemas/outcomes'
import { EXPORT_KINDS } from '../../../shared/schemas/outcomes'
import { api, ApiError } from '../../api'
import { base64Bytes, saveFile } from '../../download'
import { plural } from './figures'

type Kind = (typeof EXPORT_KINDS)[number]

const KINDS: Record<Kind, { label: string; help: string; unit: string }> = {
  outcomesCsv: {
    label: 'Outcome CSV',
    unit: 'procedure',
    help: 'One row per procedure: levels, kind, discharge, baseline and follow-up scores. Opens in a spreadsheet; the columns are described in the README.',
  },
  fhir: {
    label: 'FHIR R4 bundle',
    unit: 'procedure',
    help: 'Patients, appointments, encounters, procedures, pain and ODI observations and diagnoses as one FHIR R4 collection, for a registry or another system.',
  },
  dischargePdfs: {
    label: 'Discharge summary PDFs',
    unit: 'discharge summary',
    help: 'The discharge summary of each procedure, one PDF each, together in a ZIP file: the signed PDF as stored, or a draft marked “DRAFT - NOT SIGNED”. Summaries entered in error are left out.',
  },
}

const count = (n: number, unit: string) => plural(n, unit, `${unit.replace(/y$/, 'ie')}s`)

/** How often the screen asks how far the export has got. */
const POLL_MS = 250

interface Props {
  opened: boolean
  onClose: () => void
  filter: OutcomeFilter
  /** the filter in words */
  scope: string
  procedures: number
}

type Outcome = { state: 'saved'; fileName: string; rows: number; unit: string; save: () => void } | { state: 'cancelled' } | { state: 'failed'; message: string }

export function ExportDialog({ opened, onClose, filter, scope, procedures }: Props) {
  const [kind, setKind] = useState<Kind>('outcomesCsv')
  const [deidentify, setDeidentify] = useState(false)
  const [job, setJob] = useState<ExportJobView | null>(null)
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  const [starting, setStarting] = useState(false)
  const [cancelling, setCancelling] = useState(false)
  // the job being watched; a cancelled or closed job stops its polling
  const watching = useRef<string | null>(null)

  const running = job?.state === 'running'

  useEffect(() => {
    if (!job || job.state !== 'running' || watching.current !== job.jobId) return
    const timer = setTimeout(() => {
      api('exports.status', { jobId: job.jobId })
        .then((v) => {
          if (watching.current === v.jobId) void settle(v)
        })
        .catch((err: unknown) => finish({ state: 'failed', message: err instanceof Error ? err.message : String(err) }))
    }, POLL_MS)
    return () => clearTimeout(timer)
  })

  function finish(o: Outcome) {
    watching.current = null
    setOutcome(o)
  }

  async function settle(v: ExportJobView) {
    setJob(v)
    if (v.state === 'running') return
    if (v.state === 'cancelled') return finish({ state: 'cancelled' })
    if (v.state === 'failed') return finish({ state: 'failed', message: v.error ?? 'The export failed.' })
    try {
      const file = await api('exports.result', { jobId: v.jobId })
      if (watching.current !== v.jobId) return // cancelled while the file was on its way: not saved
      const data = file.encoding === 'base64' ? base64Bytes(file.content) : file.content
      const save = () => saveFile(data, file.fileName, file.mimeType)
      save()
      finish({ state: 'saved', fileName: file.fileName, rows: file.rows, unit: KINDS[v.kind].unit, save })
    } catch (err) {
      finish({ state: 'failed', message: err instanceof ApiError ? err.message : String(err) })
    }
  }

  async function start() {
    setStarting(true)
    setOutcome(null)
    try {
      const v = await api('exports.start', { kind, filter, deidentify: kind === 'outcomesCsv' && deidentify })
      watching.current = v.jobId
      setJob(v)
    } catch (err) {
      finish({ state: 'failed', message: err instanceof Error ? err.message : String(err) })
    } finally {
      setStarting(false)
    }
  }

  async function cancel() {
    if (!job) return
    const jobId = job.jobId
    watching.current = null
    setCancelling(true)
    try {
      const v = await api('exports.cancel', { jobId })
      setJob(v)
      setOutcome(v.state === 'cancelled' ? { state: 'cancelled' } : { state: 'failed', message: `The export could not be cancelled: it is ${v.state}.` })
    } catch (err) {
      // gone already (collected or expired): nothing was saved here
      setOutcome(err instanceof ApiError && err.code === 'not_found' ? { state: 'cancelled' } : { state: 'failed', message: String(err) })
    } finally {
      setCancelling(false)
    }
  }

  function close() {
    if (job && running) {
      // closing while it runs stops it: no file is left behind
      watching.current = null
      void api('exports.cancel', { jobId: job.jobId }).catch(() => undefined)
    }
    setJob(null)
    setOutcome(null)
    onClose()
  }

  const pct = job && job.total > 0 ? Math.min(100, Math.round((job.rows / job.total) * 100)) : 0

  return (
    <Modal opened={opened} onClose={close} title="Export outcomes" size="lg">
      <Stack>
        <Text size="sm">
          Uses the dashboard’s selection: {scope} ({plural(procedures, 'procedure')}).
        </Text>
        <Radio.Group label="What to export" value={kind} onChange={(v) => setKind(v as Kind)}>
          <Stack gap="xs" mt={4}>
            {EXPORT_KINDS.map((k) => (
              <Radio key={k} value={k} label={KINDS[k].label} description={KINDS[k].help} disabled={running} />
            ))}
          </Stack>
        </Radio.Group>
        {kind === 'outcomesCsv' && (
          <Checkbox
            label="De-identify"
            checked={deidentify}
            disabled={running}
            onChange={(e) => setDeidentify(e.currentTarget.checked)}
            description="Leaves out names, MRNs, contact details, exact dates of birth, free text and record ids, and gives each patient a pseudonym (the same patient has the same pseudonym in every export of this clinic). Use it for research or a registry. Without it the file identifies patients: keep it on clinic devices."
          />
        )}
        {kind !== 'outcomesCsv' && (
          <Text size="sm" c="gray.8">
            {kind === 'fhir' ? 'The bundle identifies' : 'The summaries identify'} patients: keep it on clinic devices, and send it only to systems that may hold these records.
          </Text>
        )}
        <Text size="sm" c="gray.8">
          Every export is recorded in the audit log with its selection and the number of records.
        </Text>

        {job && running && (
          <Stack gap={4}>
            <Progress value={pct} animated aria-label="Export progress" />
            <Text size="sm" aria-live="polite" data-testid="export-progress">
              Writing {job.rows} of {count(job.total, KINDS[job.kind].unit)}…
            </Text>
          </Stack>
        )}
        {outcome?.state === 'saved' && (
          <Alert color="green" title="Downloaded" data-testid="export-done">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">
                {outcome.fileName}: {count(outcome.rows, outcome.unit)}.
              </Text>
              <Button size="xs" variant="default" onClick={outcome.save}>
                Save {outcome.fileName} again
              </Button>
            </Stack>
          </Alert>
        )}
        {outcome?.state === 'cancelled' && (
          <Alert color="gray" title="Export cancelled" data-testid="export-cancelled">
            No file was made. Start it again when you are ready.
          </Alert>
        )}
        {outcome?.state === 'failed' && (
          <Alert color="red" title="The export did not finish">
            {outcome.message}
          </Alert>
        )}

        <Group justify="flex-end">
          {running ? (
            <Button color="red" variant="outline" onClick={() => void cancel()} loading={cancelling}>
              Cancel export
            </Button>
          ) : (
            <>
              <Button variant="default" onClick={close}>
                Done
              </Button>
              <Button onClick={() => void start()} loading={starting}>
                Start export
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  )
}
