/**
 * Nothing typed is lost. A form with unsaved input keeps a draft in the main process (the clinic database, as
 * this user's own; shared/channels/drafts.ts), so that what was typed survives the idle lock, leaving the
 * screen, a reload and a crash of the renderer:
 *
 *   <WithDraft draftKey={`consultation:${id}`} noun="note" version={view.version}>
 *     {(restored) => <Editor initial={restored?.values ?? fromRecord} />}
 *   </WithDraft>
 *   // inside the form:
 *   const draft = useDraft({ read: () => values, isDirty: () => values differ from the record })
 *   ... after the form is saved or signed for good: draft.clear()
 *
 * `WithDraft` loads the user's draft before the form mounts (so the form starts from it, with a note saying so
 * and a Discard button); `useDraft` saves it about a second after typing stops, at once when the screen locks,
 * when the user leaves the form and when the page unloads, and deletes it once the form holds nothing unsaved.
 * Leaving a form with unsaved input asks first (stay / leave and keep the draft / discard it and leave).
 */
import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core'
import { modals } from '@mantine/modals'
import { notifications } from '@mantine/notifications'
import { createContext, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { formatClinicDateTime } from '../shared/clinicClock'
import type { Draft } from '../shared/schemas/drafts'
import { api, ApiError } from './api'
import { useChannel } from './data'
import { formatInstant } from './format'
import { navigateUnguarded, setLeaveGuard, useRoute } from './routing'

/** Typing stops for this long: the draft is saved. */
const QUIET_MS = 1_000
/** How often the form is looked at (a string compare; nothing is sent unless it changed). */
const TICK_MS = 400
/** After a refused or failed save, wait this long before trying again. */
const RETRY_MS = 5_000

export interface RestoredDraft<T> {
  values: T
  /** The record's version the draft was typed over (null for a form that is not a versioned record). */
  baseVersion: number | null
  updatedAt: string
}

export interface DraftOptions<T> {
  /** The form's values now (plain JSON). */
  read(): T
  /** True while the form holds something its record does not (what "unsaved" means for this form). */
  isDirty(): boolean
  /** The version of the record the user is typing over, kept with the draft. */
  baseVersion?: number | null
}

interface Scope {
  key: string
  /** The address the form is on: leaving it asks first. */
  screen: string
  restored: RestoredDraft<unknown> | null
  handles: Set<DraftHandle>
  /** The stored draft is gone (the form was saved, or the draft discarded): the restored note has had its say. */
  removed(): void
}

const ScopeContext = createContext<Scope | null>(null)

/** Every mounted form's draft, for the lock, the leave guard and the page unloading. */
const open = new Set<DraftHandle>()

class DraftHandle {
  /** The values (JSON) the main process holds for this form; null when it holds none. */
  private stored: string | null
  private seen: string | null = null
  private changedAt = 0
  private failedAt = -Infinity
  private warned = false
  private disabled = false
  /** Mounted: a look after the form has gone would see its sections torn down, not what was typed. */
  private live = false
  private timer: ReturnType<typeof setInterval> | undefined
  private chain: Promise<void> = Promise.resolve()

  constructor(
    private readonly scope: Scope,
    private readonly options: () => DraftOptions<unknown>,
  ) {
    this.stored = scope.restored ? JSON.stringify(scope.restored.values) : null
  }

  get screen(): string {
    return this.scope.screen
  }

  attach(): void {
    this.live = true
    open.add(this)
    this.scope.handles.add(this)
    this.timer = setInterval(() => this.tick(), TICK_MS)
  }

  /** The form is going (another screen, the lock screen, a save that closes it): keep what it holds. */
  detach(): void {
    clearInterval(this.timer)
    // the last look at the form; none after it (an interval already queued may still call tick)
    void this.flush()
    this.live = false
    open.delete(this)
    this.scope.handles.delete(this)
  }

  private look(): { json: string; dirty: boolean } | null {
    try {
      const o = this.options()
      return { json: JSON.stringify(o.read()), dirty: o.isDirty() }
    } catch {
      return null // a form half torn down: the last save stands
    }
  }

  isDirty(): boolean {
    return !this.disabled && this.live && (this.look()?.dirty ?? false)
  }

  private tick(): void {
    if (this.disabled || !this.live) return
    const now = Date.now()
    const s = this.look()
    if (!s) return
    if (!s.dirty) {
      this.seen = s.json
      if (this.stored !== null) this.remove('saved')
      return
    }
    if (s.json !== this.seen) {
      this.seen = s.json
      this.changedAt = now
      return
    }
    if (s.json !== this.stored && now - this.changedAt >= QUIET_MS && now - this.failedAt >= RETRY_MS) this.write(s.json)
  }

  /** Saves what is typed now (or removes a draft the record has caught up with); resolves when it has landed. */
  flush(options: { unloading?: boolean } = {}): Promise<void> {
    if (!this.disabled && this.live) {
      const s = this.look()
      if (s?.dirty && s.json !== this.stored) this.write(s.json, options.unloading)
      else if (s && !s.dirty && this.stored !== null) this.remove('saved')
    }
    return this.chain
  }

  private write(json: string, unloading = false): void {
    const previous = this.stored
    this.stored = json
    const { key, screen } = this.scope
    const payload = `{"baseVersion":${JSON.stringify(this.options().baseVersion ?? null)},"values":${json}}`
    const save = () =>
      api('drafts.save', { key, screen, json: payload }).then(
        () => undefined,
        (err: unknown) => {
          if (this.stored === json) this.stored = previous // a later look tries again
          this.failedAt = Date.now()
          if (err instanceof ApiError && err.code === 'invalid_input' && !this.warned) {
            this.warned = true
            notifications.show({ color: 'orange', title: 'Your draft could not be kept', message: `${err.message} Save the form to keep what you typed.`, autoClose: false })
          }
        },
      )
    // As the page unloads there is no time to wait for an earlier save to come back: send now.
    if (unloading) void save()
    else this.chain = this.chain.then(save)
  }

  private remove(reason: 'saved' | 'discarded'): void {
    this.stored = null
    this.scope.removed()
    const { key } = this.scope
    // a draft left behind by a failed removal is offered again next time, and removed when the form is saved
    this.chain = this.chain.then(() => api('drafts.discard', { key, reason }).then(() => undefined, () => undefined))
  }

  /** The form was saved or signed for good (and is closing): its draft goes, and nothing more is kept. */
  clear(): Promise<void> {
    this.disabled = true
    this.remove('saved')
    return this.chain
  }

  /** The user threw the draft away. */
  discard(): Promise<void> {
    this.disabled = true
    this.remove('discarded')
    return this.chain
  }
}

/** Saves every open form's draft now (before the screen locks or the user signs out). */
export async function flushDrafts(): Promise<void> {
  await Promise.all([...open].map((h) => h.flush()))
}

if (typeof window !== 'undefined') {
  // A reload, the window closed: the last second of typing goes out with the page (keepalive, api.ts).
  window.addEventListener('beforeunload', () => {
    for (const h of open) void h.flush({ unloading: true })
  })
}

// ---- Leaving a form with unsaved input asks first ---------------------------------------------------------

let asking = false

setLeaveGuard((to) => {
  if (asking) return true
  const leaving = [...open].filter((h) => h.screen !== to && h.isDirty())
  if (leaving.length === 0) return false
  asking = true
  const id = modals.open({
    title: 'Leave with unsaved changes?',
    onClose: () => (asking = false),
    children: (
      <LeaveDialog
        onStay={() => modals.close(id)}
        onLeave={async (discard) => {
          await Promise.all(leaving.map((h) => (discard ? h.discard() : h.flush())))
          modals.close(id)
          navigateUnguarded(to)
        }}
      />
    ),
  })
  return true
})

function LeaveDialog({ onStay, onLeave }: { onStay: () => void; onLeave: (discard: boolean) => Promise<void> }) {
  const [busy, setBusy] = useState<false | 'keep' | 'discard'>(false)
  const leave = (discard: boolean) => {
    setBusy(discard ? 'discard' : 'keep')
    void onLeave(discard).finally(() => setBusy(false))
  }
  return (
    <Stack>
      <Text size="sm">
        What you typed on this screen is not saved yet. Stay to save it, or leave: your draft is kept (only you can see it) and restored when you open the form again.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" c="red.9" onClick={() => leave(true)} loading={busy === 'discard'} disabled={busy === 'keep'}>
          Discard my changes and leave
        </Button>
        <Button variant="default" onClick={() => leave(false)} loading={busy === 'keep'} disabled={busy === 'discard'}>
          Leave, keep the draft
        </Button>
        <Button data-autofocus onClick={onStay} disabled={busy !== false}>
          Stay
        </Button>
      </Group>
    </Stack>
  )
}

// ---- The form's side ----------------------------------------------------------------------------------------

function parseDraft(d: Draft): RestoredDraft<unknown> | null {
  try {
    const o = JSON.parse(d.json) as { values?: unknown; baseVersion?: unknown }
    if (o.values === undefined) return null
    return { values: o.values, baseVersion: typeof o.baseVersion === 'number' ? o.baseVersion : null, updatedAt: d.updatedAt }
  } catch {
    return null
  }
}

/**
 * Loads this user's draft of the form before the form mounts, and hands it to `children` (null when there is
 * none). Shows "Restored your unsaved draft from <time>" with a Discard button while one was restored.
 * `version`: the record's version now, to say when the record was saved since the draft was typed.
 */
export function WithDraft<T>({ draftKey, noun, version, children }: { draftKey: string; noun: string; version?: number; children: (restored: RestoredDraft<T> | null) => ReactNode }) {
  const route = useRoute()
  const [screen] = useState(route)
  const [loaded, setLoaded] = useState<{ key: string; restored: RestoredDraft<unknown> | null } | null>(null)
  const [generation, setGeneration] = useState(0)
  const [noticeShown, setNoticeShown] = useState(true)
  // the record as the form opened (its own saves later raise the version)
  const [versionAtOpen] = useState(version)

  useEffect(() => {
    let live = true
    api('drafts.get', { key: draftKey }).then(
      (d) => live && setLoaded({ key: draftKey, restored: d ? parseDraft(d) : null }),
      // the form opens all the same (a draft that cannot be read is not a reason to stop work)
      () => live && setLoaded({ key: draftKey, restored: null }),
    )
    return () => {
      live = false
    }
  }, [draftKey])

  const restored = loaded?.key === draftKey ? loaded.restored : null
  const scope = useMemo<Scope>(() => ({ key: draftKey, screen, restored, handles: new Set(), removed: () => setNoticeShown(false) }), [draftKey, screen, restored])

  if (loaded?.key !== draftKey) return <Loader aria-label="Looking for your unsaved draft" />

  function discard() {
    modals.openConfirmModal({
      title: 'Discard your unsaved draft?',
      children: <Text size="sm">The form goes back to the {noun} as it is saved. What you typed since is deleted.</Text>,
      labels: { confirm: 'Discard the draft', cancel: 'Keep it' },
      confirmProps: { color: 'red.9' },
      onConfirm: () => {
        const handles = [...scope.handles]
        const gone = handles.length > 0 ? Promise.all(handles.map((h) => h.discard())) : api('drafts.discard', { key: draftKey, reason: 'discarded' })
        void gone.finally(() => {
          setLoaded({ key: draftKey, restored: null })
          setGeneration((g) => g + 1)
        })
      },
    })
  }

  return (
    <ScopeContext.Provider value={scope}>
      <Stack gap="sm">
        {restored && noticeShown && <RestoredNotice restored={restored} noun={noun} version={versionAtOpen} onDiscard={discard} />}
        <div key={generation}>{children(restored as RestoredDraft<T> | null)}</div>
      </Stack>
    </ScopeContext.Provider>
  )
}

function RestoredNotice({ restored, noun, version, onDiscard }: { restored: RestoredDraft<unknown>; noun: string; version?: number; onDiscard: () => void }) {
  const zone = useChannel('settings.get', {}, { select: (s) => s.settings.timeZone })
  const when = zone.data ? formatClinicDateTime(restored.updatedAt, zone.data, { withZone: true }) : formatInstant(restored.updatedAt)
  const moved = version !== undefined && restored.baseVersion !== null && restored.baseVersion !== version
  return (
    <Alert color="blue" variant="light" role="status" data-testid="draft-restored" styles={{ message: { color: 'var(--mantine-color-dark-9)' } }}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={2}>
          <Text size="sm" fw={600}>
            Restored your unsaved draft from {when}.
          </Text>
          <Text size="sm">
            {moved
              ? `The ${noun} was saved since this draft was typed (in another window, or before the screen locked): check the restored text against it before you save.`
              : `It is not saved in the ${noun} yet: save to keep it, or discard it.`}
          </Text>
        </Stack>
        <Button variant="default" size="xs" onClick={onDiscard}>
          Discard draft
        </Button>
      </Group>
    </Alert>
  )
}

/**
 * Keeps the surrounding <WithDraft>'s draft of this form: saved about a second after typing stops, at once when
 * the screen locks, the user leaves or the page unloads; removed once the form holds nothing unsaved.
 * `clear()` after a save that closes the form (a visit recorded, a note signed); `discard()` when the user
 * cancels the form on purpose (its Cancel button).
 */
export function useDraft<T>(options: DraftOptions<T>): { clear(): Promise<void>; discard(): Promise<void> } {
  const scope = useContext(ScopeContext)
  if (!scope) throw new Error('useDraft needs a <WithDraft> around the form')
  const latest = useRef(options)
  latest.current = options
  const [handle] = useState(() => new DraftHandle(scope, () => latest.current as DraftOptions<unknown>))
  // A layout effect: its cleanup runs before the form's own effects are torn down, so the last look at the
  // form as it goes (to the lock screen, another screen) still sees every section's values.
  useLayoutEffect(() => {
    handle.attach()
    return () => handle.detach()
  }, [handle])
  return handle
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The draft's values laid over the form's values from its record, key by key: a draft kept by an earlier version
 * of the form (a field since added or renamed) restores what still fits and leaves the rest as the record has it.
 */
export function restoreOver<T>(base: T, draft: unknown): T {
  if (draft === undefined) return base
  if (isPlainObject(base)) {
    if (!isPlainObject(draft)) return base
    return Object.fromEntries(Object.entries(base).map(([k, v]) => [k, restoreOver(v, draft[k])])) as T
  }
  if (Array.isArray(base) && !Array.isArray(draft)) return base
  return draft as T
}
