/** Small inputs the clinical screens share: yes / no / not known, and a number that may be empty. */
import { Group, NumberInput, Radio, type NumberInputProps } from '@mantine/core'

const TRI = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
  { value: 'unknown', label: 'Not known' },
] as const

/** Yes / No / Not known as a labelled radio group (arrow keys change it); null is "not known". */
export function YesNoUnknown({ label, description, value, onChange, error }: { label: string; description?: string; value: boolean | null; onChange: (v: boolean | null) => void; error?: string }) {
  return (
    <Radio.Group
      label={label}
      description={description}
      error={error}
      value={value === null ? 'unknown' : value ? 'yes' : 'no'}
      onChange={(v) => onChange(v === 'yes' ? true : v === 'no' ? false : null)}
    >
      <Group gap="md" mt={4}>
        {TRI.map((o) => (
          <Radio key={o.value} value={o.value} label={o.label} />
        ))}
      </Group>
    </Radio.Group>
  )
}

/** A NumberInput whose empty state is null rather than ''. */
export function OptionalNumber({ value, onChange, ...props }: Omit<NumberInputProps, 'value' | 'onChange'> & { value: number | null; onChange: (v: number | null) => void }) {
  return (
    <NumberInput
      {...props}
      value={value ?? ''}
      onChange={(v) => {
        if (v === '' || v === '-') onChange(null)
        else onChange(typeof v === 'number' ? v : Number(v))
      }}
    />
  )
}
