/**
 * CSV cells that cannot run as spreadsheet formulas ("CSV injection"). Source: OWASP, "CSV Injection"
 * (https://owasp.org/www-community/attacks/CSV_Injection): a cell that begins with `=`, `+`, `-`, `@`, a tab
 * (0x09) or a carriage return (0x0D) may be evaluated by Excel, LibreOffice or Google Sheets; prefixing it with
 * a single quote makes every one of them show it as text. A patient registered as `=HYPERLINK(...)` then
 * reads as that text in the manager's spreadsheet instead of running.
 *
 * Only text is escaped: numbers the export writes as numbers (a pain change of -3) stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/

export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

/** csv-stringify's cast for strings, for writers that use it. */
export const spreadsheetSafeCast = { string: (value: string) => spreadsheetSafe(value) }
