import type { documentChannels } from '../../shared/channels/documents'
import * as documents from '../services/documents'
import type { RouteTable } from './types'

export const documentRoutes: RouteTable<keyof typeof documentChannels> = {
  'documents.forPatient': (ctx, input) => documents.patientDocuments(ctx, input),
  'documents.attach': (ctx, input) => documents.attachDocument(ctx, input),
  'documents.open': (ctx, input) => documents.openDocument(ctx, input),
  'documents.printed': (ctx, input) => documents.documentPrinted(ctx, input),
  'documents.markEnteredInError': (ctx, input) => documents.markDocumentInError(ctx, input),
}
