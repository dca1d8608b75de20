/** RFC 4180 quoting; a cell a spreadsheet would run as a formula (= + - @) is prefixed with '. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document: a header row, then one row per record, each cell quoted as needed. */
export const csvDocument = <K extends string>(columns: readonly K[], rows: Iterable<Readonly<Record<K, unknown>>>): string =>
  [columns.join(','), ...[...rows].map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
