import { Spotlight } from '@mantine/spotlight'
import { useState } from 'react'
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
      <Spotlight.Search placeholder="Name, MRN, birth date or phone" aria-label="Find a patient" />
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
