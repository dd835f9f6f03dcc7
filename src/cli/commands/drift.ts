/** `ptp drift`: per-column data drift of a current data file against a reference (Evidently's tests, scipy's values). */
import type { Command } from 'commander';
import { drift } from '../../pipeline/monitor';
import type { DriftResult } from '../../protocol/drift';
import { addDriftOptions, driftSelection, type DriftFlags } from '../drift-options';
import { onProgress } from '../options';
import { UsageError, printResult } from '../output';

interface DriftCommandFlags extends DriftFlags {
  reference: string;
  current: string;
  model?: string;
  json?: boolean;
  html?: string;
  failOnDrift?: boolean;
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
  const command = program
    .command('drift')
    .description("Data drift: each column of a current data file against the same column of a reference (Evidently's tests and defaults, scipy's values).")
    .requiredOption('--reference <file>', 'reference data: CSV/TSV, NPY/NPZ, JSONL, Parquet')
    .requiredOption('--current <file>', 'current data, same columns');
  addDriftOptions(command, 'the data set')
    .option('--model <model>', 'prediction drift through a model (not in this version)')
    .option('--html <file>', 'also write a small self-contained HTML report')
    .option('--fail-on-drift', 'exit 1 when the data set drifts')
    .option('--json', 'print one JSON document')
    .action(async (o: DriftCommandFlags) => {
      if (o.model !== undefined) throw new UsageError('--model (prediction drift) is not available yet; compare the data columns, or a predictions file written by ptp predict as --reference/--current');
      const r = await drift(
        {
          reference: o.reference,
          current: o.current,
          ...driftSelection(o),
          ...(o.html !== undefined ? { html: o.html } : {}),
        },
        { onProgress },
      );
      printResult(r, o.json, driftText);
      if (o.failOnDrift && r.dataset_drift) process.exitCode = 1;
    });
}
