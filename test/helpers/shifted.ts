/** Shifted copies of the shipped example data, for drift and monitoring tests (written to a temp folder). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

/** Rows [from, to) of an example CSV, with `shift` applied to the named numeric columns; returns the file written. */
export function exampleSlice(example: string, dir: string, name: string, from: number, to: number, shift: Readonly<Record<string, (x: number) => number>> = {}): string {
  const [header, ...lines] = readFileSync(join(REPO_ROOT, 'examples', example), 'utf8').trimEnd().split('\n');
  const cols = header!.split(',');
  const rows = lines.slice(from, to).map((l) => {
    const cells = l.split(',');
    for (const [c, f] of Object.entries(shift)) {
      const j = cols.indexOf(c);
      if (j < 0) throw new Error(`${example} has no column ${c}`);
      cells[j] = String(Number(f(Number(cells[j])).toFixed(4)));
    }
    return cells.join(',');
  });
  const file = join(dir, name);
  writeFileSync(file, `${[header, ...rows].join('\n')}\n`);
  return file;
}
