/**
 * A date and a time of day typed together ("consent given", "last dose", "last solid food"): the app's one date
 * field (MM/DD/YYYY) beside a time field, in place of the browser's datetime-local whose date half followed the
 * computer's locale. The value is 'YYYY-MM-DDTHH:mm' in the clinic's clock, as datetime-local gave, so the forms
 * and their schemas are unchanged; either half left empty or not yet a date leaves the value incomplete, which
 * the schema refuses under the field.
 */
import { Group, Input, TextInput } from '@mantine/core'
import { useEffect, useState, type ReactNode } from 'react'
import { DateField } from './DateField'

interface Props {
  label: string
  description?: ReactNode
  error?: ReactNode
  value?: string | null
  onChange: (value: string) => void
  onBlur?: () => void
  required?: boolean
  disabled?: boolean
  maw?: number
}

function split(value: string | null | undefined): [string, string] {
  const v = value ?? ''
  const t = v.indexOf('T')
  return t < 0 ? [v, ''] : [v.slice(0, t), v.slice(t + 1, t + 6)]
}

export function DateTimeField({ label, description, error, value, onChange, onBlur, required, disabled, maw }: Props) {
  const [parts, setParts] = useState(() => split(value))
  useEffect(() => {
    const [d, t] = split(value)
    if (d !== parts[0] || t !== parts[1]) setParts([d, t])
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value])

  const set = (date: string, time: string) => {
    setParts([date, time])
    onChange(date === '' && time === '' ? '' : `${date}T${time}`)
  }
  return (
    <Input.Wrapper label={label} labelElement="div" description={description} error={error} required={required} maw={maw}>
      <Group gap="xs" wrap="nowrap" align="flex-start" role="group" aria-label={label}>
        <DateField aria-label={`${label}: date`} value={parts[0]} onChange={(d) => set(d, parts[1])} onBlur={onBlur} disabled={disabled} error={Boolean(error)} style={{ flex: 1 }} />
        <TextInput aria-label={`${label}: time`} type="time" value={parts[1]} onChange={(e) => set(parts[0], e.currentTarget.value)} onBlur={onBlur} disabled={disabled} error={Boolean(error)} w={130} />
      </Group>
    </Input.Wrapper>
  )
}
