export type CsvCell = string | number | null;

// A spreadsheet runs a cell that starts with one of these as a formula
// (CSV injection): such text gets a leading apostrophe, which shows it as
// text. Numbers are written as numbers and never prefixed.
const FORMULA_START = /^[=+\-@\t\r]/;

// A plain decimal such as "-1250.00" (money from minorToDecimal, exact where a
// JS number would not be) is a number to a spreadsheet, never a formula.
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** One cell, RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (PLAIN_DECIMAL.test(value)) return value;
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A whole CSV file: a header row, then the rows, CRLF line ends (RFC 4180),
 * with a UTF-8 byte order mark so Excel reads Chinese text as Chinese.
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
