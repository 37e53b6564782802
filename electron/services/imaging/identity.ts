/**
 * Is the patient on the disc the chart's patient? A study is imported without asking only when both the name and
 * the birth date agree; anything else (a different or missing birth date, another family name, a given name that
 * is not the chart's) is listed in words and needs the user's explicit confirmation. Imaging centres spell names
 * their own way (capitals, no accents, "NUNEZ GARCIA^MARIA JOSE"), so case, accents, punctuation and spacing are
 * ignored, and a given name may carry more or fewer middle names than the chart's ("MARIA" for "María José").
 */
import { formatTypedDate } from '../../../shared/dates'
import type { IdentityCheck } from '../../../shared/schemas/imaging'
import { foldText } from '../../../shared/text'

export interface ChartIdentity {
  firstName: string
  lastName: string
  /** YYYY-MM-DD */
  dateOfBirth: string
}

export interface DiscIdentity {
  /** DICOM's Family^Given^Middle^Prefix^Suffix */
  patientName: string
  patientBirthDate: string | null
}

const words = (s: string) =>
  foldText(s)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '')

const sameWords = (a: string[], b: string[]) => a.length > 0 && a.join(' ') === b.join(' ')

/** One list starts the other: "maria" and "maria jose" agree, "maria" and "jose" do not. */
function givenAgrees(disc: string[], chart: string[]): boolean {
  if (disc.length === 0 || chart.length === 0) return false
  const [short, long] = disc.length <= chart.length ? [disc, chart] : [chart, disc]
  return short.every((w, i) => long[i] === w)
}

/** "Núñez-García, María José" from "Núñez-García^María José" (a name without a caret is shown as it is). */
export function displayDicomName(pn: string): string {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = pn.split('^').map((p) => p.trim())
  if (!pn.includes('^')) return pn.trim()
  const first = [prefix, given, middle].filter((p) => p !== '').join(' ')
  return [family, [first, suffix].filter((p) => p !== '').join(' ')].filter((p) => p !== '').join(', ')
}

export function nameAgrees(chart: ChartIdentity, pn: string): boolean {
  const last = words(chart.lastName)
  const first = words(chart.firstName)
  if (pn.includes('^')) {
    const [family = '', given = '', middle = ''] = pn.split('^')
    return sameWords(words(family), last) && givenAgrees(words(`${given} ${middle}`), first)
  }
  // no components: some writers put the whole name in one ("MARIA NUNEZ"): the same words in any order
  const disc = words(pn).sort()
  return sameWords(disc, [...first, ...last].sort())
}

export function compareIdentity(chart: ChartIdentity, disc: DiscIdentity): IdentityCheck {
  const differences: string[] = []
  const chartName = `${chart.lastName}, ${chart.firstName}`
  if (!disc.patientName.trim()) differences.push(`No patient name on the disc (the chart's is ${chartName})`)
  else if (!nameAgrees(chart, disc.patientName)) differences.push(`Name on the disc is ${displayDicomName(disc.patientName)}, the chart's is ${chartName}`)
  if (!disc.patientBirthDate) differences.push(`No birth date on the disc (the chart's is ${formatTypedDate(chart.dateOfBirth)})`)
  else if (disc.patientBirthDate !== chart.dateOfBirth) differences.push(`Birth date on the disc is ${formatTypedDate(disc.patientBirthDate)}, the chart's is ${formatTypedDate(chart.dateOfBirth)}`)
  return { matches: differences.length === 0, differences }
}
