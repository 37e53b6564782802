import { Badge, Button, Group, Loader, Modal, PasswordInput, Select, Stack, Switch, Table, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { ROLES, ROLE_LABELS } from '../../../shared/roles'
import { CreateUser, Password, type User } from '../../../shared/schemas/users'
import { run, useChannel, useRefreshAfter } from '../../data'
import { ErrorPanel } from '../../components/ErrorPanel'
import { focusFirstError, showApiError, validateWith } from '../../forms'
import { useClinicClock } from '../../clinicClock'

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))

export default function UsersScreen() {
  const clock = useClinicClock()
  const users = useChannel('users.list', {})
  const [adding, setAdding] = useState(false)
  const [editing, setEditing] = useState<User | null>(null)
  const [resetting, setResetting] = useState<User | null>(null)
  if (users.isPending) return <Loader aria-label="Loading users" />
  if (users.isError) return <ErrorPanel error={users.error} />

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Users</Title>
        <Button onClick={() => setAdding(true)}>Add user</Button>
      </Group>
      <Table striped aria-label="Users">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>User name</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.data.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.displayName}</Table.Td>
              <Table.Td>{u.username}</Table.Td>
              <Table.Td>{ROLE_LABELS[u.role]}</Table.Td>
              <Table.Td>
                {!u.active ? (
                  <Badge color="gray.7">Inactive</Badge>
                ) : u.lockedUntil && u.lockedUntil > new Date().toISOString() ? (
                  <Badge color="red.9">Locked until {clock.dateTime(u.lockedUntil)}</Badge>
                ) : (
                  <Badge color="teal.9">Active</Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap="xs">
                  <Button size="xs" variant="default" onClick={() => setEditing(u)} aria-label={`Edit ${u.displayName}`}>
                    Edit
                  </Button>
                  <Button size="xs" variant="default" onClick={() => setResetting(u)} aria-label={`Reset password of ${u.displayName}`}>
                    Reset password
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add user">
        <AddUserForm onDone={() => setAdding(false)} />
      </Modal>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title="Edit user">
        {editing && <EditUserForm user={editing} onDone={() => setEditing(null)} />}
      </Modal>
      <Modal opened={resetting !== null} onClose={() => setResetting(null)} title={`New password for ${resetting?.displayName ?? ''}`}>
        {resetting && <ResetPasswordForm user={resetting} onDone={() => setResetting(null)} />}
      </Modal>
    </Stack>
  )
}

function AddUserForm({ onDone }: { onDone: () => void }) {
  const refreshAfter = useRefreshAfter()
  const form = useForm({
    initialValues: { displayName: '', username: '', role: 'frontDesk', password: '' },
    validate: validateWith(CreateUser),
  })
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        try {
          const u = await run('users.create', values as typeof values & { role: User['role'] })
          await refreshAfter('users.create')
          notifications.show({ color: 'green', title: 'User added', message: `${u.displayName} can now sign in as ${u.username}, and will choose their own password then` })
          onDone()
        } catch (err) {
          showApiError(err, form)
        }
      }, focusFirstError)}
    >
      <Stack>
        <TextInput label="Full name" required autoFocus {...form.getInputProps('displayName')} />
        <TextInput label="User name" description="Letters, digits, dot, dash or underscore" required {...form.getInputProps('username')} />
        <Select label="Role" required allowDeselect={false} data={ROLE_OPTIONS} {...form.getInputProps('role')} />
        <PasswordInput
          label="Initial password"
          description="At least 10 characters; tell the user in person. They must choose their own at their first sign-in."
          required
          {...form.getInputProps('password')}
        />
        <Group justify="flex-end">
          <Button type="submit">Add user</Button>
        </Group>
      </Stack>
    </form>
  )
}

function EditUserForm({ user, onDone }: { user: User; onDone: () => void }) {
  const refreshAfter = useRefreshAfter()
  const form = useForm({ initialValues: { displayName: user.displayName, role: user.role as string, active: user.active } })
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        try {
          await run('users.update', { id: user.id, version: user.version, displayName: values.displayName, role: values.role as User['role'], active: values.active })
          await refreshAfter('users.update')
          onDone()
        } catch (err) {
          showApiError(err, form)
        }
      }, focusFirstError)}
    >
      <Stack>
        <TextInput label="Full name" required {...form.getInputProps('displayName')} />
        <Select label="Role" description="A new role signs them out on every workstation; they sign in again with it." allowDeselect={false} data={ROLE_OPTIONS} {...form.getInputProps('role')} />
        <Switch label="Active (can sign in)" description="Turning it off signs them out on every workstation at once." {...form.getInputProps('active', { type: 'checkbox' })} />
        <Group justify="flex-end">
          <Button type="submit">Save</Button>
        </Group>
      </Stack>
    </form>
  )
}

function ResetPasswordForm({ user, onDone }: { user: User; onDone: () => void }) {
  const refreshAfter = useRefreshAfter()
  const form = useForm({ initialValues: { password: '' }, validate: { password: (v) => (Password.safeParse(v).success ? null : 'At least 10 characters') } })
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async ({ password }) => {
        try {
          await run('users.resetPassword', { id: user.id, password })
          await refreshAfter('users.resetPassword')
          notifications.show({ color: 'green', title: 'Password set', message: `${user.displayName} is signed out everywhere, their account is unlocked, and they choose their own password at their next sign-in` })
          onDone()
        } catch (err) {
          showApiError(err, form)
        }
      }, focusFirstError)}
    >
      <Stack>
        <PasswordInput
          label="New password"
          description="Signs them out on every workstation. Tell them in person; they must choose their own at their next sign-in."
          required
          autoFocus
          {...form.getInputProps('password')}
        />
        <Group justify="flex-end">
          <Button type="submit">Set password</Button>
        </Group>
      </Stack>
    </form>
  )
}
