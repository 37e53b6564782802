/**
 * What the draft editors of signed records (the consultation note, the procedure note) share: saving with
 * Ctrl+S or the Save button, "Unsaved changes" / "All changes saved", signing after one confirmation, and a
 * stale version shown as what it is (someone else saved the record since it was loaded: nothing of this
 * editor's changes is saved; reload to see theirs). The editor keeps its own forms and channels.
 */
import { Alert, Badge, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core'
import { useForm, type UseFormReturnType } from '@mantine/form'
import { useHotkeys } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { capitalizeAll, showApiError } from '../../forms'
import { ApiError } from '../../api'
import { confirmMissing } from '../ConfirmMissing'
import { openConflictDialog } from '../ConflictDialog'

export interface DraftEditorOptions<V> {
  /** Saves what changed; the record as saved, or null when refused (report the error with `failed`). */
  saveChanged(): Promise<V | null>
  /** True when the forms hold something not saved yet. */
  isDirty(): boolean
  /** The record as last loaded or saved. */
  current(): V
  /** Before the confirmation: false when the record cannot be signed yet (say why). */
  readyToSign?(v: V): boolean
  /**
   * What the record would be signed without (shared/clinical/completeness.ts), in the screen's words: when any,
   * a question naming them comes first ("Go back" focused, "Sign anyway"), so nothing empty is signed in one click.
   */
  missing?(v: V): string[] | Promise<string[]>
  /** The line above those items (default "This <noun> has nothing recorded for:"), for records whose items are not empty fields. */
  missingIntro?: string
  /** Signs the record (the version `current()` has) with the signer's password, asked again; throws when refused. */
  sign(v: V, password: string): Promise<void>
  /** Field errors (the form's own, or a refused call's named as the router names them), shown under their fields. */
  showFieldErrors(fields: Record<string, string>): void
  /** Loads the record again and puts its saved values in the forms (after a conflict). */
  reload(): Promise<void>
  /** 'note', 'summary': the messages name it. */
  noun: string
  /**
   * After a conflict: what the forms hold and how to read the stored record, for the dialog that says who changed
   * it and compares yours with theirs (renderer/components/ConflictDialog.tsx). Without it, the alert alone.
   */
  compare?(): { yours: Record<string, unknown>; theirs: () => Promise<Record<string, unknown>>; labels?: Record<string, string> }
}

export type AnySectionForm = UseFormReturnType<any>

/** Where a draft's section forms make themselves known, so that a save can gather, reset and mark them. */
export interface SectionRegistry<N extends string> {
  register(name: N, form: AnySectionForm | null): void
  /** A section's values changed: "Unsaved changes" is worked out again after the change has landed. */
  changed(): void
}

/**
 * A draft kept as one small form per section, so that a key typed re-renders its own section only. `dirty`
 * is state only when it flips (compared on the next frame with `isDirty`), so typing does not re-render the
 * editor around the sections.
 */
export function useSectionForms<N extends string>(isDirty: () => boolean) {
  const forms = useRef(new Map<N, AnySectionForm>())
  const [dirty, setDirty] = useState(false)
  const check = useRef(isDirty)
  check.current = isDirty
  const frame = useRef(0)
  const registry = useMemo<SectionRegistry<N>>(
    () => ({
      register(name, form) {
        if (form) forms.current.set(name, form)
        else forms.current.delete(name)
      },
      changed() {
        cancelAnimationFrame(frame.current)
        frame.current = requestAnimationFrame(() => setDirty(check.current()))
      },
    }),
    [],
  )
  return { forms: forms.current, registry, dirty, setDirty }
}

/** A section's own form, known to the editor through the registry. */
export function useSectionForm<T extends object, N extends string>(reg: SectionRegistry<N>, name: N, initial: T): UseFormReturnType<T> {
  const form = useForm<T>({ initialValues: initial, onValuesChange: () => reg.changed() })
  useEffect(() => reg.register(name, form as AnySectionForm))
  useEffect(() => () => reg.register(name, null), [reg, name])
  return form
}

export type DraftBusy = false | 'save' | 'sign'

export function useDraftEditor<V>(opts: DraftEditorOptions<V>) {
  const o = useRef(opts)
  o.current = opts
  const [busy, setBusy] = useState<DraftBusy>(false)
  const busyRef = useRef<DraftBusy>(false)
  const [confirming, setConfirming] = useState(false)
  const [conflict, setConflict] = useState<string | null>(null)
  /** The signing password was refused (wrong, or this window must wait): said in the confirmation, which stays open. */
  const [passwordError, setPasswordError] = useState<string | null>(null)

  const mark = (b: DraftBusy) => {
    busyRef.current = b
    setBusy(b)
  }

  /** Shows a refused call: field messages under their fields, a conflict above the editor. */
  function failed(err: unknown) {
    const c = err instanceof ApiError && err.code === 'conflict' ? o.current.compare?.() : undefined
    if (c && err instanceof ApiError) {
      // who changed it and when, compare, reload theirs only when asked; the alert stays until it is reloaded
      setConflict(err.message)
      openConflictDialog({ error: err, yours: c.yours, theirs: c.theirs, labels: c.labels, onReload: reload })
      return
    }
    const e = showApiError(err)
    if (!e) return
    if (e.code === 'conflict') setConflict(e.message)
    if (Object.keys(e.fields).length > 0) o.current.showFieldErrors(capitalizeAll(e.fields))
  }

  async function saveChanged(): Promise<V | null> {
    const v = await o.current.saveChanged()
    if (v) setConflict(null)
    return v
  }

  async function save() {
    if (busyRef.current) return
    mark('save')
    try {
      const v = await saveChanged()
      if (v) notifications.show({ color: 'green', title: 'Saved', message: `The draft ${o.current.noun} is saved.` })
    } finally {
      mark(false)
    }
  }

  async function startSigning() {
    if (busyRef.current) return
    mark('sign')
    let v: V | null
    try {
      v = o.current.isDirty() ? await saveChanged() : o.current.current()
    } finally {
      mark(false)
    }
    if (v && (o.current.readyToSign?.(v) ?? true)) {
      const missing = (await o.current.missing?.(v)) ?? []
      const noun = o.current.noun
      if (missing.length > 0 && !(await confirmMissing({ title: `Sign this ${noun} with parts missing?`, intro: o.current.missingIntro ?? `This ${noun} has nothing recorded for:`, missing, anyway: 'Sign anyway' }))) return
      setPasswordError(null)
      setConfirming(true)
    }
  }

  async function sign(password: string) {
    mark('sign')
    let close = true
    try {
      await o.current.sign(o.current.current(), password)
      notifications.show({ color: 'green', title: `${o.current.noun.charAt(0).toUpperCase()}${o.current.noun.slice(1)} signed`, message: `The ${o.current.noun} is locked; corrections are addenda.` })
    } catch (err) {
      const e = err as { code?: string; fields?: Record<string, string>; message?: string }
      if (e?.code === 'unauthenticated' && e.fields?.password) {
        // a wrong password (or too many): the person tries again in the same dialog; nothing was signed
        close = false
        setPasswordError(e.message ?? 'The password is wrong.')
      } else failed(err)
    } finally {
      mark(false)
      if (close) setConfirming(false)
    }
  }

  async function reload() {
    try {
      await o.current.reload()
      setConflict(null)
    } catch (err) {
      failed(err)
    }
  }

  useHotkeys([['mod+S', () => void save()]], [])

  return { busy, confirming, conflict, passwordError, save, startSigning, sign, reload, failed, closeConfirm: () => setConfirming(false) }
}

export type DraftEditor = ReturnType<typeof useDraftEditor>

/**
 * A draft's form: the sticky bar (state, Save, Sign), a stale-version alert, errors that belong to no field,
 * the sections, Save and Sign again at the end, and the signing confirmation. Enter in a one-line field and
 * Ctrl+S save. `data-*` attributes go on the form (the editor finds its first invalid field by them).
 */
export function DraftForm({
  editor,
  dirty,
  noun,
  errors,
  describe = (k) => k,
  confirmation,
  children,
  ...attributes
}: {
  editor: DraftEditor
  dirty: boolean
  noun: string
  errors: Record<string, string>
  describe?: (key: string) => string
  confirmation: ReactNode
  children: ReactNode
} & Record<`data-${string}`, boolean>) {
  return (
    <form
      {...attributes}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void editor.save()
      }}
    >
      <Stack>
        <DraftBar editor={editor} dirty={dirty} noun={noun} />
        <StaleVersionAlert editor={editor} noun={noun} />
        {Object.keys(errors).length > 0 && (
          <Alert color="red" title="Please check" role="alert" styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
            {Object.entries(errors).map(([k, m]) => (
              <Text key={k} size="sm">
                {describe(k)}: {m}
              </Text>
            ))}
          </Alert>
        )}
        {children}
        <DraftActions editor={editor} noun={noun} />
      </Stack>
      {confirmation}
    </form>
  )
}

