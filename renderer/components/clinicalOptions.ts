/** Choices and empty values that forms on several screens share (the chart's history, the note, the visit). */
import { ODI_SECTION_COUNT } from '../../shared/clinical/scores'

export const ASA_OPTIONS = [
  { value: '', label: 'Not recorded' },
  { value: '1', label: 'ASA 1: healthy' },
  { value: '2', label: 'ASA 2: mild systemic disease' },
  { value: '3', label: 'ASA 3: severe systemic disease' },
  { value: '4', label: 'ASA 4: severe disease, constant threat to life' },
  { value: '5', label: 'ASA 5: moribund' },
  { value: '6', label: 'ASA 6: brain-dead organ donor' },
]

/** An ODI questionnaire with no section answered. */
export const emptyOdi = () => Array<number | null>(ODI_SECTION_COUNT).fill(null)
