/**
 * Letters to the referrer (issue 19 point 4), the parts the Letters worklist and the chart share: producing a
 * letter from a signed record (read the draft, then sign with the password asked again), the letter's PDF (view,
 * print, download: each audited by the main process) and marking it sent (how; when is now).
 */
import { Badge, Button, Group, Modal, NativeSelect, PasswordInput, Stack, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useEffect, useRef, useState } from 'react'
import { LETTER_KIND_LABELS } from '../../../shared/letters/template'
import { mayMarkEnteredInError } from '../../../shared/roles'
import { RECIPIENT_KIND_LABELS, SEND_METHOD_LABELS, SEND_METHODS, type LetterDue, type LetterPdf, type LetterView, type RecipientKind, type SendMethod } from '../../../shared/schemas/letters'
import { ApiError } from '../../api'
import { useClinicClock } from '../../clinicClock'
import { run, useCan, useChannel, useWrite } from '../../data'
import { base64Bytes, saveFile } from '../../download'
import { showApiError } from '../../forms'
import { formatDate } from '../../format'
import { useSession } from '../../session'

/** 'Dr. Lee, Main Street Family Practice (primary care physician)': who a letter goes to, and as whom */
export const recipientWords = (name: string, kind: RecipientKind) => `${name} (${RECIPIENT_KIND_LABELS[kind].toLowerCase()})`

/** 'Consultation of Nov 30, 2026' */
export const recordWords = (r: { kind: LetterDue['kind']; recordDate: string }) => `${LETTER_KIND_LABELS[r.kind]} of ${formatDate(r.recordDate)}`

function pdfUrl(pdf: LetterPdf): string {
  return URL.createObjectURL(new Blob([base64Bytes(pdf.base64)], { type: 'application/pdf' }))
}

/** A PDF in a frame, in a dialog; printing goes through the frame's own viewer when asked to. */
function PdfModal({ shown, onClose }: { shown: { url: string; title: string; print: boolean } | null; onClose: () => void }) {
  const frame = useRef<HTMLIFrameElement>(null)
  useEffect(() => () => (shown ? URL.revokeObjectURL(shown.url) : undefined), [shown])
  return (
    <Modal opened={shown !== null} onClose={onClose} title={shown?.title ?? ''} size="xl">
      {shown && (
        <iframe
          ref={frame}
          src={shown.url}
          title={shown.title}
          style={{ width: '100%', height: 640, border: '1px solid var(--mantine-color-gray-4)' }}
          onLoad={() => {
            if (!shown.print) return
            try {
              frame.current?.contentWindow?.print()
            } catch {
              // the viewer's own print button is there when the browser keeps the frame to itself
            }
          }}
        />
      )}
    </Modal>
  )
}

