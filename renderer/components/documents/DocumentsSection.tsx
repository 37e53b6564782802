/**
 * The chart's Documents section (issue 19 point 3): the patient's documents, newest first (entered in error ones
 * struck through, never hidden), a drop target that also opens the system's file dialog (a plain button over a
 * file input: keyboard reachable), the attach form (kind, date, title from the file's name, the referral it came
 * with), the viewer, and Mark entered in error. The file is checked here as the main process checks it (the size
 * limit, shared/documentSniff.ts) so a refusal comes at once; the main process decides.
 */
import { Alert, Anchor, Badge, Button, Group, Modal, NativeSelect, Paper, Stack, Table, Text, Textarea, TextInput, Title, VisuallyHidden } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useRef, useState, type DragEvent } from 'react'
import { DOCUMENT_ACCEPT, sniffDocument, titleFromFileName } from '../../../shared/documentSniff'
import { AttachDocument, DOCUMENT_KIND_LABELS, DOCUMENT_KINDS, MarkDocumentInError, MEGABYTE, type DocumentKind, type DocumentView } from '../../../shared/schemas/documents'
import { ApiError } from '../../api'
import { useClinicClock } from '../../clinicClock'
import { useCan, useChannel, useWrite } from '../../data'
import { formatDate } from '../../format'
import { showApiError, validateWith } from '../../forms'
import { DateField } from '../DateField'
import { DocumentViewer } from './DocumentViewer'

const sizeText = (bytes: number) => (bytes >= MEGABYTE ? `${(bytes / MEGABYTE).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`)

/** A consultation or procedure of the chart a document can belong to (the chart passes its own; the patient page none). */
export interface AttachableRecord {
  type: 'consultation' | 'procedure'
  id: number
  label: string
}

