import { z } from 'zod'
import { Id } from '../schemas/common'
import { AttachDocument, DocumentContent, DocumentPrinted, DocumentView, MarkDocumentInError, OpenDocument, PatientDocuments } from '../schemas/documents'
import { CLINICAL_STAFF, Ok, type ChannelDef } from './define'

/**
 * Documents on the chart (issue 19 point 3). The front desk and physicians attach and mark entered in error; every
 * clinical role sees the list; opening the content follows mayOpenDocument (shared/schemas/documents.ts), checked
 * by the service per document. Opening, printing and exporting are audited; a document is never deleted.
 */
const KEEPERS = ['frontDesk', 'physician'] as const
export const documentChannels = {
  'documents.forPatient': { input: z.object({ patientId: Id }), output: PatientDocuments, access: CLINICAL_STAFF, reads: ['chart', 'patients'] },
  'documents.attach': { input: AttachDocument, output: DocumentView, access: KEEPERS, mutates: true, changes: ['chart', 'patients'] },
  /** The content, to view or to save as a file (audited as document.view / document.export). */
  'documents.open': { input: OpenDocument, output: DocumentContent, access: KEEPERS },
  /** The viewer printed it (audited as document.print). */
  'documents.printed': { input: DocumentPrinted, output: Ok, access: KEEPERS },
  'documents.markEnteredInError': { input: MarkDocumentInError, output: DocumentView, access: ['frontDesk', 'physician', 'manager'], mutates: true, changes: ['chart', 'patients'] },
} as const satisfies Record<string, ChannelDef>
