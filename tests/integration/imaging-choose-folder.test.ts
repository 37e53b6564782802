/**
 * The import's folder dialog (issue 20 point 1): in the desktop app `imaging.import.chooseFolder` opens the system's
 * dialog over the window that asked and answers the folder chosen (null when cancelled); where there is no dialog
 * (the development bridge in a browser) it answers available: false without opening anything, and the screen keeps
 * the typed path. The dialog itself is Electron's: here the router gets a ctx.chooseFolder of the test's, as
 * electron/main.ts gives it dialog.showOpenDialog. Who may import may ask; a manager may not. Nothing is stored.
 */
import { afterEach, expect, it } from 'vitest'
import { allTableCounts, openClinic, type Clinic } from './harness'

let clinic: Clinic | undefined
afterEach(async () => {
  await clinic?.close()
  clinic = undefined
})

it('opens the system folder dialog over the window that asked and answers the folder chosen, or none when cancelled', async () => {
  const asked: { windowId: string; title: string; defaultPath?: string }[] = []
  let answer: string | null = '/media/cdrom'
  clinic = await openClinic({ chooseFolder: async (windowId, opts) => (asked.push({ windowId, ...opts }), answer) })
  const desk = await clinic.as('frontDesk')
  const doc = await clinic.as('physician')
  const manager = await clinic.as('manager')
  // what a call may write is its audit row (a refusal's too); nothing else
  const counts = async () => ({ ...(await allTableCounts(clinic!.database)), audit_log: 0 })
  const before = await counts()
  expect(await clinic.ok(desk, 'imaging.import.chooseFolder', {})).toEqual({ available: true, folder: '/media/cdrom' })
  expect(asked).toEqual([{ windowId: desk, title: "Choose the folder of the patient's CD or USB stick" }])

  answer = null
  expect(await clinic.ok(doc, 'imaging.import.chooseFolder', {})).toEqual({ available: true, folder: null })
  expect(asked.map((a) => a.windowId)).toEqual([desk, doc])

  // a manager sees the studies but does not import: refused before any dialog opens
  expect(await clinic.call(manager, 'imaging.import.chooseFolder', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  expect(asked).toHaveLength(2)
  expect(await counts()).toEqual(before)
})

it('answers available: false where the app has no folder dialog (the browser bridge), opening nothing', async () => {
  clinic = await openClinic()
  expect(await clinic.ok(await clinic.as('frontDesk'), 'imaging.import.chooseFolder', {})).toEqual({ available: false, folder: null })
})
