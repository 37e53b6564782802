import { z } from 'zod'
import { DOCUMENT_MAX_MB_CEILING, DOCUMENT_MAX_MB_DEFAULT } from './documents'

/** The clinic settings of documents on the chart (issue 19 point 3), spread into ClinicSettings. */
export const DocumentSettingsFields = {
  /**
   * The largest file that may be attached, in MB (1 to 100; 50 by default: a scanned multi-page letter is a few
   * MB, a long imaging report with pictures tens). Every file is kept in the database, so every backup carries it.
   */
  documentMaxMegabytes: z
    .number({ message: 'must be a number' })
    .int({ message: 'must be whole megabytes' })
    .min(1, { message: `must be 1 to ${DOCUMENT_MAX_MB_CEILING} MB` })
    .max(DOCUMENT_MAX_MB_CEILING, { message: `must be 1 to ${DOCUMENT_MAX_MB_CEILING} MB` })
    .default(DOCUMENT_MAX_MB_DEFAULT),
}
