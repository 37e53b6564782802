import type { UseFormReturnType } from '@mantine/form'
import { notifications } from '@mantine/notifications'
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
  if (form && Object.keys(err.fields).length > 0) form.setErrors(capitalizeAll(err.fields))
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
