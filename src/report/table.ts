/** Plain aligned text tables for the console and the log file: no colours, no box drawing. */

export type Align = 'left' | 'right';

export function textTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  align?: readonly Align[],
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        align?.[i] === 'right' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
