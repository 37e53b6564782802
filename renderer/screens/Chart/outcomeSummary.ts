/** The sentence that says what the pain and ODI chart shows, for screen readers and for a glance. */
import type { PatientOutcomes } from '../../../shared/schemas/outcomes'
import { formatDate } from '../../format'

type Point = PatientOutcomes['points'][number]

function trend(points: Point[], key: 'pain' | 'odi', name: string, unit: string): string | null {
  const scored = points.filter((p) => p[key] !== null)
  if (scored.length === 0) return null
  const first = scored[0]!
  const last = scored[scored.length - 1]!
  const at = (p: Point) => `${p[key]}${unit} (${p.label}, ${formatDate(p.date)})`
  if (scored.length === 1) return `${name} ${at(first)}`
  const change = Math.round((last[key]! - first[key]!) * 10) / 10
  return `${name} from ${at(first)} to ${at(last)}, a change of ${change > 0 ? '+' : ''}${change}${unit}`
}

export function outcomeSummary(points: Point[]): string {
  const parts = [trend(points, 'pain', 'Pain', '/10'), trend(points, 'odi', 'ODI', '%')].filter(Boolean)
  if (parts.length === 0) return 'No pain or ODI score recorded yet.'
  return `${parts.join('; ')}. ${points.length} ${points.length === 1 ? 'visit' : 'visits'} scored.`
}
