/** Picks a referrer of the directory by typing (the directory's own search: name, practice, specialty, phone). */
import { Select } from '@mantine/core'
import { useMemo, useState } from 'react'
import { useChannel } from '../data'
import { referrerLabel } from '../../shared/schemas/referrals'

export function ReferrerPicker({ value, onChange, initialQuery = '', error, label = 'Referrer' }: { value: number | null; onChange: (id: number | null) => void; initialQuery?: string; error?: string | undefined; label?: string }) {
  const [search, setSearch] = useState(initialQuery)
  const [chosenLabel, setChosenLabel] = useState('')
  const found = useChannel('referrers.search', { q: search, includeInactive: false, limit: 30 })
  const options = useMemo(() => {
    const list = (found.data ?? []).map((r) => ({ value: String(r.id), label: `${referrerLabel(r.name, r.practice)}${r.phone ? ` · ${r.phone}` : ''}` }))
    if (value !== null && !list.some((o) => o.value === String(value)) && chosenLabel) list.unshift({ value: String(value), label: chosenLabel })
    return list
  }, [found.data, value, chosenLabel])
  return (
    <Select
      label={label}
      placeholder="Type a name, practice or phone"
      searchable
      clearable
      filter={({ options: o }) => o}
      data={options}
      value={value === null ? null : String(value)}
      onChange={(id, option) => {
        setChosenLabel(option?.label ?? '')
        onChange(id ? Number(id) : null)
      }}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage="No referrer matches"
      error={error}
    />
  )
}
