/**
 * `npm run bench -- drift [--rows N] [--runs R] [--keep]`
 *
 * Two generated CSVs (default 1,000,000 rows × 18 numerical + 1 five-valued text + 1 binary column each, the
 * current one shifted in half the numerical columns): `ptp drift` with the default tests (wasserstein /
 * jensenshannon at this size), with `ks` and `anderson` on every numerical column, against the bare read of both
 * files through the data layer (every batch, no work) — so the line between reading and testing is visible — in
 * CSV and in Parquet, and numpy/scipy computing the same statistics on the same CSVs (bench/drift_scipy.py).
 * Each in a fresh process (wall time, rows/s over both files, peak RSS). Memory: 8 bytes per numerical cell
 * (the sorted columns the tests need), counts for the text columns.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, statSync, writeFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';
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

interface Generated {
  readonly numeric: Float64Array[];
  readonly cat: string[];
  readonly flag: Float64Array;
}

function generate(rows: number, seed: number, shift: number): Generated {
  const r = xorshift(seed);
  const numeric = Array.from({ length: NUMERIC }, () => new Float64Array(rows));
  const cat: string[] = new Array(rows);
  const flag = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    // Rounded as the CSV holds them, so both files carry the same values.
    for (let j = 0; j < NUMERIC; j++) numeric[j]![i] = Math.round((normal(r) + (j % 2 ? shift : 0)) * 1000) / 1000;
    cat[i] = CATS[Math.floor(r() * CATS.length)]!;
    flag[i] = r() < 0.3 ? 1 : 0;
  }
  return { numeric, cat, flag };
}

const HEADER = [...Array.from({ length: NUMERIC }, (_, i) => `f${i}`), 'cat', 'flag'];

async function writeCsv(file: string, g: Generated): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${HEADER.join(',')}\n`);
  let chunk: string[] = [];
  for (let i = 0; i < g.cat.length; i++) {
    const cells: string[] = [];
    for (let j = 0; j < NUMERIC; j++) cells.push(g.numeric[j]![i]!.toFixed(3));
    cells.push(g.cat[i]!, String(g.flag[i]));
    chunk.push(cells.join(','));
    if (chunk.length === 10000) {
      if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((res) => out.once('drain', () => res()));
      chunk = [];
    }
  }
  if (chunk.length) out.write(`${chunk.join('\n')}\n`);
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
}

/** The same columns as Parquet (hyparquet-writer, snappy, row groups of 100k rows). */
function writeParquet(file: string, g: Generated): void {
  const columnData = [...g.numeric.map((data, j) => ({ name: `f${j}`, data, type: 'DOUBLE' as const })), { name: 'cat', data: g.cat, type: 'STRING' as const }, { name: 'flag', data: g.flag, type: 'DOUBLE' as const }];
  writeFileSync(file, Buffer.from(parquetWriteBuffer({ columnData, rowGroupSize: 100_000 })));
}

/** numpy/scipy on the same CSVs (bench/drift_scipy.py), or why not. */
function scipyRun(ref: string, cur: string): { seconds: number; max_rss_bytes: number; drifted: number; columns: number } | string {
  const probe = spawnSync('python3', ['-c', 'import numpy, scipy'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'skipped: python3 with numpy and scipy is not installed (Debian: python3-scipy)';
  const r = spawnSync('python3', [join(__dirname, '..', 'bench', 'drift_scipy.py'), ref, cur, String(NUMERIC)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) return `failed: ${r.stderr.trim().split('\n').pop()}`;
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; max_rss_bytes: number; drifted: number; columns: number };
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
    const refPq = join(dir, 'reference.parquet');
    const curPq = join(dir, 'current.parquet');
    console.log(`generating 2 × ${rows.toLocaleString('en-US')} rows × ${NUMERIC + 2} columns (CSV and Parquet)…`);
    for (const [csv, pq, seed, shift] of [[ref, refPq, 3, 0], [cur, curPq, 5, 0.2]] as const) {
      const g = generate(rows, seed, shift);
      await writeCsv(csv, g);
      writeParquet(pq, g);
    }
    const jobs: [string, string, string[]][] = [
      ['bare read of both CSV files (data layer)', 'read', [ref, cur]],
      ['ptp drift, default tests, CSV', 'ours', [ref, cur, 'auto']],
      ['bare read of both Parquet files (data layer)', 'read', [refPq, curPq]],
      ['ptp drift, default tests, Parquet', 'ours', [refPq, curPq, 'auto']],
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
    const py = scipyRun(ref, cur);
    if (typeof py === 'string') lines.push(['numpy/scipy, same statistics, CSV (bench/drift_scipy.py)', py, '', '', '']);
    else lines.push(['numpy/scipy, same statistics, CSV (bench/drift_scipy.py)', `${py.seconds.toFixed(2)} s`, Math.round((2 * rows) / py.seconds).toLocaleString('en-US'), fmtBytes(py.max_rss_bytes), `${py.drifted}/${py.columns}`]);
    console.log(table(['variant', ' time', ' rows/s', ' peak RSS', ' drifted'], lines));
    if (typeof py !== 'string') {
      const csvMs = best[1]!.facts.loopMs as number;
      const pqMs = best[3]!.facts.loopMs as number;
      console.log(`ptp drift vs numpy/scipy on the same CSVs: ${(py.seconds / (csvMs / 1000)).toFixed(2)}× faster; Parquet: ${(pqMs / 1000).toFixed(2)} s (target ≤ 2 s)`);
    }
    console.log(JSON.stringify({ bench: 'drift', rows, data_bytes: bytes, results: jobs.map(([label], j) => ({ label, ms: best[j]!.facts.loopMs, peak_rss: best[j]!.maxRssBytes })) }));
    return 0;
  });
}
