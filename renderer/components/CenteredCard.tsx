import { Center, Paper, Stack, Text, Title } from '@mantine/core'
import { useEffect, type ReactNode } from 'react'

/** The frame of the sign-in, setup and lock screens; the window's title names the step. */
export function CenteredCard({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Spine Clinic`
  }, [title])
  return (
    <Center component="main" mih="100vh" bg="gray.1" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={420} maw="100%">
        <Stack gap="md">
          <div>
            <Title order={1} size="h2">
              {title}
            </Title>
            {subtitle && (
              <Text c="gray.8" size="sm" mt={4}>
                {subtitle}
              </Text>
            )}
          </div>
          {children}
        </Stack>
      </Paper>
    </Center>
  )
}
