/**
 * The lint rule that keeps HTML-from-a-string out of the renderer: each way in is refused, plain text
 * rendering is not.
 */
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function restricted(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: 'renderer/screens/LintProbe.tsx' })
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message)
}

describe('no HTML from strings in the renderer (eslint no-restricted-syntax)', () => {
  it.each([
    ['dangerouslySetInnerHTML', 'export const A = ({ t }: { t: string }) => <div dangerouslySetInnerHTML={{ __html: t }} />\n'],
    ['createElement props', "import { createElement } from 'react'\nexport const A = (t: string) => createElement('div', { dangerouslySetInnerHTML: { __html: t } })\n"],
    ['innerHTML', 'export function a(el: HTMLElement, t: string) {\n  el.innerHTML = t\n}\n'],
    ['outerHTML', 'export function a(el: HTMLElement, t: string) {\n  el.outerHTML += t\n}\n'],
    ['insertAdjacentHTML', "export function a(el: HTMLElement, t: string) {\n  el.insertAdjacentHTML('beforeend', t)\n}\n"],
    ['document.write', 'export function a(t: string) {\n  document.write(t)\n}\n'],
  ])('refuses %s', async (_what, code) => {
    expect(await restricted(code)).toHaveLength(1)
  }, 60_000) // the first lint loads the whole configuration

  it('lets text through', async () => {
    expect(await restricted('export const A = ({ t }: { t: string }) => <div title={t}>{t}</div>\nexport function b(el: HTMLElement, t: string) {\n  el.textContent = t\n}\n')).toEqual([])
  })
})
