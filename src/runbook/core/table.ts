/**
 * Tables in a step's output: the page renders `ResultTable` as a table, and the line's text keeps the same rows laid
 * out as PowerShell's Format-Table prints them, for the transcript and anyone reading the API.
 */
import type { ResultTable } from './step.ts';

/** A cell as PowerShell prints it: booleans as True / False. */
function cell(value: string | boolean): string {
  return typeof value === 'boolean' ? (value ? 'True' : 'False') : value;
}

/**
 * `table` as Format-Table text: its caption (with a colon), a header, a dashed rule, one line per row, columns padded
 * to their widest cell.
 */
export function formatTable(table: ResultTable): string {
  const widths = table.columns.map((name, i) =>
    Math.max(name.length, ...table.rows.map((row) => cell(row[i]!).length)),
  );
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join(' ');
  const lines = [
    line(table.columns),
    line(table.columns.map((name) => '-'.repeat(name.length))),
    ...table.rows.map((row) => line(row.map(cell))),
  ];
  return (table.caption ? [`${table.caption}:`, ...lines] : lines).join('\n');
}
