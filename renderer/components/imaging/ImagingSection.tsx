/**
 * The chart's Imaging section (issue 20 point 1): the patient's studies (date, modality, description, images), and
 * Import from folder: the folder chosen with the system's dialog in the desktop app ("Choose folder…"), or its path
 * typed (the browser bridge has no dialog and cannot hand a folder to the main process; the main process reads the
 * disc itself, file by file), a preview of what it holds before anything
 * is stored (a patient on the disc who differs from the chart must be confirmed study by study), then the import
 * with its progress and Cancel (it stops between two files; what was stored stays).
 */
import { Alert, Badge, Button, Checkbox, Group, List, Paper, Progress, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useEffect, useRef, useState } from 'react'
import type { FoundStudy, ImagingImportJob, ImagingScan } from '../../../shared/schemas/imaging'
import { api, ApiError } from '../../api'
import { refreshAreas, useCan, useChannel } from '../../data'
import { formatDate } from '../../format'

/** The viewer and dwv load only when a study is opened: they stay out of the first bundle. */
const StudyViewer = lazy(() => import('./StudyViewer'))

const POLL_MS = 400
const images = (n: number) => (n === 1 ? '1 image' : `${n} images`)

export function ImagingSection({ patientId }: { patientId: number }) {
  const canRead = useCan('imaging.studies.forPatient')
  const canImport = useCan('imaging.import.start')
  const q = useChannel('imaging.studies.forPatient', { patientId }, { enabled: canRead })
  const canView = useCan('imaging.studies.open')
  const [importing, setImporting] = useState(false)
  const [viewing, setViewing] = useState<number | null>(null)
  if (!canRead) return null
  const studies = q.data?.studies ?? []
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="imaging-title" data-testid="imaging-section">
      <Group justify="space-between" align="baseline" mb="xs">
        <Title order={3} id="imaging-title">
          Imaging
        </Title>
        {canImport && !importing && (
          <Button size="xs" variant="default" onClick={() => setImporting(true)}>
            Import from folder
          </Button>
        )}
      </Group>
      {q.isError && <Alert color="red">{q.error.message}</Alert>}
      {importing && <ImportFromFolder patientId={patientId} onClose={() => setImporting(false)} />}
      {q.isSuccess && studies.length === 0 && !importing && <Text size="sm">No imaging imported.</Text>}
      {studies.length > 0 && (
        <Table striped aria-label="Imaging studies" mt="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Modality</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th>Images</Table.Th>
              {canView && <Table.Th>Viewer</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {studies.map((s) => (
              <Table.Tr key={s.id} data-testid={`imaging-study-${s.id}`}>
                <Table.Td>{s.studyDate ? formatDate(s.studyDate) : 'No date'}</Table.Td>
                <Table.Td>{s.modalities.join(', ') || 'Unknown'}</Table.Td>
                <Table.Td>
                  {s.description || 'No description'}
                  {s.identityConfirmedBy && (
                    <Text size="xs" c="gray.8">
                      On the disc as {s.patientNameOnDisc || 'no name'}; confirmed as this patient by {s.identityConfirmedBy}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {s.images} in {s.series} series
                </Table.Td>
                {canView && (
                  <Table.Td>
                    <Button size="xs" variant="light" onClick={() => setViewing(s.id)} aria-label={`View ${s.description || 'the study'} of ${s.studyDate ? formatDate(s.studyDate) : 'no date'}`}>
                      View
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {viewing !== null && (
        <Suspense fallback={<Text size="sm">Opening the viewer…</Text>}>
          <StudyViewer studyId={viewing} patientId={patientId} onClose={() => setViewing(null)} />
        </Suspense>
      )}
    </Paper>
  )
}

function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message
  return err instanceof Error ? err.message : String(err)
}

function ImportFromFolder({ patientId, onClose }: { patientId: number; onClose: () => void }) {
  const qc = useQueryClient()
  const [folder, setFolder] = useState('')
  const [folderError, setFolderError] = useState<string | null>(null)
  const [choosing, setChoosing] = useState(false)
  // the development bridge in a browser has no folder dialog: the path is typed, and the button goes
  const [noDialog, setNoDialog] = useState(false)
  const [scan, setScan] = useState<ImagingScan | null>(null)
  const [confirmed, setConfirmed] = useState<Set<string>>(new Set())
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const [job, setJob] = useState<ImagingImportJob | null>(null)
  const watching = useRef<string | null>(null)

  useEffect(() => {
    if (!job || job.state !== 'running' || watching.current !== job.jobId) return
    const timer = setTimeout(() => {
      api('imaging.import.status', { jobId: job.jobId })
        .then((v) => {
          if (watching.current !== v.jobId) return
          setJob(v)
          if (v.state !== 'running') void refreshAreas(qc, ['chart'])
        })
        .catch((err: unknown) => setProblem(errorText(err)))
    }, POLL_MS)
    return () => clearTimeout(timer)
  })

  /** The system's folder dialog (the desktop app); the folder chosen is looked in at once. */
  async function choose() {
    setChoosing(true)
    setProblem(null)
    try {
      const r = await api('imaging.import.chooseFolder', {})
      if (!r.available) setNoDialog(true)
      else if (r.folder) {
        setFolder(r.folder)
        await look(r.folder)
      }
    } catch (err) {
      setProblem(errorText(err))
    } finally {
      setChoosing(false)
    }
  }

  async function look(path = folder) {
    setBusy(true)
    setProblem(null)
    setFolderError(null)
    setScan(null)
    setConfirmed(new Set())
    try {
      setScan(await api('imaging.scan', { patientId, folder: path }))
    } catch (err) {
      if (err instanceof ApiError && err.fields.folder) setFolderError(`Folder ${err.fields.folder}`)
      else setProblem(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  const chosen = (scan?.studies ?? []).filter((s) => s.identity.matches || confirmed.has(s.studyInstanceUid))
  const toStore = chosen.reduce((n, s) => n + s.images - s.alreadyStored, 0)

  async function start() {
    if (!scan || chosen.length === 0) return
    setBusy(true)
    setProblem(null)
    try {
      const v = await api('imaging.import.start', { patientId, folder: scan.folder, studyUids: chosen.map((s) => s.studyInstanceUid), confirmedStudyUids: [...confirmed] })
      watching.current = v.jobId
      setJob(v)
    } catch (err) {
      setProblem(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  async function cancel() {
    if (!job) return
    try {
      const v = await api('imaging.import.cancel', { jobId: job.jobId })
      watching.current = null
      setJob(v)
      void refreshAreas(qc, ['chart'])
    } catch (err) {
      setProblem(errorText(err))
    }
  }

  const running = job?.state === 'running'
  const pct = job && job.filesTotal > 0 ? Math.round((job.filesDone / job.filesTotal) * 100) : 0

  return (
    <Stack gap="xs" mt="xs" role="group" aria-label="Import imaging from a folder">
      {!job && (
        <Group align="flex-end">
          <TextInput
            label="Folder on this computer"
            description={
              noDialog
                ? "The folder dialog opens in the desktop app; here, type the folder's full path, for example /media/cdrom or D:\\"
                : "The CD's or USB stick's folder as this computer sees it, for example /media/cdrom or D:\\"
            }
            value={folder}
            error={folderError}
            onChange={(e) => setFolder(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && folder.trim()) void look()
            }}
            style={{ flex: 1 }}
            maxLength={4096}
          />
          {!noDialog && (
            <Button variant="default" onClick={() => void choose()} loading={choosing}>
              Choose folder…
            </Button>
          )}
          <Button onClick={() => void look()} loading={busy && !scan} disabled={!folder.trim()}>
            Look in folder
          </Button>
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      )}
      {problem && (
        <Alert color="red" role="alert">
          {problem}
        </Alert>
      )}
      {scan && !job && (
        <ScanPreview
          scan={scan}
          confirmed={confirmed}
          onConfirm={(uid, yes) => {
            const next = new Set(confirmed)
            if (yes) next.add(uid)
            else next.delete(uid)
            setConfirmed(next)
          }}
        />
      )}
      {scan && !job && scan.studies.length > 0 && (
        <Group>
          <Button onClick={() => void start()} loading={busy} disabled={chosen.length === 0}>
            {toStore > 0 ? `Import ${images(toStore)}` : 'Import (all stored already)'}
          </Button>
          {chosen.length < scan.studies.length && <Text size="sm">Studies whose patient is not confirmed are left out.</Text>}
        </Group>
      )}
      {job && (
        <Stack gap={4} aria-live="polite">
          <Text size="sm">
            {running ? 'Importing…' : job.state === 'done' ? 'Import finished.' : job.state === 'cancelled' ? 'Import cancelled: what was stored stays.' : 'The import stopped.'} {job.filesDone} of{' '}
            {job.filesTotal} files looked at; {images(job.stored)} stored, {job.duplicates} stored already, {job.skippedCount} skipped.
          </Text>
          <Progress value={pct} animated={running} aria-label="Import progress" />
          {job.error && <Alert color="red">{job.error}</Alert>}
          {job.skipped.length > 0 && <SkippedList files={job.skipped} total={job.skippedCount} />}
          <Group>
            {running ? (
              <Button color="red" variant="light" onClick={() => void cancel()}>
                Cancel import
              </Button>
            ) : (
              <Button variant="default" onClick={onClose}>
                Close
              </Button>
            )}
          </Group>
        </Stack>
      )}
    </Stack>
  )
}

function ScanPreview({ scan, confirmed, onConfirm }: { scan: ImagingScan; confirmed: Set<string>; onConfirm: (uid: string, yes: boolean) => void }) {
  return (
    <Stack gap="xs" data-testid="imaging-preview">
      <Text size="sm">
        {scan.source === 'dicomdir' ? "Read from the disc's DICOMDIR" : 'Every file read (no DICOMDIR)'}: {scan.studies.length === 1 ? '1 study' : `${scan.studies.length} studies`}, {images(scan.files)}. Nothing is stored
        until you import.
      </Text>
      {scan.studies.length > 0 && (
        <Table aria-label="Studies found">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Modality</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th>Images</Table.Th>
              <Table.Th>Patient on the disc</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {scan.studies.map((s) => (
              <FoundRow key={s.studyInstanceUid} study={s} confirmed={confirmed.has(s.studyInstanceUid)} onConfirm={(yes) => onConfirm(s.studyInstanceUid, yes)} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {scan.skippedCount > 0 && <SkippedList files={scan.skipped} total={scan.skippedCount} />}
    </Stack>
  )
}

function FoundRow({ study: s, confirmed, onConfirm }: { study: FoundStudy; confirmed: boolean; onConfirm: (yes: boolean) => void }) {
  return (
    <Table.Tr>
      <Table.Td>{s.studyDate ? formatDate(s.studyDate) : 'No date'}</Table.Td>
      <Table.Td>{s.modalities.join(', ') || 'Unknown'}</Table.Td>
      <Table.Td>{s.description || 'No description'}</Table.Td>
      <Table.Td>
        {s.images}
        {s.alreadyStored > 0 && ` (${s.alreadyStored} stored already)`}
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {s.patientName || 'No name'}, born {s.patientBirthDate ? formatDate(s.patientBirthDate) : 'not given'}
        </Text>
        {s.identity.matches ? (
          <Badge color="green.9" variant="light">
            Matches the chart
          </Badge>
        ) : (
          <Stack gap={2}>
            <Badge color="red.9" variant="light">
              Differs from the chart
            </Badge>
            <List size="xs">
              {s.identity.differences.map((d) => (
                <List.Item key={d}>{d}</List.Item>
              ))}
            </List>
            <Checkbox size="xs" label="I have checked: this study is this patient's" checked={confirmed} onChange={(e) => onConfirm(e.currentTarget.checked)} />
          </Stack>
        )}
      </Table.Td>
    </Table.Tr>
  )
}

function SkippedList({ files, total }: { files: { file: string; reason: string }[]; total: number }) {
  return (
    <Alert color="yellow" title={`${total === 1 ? '1 file' : `${total} files`} skipped`}>
      <List size="xs">
        {files.slice(0, 20).map((f) => (
          <List.Item key={`${f.file}:${f.reason}`}>
            {f.file}: {f.reason}
          </List.Item>
        ))}
      </List>
      {total > 20 && <Text size="xs">… and {total - 20} more</Text>}
    </Alert>
  )
}
