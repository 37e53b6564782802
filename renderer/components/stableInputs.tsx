/**
 * What keeps a key typed in a big form from redrawing the fields it did not touch (issue 22 point 3).
 *
 * A Mantine form in controlled mode re-renders the component that owns it on every key, and every field of that
 * component with it: `form.getInputProps` returns new objects and handlers on each render, and `setFieldValue`
 * deep-clones all the values (klona), so neither identity nor React.memo's shallow compare can tell an untouched
 * field from the one typed in. Here:
 * - `useStableInputs(form)` gives `input(path)`, the same props as `form.getInputProps(path)` but the same object
 *   for as long as the field's value and error are the same (its handlers call the form as it is when they run),
 *   and `set(path)`, a `setFieldValue` for that path that keeps its identity;
 * - `memoByValue(Component)` is React.memo comparing props by value one level deep (an array of answers, a finding
 *   whose fields are primitives, a `span={{ base: 12 }}`), which is what the form's clones need;
 * - `MemoTextarea` and friends are Mantine's inputs behind that memo: with `input(path)` they re-render only when
 *   their own value or error changes. For an autosize Textarea this matters most: each one re-measures its height
 *   (a forced layout) every time it renders, so an untouched one must not render.
 * The values still live in the one form, so validation, drafts and "Unsaved changes" see them as before.
 */
import { Checkbox, NativeSelect, Textarea, TextInput } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import { memo, useRef, useState, type ComponentType } from 'react'
import { DateField } from './DateField'
import { OptionalNumber, YesNoUnknown } from './ClinicalInputs'

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype && !('$$typeof' in v)

/** Equal as a field would show it: the same, or arrays / plain objects whose items are the same (one level). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => Object.is(x, b[i]))
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && Object.is(a[k], b[k]))
  }
  return false
}

/** Props equal key by key with `sameValue` (handlers must be the same functions). */
export function sameProps(a: object, b: object): boolean {
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  return ka.every((k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

/** React.memo comparing props by value (see `sameValue`). */
export function memoByValue<P extends object>(component: ComponentType<P>) {
  return memo(component, sameProps)
}

type InputOptions = { type?: 'input' | 'checkbox' }
type Props = Record<string, unknown>
/** What `form.getInputProps` returns (onChange, value or checked, error, onFocus, onBlur). */
export type InputProps = ReturnType<UseFormReturnType<unknown>['getInputProps']>

/**
 * `input(path, options)`: `form.getInputProps(path, options)` that keeps its identity while the field's value and
 * error do not change. `set(path, map?)`: a handler setting the field (through `map` first, e.g. '' to null), the
 * same function on every render (the latest `map` given for that path is the one used).
 */
export function useStableInputs<T>(form: UseFormReturnType<T>) {
  const latest = useRef(form)
  latest.current = form
  const [api] = useState(() => {
    const inputs = new Map<string, Props>()
    const setters = new Map<string, (value: unknown) => void>()
    const maps = new Map<string, (value: never) => unknown>()
    const sameData = (a: Props, b: Props) => Object.keys(b).every((k) => typeof b[k] === 'function' || sameValue(a[k], b[k])) && Object.keys(a).length === Object.keys(b).length
    return {
      input(path: string, options?: InputOptions): InputProps {
        const key = `${options?.type ?? 'input'}:${path}`
        const fresh = latest.current.getInputProps(path, options) as unknown as Props
        const kept = inputs.get(key)
        if (kept && sameData(kept, fresh)) return kept as unknown as InputProps
        const stable: Props = {}
        for (const [k, v] of Object.entries(fresh)) {
          stable[k] = typeof v === 'function' ? (...args: unknown[]) => (latest.current.getInputProps(path, options) as unknown as Record<string, (...a: unknown[]) => unknown>)[k]!(...args) : v
        }
        inputs.set(key, stable)
        return stable as unknown as InputProps
      },
      set<V>(path: string, map?: (value: V) => unknown): (value: V) => void {
        if (map) maps.set(path, map as (value: never) => unknown)
        let setter = setters.get(path)
        if (!setter) {
          setter = (value: unknown) => {
            const m = maps.get(path) as ((v: unknown) => unknown) | undefined
            latest.current.setFieldValue(path as never, (m ? m(value) : value) as never)
          }
          setters.set(path, setter)
        }
        return setter as (value: V) => void
      },
      /** A handler of its own that keeps its identity (the latest `fn` given under `name` is the one called). */
      handler<A extends unknown[]>(name: string, fn: (...args: A) => void): (...args: A) => void {
        maps.set(`handler:${name}`, fn as never)
        let h = setters.get(`handler:${name}`)
        if (!h) {
          h = (...args: unknown[]) => (maps.get(`handler:${name}`) as unknown as (...a: unknown[]) => void)(...args)
          setters.set(`handler:${name}`, h as (value: unknown) => void)
        }
        return h as unknown as (...args: A) => void
      },
    }
  })
  return api
}

export type StableInputs = ReturnType<typeof useStableInputs>

export const MemoTextarea = memoByValue(Textarea)
export const MemoTextInput = memoByValue(TextInput)
export const MemoNativeSelect = memoByValue(NativeSelect)
export const MemoCheckbox = memoByValue(Checkbox)
export const MemoDateField = memoByValue(DateField)
export const MemoOptionalNumber = memoByValue(OptionalNumber)
export const MemoYesNoUnknown = memoByValue(YesNoUnknown)