/** View, Print and Download of a produced letter. */
export function LetterPdfButtons({ letter }: { letter: LetterView }) {
  const [shown, setShown] = useState<{ url: string; title: string; print: boolean } | null>(null)
  const [busy, setBusy] = useState<false | 'view' | 'print' | 'export'>(false)
  const who = `${letter.patientName} to ${letter.recipientName}`
  async function get(purpose: 'view' | 'print' | 'export') {
    setBusy(purpose)
    try {
      const pdf = await run('letters.pdf', { id: letter.id, purpose })
      if (purpose === 'export') saveFile(base64Bytes(pdf.base64), pdf.fileName, 'application/pdf')
      else setShown({ url: pdfUrl(pdf), title: `Letter ${pdf.fileName}`, print: purpose === 'print' })
    } catch (err) {
      showApiError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <Button size="xs" variant="default" loading={busy === 'view'} aria-label={`View the letter about ${who}`} onClick={() => void get('view')}>
        View
      </Button>
      <Button size="xs" variant="default" loading={busy === 'print'} aria-label={`Print the letter about ${who}`} onClick={() => void get('print')}>
        Print
      </Button>
      <Button size="xs" variant="default" loading={busy === 'export'} aria-label={`Download the letter about ${who}`} onClick={() => void get('export')}>
        Download PDF
      </Button>
      <PdfModal shown={shown} onClose={() => setShown(null)} />
    </>
  )
}

/** The letter's state in words: 'Sent by Fax on …', 'Not sent yet', 'Entered in error'. */
export function LetterStatus({ letter }: { letter: LetterView }) {
  const clock = useClinicClock()
  if (letter.enteredInError) return <Badge color="gray.7">Entered in error</Badge>
  if (letter.sentAt && letter.sentMethod) {
    return (
      <Text size="sm">
        Sent ({SEND_METHOD_LABELS[letter.sentMethod]}) {clock.dateTime(letter.sentAt)} by {letter.sentByName}
      </Text>
    )
  }
  return <Badge color="orange.9">Not sent yet</Badge>
}

export function MarkSentButton({ letter }: { letter: LetterView }) {
  const can = useCan('letters.markSent')
  const [open, setOpen] = useState(false)
  if (!can || letter.sentAt || letter.enteredInError) return null
  return (
    <>
      <Button size="xs" aria-label={`Mark sent: the letter about ${letter.patientName} to ${letter.recipientName}`} onClick={() => setOpen(true)}>
        Mark sent…
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Mark the letter sent">
        {open && <MarkSentForm letter={letter} onDone={() => setOpen(false)} />}
      </Modal>
    </>
  )
}

function MarkSentForm({ letter, onDone }: { letter: LetterView; onDone: () => void }) {
  const mark = useWrite('letters.markSent')
  const [method, setMethod] = useState<SendMethod>(letter.delivery)
  const to = method === 'fax' ? letter.recipientFax : method === 'email' ? letter.recipientEmail : method === 'post' ? letter.recipientAddress : ''
  async function save() {
    try {
      await mark.mutateAsync({ id: letter.id, version: letter.version, method })
      notifications.show({ color: 'green', title: 'Letter marked sent', message: `${letter.patientName} to ${letter.recipientName}: ${SEND_METHOD_LABELS[method]}` })
      onDone()
    } catch (err) {
      showApiError(err)
    }
  }
  return (
    <Stack gap="sm">
      <Text size="sm">
        {letter.patientName} to {letter.recipientName}. {letter.recipientName} asked for letters by {SEND_METHOD_LABELS[letter.delivery].toLowerCase()}. The time
        sent is recorded as now, with your name.
      </Text>
      <NativeSelect label="Sent by" data-autofocus value={method} onChange={(e) => setMethod(e.currentTarget.value as SendMethod)} data={SEND_METHODS.map((m) => ({ value: m, label: SEND_METHOD_LABELS[m] }))} />
      {to && (
        <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
          To: {to}
        </Text>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button loading={mark.isPending} onClick={() => void save()}>
          Mark sent
        </Button>
      </Group>
    </Stack>
  )
}

/** The letter's signer, or a manager, marks a wrong letter entered in error, saying why; it stays on the chart. */
export function LetterInErrorButton({ letter }: { letter: LetterView }) {
  const me = useSession().data?.user
  const [open, setOpen] = useState(false)
  if (letter.enteredInError || !me || !mayMarkEnteredInError(me, letter.signerId)) return null
  return (
    <>
      <Button size="xs" variant="outline" color="red.9" aria-label={`Mark entered in error: the letter about ${letter.patientName} to ${letter.recipientName}`} onClick={() => setOpen(true)}>
        Entered in error…
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Mark the letter entered in error">
        {open && <InErrorForm letter={letter} onDone={() => setOpen(false)} />}
      </Modal>
    </>
  )
}

function InErrorForm({ letter, onDone }: { letter: LetterView; onDone: () => void }) {
  const mark = useWrite('letters.markEnteredInError')
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')
  async function save() {
    if (reason.trim() === '') {
      setError('Say why the letter is entered in error')
      return
    }
    try {
      await mark.mutateAsync({ id: letter.id, version: letter.version, reason })
      notifications.show({ color: 'green', title: 'Letter marked entered in error', message: `${letter.patientName} to ${letter.recipientName}` })
      onDone()
    } catch (err) {
      showApiError(err)
    }
  }
  return (
    <Stack gap="sm">
      <Text size="sm">The letter stays on the chart, marked with your name, the time and the reason; a new one can then be produced from the record.</Text>
      <TextInput label="Reason" required data-autofocus maxLength={1000} value={reason} error={error || undefined} onChange={(e) => setReason(e.currentTarget.value)} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Keep it
        </Button>
        <Button color="red.9" loading={mark.isPending} onClick={() => void save()}>
          Mark entered in error
        </Button>
      </Group>
    </Stack>
  )
}

export function ProduceLetterButton({ due }: { due: LetterDue }) {
  const can = useCan('letters.produce')
  const [open, setOpen] = useState(false)
  if (!can) return null
  return (
    <>
      <Button size="xs" aria-label={`Produce the letter about ${due.patientName} to ${due.referrerName}`} onClick={() => setOpen(true)}>
        Produce letter…
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Produce the letter to the ${RECIPIENT_KIND_LABELS[due.recipientKind].toLowerCase()}`} size="lg">
        {open && <ProduceLetterForm due={due} onDone={() => setOpen(false)} />}
      </Modal>
    </>
  )
}

function ProduceLetterForm({ due, onDone }: { due: LetterDue; onDone: () => void }) {
  const defaults = useChannel('letters.signerDefaults', {})
  const produce = useWrite('letters.produce')
  const [credentials, setCredentials] = useState<string | null>(null)
  const [password, setPassword] = useState('')
  const [passwordError, setPasswordError] = useState<string | null>(null)
  // shown in the dialog itself: a second dialog over this one would close both on Escape
  const [draft, setDraft] = useState<{ url: string; title: string } | null>(null)
  useEffect(() => () => (draft ? URL.revokeObjectURL(draft.url) : undefined), [draft])
  const [reading, setReading] = useState(false)
  const typed = credentials ?? defaults.data?.credentials ?? ''
  const request = { source: { kind: due.kind, recordId: due.recordId }, referrerId: due.referrerId, recipientKind: due.recipientKind, signerCredentials: typed }

  async function readDraft() {
    setReading(true)
    try {
      const pdf = await run('letters.draftPdf', request)
      setDraft({ url: pdfUrl(pdf), title: `Draft letter ${pdf.fileName}` })
    } catch (err) {
      showApiError(err)
    } finally {
      setReading(false)
    }
  }
  async function sign() {
    setPasswordError(null)
    try {
      const letter = await produce.mutateAsync({ ...request, password })
      notifications.show({ color: 'green', title: 'Letter produced', message: `${letter.patientName} to ${letter.recipientName}: on the chart and on the Letters list, to send` })
      onDone()
    } catch (err) {
      if (err instanceof ApiError && err.code === 'unauthenticated' && err.fields.password) setPasswordError(err.message)
      else showApiError(err)
    }
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        if (password !== '') void sign()
      }}
    >
      <Stack gap="sm">
        <Text size="sm">
          {recordWords(due)} of {due.patientName} ({due.patientMrn}), signed by {due.physicianName}. To {recipientWords(due.referrerName, due.recipientKind)}, who asked for letters by{' '}
          {SEND_METHOD_LABELS[due.delivery].toLowerCase()}. The letter is the clinic&apos;s template filled in from the signed record.
        </Text>
        <TextInput
          label="Your credentials (printed under your name)"
          description="For example MD, FRCPC; remembered from your last letter"
          maxLength={120}
          value={typed}
          onChange={(e) => setCredentials(e.currentTarget.value)}
        />
        <Group>
          <Button variant="default" loading={reading} onClick={() => void readDraft()}>
            {draft ? 'Read the draft again' : 'Read the draft'}
          </Button>
          {draft && (
            <Button variant="subtle" onClick={() => setDraft(null)}>
              Close the draft
            </Button>
          )}
        </Group>
        {draft && <iframe src={draft.url} title={draft.title} style={{ width: '100%', height: 480, border: '1px solid var(--mantine-color-gray-4)' }} />}
        <PasswordInput
          label="Your password"
          description="Producing the letter signs it in your name: enter your password to confirm it is you."
          autoComplete="current-password"
          data-autofocus
          value={password}
          error={passwordError}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={produce.isPending} disabled={password === ''}>
            Sign and produce letter
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
