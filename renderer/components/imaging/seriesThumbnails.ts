/**
 * The series list's thumbnails (issue 20 point 2), kept from ever slowing the image the physician opened: a
 * thumbnail is made only when its series shows in the list (asked for by SeriesList), one at a time, and only while
 * no viewer stage is loading its image (the stage holds them back from asking for its image until it is drawn);
 * each is made once per stored image and kept for the session (a few kB of PNG), so reopening a study shows them
 * at once.
 */
import { api } from '../../api'
import { decodeBase64, renderThumbnail } from './dwvStage'

/** Pixels of the square a thumbnail is drawn in (shown smaller, so that it stays sharp on a high-density screen). */
export const THUMBNAIL_PX = 96
/** A thumbnail not drawn in this time is given up (a compression the viewer cannot decode ends without an error). */
export const THUMBNAIL_WAIT_MS = 10_000
/** Thumbnails kept; the oldest go first (each is a few kB). */
const KEPT = 400

export type Thumbnail = { url: string } | { problem: string }

/** Which image stands for a series: the middle one (of a stack of slices, the one most likely to show the anatomy). */
export function representativeIndex(count: number): number {
  return count > 0 ? Math.floor((count - 1) / 2) : -1
}

// ---- the stages' hold: thumbnails wait while any stage is loading its image ----

const holding = new Set<symbol>()
let resumed: (() => void) | null = null
let resumedAt: Promise<void> = Promise.resolve()

/** A stage starts loading its image: thumbnails wait until the function returned is called (more calls do nothing). */
export function holdThumbnails(): () => void {
  const token = Symbol('stage loading')
  if (holding.size === 0) resumedAt = new Promise<void>((resolve) => (resumed = resolve))
  holding.add(token)
  return () => {
    if (!holding.delete(token) || holding.size > 0) return
    resumed?.()
    resumed = null
  }
}

/** Resolves once no stage is loading; looked at after the work already queued (a stage may be starting just now). */
async function whenNoStageLoads(): Promise<void> {
  await Promise.resolve()
  while (holding.size > 0) await resumedAt
}

// ---- the cache and the queue (the measurements' previews, measuredPreview.ts, share them) ----

/** Draws one stored image's bytes as a PNG data URL (rejecting with the reason it cannot). */
export type Drawing = (bytes: Uint8Array) => Promise<string>

const made = new Map<string, Promise<Thumbnail>>()
const queue: { instanceId: number; draw: Drawing; done: (t: Thumbnail) => void; promise: Promise<Thumbnail> }[] = []
let working = false

const problem = (e: unknown) => ({ problem: e instanceof Error ? e.message : String(e) })

/** `again`: the image could not be fetched (the server out of reach a moment), so it is asked for again next time. */
async function make(instanceId: number, draw: Drawing): Promise<{ thumbnail: Thumbnail; again: boolean }> {
  let content: string
  try {
    content = (await api('imaging.instances.content', { instanceId })).content
  } catch (e) {
    return { thumbnail: problem(e), again: true }
  }
  await whenNoStageLoads()
  try {
    return { thumbnail: { url: await draw(decodeBase64(content)) }, again: false }
  } catch (e) {
    return { thumbnail: problem(e), again: false }
  }
}

async function work(): Promise<void> {
  if (working) return
  working = true
  try {
    for (let job = queue.shift(); job; job = queue.shift()) {
      await whenNoStageLoads()
      const { thumbnail, again } = await make(job.instanceId, job.draw)
      if (again) for (const [key, p] of made) if (p === job.promise) made.delete(key)
      job.done(thumbnail)
    }
  } finally {
    working = false
  }
}

/**
 * A picture of a stored image made in the thumbnails' queue (one at a time, held while a stage loads) and kept under
 * `key` for the session (an image that cannot be drawn too: it is said, and not tried again this session).
 */
export function queuedPicture(key: string, instanceId: number, draw: Drawing): Promise<Thumbnail> {
  const known = made.get(key)
  if (known) return known
  let done!: (t: Thumbnail) => void
  const promise = new Promise<Thumbnail>((resolve) => (done = resolve))
  queue.push({ instanceId, draw, done, promise })
  made.set(key, promise)
  if (made.size > KEPT) made.delete(made.keys().next().value!)
  void work()
  return promise
}

/** The thumbnail of a stored image, made once. */
export function thumbnailOf(instanceId: number): Promise<Thumbnail> {
  return queuedPicture(`image ${instanceId}`, instanceId, (bytes) => renderThumbnail(bytes, THUMBNAIL_PX, THUMBNAIL_WAIT_MS))
}
