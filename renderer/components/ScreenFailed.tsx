/**
 * What a screen that fails to draw leaves on screen: the rest of the app (navigation, patient search, sign-out)
 * keeps working, the failure is said in words, and "Try again" draws the screen once more. Without it, one
 * screen's error blanked the whole window.
 */
import { Alert, Button, Stack, Text } from '@mantine/core'
import type { FallbackProps } from 'react-error-boundary'

export function ScreenFailed({ error, resetErrorBoundary }: FallbackProps) {
  return (
    <Stack maw={560} p="md">
      <Alert color="red" title="This screen stopped working" role="alert">
        <Text size="sm">{error instanceof Error ? error.message : String(error)}</Text>
        <Text size="sm" mt="xs">
          Nothing was saved or lost by this: what you typed in a form is kept as its draft. Try again, or open another screen from the menu.
        </Text>
      </Alert>
      <Button variant="default" onClick={resetErrorBoundary} w="fit-content">
        Try again
      </Button>
    </Stack>
  )
}