/** The sticky bar above a draft: its state, whether everything is saved, Save and Sign. */
export function DraftBar({ editor, dirty, noun }: { editor: DraftEditor; dirty: boolean; noun: string }) {
  return (
    <Group justify="space-between" style={{ position: 'sticky', top: 56, zIndex: 5, background: 'var(--mantine-color-body)', padding: '6px 0' }}>
      <Group gap="xs">
        <Badge color="violet.9">Draft (not signed)</Badge>
        <Text size="sm" aria-live="polite">
          {dirty ? 'Unsaved changes' : 'All changes saved'}
        </Text>
      </Group>
      <DraftActions editor={editor} noun={noun} shortcut />
    </Group>
  )
}

/** Save and Sign, as the bar has them (repeated at the end of a long draft). */
export function DraftActions({ editor, noun, shortcut }: { editor: DraftEditor; noun: string; shortcut?: boolean }) {
  return (
    <Group gap="xs" justify="flex-end">
      <Button type="submit" variant="default" loading={editor.busy === 'save'} aria-keyshortcuts={shortcut ? 'Control+S' : undefined}>
        Save (Ctrl+S)
      </Button>
      <Button onClick={() => void editor.startSigning()} loading={editor.busy === 'sign'}>
        Sign {noun}…
      </Button>
    </Group>
  )
}

