/**
 * The one question before signing or recording something clinically empty (issue 23 point 2): it names each
 * missing item (shared/clinical/completeness.ts), "Go back" has the focus (Enter or Escape changes nothing) and
 * "Sign anyway" / "Record anyway" goes on. Resolves true only for the latter.
 */
import { List, Stack, Text } from '@mantine/core'
import { modals } from '@mantine/modals'

export function confirmMissing(opts: { title: string; intro: string; missing: readonly string[]; anyway: string }): Promise<boolean> {
  if (opts.missing.length === 0) return Promise.resolve(true)
  return new Promise((resolve) => {
    let answered = false
    const answer = (yes: boolean) => {
      if (answered) return
      answered = true
      resolve(yes)
    }
    modals.openConfirmModal({
      modalId: 'confirm-missing',
      title: opts.title,
      size: 'lg',
      children: (
        <Stack gap="xs">
          <Text>{opts.intro}</Text>
          <List aria-label="What is missing" spacing={4}>
            {opts.missing.map((m) => (
              <List.Item key={m}>{m}</List.Item>
            ))}
          </List>
        </Stack>
      ),
      labels: { confirm: opts.anyway, cancel: 'Go back' },
      // Go back is where the focus starts: a reflexive Enter does not sign an empty record
      cancelProps: { 'data-autofocus': true } as Record<string, unknown>,
      confirmProps: { color: 'red.9' },
      onConfirm: () => answer(true),
      onCancel: () => answer(false),
      onClose: () => answer(false),
    })
  })
}
