/**
 * The viewer's series thumbnails (renderer/components/imaging/seriesThumbnails.ts) never hold up the image the
 * physician opened: none is fetched or drawn while a viewer stage is loading its image; they are made one at a
 * time and once per image; an image that cannot be drawn gives a reason instead of an error; one that could not be
 * fetched is asked for again. The server and dwv are stood in for here (what is tested is the order of the work);
 * imaging-cobb.spec draws real thumbnails in Chromium.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'

const log: string[] = []
let unreachable = new Set<number>()

vi.mock('../../renderer/api', () => ({
  api: async (_channel: string, input: { instanceId: number }) => {
    log.push(`fetch ${input.instanceId}`)
    if (unreachable.has(input.instanceId)) throw new Error('Cannot reach the clinic server.')
    return { instanceId: input.instanceId, sopInstanceUid: '1.2', content: String(input.instanceId) }
  },
}))
vi.mock('../../renderer/components/imaging/dwvStage', () => ({
  decodeBase64: (text: string) => new TextEncoder().encode(text),
  renderThumbnail: async (bytes: Uint8Array) => {
    const id = new TextDecoder().decode(bytes)
    log.push(`draw ${id}`)
    if (id === '13') throw new Error('Invalid typed array length: 4')
    return `data:image/png;base64,${id}`
  },
}))

const { holdThumbnails, representativeIndex, thumbnailOf } = await import('../../renderer/components/imaging/seriesThumbnails')
const settle = () => new Promise((resolve) => setTimeout(resolve, 5))

beforeEach(() => {
  log.length = 0
  unreachable = new Set()
})

describe('series thumbnails', () => {
  it("stand for a series by its middle image (a stack of slices' middle shows the anatomy)", () => {
    expect(representativeIndex(1)).toBe(0)
    expect(representativeIndex(3)).toBe(1)
    expect(representativeIndex(4)).toBe(1)
    expect(representativeIndex(2000)).toBe(999)
    expect(representativeIndex(0)).toBe(-1)
  })

  it('wait while a stage loads its image, for as long as any of two stages does, then are made one at a time', async () => {
    const first = holdThumbnails()
    const second = holdThumbnails()
    const a = thumbnailOf(1)
    const b = thumbnailOf(2)
    await settle()
    expect(log).toEqual([])
    first()
    first() // a second call changes nothing
    await settle()
    expect(log).toEqual([])
    second()
    expect(await a).toEqual({ url: 'data:image/png;base64,1' })
    expect(await b).toEqual({ url: 'data:image/png;base64,2' })
    expect(log).toEqual(['fetch 1', 'draw 1', 'fetch 2', 'draw 2'])
  })

  it('a stage that starts loading between two thumbnails holds back the next one', async () => {
    const release = holdThumbnails()
    const a = thumbnailOf(3)
    const b = thumbnailOf(4)
    release()
    await a
    const again = holdThumbnails()
    await settle()
    expect(log).not.toContain('fetch 4')
    again()
    expect(await b).toEqual({ url: 'data:image/png;base64,4' })
  })

  it('are made once per image', async () => {
    const a = await thumbnailOf(5)
    log.length = 0
    expect(await thumbnailOf(5)).toBe(a)
    expect(log).toEqual([])
  })

  it('an image that cannot be drawn gives the reason, not an error, and is not tried again', async () => {
    expect(await thumbnailOf(13)).toEqual({ problem: 'Invalid typed array length: 4' })
    log.length = 0
    expect(await thumbnailOf(13)).toEqual({ problem: 'Invalid typed array length: 4' })
    expect(log).toEqual([])
  })

  it('an image that could not be fetched is asked for again next time', async () => {
    unreachable.add(21)
    expect(await thumbnailOf(21)).toEqual({ problem: 'Cannot reach the clinic server.' })
    unreachable.delete(21)
    expect(await thumbnailOf(21)).toEqual({ url: 'data:image/png;base64,21' })
  })
})
