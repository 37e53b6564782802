/**
 * A key typed in a note editor re-renders the section it was typed in, nothing else (issue 22, Done-when: "React
 * renders per keystroke confined to one section", a regression check that is not a timing). Issue 22 point 3 made
 * typing fast by keeping React from redrawing what a key did not change (renderer/components/stableInputs.tsx,
 * memoised finding rows, the visit form's memoised parts); a change that undoes it fails here, on any machine,
 * however fast.
 *
 * How renders are counted: through React DevTools' global hook, as react-render-tracker and react-scan do.
 * React (react-dom's production build too) looks for `window.__REACT_DEVTOOLS_GLOBAL_HOOK__` when it loads and, if
 * one is there, calls its `onCommitFiberRoot` after every commit with the committed fiber tree. The hook is put in
 * by this test (page.addInitScript, before the app's script runs), so the app ships nothing for it: no flag, no
 * counting code, the same bundle the clinic runs. (A `data-render-count` attribute or a hook compiled in behind a
 * build flag would either cost the shipped app something or test a different bundle; component names cannot be
 * used either, the production bundle minifies them.) Each committed component is placed by the DOM it drew: the
 * labelled fieldset or section around its first element ("Imaging finding 3 (L1)", "Level L2", "The patient's
 * view"). A component that drew nothing has no place and is not counted, nor one drawn outside the screen.
 *
 * Which fibers rendered in a commit, as React DevTools decides it (its didFiberRender / updateFiberRecursively): a
 * subtree whose child list is the one of the previous commit was skipped as a whole; in a subtree walked, a
 * function, class, forwardRef or memo component rendered when React flagged it PerformedWork (flag 1, which it
 * sets only when it called the component) or when it is new (no alternate).
 */
import type { Locator, Page } from '@playwright/test'
import { openConsultationDraft, openFollowUpVisit, openProcedureNote } from './editorSteps'
import { expect, test, uniqueUser } from './fixtures'

/** A committed component: the labelled region of the page it drew into, and whether it holds the focused field. */
interface Rendered {
  region: string | null
  holdsFocus: boolean
}

function installRenderLog() {
  const w = window as unknown as { __REACT_DEVTOOLS_GLOBAL_HOOK__?: unknown; __renderLog: Rendered[] | null }
  w.__renderLog = null
  type Fiber = { tag: number; flags: number; alternate: Fiber | null; child: Fiber | null; sibling: Fiber | null; stateNode: unknown }
  // FunctionComponent 0, ClassComponent 1, ForwardRef 11, MemoComponent 14, SimpleMemoComponent 15
  const COMPONENT = new Set([0, 1, 11, 14, 15])
  const PERFORMED_WORK = 1
  const HOST = new Set([5, 6, 26, 27]) // HostComponent, HostText, HostHoistable, HostSingleton
  const firstNode = (f: Fiber): Element | null => {
    for (let c: Fiber | null = f; c; c = c.child) {
      if (HOST.has(c.tag)) {
        const n = c.stateNode as Node | null
        return n instanceof Element ? n : (n?.parentElement ?? null)
      }
    }
    return null
  }
  const place = (el: Element): Rendered => {
    const region = el.closest('fieldset[aria-label], section[aria-labelledby]')
    const name = region ? (region.getAttribute('aria-label') ?? document.getElementById(region.getAttribute('aria-labelledby') ?? '')?.textContent ?? '?') : null
    const focused = document.activeElement
    return { region: name, holdsFocus: !!focused && el.contains(focused) }
  }
  const walk = (f: Fiber, out: Rendered[]) => {
    for (let c: Fiber | null = f; c; c = c.sibling) {
      if (COMPONENT.has(c.tag) && (c.alternate === null || (c.flags & PERFORMED_WORK) === PERFORMED_WORK)) {
        const el = firstNode(c)
        // Only the screen (#screen, the shell's main area) is counted: the navigation, the header and the toasts
        // re-render on their own timers (a toast closing, a list's count refreshed), which a key cannot be told apart
        // from (a run under load once counted 44 of them). A key that re-rendered the shell would re-render the
        // screen's other sections with it, and those are counted.
        if (el && el.closest('#screen')) out.push(place(el))
      }
      if (c.child && (c.alternate === null || c.child !== c.alternate.child)) walk(c.child, out)
    }
  }
  let renderers = 0
  w.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject: () => ++renderers,
    onCommitFiberRoot(_id: number, root: { current: Fiber }) {
      const log = w.__renderLog
      if (!log) return
      const current = root.current
      if (current.child && (current.alternate === null || current.child !== current.alternate.child)) walk(current.child, log)
    },
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    checkDCE() {},
  }
}

