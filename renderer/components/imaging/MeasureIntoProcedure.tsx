/**
 * Saving a measured vertebra as a procedure note's heights before or after (issue 20 point 3): the patient's draft
 * procedure notes, the chosen note's treated levels, before or after. Only the points are sent
 * (imaging.measurements.saveToProcedure): the main process computes the heights from the stored image and writes them
 * through the note's own save. Heights already on the note are replaced only after the physician says so here; the
 * main process refuses otherwise (a note changed meanwhile asks the same question).
 */
import { Alert, Button, Group, NativeSelect, Radio, Stack, Text } from '@mantine/core'
import { useState } from 'react'
import type { HeightReference, SixPoints } from '../../../shared/clinical/morphometry'
import { PROCEDURE_HEIGHTS, type ProcedureHeights, type ProcedureMeasurementView } from '../../../shared/schemas/imagingViewer'
import { PROCEDURE_KIND_LABELS } from '../../../shared/schemas/procedures'
import { api, ApiError } from '../../api'
import { useChannel, useSetChannelData, useWrite } from '../../data'
import { formatDate } from '../../format'

type Walls = { anterior: number; middle: number; posterior: number }

/** The reference as a save's input takes it (a list of its own, not the screen's read-only one). */
export const referenceInput = (r: HeightReference) => (r.kind === 'adjacent' ? { kind: 'adjacent' as const, posteriorHeightsMm: [...r.posteriorHeightsMm] } : r)
const mm = (h: Walls) => `anterior ${h.anterior}, middle ${h.middle}, posterior ${h.posterior} mm`

export function MeasureIntoProcedure({ instanceId, patientId, points, reference }: { instanceId: number; patientId: number; points: SixPoints; reference: HeightReference }) {
  const notes = useChannel('procedures.listForPatient', { patientId })
  const drafts = (notes.data ?? []).filter((n) => n.status === 'draft')
  const [chosen, setChosen] = useState('')
  const [chosenLevel, setChosenLevel] = useState('')
  const [which, setWhich] = useState<ProcedureHeights>('before')
  const [asking, setAsking] = useState<{ version: number; existing: Walls } | null>(null)
  const [saved, setSaved] = useState<ProcedureMeasurementView | null>(null)
  const [failed, setFailed] = useState<string | null>(null)
  const setChannelData = useSetChannelData()
  const save = useWrite('imaging.measurements.saveToProcedure', {
    onSuccess: (m) => {
      // the note as it is now, so that its screen opens with the heights (it keeps what it read otherwise)
      setChannelData('procedures.get', { id: m.procedureId }, m.procedure)
      setSaved(m)
    },
  })
  if (notes.isSuccess && drafts.length === 0) {
    return <Alert color="blue">To save this measurement as a procedure's heights, open the procedure note for this patient: only a draft (unsigned) note can take them.</Alert>
  }
  const note = drafts.find((d) => String(d.id) === chosen) ?? drafts[0]
  const level = note?.levels.find((l) => l === chosenLevel) ?? note?.levels[0]

  const send = (version: number, replace: boolean) => {
    setAsking(null)
    save.mutate(
      { instanceId, procedureId: note!.id, version, level: level!, heights: which, points, reference: referenceInput(reference), replace },
      {
        onError: async (e) => {
          // the note was given heights there since it was read: ask, as for heights seen at once
          if (e instanceof ApiError && e.code === 'conflict' && e.fields.replace) await submit()
        },
      },
    )
  }
  async function submit() {
    setSaved(null)
    setFailed(null)
    save.reset()
    try {
      // the note as it is now: its version (a change before the heights are stored is refused) and the heights it holds
      const current = await api('procedures.get', { id: note!.id })
      const existing = current.levels.find((l) => l.level === level)?.[which === 'before' ? 'heightBefore' : 'heightAfter']
      if (existing) setAsking({ version: current.version, existing })
      else send(current.version, false)
    } catch (e) {
      setFailed(e instanceof Error ? e.message : String(e))
    }
  }

  return (
    <Stack gap="xs">
      <NativeSelect
        label="Into the procedure note"
        value={String(note?.id ?? '')}
        onChange={(e) => {
          setChosen(e.currentTarget.value)
          setAsking(null)
        }}
        data={drafts.map((d) => ({ value: String(d.id), label: `${formatDate(d.procedureDate)} ${PROCEDURE_KIND_LABELS[d.kind]} (draft, ${d.providerName})` }))}
      />
      {note && note.levels.length === 0 ? (
        <Alert color="blue">This procedure note lists no level treated yet: add the levels on the note first.</Alert>
      ) : (
        <>
          <NativeSelect
            label="Level treated"
            value={level ?? ''}
            onChange={(e) => {
              setChosenLevel(e.currentTarget.value)
              setAsking(null)
            }}
            data={(note?.levels ?? []).map((l) => ({ value: l, label: l }))}
          />
          <Radio.Group
            label="Heights"
            value={which}
            onChange={(v) => {
              setWhich(v as ProcedureHeights)
              setAsking(null)
            }}
          >
            <Group gap="md" mt={4}>
              {PROCEDURE_HEIGHTS.map((h) => (
                <Radio key={h} value={h} label={h === 'before' ? 'Before the procedure' : 'After the procedure'} />
              ))}
            </Group>
          </Radio.Group>
          <Button onClick={() => void submit()} loading={save.isPending} disabled={!note || !level || asking !== null}>
            Save as the {level ?? ''} heights {which}
          </Button>
        </>
      )}
      {asking && (
        <Alert color="yellow" title={`${level} already has heights ${which}`} data-testid="measure-replace">
          <Text size="sm">
            The note holds {mm(asking.existing)}. Replace them with the measured heights? The ones replaced stay in the record's audit.
          </Text>
          <Group gap="xs" mt="xs">
            <Button size="xs" color="yellow" onClick={() => send(asking.version, true)}>
              Replace the heights {which}
            </Button>
            <Button size="xs" variant="default" onClick={() => setAsking(null)}>
              Keep them
            </Button>
          </Group>
        </Alert>
      )}
      {save.isError && !(save.error.code === 'conflict' && save.error.fields.replace) && <Alert color="red">{save.error.message}</Alert>}
      {failed && <Alert color="red">{failed}</Alert>}
      {saved && (
        <Alert color="green" data-testid="measure-saved">
          Saved as the {saved.level} heights {saved.procedureHeights} on the procedure note of {formatDate(saved.procedure.fields.procedureDate)}: {mm(saved.heightsMm)}.
        </Alert>
      )}
    </Stack>
  )
}