/** A save refused because the record changed since it was loaded. */
export function StaleVersionAlert({ editor, noun }: { editor: DraftEditor; noun: string }) {
  if (!editor.conflict) return null
  return (
    <Alert color="red" title={`Not saved: this ${noun} was changed elsewhere`} role="alert" styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
      <Stack gap="xs">
        <Text size="sm">
          {editor.conflict} Your changes here are not saved and nothing was overwritten. Copy what you need, then load the {noun} as it is saved now (this replaces
          what is in the form).
        </Text>
        <Group>
          <Button variant="default" onClick={() => void editor.reload()}>
            Load the saved {noun}
          </Button>
        </Group>
      </Stack>
    </Alert>
  )
}

/**
 * The one confirmation before signing. It asks for the signer's password again (checked by the main process):
 * a workstation left signed in cannot sign in its user's name.
 */
export function SignConfirmation({ editor, title, children }: { editor: DraftEditor; title: string; children: ReactNode }) {
  const [password, setPassword] = useState('')
  useEffect(() => {
    if (!editor.confirming) setPassword('')
  }, [editor.confirming])
  return (
    <Modal opened={editor.confirming} onClose={editor.closeConfirm} title={title}>
      {/* a form of its own (the modal is rendered outside the draft's form): Enter signs */}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          e.stopPropagation()
          if (password !== '') void editor.sign(password).then(() => setPassword(''))
        }}
      >
        <Stack>
          {children}
          <PasswordInput
            label="Your password"
            description="Signing puts your name on this record: enter your password to confirm it is you."
            autoComplete="current-password"
            data-autofocus
            value={password}
            error={editor.passwordError}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={editor.closeConfirm}>
              Cancel
            </Button>
            <Button type="submit" loading={editor.busy === 'sign'} disabled={password === ''}>
              Sign now
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
