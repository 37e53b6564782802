/**
 * What each write changes is part of the contract (shared/channels/define.ts `changes`): the router announces
 * exactly those areas to the other windows and workstations, and the renderer refreshes the screens that read
 * them (renderer/data.ts). A write that declares nothing would leave every other open screen stale.
 */
import { describe, expect, it } from 'vitest'
import { AREAS, CHANNELS, LOCAL_AREAS, announcedAreas, contract, type ChannelDef } from '../../shared/contract'

const defs = CHANNELS.map((channel) => [channel, contract[channel] as ChannelDef] as const)

describe('the areas each channel changes and reads', () => {
  it.each(defs.filter(([, def]) => def.mutates))('%s, a write, declares the areas it changes', (_channel, def) => {
    expect(def.changes?.length ?? 0).toBeGreaterThan(0)
  })

  it('every area a screen reads is changed by some write, and every area a write changes is read by some screen', () => {
    const changed = new Set(defs.flatMap(([, def]) => def.changes ?? []))
    const read = new Set(defs.flatMap(([, def]) => def.reads ?? []))
    expect([...read].filter((a) => !changed.has(a))).toEqual([])
    expect([...changed].filter((a) => !read.has(a))).toEqual([])
    expect([...changed].sort()).toEqual([...AREAS].sort())
  })

  it('a channel either reads or changes: a screen never keeps the result of a write as a query', () => {
    expect(defs.filter(([, def]) => def.reads && def.changes).map(([c]) => c)).toEqual([])
  })

  it('only a window’s own sign-in and drafts are kept from the other windows and workstations', () => {
    const silent = defs.filter(([, def]) => def.changes && announcedAreas(def).length === 0).map(([c]) => c)
    for (const channel of silent) {
      const def = contract[channel] as ChannelDef
      expect(def.background || def.changes!.every((a) => LOCAL_AREAS.includes(a)), channel).toBe(true)
    }
    expect(announcedAreas(contract['drafts.save'])).toEqual([])
    expect(announcedAreas(contract['followUpVisits.record'])).toEqual(['chart', 'followUps'])
    expect(announcedAreas(contract['settings.update'])).toEqual(['settings'])
  })
})
