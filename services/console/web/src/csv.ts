// CSV made in the browser for the charts' export buttons: UTF-8 with a byte-order mark (so
// Excel shows Chinese), a header row, CRLF line ends and RFC 4180 quoting: the scores service's
// own encoding (a plain module the web build imports), so both give the same file.
import { toCsv, type Cell } from '../../../scores/src/http/csv';

export type { Cell };

/** "办理质量指数-2026-20261202.csv": what, the period shown, and today's date. */
export function csvName(what: string, period: string, today = new Date()): string {
  const d = `${today.getFullYear()}${String(today.getMonth() + 1).padStart(2, '0')}${String(today.getDate()).padStart(2, '0')}`;
  return `${what}-${period}-${d}.csv`;
}

export function downloadCsv(filename: string, header: string[], rows: Cell[][]): void {
  const blob = new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
