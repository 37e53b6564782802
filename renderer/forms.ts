import type { UseFormReturnType } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { fieldName } from '../shared/fieldNames'
import { ApiError } from './api'

/**
 * Shows a refused call where the user will look: field messages under their fields, and the
 * overall message as a notification. Returns the error for screens that act on its code.
 */
export function showApiError(err: unknown, form?: UseFormReturnType<any>): ApiError | null {
  if (!(err instanceof ApiError)) {
    notifications.show({ color: 'red', title: 'Not saved', message: String(err) })
    return null
  }
  if (form && Object.keys(err.fields).length > 0) {
    form.setErrors(capitalizeAll(err.fields))
    // a refusal that names fields puts the person on the first of them, as the form's own check does
    if (err.code === 'invalid_input') focusFirstError(err.fields, undefined, undefined, { notify: false })
  }
  // The same refusal twice (every open list failing while the database server restarts) is one notification.
  // The form is left as it is: nothing here clears what the person typed, so they can send it again.
  notifications.show({ id: `api-error:${err.code}:${err.message}`, color: 'red', title: titleFor(err.code), message: err.message, autoClose: 8000 })
  return err
}

function titleFor(code: ApiError['code']): string {
  switch (code) {
    case 'invalid_input':
      return 'Please check the form'
    case 'conflict':
      return 'Not saved'
    case 'forbidden':
      return 'Not allowed'
    case 'unauthenticated':
      return 'Please sign in'
    case 'locked':
      return 'Signed record'
    case 'unavailable':
      return 'Database server not answering'
    default:
      return 'Something went wrong'
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

export function capitalizeAll(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, capitalize(v)]))
}

import { schemaResolver } from '@mantine/form'

/** The form validates with the very schema the router uses; messages start with a capital. */
export function validateWith(schema: Parameters<typeof schemaResolver>[0]) {
  const resolve = schemaResolver(schema, { sync: true })
  return (values: unknown) => capitalizeAll(resolve(values) as Record<string, string>)
}

/**
 * A form made of parts that are saved through different channels: each part is validated with its own
 * router schema and its messages keyed by the part's name ('findings.0.level'), as the router names them.
 */
export function validateParts(parts: Record<string, Parameters<typeof schemaResolver>[0] | null>, values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, schema] of Object.entries(parts)) {
    if (!schema) continue
    const errors = schemaResolver(schema, { sync: true })(values[name]) as Record<string, string>
    for (const [k, v] of Object.entries(capitalizeAll(errors))) out[k === '' ? name : `${name}.${k}`] = v
  }
  return out
}

/** What a person can put the cursor in. */
const FOCUSABLE = 'input:not([type="hidden"]):not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex="-1"])'

/** The first invalid field on screen: an input marked invalid, or a message under a group (radio, checkboxes) whose control comes first. */
function firstInvalid(root: ParentNode, keys: string[]): HTMLElement | null {
  const marks = [...root.querySelectorAll<HTMLElement>('[aria-invalid="true"], [id$="-error"]')]
  for (const mark of marks) {
    if (mark.matches(FOCUSABLE)) return mark
    // a message: the control is in the same wrapper, a level or two up
    let up: HTMLElement | null = mark.parentElement
    for (let i = 0; up && i < 3; i++, up = up.parentElement) {
      const control = up.querySelector<HTMLElement>(FOCUSABLE)
      if (control) return control
    }
  }
  // a field named by its path (an input given name= or data-path=, or the path as its id)
  for (const k of keys) {
    const q = (sel: string) => root.querySelector<HTMLElement>(sel)
    const esc = typeof CSS !== 'undefined' ? CSS.escape(k) : k
    const el = q(`[data-path="${esc}"]`) ?? q(`[name="${esc}"]`) ?? q(`#${esc}`)
    if (el) return el.matches(FOCUSABLE) ? el : el.querySelector<HTMLElement>(FOCUSABLE)
  }
  return null
}

/**
 * Every form's validation-failure handler (`form.onSubmit(save, focusFirstError)`), and what a refusal with a
 * field map does: one invalid field never blocks the save silently. Once the messages are drawn, the first
 * invalid field is scrolled to and focused, and a notification names it in words ("End time: Must be after the
 * start time"). Nothing typed is touched.
 */
export function focusFirstError(
  errors: Record<string, unknown>,
  _values?: unknown,
  event?: { currentTarget: EventTarget | null } | undefined,
  opts: { notify?: boolean } = {},
): void {
  const entries = Object.entries(errors).filter(([, m]) => m !== undefined && m !== null && m !== false && m !== '')
  if (entries.length === 0) return
  // the form that was submitted (read now: an event's currentTarget is gone once it is handled)
  const target = event?.currentTarget
  const root: ParentNode = typeof Element !== 'undefined' && target instanceof Element ? target : document
  const [key, message] = entries[0]!
  // two frames: the messages (and aria-invalid) are drawn by the render the errors cause
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const el = firstInvalid(root, entries.map(([k]) => k))
      if (el) {
        el.scrollIntoView({ block: 'center' })
        el.focus({ preventScroll: true })
      }
      // A field found is named by its own label and the message under it (a screen reader reads both as the
      // focus lands). Only an error that has no field on screen is told in a notification, in words.
      if (opts.notify === false || el) return
      const more = entries.length > 1 ? ` (and ${entries.length - 1} more)` : ''
      notifications.show({ id: 'form-invalid', color: 'red', title: 'Please check the form', message: `${fieldName(key)}: ${String(message)}${more}`, autoClose: 8000 })
    }),
  )
}
