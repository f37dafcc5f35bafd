/** Plain-text tables with padded columns, for terminal output. */

/** Rows of cells, the first row the header, columns separated by two spaces. */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const [header, ...body] = rows;
  if (header === undefined) return '';
  return (
    [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n') + '\n'
  );
}
