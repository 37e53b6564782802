import { z } from 'zod'
import { Id } from '../schemas/common'
import {
  LetterDraftRequest,
  LetterPdf,
  LetterPdfRequest,
  LetterView,
  LetterWorklist,
  MarkLetterInError,
  MarkLetterSent,
  PatientLetters,
  ProduceLetter,
  SignerDefaults,
} from '../schemas/letters'
import { CLINICAL_STAFF, Empty, type ChannelDef } from './define'

/**
 * Letters to the referrer (issue 19 point 4). Physicians produce them (signed in their name: the password is asked
 * again); the front desk and physicians print, export and mark them sent; managers read. A letter is on the chart
 * and on the Letters worklist, so its writes change 'chart' and 'worklists'.
 */
const SENDERS = ['frontDesk', 'physician'] as const
export const letterChannels = {
  'letters.worklist': { input: Empty, output: LetterWorklist, access: CLINICAL_STAFF, reads: ['chart', 'worklists', 'patients'] },
  'letters.forPatient': { input: z.object({ patientId: Id }), output: PatientLetters, access: CLINICAL_STAFF, reads: ['chart', 'worklists', 'patients'] },
  'letters.signerDefaults': { input: Empty, output: SignerDefaults, access: ['physician'], reads: ['chart'] },
  /** The letter as it would be signed, marked DRAFT, to read before signing (audited as a view of the record). */
  'letters.draftPdf': { input: LetterDraftRequest, output: LetterPdf, access: ['physician'] },
  'letters.produce': { input: ProduceLetter, output: LetterView, access: ['physician'], mutates: true, reauthenticate: true, changes: ['chart', 'worklists'] },
  /** The stored letter, to view, print or export (each audited as such). */
  'letters.pdf': { input: LetterPdfRequest, output: LetterPdf, access: CLINICAL_STAFF },
  'letters.markSent': { input: MarkLetterSent, output: LetterView, access: SENDERS, mutates: true, changes: ['chart', 'worklists'] },
  'letters.markEnteredInError': { input: MarkLetterInError, output: LetterView, access: ['physician', 'manager'], mutates: true, changes: ['chart', 'worklists'] },
} as const satisfies Record<string, ChannelDef>
