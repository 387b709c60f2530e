// Spreadsheet apps run a cell that starts with one of these as a formula (CSV injection); tab and CR are on
// OWASP's list too. A leading apostrophe makes them show the text as typed.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field per RFC 4180 (quoted when it holds a comma, quote or line break), formula-safe. */
export function csvField(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : neutralizeFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated as RFC 4180 asks. */
export function csvRecord(fields: Array<string | number>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
