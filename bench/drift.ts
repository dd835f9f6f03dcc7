/**
 * `npm run bench -- drift [--rows N] [--runs R] [--keep]`
 *
 * Two generated CSVs (default 1,000,000 rows × 18 numerical + 1 five-valued text + 1 binary column each, the
 * current one shifted in half the numerical columns): `ptp drift` with the default tests (wasserstein /
 * jensenshannon at this size), with `ks` and `anderson` on every numerical column, against the bare read of both
 * files through the data layer (every batch, no work) — so the line between reading and testing is visible.
 * Each in a fresh process (wall time, rows/s over both files, peak RSS). Memory: 8 bytes per numerical cell
 * (the sorted columns the tests need), counts for the text columns.
 */
import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset } from '../src/pipeline/data';
import { drift } from '../src/pipeline/monitor';
import type { StatTestName } from '../src/protocol/drift';
import { killChildren, measureInChild, type ChildReport, type Variant } from './child';
import { fmtBytes, table } from './format';
import { numberArg, withScratchDir, xorshift } from './util';

export const description = 'ptp drift on two 1M-row × 20-column CSVs: default tests, ks, anderson vs a bare read';

const NUMERIC = 18;
const CATS = ['a', 'b', 'c', 'd', 'e'];

/** Box–Muller normal from two uniforms. */
function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

async function writeCsv(file: string, rows: number, seed: number, shift: number): Promise<void> {
  const r = xorshift(seed);
  const out = createWriteStream(file);
  out.write(`${[...Array.from({ length: NUMERIC }, (_, i) => `f${i}`), 'cat', 'flag'].join(',')}\n`);
  let chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    const cells: string[] = [];
    for (let j = 0; j < NUMERIC; j++) cells.push((normal(r) + (j % 2 ? shift : 0)).toFixed(3));
    cells.push(CATS[Math.floor(r() * CATS.length)]!, r() < 0.3 ? '1' : '0');
    chunk.push(cells.join(','));
    if (chunk.length === 10000) {
      if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((res) => out.once('drain', () => res()));
      chunk = [];
    }
  }
  if (chunk.length) out.write(`${chunk.join('\n')}\n`);
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
}

const read: Variant = async ([ref, cur]) => {
  const t0 = performance.now();
  let rows = 0;
  for (const f of [ref!, cur!]) for await (const b of (await openDataset(f)).batches(16384)) rows += b.rowCount;
  return { rows, loopMs: performance.now() - t0 };
};

const ours: Variant = async ([ref, cur, test]) => {
  const t0 = performance.now();
  const numerical = Array.from({ length: NUMERIC }, (_, i) => `f${i}`);
  const r = await drift({
    reference: ref!,
    current: cur!,
    ...(test && test !== 'auto' ? { columnStattests: Object.fromEntries(numerical.map((c) => [c, test as StatTestName])) } : {}),
  });
  return { rows: r.n_reference + r.n_current, loopMs: performance.now() - t0, drifted: r.drifted_columns, columns: r.n_columns };
};

export const variants: Readonly<Record<string, Variant>> = { read, ours };

export async function run(args: readonly string[]): Promise<number> {
  const rows = numberArg(args, '--rows', 1_000_000);
  const runs = numberArg(args, '--runs', 2);
  return withScratchDir('ptp-bench-drift-', args.includes('--keep'), killChildren, async (dir) => {
    const ref = join(dir, 'reference.csv');
    const cur = join(dir, 'current.csv');
    console.log(`generating 2 × ${rows.toLocaleString('en-US')} rows × ${NUMERIC + 2} columns…`);
    await writeCsv(ref, rows, 3, 0);
    await writeCsv(cur, rows, 5, 0.2);
    const jobs: [string, string, string[]][] = [
      ['bare read of both files (data layer)', 'read', [ref, cur]],
      ['ptp drift, default tests', 'ours', [ref, cur, 'auto']],
      ['ptp drift, ks on the numerical columns', 'ours', [ref, cur, 'ks']],
      ['ptp drift, anderson on the numerical columns', 'ours', [ref, cur, 'anderson']],
    ];
    const best: (ChildReport | undefined)[] = jobs.map(() => undefined);
    for (let i = 0; i < runs; i++) {
      for (const [j, [, variant, a]] of jobs.entries()) {
        const rep = await measureInChild('drift', variant, a);
        if (!rep.ok) {
          console.error(`${variant}: ${rep.error}`);
          return 1;
        }
        const prev = best[j];
        if (!prev || (rep.facts.loopMs as number) < (prev.facts.loopMs as number)) best[j] = { ...rep, maxRssBytes: Math.max(rep.maxRssBytes, prev?.maxRssBytes ?? 0) };
      }
    }
    const bytes = statSync(ref).size + statSync(cur).size;
    console.log(`data ${fmtBytes(bytes)} in two files, best of ${runs} runs each (fresh process per run)\n`);
    const lines = jobs.map(([label], j) => {
      const r = best[j]!;
      const ms = r.facts.loopMs as number;
      return [label, `${(ms / 1000).toFixed(2)} s`, Math.round((r.facts.rows as number) / (ms / 1000)).toLocaleString('en-US'), fmtBytes(r.maxRssBytes), r.facts.drifted === undefined ? '' : `${String(r.facts.drifted)}/${String(r.facts.columns)}`];
    });
    console.log(table(['variant', ' time', ' rows/s', ' peak RSS', ' drifted'], lines));
    console.log(JSON.stringify({ bench: 'drift', rows, data_bytes: bytes, results: jobs.map(([label], j) => ({ label, ms: best[j]!.facts.loopMs, peak_rss: best[j]!.maxRssBytes })) }));
    return 0;
  });
}
