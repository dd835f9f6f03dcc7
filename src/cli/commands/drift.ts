/** `ptp drift`: per-column data drift of a current data file against a reference (Evidently's tests, scipy's values). */
import { InvalidArgumentError, type Command } from 'commander';
import { drift } from '../../pipeline/monitor';
import { STAT_TESTS, type DriftResult, type StatTestName } from '../../protocol/drift';
import { collect, numberArg, oneOf, onProgress } from '../options';
import { UsageError, printResult } from '../output';

interface DriftFlags {
  reference: string;
  current: string;
  columns: string[];
  exclude: string[];
  categorical: string[];
  numerical: string[];
  stattest: StatTestName | 'auto';
  threshold?: number;
  columnStattest: [string, StatTestName][];
  columnThreshold: [string, number][];
  driftShare: number;
  model?: string;
  json?: boolean;
  html?: string;
  failOnDrift?: boolean;
}

const testName = oneOf(['auto', ...STAT_TESTS] as const, 'a test');

function pair<T>(value: (v: string) => T): (v: string, prev: [string, T][]) => [string, T][] {
  return (v, prev = []) => {
    const eq = v.lastIndexOf('=');
    if (eq <= 0 || eq === v.length - 1) throw new InvalidArgumentError('expected column=value');
    return [...prev, [v.slice(0, eq), value(v.slice(eq + 1))]];
  };
}

function columnTest(v: string): StatTestName {
  const t = testName(v);
  if (t === 'auto') throw new InvalidArgumentError(`expected a test: ${STAT_TESTS.join(', ')}`);
  return t;
}

function shareArg(v: string): number {
  const n = numberArg(v);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError('expected a share in (0, 1]');
  return n;
}

function fmt(x: number | null): string {
  if (x === null) return '—';
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e-4 || x === 0 ? Number(x.toPrecision(4)).toString() : x.toExponential(2);
}

export function driftText(r: DriftResult): string {
  const head = ['column', 'kind', 'test', 'statistic', 'p-value', 'threshold', 'drift'];
  const rows = r.columns.map((c) => [c.name, c.kind, c.stattest, fmt(c.statistic), fmt(c.p_value), fmt(c.threshold), c.drift ? 'DRIFT' : 'no']);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [
    `${r.dataset_drift ? 'Dataset drift' : 'No dataset drift'}: ${r.drifted_columns} of ${r.n_columns} columns drifted (share ${fmt(r.share_of_drifted_columns)}, drift at ≥ ${r.drift_share}); reference ${r.n_reference} rows, current ${r.n_current} rows`,
    '',
    line(head),
    ...rows.map(line),
    ...(r.html ? ['', `report: ${r.html}`] : []),
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

export function registerDriftCommand(program: Command): void {
  program
    .command('drift')
    .description("Data drift: each column of a current data file against the same column of a reference (Evidently's tests and defaults, scipy's values).")
    .requiredOption('--reference <file>', 'reference data: CSV/TSV, NPY/NPZ, JSONL, Parquet')
    .requiredOption('--current <file>', 'current data, same columns')
    .option('--columns <columns>', 'check only these columns (comma-separated, repeatable)', collect, [])
    .option('--exclude <columns>', 'never check these columns (an id, the label …)', collect, [])
    .option('--categorical <columns>', 'read these columns as categorical', collect, [])
    .option('--numerical <columns>', 'read these columns as numerical', collect, [])
    .option('--stattest <test>', `auto | ${STAT_TESTS.join(' | ')}: one test for every column it applies to`, testName, 'auto')
    .option('--threshold <x>', "every test's threshold (default: the test's own: 0.05 for p-values, 0.1 for distances and anderson)", numberArg)
    .option('--column-stattest <column=test>', 'the test of one column (repeatable)', pair(columnTest), [])
    .option('--column-threshold <column=x>', 'the threshold of one column (repeatable)', pair(numberArg), [])
    .option('--drift-share <x>', 'the data set drifts when this share of the columns drift', shareArg, 0.5)
    .option('--model <model>', 'prediction drift through a model (not in this version)')
    .option('--html <file>', 'also write a small self-contained HTML report')
    .option('--fail-on-drift', 'exit 1 when the data set drifts')
    .option('--json', 'print one JSON document')
    .action(async (o: DriftFlags) => {
      if (o.model !== undefined) throw new UsageError('--model (prediction drift) is not available yet; compare the data columns, or a predictions file written by ptp predict as --reference/--current');
      const r = await drift(
        {
          reference: o.reference,
          current: o.current,
          ...(o.columns.length ? { columns: o.columns } : {}),
          excludeColumns: o.exclude,
          categorical: o.categorical,
          numerical: o.numerical,
          stattest: o.stattest,
          ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
          columnStattests: Object.fromEntries(o.columnStattest),
          columnThresholds: Object.fromEntries(o.columnThreshold),
          driftShare: o.driftShare,
          ...(o.html !== undefined ? { html: o.html } : {}),
        },
        { onProgress },
      );
      printResult(r, o.json, driftText);
      if (o.failOnDrift && r.dataset_drift) process.exitCode = 1;
    });
}