export function DocumentsSection({ patientId, referralId = null, records = [] }: { patientId: number; referralId?: number | null; records?: AttachableRecord[] }) {
  const canRead = useCan('documents.forPatient')
  const canAttach = useCan('documents.attach')
  const q = useChannel('documents.forPatient', { patientId }, { enabled: canRead })
  const [file, setFile] = useState<File | null>(null)
  const [refusal, setRefusal] = useState<string | null>(null)
  const [viewing, setViewing] = useState<DocumentView | null>(null)
  const [marking, setMarking] = useState<DocumentView | null>(null)
  if (!canRead) return null
  const docs = (q.data?.documents ?? []).filter((d) => referralId === null || d.referralId === referralId)

  async function choose(f: File | undefined) {
    setRefusal(null)
    setFile(null)
    if (!f) return
    const max = q.data?.maxBytes
    if (max !== undefined && f.size > max) {
      setRefusal(`"${f.name}" is ${sizeText(f.size)}, over the clinic's limit of ${sizeText(max)} for a document.`)
      return
    }
    const bytes = new Uint8Array(await f.arrayBuffer())
    const sniffed = sniffDocument(f.name, bytes)
    if (!sniffed.ok) setRefusal(sniffed.message)
    else setFile(f)
  }

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="documents-title" data-testid="documents-section">
      <Title order={3} id="documents-title" mb="xs">
        Documents
      </Title>
      {q.isError && <Alert color="red">{q.error.message}</Alert>}
      {canAttach && !file && <DropTarget onFile={(f) => void choose(f)} />}
      {refusal && (
        <Alert color="red" role="alert" mt="xs" title="This file cannot be attached" withCloseButton closeButtonLabel="Dismiss" onClose={() => setRefusal(null)}>
          {refusal}
        </Alert>
      )}
      {file && <AttachForm patientId={patientId} referralId={referralId} records={records} file={file} onDone={() => setFile(null)} />}
      {q.isSuccess && docs.length === 0 && (
        <Text size="sm" mt="xs">
          No documents attached.
        </Text>
      )}
      {docs.length > 0 && (
        <Table mt="xs" aria-label="Documents, newest first" data-testid="documents-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Title</Table.Th>
              <Table.Th>File</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {docs.map((d) => (
              <DocumentRow key={d.id} doc={d} onOpen={() => setViewing(d)} onMark={() => setMarking(d)} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      <DocumentViewer document={viewing} onClose={() => setViewing(null)} />
      <DocumentInErrorModal document={marking} onClose={() => setMarking(null)} />
    </Paper>
  )
}

function DocumentRow({ doc: d, onOpen, onMark }: { doc: DocumentView; onOpen: () => void; onMark: () => void }) {
  const canMark = useCan('documents.markEnteredInError')
  const struck = d.enteredInError ? 'line-through' : undefined
  return (
    <Table.Tr data-testid={`document-${d.id}`}>
      <Table.Td td={struck}>{formatDate(d.documentDate)}</Table.Td>
      <Table.Td td={struck}>{DOCUMENT_KIND_LABELS[d.kind]}</Table.Td>
      <Table.Td>
        <Text size="sm" td={struck}>
          {d.mayOpen ? (
            <Anchor component="button" type="button" onClick={onOpen}>
              {d.title}
            </Anchor>
          ) : (
            d.title
          )}
        </Text>
        {d.enteredInError && (
          <Text size="xs" c="red.9">
            <Badge color="red.9" size="sm" mr={4}>
              Entered in error
            </Badge>
            by {d.enteredInError.by}: {d.enteredInError.reason}
          </Text>
        )}
        {!d.mayOpen && (
          <Text size="xs" c="gray.8">
            Opened by the physicians
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="xs">
          {d.fileName}, {sizeText(d.size)}
        </Text>
        <Text size="xs" c="gray.8">
          by {d.createdBy}
        </Text>
      </Table.Td>
      <Table.Td>
        {canMark && !d.enteredInError && (
          <Button size="compact-xs" variant="outline" color="red.9" onClick={onMark} aria-label={`Mark "${d.title}" entered in error`}>
            Entered in error…
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  )
}

/** A box to drop a file on, with a button that opens the system's file dialog (the same file input). */
function DropTarget({ onFile }: { onFile: (f: File | undefined) => void }) {
  const input = useRef<HTMLInputElement>(null)
  const [over, setOver] = useState(false)
  const drop = (e: DragEvent) => {
    e.preventDefault()
    setOver(false)
    onFile(e.dataTransfer.files[0])
  }
  return (
    <div
      data-testid="document-drop"
      onDragOver={(e) => {
        e.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      style={{
        position: 'relative',
        border: `2px dashed var(--mantine-color-${over ? 'blue-7' : 'gray-5'})`,
        borderRadius: 8,
        padding: 12,
        background: over ? 'var(--mantine-color-blue-0)' : undefined,
      }}
    >
      <Group gap="sm" justify="center">
        <Text size="sm">Drop a file here (PDF, JPEG, PNG, TIFF or text), or</Text>
        <Button size="xs" variant="default" onClick={() => input.current?.click()}>
          Choose a file…
        </Button>
      </Group>
      <input
        ref={input}
        type="file"
        accept={DOCUMENT_ACCEPT}
        aria-label="File to attach"
        tabIndex={-1}
        style={{ position: 'absolute', width: 1, height: 1, opacity: 0, pointerEvents: 'none' }}
        onChange={(e) => {
          onFile(e.currentTarget.files?.[0])
          e.currentTarget.value = ''
        }}
      />
    </div>
  )
}

const validateAttach = validateWith(AttachDocument.omit({ content: true }))

/** Reads the file as base64 (the browser's own encoder, not a loop over 50 MB in script). */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'))
    reader.readAsDataURL(file)
  })
}

function AttachForm({ patientId, referralId, records, file, onDone }: { patientId: number; referralId: number | null; records: AttachableRecord[]; file: File; onDone: () => void }) {
  const clock = useClinicClock()
  const attach = useWrite('documents.attach')
  const referrals = useChannel('referrals.forPatient', { patientId }, { enabled: referralId === null })
  const [v, setV] = useState({
    kind: 'referralLetter' as DocumentKind,
    documentDate: clock.today(),
    title: titleFromFileName(file.name) || file.name,
    referralId: referralId as number | null,
  })
  // 'consultation:12', 'procedure:7' or '' (the record the document is about, optional)
  const [about, setAbout] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  async function save() {
    const [aboutType, aboutId] = about.split(':')
    const input = {
      patientId,
      ...v,
      consultationId: aboutType === 'consultation' ? Number(aboutId) : null,
      procedureId: aboutType === 'procedure' ? Number(aboutId) : null,
      fileName: file.name,
    }
    const found = validateAttach(input)
    setErrors(found)
    if (Object.keys(found).length > 0) return
    try {
      const saved = await attach.mutateAsync({ ...input, content: await base64Of(file) })
      notifications.show({ color: 'green', title: 'Document attached', message: `${DOCUMENT_KIND_LABELS[saved.kind]}: ${saved.title}` })
      onDone()
    } catch (err) {
      if (err instanceof ApiError) setErrors(Object.fromEntries(Object.entries(err.fields).map(([k, m]) => [k, m.charAt(0).toUpperCase() + m.slice(1)])))
      showApiError(err)
    }
  }
  return (
    <Stack gap="xs" mt="xs" role="group" aria-label={`Attach ${file.name}`} data-testid="attach-form">
      <Text size="sm">
        <b>{file.name}</b> ({sizeText(file.size)})
      </Text>
      {errors.file && (
        <Alert color="red" role="alert">
          {errors.file}
        </Alert>
      )}
      <Group grow align="flex-start">
        <NativeSelect
          label="Kind"
          required
          data={DOCUMENT_KINDS.map((k) => ({ value: k, label: DOCUMENT_KIND_LABELS[k] }))}
          value={v.kind}
          error={errors.kind}
          onChange={(e) => setV({ ...v, kind: e.currentTarget.value as DocumentKind })}
        />
        <DateField label="Document date" description="The date the document bears" required value={v.documentDate} error={errors.documentDate} onChange={(d) => setV({ ...v, documentDate: d })} />
      </Group>
      <TextInput label="Title" required maxLength={200} value={v.title} error={errors.title} onChange={(e) => setV({ ...v, title: e.currentTarget.value })} data-autofocus />
      {referralId === null && (referrals.data?.referrals.length ?? 0) > 0 && (
        <NativeSelect
          label="Came with the referral"
          description="Optional: the referral this document belongs to"
          data={[{ value: '', label: 'None' }, ...referrals.data!.referrals.map((r) => ({ value: String(r.id), label: `${formatDate(r.receivedOn)} from ${r.referrerName}` }))]}
          value={v.referralId === null ? '' : String(v.referralId)}
          error={errors.referralId}
          onChange={(e) => setV({ ...v, referralId: e.currentTarget.value ? Number(e.currentTarget.value) : null })}
        />
      )}
      {records.length > 0 && (
        <NativeSelect
          label="About the record"
          description="Optional: the consultation or procedure this document belongs to"
          data={[{ value: '', label: 'None' }, ...records.map((r) => ({ value: `${r.type}:${r.id}`, label: r.label }))]}
          value={about}
          error={errors.consultationId ?? errors.procedureId}
          onChange={(e) => setAbout(e.currentTarget.value)}
        />
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button loading={attach.isPending} onClick={() => void save()}>
          Attach
        </Button>
      </Group>
    </Stack>
  )
}

const validateMark = validateWith(MarkDocumentInError)

function DocumentInErrorModal({ document: doc, onClose }: { document: DocumentView | null; onClose: () => void }) {
  return (
    <Modal opened={doc !== null} onClose={onClose} title="Mark this document entered in error?">
      {doc && <MarkForm doc={doc} onClose={onClose} />}
    </Modal>
  )
}

function MarkForm({ doc, onClose }: { doc: DocumentView; onClose: () => void }) {
  const mark = useWrite('documents.markEnteredInError')
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | undefined>()
  async function save() {
    const input = { id: doc.id, version: doc.version, reason }
    const found = validateMark(input)
    setError(found.reason)
    if (found.reason) return
    try {
      await mark.mutateAsync(input)
      onClose()
    } catch (err) {
      if (err instanceof ApiError && err.fields.reason) setError(err.fields.reason)
      showApiError(err)
    }
  }
  return (
    <Stack>
      <Text size="sm">
        &ldquo;{doc.title}&rdquo; ({formatDate(doc.documentDate)}) stays on the chart, struck through, with your name, the time and the reason. The file is kept.
      </Text>
      <Textarea label="Reason" description="Why this document is wrong here, e.g. filed on the wrong patient" required data-autofocus autosize minRows={2} maxLength={500} value={reason} error={error} onChange={(e) => setReason(e.currentTarget.value)} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red.9" loading={mark.isPending} onClick={() => void save()}>
          Mark entered in error
        </Button>
      </Group>
    </Stack>
  )
}
