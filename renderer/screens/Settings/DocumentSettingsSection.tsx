/** Settings, Documents (issue 19 point 3): the largest file that may be attached to a chart. */
import { NumberInput, Stack } from '@mantine/core'
import { DOCUMENT_MAX_MB_CEILING } from '../../../shared/schemas/documents'
import type { SettingsFormApi } from './SettingsScreen'

export function DocumentSettingsSection({ form }: { form: SettingsFormApi }) {
  return (
    <Stack>
      <NumberInput
        label="Largest document that may be attached (MB)"
        description={`1 to ${DOCUMENT_MAX_MB_CEILING}; usually 50. A larger file is refused when it is attached, naming its size and this limit. Every attached file is kept in the clinic's database, so each one makes every backup larger by its size.`}
        min={1}
        max={DOCUMENT_MAX_MB_CEILING}
        allowDecimal={false}
        maw={420}
        {...form.getInputProps('documentMaxMegabytes')}
      />
    </Stack>
  )
}
