import type { letterChannels } from '../../shared/channels/letters'
import * as letters from '../services/letters/service'
import type { RouteTable } from './types'

export const letterRoutes: RouteTable<keyof typeof letterChannels> = {
  'letters.worklist': (ctx) => letters.letterWorklist(ctx),
  'letters.forPatient': (ctx, input) => letters.patientLetters(ctx, input),
  'letters.signerDefaults': (ctx) => letters.signerDefaults(ctx),
  'letters.draftPdf': (ctx, input) => letters.draftLetterPdf(ctx, input),
  'letters.produce': (ctx, input) => letters.produceLetter(ctx, input),
  'letters.pdf': (ctx, input) => letters.letterPdf(ctx, input),
  'letters.markSent': (ctx, input) => letters.markLetterSent(ctx, input),
  'letters.markEnteredInError': (ctx, input) => letters.markLetterInError(ctx, input),
}
