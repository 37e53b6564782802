/**
 * The one field where a date is typed, everywhere in the app (issue 23 point 6). Native date inputs and Mantine's
 * pickers each behaved their own way (one took the computer's locale, the other dropped what did not parse on
 * blur); this one:
 * - reads what the person types the clinic's way, MM/DD/YYYY (or YYYY-MM-DD pasted from a letter), and shows the
 *   date back as MM/DD/YYYY;
 * - keeps whatever was typed: text that is not a date goes to the form as it is, so the form's schema refuses it
 *   under the field instead of the field emptying itself;
 * - opens Mantine's calendar only from its button (or Alt+Down in the field, as a select opens), so typing a birth
 *   date is never covered by a month grid; the button is out of the Tab order, so a form's Tab sequence is the same
 *   with or without it.
 * The form's value is always 'YYYY-MM-DD' (or the text that is not yet a date), the same as the router's schema.
 */
import { ActionIcon, Popover, TextInput, type TextInputProps } from '@mantine/core'
import { DatePicker } from '@mantine/dates'
import { useEffect, useState } from 'react'
import { formatTypedDate, isValidIsoDate, parseTypedDate } from '../../shared/dates'

export const DATE_FORMAT_HINT = 'MM/DD/YYYY'

type Props = Omit<TextInputProps, 'value' | 'onChange' | 'defaultValue' | 'type'> & {
  value?: string | null
  /** 'YYYY-MM-DD' when what is typed is a date, else the text as typed ('' when empty). */
  onChange: (value: string) => void
  minDate?: string
  maxDate?: string
}

const shown = (value: string | null | undefined) => (value && isValidIsoDate(value) ? formatTypedDate(value) : (value ?? ''))
const valueOf = (text: string) => parseTypedDate(text) ?? text.trim()

export function DateField({ value, onChange, onBlur, minDate, maxDate, label, placeholder, disabled, readOnly, ...rest }: Props) {
  const [text, setText] = useState(() => shown(value))
  const [calendarOpen, setCalendarOpen] = useState(false)

  // A value set from outside (a draft restored, a record reloaded, a calendar pick) replaces the text; the form
  // echoing back what this field just sent does not, so '2/9/1948' stays as typed until the field is left.
  useEffect(() => {
    if (valueOf(text) !== (value ?? '')) setText(shown(value))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value])

  const pick = (iso: string | null) => {
    setCalendarOpen(false)
    if (iso === null) return
    setText(formatTypedDate(iso))
    onChange(iso)
  }
  const picked = value && isValidIsoDate(value) ? value : null

  return (
    <TextInput
      {...rest}
      label={label}
      disabled={disabled}
      readOnly={readOnly}
      placeholder={placeholder ?? DATE_FORMAT_HINT}
      inputMode="numeric"
      autoComplete="off"
      value={text}
      onChange={(e) => {
        const t = e.currentTarget.value
        setText(t)
        onChange(valueOf(t))
      }}
      onKeyDown={(e) => {
        if (e.altKey && e.key === 'ArrowDown' && !disabled && !readOnly) {
          e.preventDefault()
          setCalendarOpen(true)
        }
        rest.onKeyDown?.(e)
      }}
      onBlur={(e) => {
        const iso = parseTypedDate(text)
        if (iso) setText(formatTypedDate(iso))
        onBlur?.(e)
      }}
      rightSectionPointerEvents="all"
      rightSection={
        disabled || readOnly ? undefined : (
          <Popover opened={calendarOpen} onChange={setCalendarOpen} position="bottom-end" trapFocus returnFocus withinPortal shadow="md">
            <Popover.Target>
              <ActionIcon variant="subtle" color="gray" tabIndex={-1} aria-label="Calendar" title="Pick the date from a calendar" onClick={() => setCalendarOpen((o) => !o)}>
                <CalendarIcon />
              </ActionIcon>
            </Popover.Target>
            <Popover.Dropdown>
              <DatePicker value={picked} defaultDate={picked ?? maxDate ?? undefined} onChange={pick} minDate={minDate} maxDate={maxDate} />
            </Popover.Dropdown>
          </Popover>
        )
      }
    />
  )
}

function CalendarIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <rect x="3" y="5" width="18" height="16" rx="2" />
      <path d="M16 3v4M8 3v4M3 10h18" />
    </svg>
  )
}
