import { Alert, Button, Center, Stack } from '@mantine/core'

export function ErrorPanel({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Center component="main" h="100%" p="xl">
      <Stack maw={480}>
        <Alert color="red" title="Could not load">
          {error instanceof Error ? error.message : String(error)}
        </Alert>
        {onRetry && <Button onClick={onRetry}>Try again</Button>}
      </Stack>
    </Center>
  )
}