/**
 * Types one more key in `field` (after one key already typed, so that "Unsaved changes" and the draft have
 * settled) and returns the regions where React rendered something for it, with how many components each.
 */
async function regionsRenderedByOneKey(page: Page, field: Locator) {
  await field.click()
  await field.press('End')
  await field.press('x')
  await page.waitForTimeout(300)
  const before = await field.inputValue()
  await page.evaluate(() => ((window as unknown as { __renderLog: unknown[] }).__renderLog = []))
  await field.press('y')
  await expect(field).toHaveValue(`${before}y`)
  // "Unsaved changes" is worked out on the next frame (useSectionForms): wait for it to have had its say
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100)))))
  const log = await page.evaluate(() => {
    const w = window as unknown as { __renderLog: Rendered[] | null }
    const l = w.__renderLog
    w.__renderLog = null
    return l ?? []
  })
  const counts: Record<string, number> = {}
  for (const r of log) {
    // the component owning the form is an ancestor of the field typed in: it renders by definition
    const key = r.region ?? (r.holdsFocus ? '(around the field)' : '(outside any section)')
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

/** The regions other than `allowed` where a key rendered anything: none. */
function expectConfinedTo(counts: Record<string, number>, allowed: string[], typedIn: string) {
  // the counter itself works: the section typed in did render
  expect(counts[typedIn] ?? 0, `components rendered in "${typedIn}" (${JSON.stringify(counts)})`).toBeGreaterThan(0)
  const elsewhere = Object.fromEntries(Object.entries(counts).filter(([k]) => !allowed.includes(k) && k !== '(around the field)'))
  expect(elsewhere, `a key re-rendered components outside ${allowed.join(' / ')}`).toEqual({})
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(installRenderLog)
  await page.reload()
})

test('a key in one imaging finding re-renders that finding only: not the other four, the care plan or the header', async ({ page }) => {
  test.setTimeout(240_000)
  await openConsultationDraft(page, uniqueUser('physician', 'Dr. Ren Derscope'))
  const third = page.getByRole('group', { name: 'Imaging finding 3 (L1)' })
  const counts = await regionsRenderedByOneKey(page, third.getByRole('textbox', { name: 'Finding notes' }))
  // the findings section owns the form: its frame (title, Add finding) renders with the row
  expectConfinedTo(counts, ['Imaging finding 3 (L1)', 'Imaging findings'], 'Imaging finding 3 (L1)')

  // a field of its own section: the examination renders alone
  const exam = await regionsRenderedByOneKey(page, page.getByRole('textbox', { name: 'Examination', exact: true }))
  expectConfinedTo(exam, ['Examination and assessment'], 'Examination and assessment')
})

test('a key in one level of the procedure note re-renders that level only', async ({ page }) => {
  test.setTimeout(240_000)
  await openProcedureNote(page, uniqueUser('physician', 'Dr. Lev Elscope'))
  const counts = await regionsRenderedByOneKey(page, page.getByRole('textbox', { name: 'Notes on L2' }))
  expectConfinedTo(counts, ['Level L2'], 'Level L2')
})

test("a key in the follow-up visit's notes re-renders the patient's view only, not the ODI or Roland-Morris", async ({ page }) => {
  test.setTimeout(240_000)
  await openFollowUpVisit(page, uniqueUser('physician', 'Dr. Vis Itscope'))
  const counts = await regionsRenderedByOneKey(page, page.getByRole('textbox', { name: 'Notes', exact: true }))
  expectConfinedTo(counts, ["The patient's view"], "The patient's view")
})
