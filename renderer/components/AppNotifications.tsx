/**
 * The app's notifications ("Saved", "Appointment booked", a refusal), placed and limited so that they never stand
 * between a person and the controls of the screen that raised them:
 * - bottom left, inside the navigation's foot: the screens keep their actions on the right (a table's action column,
 *   a dialog's buttons), and their top rows are where the latest change shows; and no wider than the navigation
 *   column, so a form's own button at the bottom left of the screen (Register, Save) is never under one;
 * - at most three at once, the rest queued;
 * - the same notification again (the same colour, title and text) replaces the earlier one instead of stacking;
 * - a pointer resting on one no longer keeps it (and the others) open for ever: each goes at the latest a few
 *   seconds after it would have closed on its own. One shown with `autoClose: false` stays until closed.
 */
import { Notifications, notifications, useNotifications, type NotificationData } from '@mantine/notifications'
import { useEffect, useRef } from 'react'

const AUTO_CLOSE_MS = 4000
/** How long past its own closing time a hovered notification may stay. */
const HOVER_GRACE_MS = 4000
export const NOTIFICATION_LIMIT = 3
/** The navigation column is 220 px (Shell.tsx); Mantine places the stack 16 px from the edge. */
const CONTAINER_WIDTH = 196

function closesAfter(n: NotificationData): number | null {
  if (n.autoClose === false) return null
  return (typeof n.autoClose === 'number' ? n.autoClose : AUTO_CLOSE_MS) + HOVER_GRACE_MS
}

const sameAs = (n: NotificationData) => (typeof n.title === 'string' && typeof n.message === 'string' ? `${n.color ?? ''}\n${n.title}\n${n.message}` : null)

export function AppNotifications() {
  const { notifications: shown, queue } = useNotifications()
  const deadlines = useRef(new Map<string, number>())

  useEffect(() => {
    const present = new Set([...shown, ...queue].map((n) => n.id))
    for (const [id, timer] of deadlines.current) {
      if (!present.has(id)) {
        window.clearTimeout(timer)
        deadlines.current.delete(id)
      }
    }
    for (const n of shown) {
      const id = n.id
      if (id === undefined || deadlines.current.has(id)) continue
      // A repeat of a notification already on screen takes its place.
      const key = sameAs(n)
      if (key !== null) for (const older of shown) if (older.id !== id && older.id !== undefined && deadlines.current.has(older.id) && sameAs(older) === key) notifications.hide(older.id)
      const after = closesAfter(n)
      deadlines.current.set(id, after === null ? -1 : window.setTimeout(() => notifications.hide(id), after))
    }
  }, [shown, queue])

  useEffect(() => {
    const timers = deadlines.current
    return () => timers.forEach((t) => window.clearTimeout(t))
  }, [])

  return <Notifications position="bottom-left" limit={NOTIFICATION_LIMIT} autoClose={AUTO_CLOSE_MS} containerWidth={CONTAINER_WIDTH} pauseResetOnHover="notification" />
}
