import { Spotlight, spotlight } from '@mantine/spotlight'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { usePatientSearch } from '../hooks'
import { useClinicClock } from '../clinicClock'
import { formatDob } from '../format'
import { navigate } from '../routing'

/** Ctrl+K from any screen: find a patient by name, MRN, birth date or phone and open the record. */
export function PatientSpotlight() {
  const today = useClinicClock().today()
  const [query, setQuery] = useState('')
  const [opened, setOpened] = useState(false)
  const hits = usePatientSearch(query, 10, opened && query.trim() !== '')
  const rows = query.trim() === '' ? [] : (hits.data ?? [])
  // Enter typed before the answer came (an MRN typed and Enter at once): open the patient when it comes, if it is one
  const enterFor = useRef<string | null>(null)
  const open = (id: number) => {
    enterFor.current = null
    navigate(`/patients/${id}`)
    spotlight.close()
  }
  useEffect(() => {
    if (enterFor.current === null || !hits.current || enterFor.current !== query) return
    if (rows.length === 1) open(rows[0]!.id)
    else enterFor.current = null
  })
  /**
   * Enter opens the highlighted row (Mantine's own handler, which runs after this one, clicks it), or the first
   * row when none is. While the rows on screen still answer an earlier query, Enter waits for the answer:
   * the highlight is taken off first, so that the earlier query's patient is never opened.
   */
  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key !== 'Enter' || query.trim() === '') return
    const picked = e.currentTarget.closest('.mantine-Spotlight-content')?.querySelector('[data-action][data-selected]')
    if (!hits.current) {
      picked?.removeAttribute('data-selected')
      enterFor.current = query
    } else if (!picked && rows.length > 0) open(rows[0]!.id)
  }

  return (
    <Spotlight.Root
      query={query}
      onQueryChange={setQuery}
      shortcut={['mod + K']}
      // Ctrl+K works even while the cursor is in a form field: it is not a text-editing key.
      tagsToIgnore={[]}
      onSpotlightOpen={() => setOpened(true)}
      onSpotlightClose={() => setOpened(false)}
      clearQueryOnClose
    >
      <Spotlight.Search placeholder="Name, MRN, birth date or phone" aria-label="Find a patient" onKeyDown={onKeyDown} />
      <Spotlight.ActionsList>
        {rows.map((p) => (
          <Spotlight.Action
            key={p.id}
            label={`${p.lastName}, ${p.firstName}`}
            description={`${p.mrn} · born ${formatDob(p.dateOfBirth, today)}${p.phone ? ` · ${p.phone}` : ''}`}
            onClick={() => navigate(`/patients/${p.id}`)}
          />
        ))}
        {query.trim() !== '' && rows.length === 0 && !hits.isFetching && <Spotlight.Empty>No patient matches “{query}”.</Spotlight.Empty>}
        {query.trim() === '' && <Spotlight.Empty>Type part of a name (any order), an MRN, a birth date or a phone number.</Spotlight.Empty>}
      </Spotlight.ActionsList>
    </Spotlight.Root>
  )
}
