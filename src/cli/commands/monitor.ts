/**
 * `ptp monitor`: the current data (a data file or `ptp serve`'s request log) in chunks against a reference — data
 * drift, prediction drift, realized and CBPE-estimated performance, latency, alerts. `--watch SECONDS` re-reads a
 * growing log and prints new alerts; `--on-alert CMD` runs CMD (no shell) for each new alert with the alert JSON on
 * stdin and in the file $PTP_ALERT_FILE; `--fail-on` turns alerts into exit 1 for CI and cron.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import * as path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { monitor } from '../../pipeline/monitor';
import { isRegistryRef, Registry } from '../../pipeline/registry';
import type { FailOn, MonitorAlert, MonitorParams, MonitorResult } from '../../protocol/monitor';
import { labelOf } from '../data-options';
import { oneOf, onProgress, positiveInt, threadsOption } from '../options';
import { addDriftOptions, driftSelection, type DriftFlags } from '../drift-options';
import { registryDir } from '../model-refs';
import { printResult, UsageError } from '../output';

interface MonitorFlags extends DriftFlags {
  reference: string;
  current: string;
  model?: string;
  label?: string | boolean;
  labels?: string;
  idColumn?: string;
  timeColumn?: string;
  chunkSize?: number;
  chunkPeriod?: string;
  failOn?: FailOn;
  watch?: number;
  prometheus?: string;
  prometheusModel?: string;
  onAlert?: string;
  threads?: number;
  html?: string;
  json?: boolean;
}

function fmt(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

export function monitorText(r: MonitorResult): string {
  const head = ['chunk', 'rows', 'drift', 'estimated acc', 'realized acc', 'p99 ms', 'alerts'];
  const rows = r.chunks.map((c) => [
    c.start_time ? `${c.index} ${c.start_time.slice(0, 16)}` : `${c.index} rows ${c.start}–${c.end - 1}`,
    String(c.rows),
    `${c.drift.dataset_drift ? 'DRIFT' : 'no'} ${c.drift.drifted_columns}/${c.drift.columns.length}`,
    c.estimated ? `${fmt(c.estimated.accuracy)} ± ${fmt(c.estimated.sampling_error.accuracy)}` : '—',
    fmt(c.realized?.accuracy),
    fmt(c.latency?.p99_ms, 1),
    String(c.alerts.length),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const alerts = r.chunks.flatMap((c) => c.alerts.map((a) => `  chunk ${c.index}: ${a.message}`));
  return [
    `${r.chunks.length} chunks of ${r.current.file} (${r.current.kind === 'request-log' ? 'request log, ' : ''}${r.current.rows} rows) against ${r.reference.file} (${r.reference.rows} rows): ${r.alerts} alert${r.alerts === 1 ? '' : 's'}`,
    '',
    line(head),
    ...rows.map(line),
    ...(alerts.length ? ['', 'alerts:', ...alerts] : []),
    ...(r.html ? ['', `report: ${r.html}`] : []),
    ...r.assumptions.map((a) => `note: ${a}`),
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

/** Whether the alerts of `r` fail the run for `failOn`. */
export function failsOn(r: MonitorResult, failOn: FailOn | undefined): boolean {
  if (!failOn) return false;
  const alerts = r.chunks.flatMap((c) => c.alerts);
  if (failOn === 'any') return alerts.length > 0;
  if (failOn === 'drift') return alerts.some((a) => a.kind === 'drift');
  return alerts.some((a) => a.kind === 'performance');
}

/** The alerts as identity keys (chunk start + metric), to tell new ones from those already seen. */
function alertKeys(r: MonitorResult): Map<string, { chunk: MonitorResult['chunks'][number]; alert: MonitorAlert }> {
  const out = new Map<string, { chunk: MonitorResult['chunks'][number]; alert: MonitorAlert }>();
  for (const chunk of r.chunks) for (const alert of chunk.alerts) out.set(`${chunk.start_time ?? chunk.start}|${alert.metric}`, { chunk, alert });
  return out;
}

/** Runs `command` (split on whitespace, no shell) with the alert JSON on stdin and in $PTP_ALERT_FILE. */
async function runOnAlert(command: string, payload: unknown): Promise<number> {
  const [cmd, ...args] = command.trim().split(/\s+/);
  if (!cmd) return 0;
  const dir = await mkdtemp(path.join(tmpdir(), 'ptp-alert-'));
  const file = path.join(dir, 'alert.json');
  const json = `${JSON.stringify(payload, null, 2)}\n`;
  await writeFile(file, json);
  try {
    return await new Promise<number>((resolve) => {
      const child = spawn(cmd, args, { stdio: ['pipe', 'inherit', 'inherit'], env: { ...process.env, PTP_ALERT_FILE: file } });
      child.on('error', (e) => {
        process.stderr.write(`ptp monitor: --on-alert "${command}" could not start: ${e.message}\n`);
        resolve(127);
      });
      child.on('exit', (code) => resolve(code ?? 1));
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(json);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const periodArg = (v: string): string => {
  if (!/^\d+\s*[mhdw]$/.test(v.trim())) throw new InvalidArgumentError('expected a period such as 30m, 1h, 1d, 1w');
  return v.trim();
};

export function registerMonitorCommand(program: Command): void {
  const command = program
    .command('monitor')
    .description('Monitoring over time: the current data (a data file or the ptp serve request log) in chunks against a reference — data and prediction drift, realized and CBPE-estimated performance, latency, alerts.')
    .requiredOption('--reference <file>', 'reference data (labelled, for performance estimation): CSV/TSV, NPY/NPZ, JSONL, Parquet')
    .requiredOption('--current <file>', 'current data, or a ptp serve request log (requests.jsonl; rotated files are read too)')
    .option('--model <model>', 'the model (.onnx or NAME@VERSION / NAME@ALIAS): prediction drift, realized and estimated performance')
    .option('--label <column>', 'label column (default: auto-detected)')
    .option('--no-label', 'the data have no label column')
    .option('--labels <file>', 'labels that arrived later: a file with the id column and the label, joined to the current rows by id')
    .option('--id-column <column>', 'the id column of the current data and of --labels (a request log carries request ids)')
    .option('--time-column <column>', 'the current data file\'s time column (ISO 8601 or epoch seconds), for --chunk-period')
    .option('--chunk-size <n>', 'chunks of n rows (default: 10 chunks)', positiveInt)
    .option('--chunk-period <period>', 'chunks by time: 30m, 1h, 1d, 1w … (a request log\'s times, or --time-column)', periodArg);
  addDriftOptions(command, 'a chunk')
    .option('--fail-on <what>', 'exit 1 on alerts of this kind: drift | performance | any', oneOf(['drift', 'performance', 'any'] as const, 'drift, performance or any'))
    .option('--prometheus <url>', 'a Prometheus scraping the server: each timed chunk\'s latency and error rate from its query API')
    .option('--prometheus-model <name>', 'with --prometheus: the served model\'s name (default: the request log\'s)')
    .option('--watch <seconds>', 're-read the current data every SECONDS and report new alerts (until interrupted)', positiveInt)
    .option('--on-alert <command>', 'run this command (no shell) for each new alert: the alert JSON on stdin and in $PTP_ALERT_FILE')
    .addOption(threadsOption())
    .option('--html <file>', 'also write a self-contained HTML report (aggregates, a few hundred KB at most)')
    .option('--json', 'print one JSON document')
    .action(async (o: MonitorFlags, cmd: Command) => {
      if (o.chunkSize !== undefined && o.chunkPeriod !== undefined) throw new UsageError('monitor: give --chunk-size or --chunk-period, not both');
      if (o.labels !== undefined && o.model === undefined) throw new UsageError('monitor: --labels are compared with the model\'s predictions; give --model too');
      // --model is an option, not a model argument: its NAME@REF is resolved here.
      const model = o.model !== undefined && isRegistryRef(o.model) ? (await Registry.at(registryDir(cmd)).resolve(o.model)).file : o.model;
      const params: MonitorParams = {
        reference: o.reference,
        current: o.current,
        ...(model !== undefined ? { model } : {}),
        label: labelOf(o.label),
        ...(o.labels !== undefined ? { labels: o.labels } : {}),
        ...(o.idColumn !== undefined ? { idColumn: o.idColumn } : {}),
        ...(o.timeColumn !== undefined ? { timeColumn: o.timeColumn } : {}),
        ...(o.chunkSize !== undefined ? { chunkSize: o.chunkSize } : {}),
        ...(o.chunkPeriod !== undefined ? { chunkPeriod: o.chunkPeriod } : {}),
        ...driftSelection(o),
        ...(o.threads !== undefined ? { intraOpNumThreads: o.threads } : {}),
        ...(o.html !== undefined ? { html: o.html } : {}),
        ...(o.prometheus !== undefined ? { prometheus: o.prometheus } : {}),
        ...(o.prometheusModel !== undefined ? { prometheusModel: o.prometheusModel } : {}),
      };
      let seen = new Map<string, unknown>();
      const report = async (r: MonitorResult, first: boolean): Promise<void> => {
        const keys = alertKeys(r);
        const fresh = [...keys].filter(([k]) => !seen.has(k));
        seen = keys;
        if (!o.onAlert) return;
        for (const [, { chunk, alert }] of first || !o.watch ? [...keys] : fresh) {
          const code = await runOnAlert(o.onAlert, { alert, chunk: { index: chunk.index, start: chunk.start, end: chunk.end, start_time: chunk.start_time, end_time: chunk.end_time, drift: chunk.drift, estimated: chunk.estimated, realized: chunk.realized }, current: r.current.file, reference: r.reference.file, model: r.model });
          if (code !== 0) process.stderr.write(`ptp monitor: --on-alert exited ${code}\n`);
        }
      };
      const r = await monitor(params, { onProgress });
      printResult(r, o.json, monitorText);
      await report(r, true);
      if (!o.watch) {
        if (failsOn(r, o.failOn)) process.exitCode = 1;
        return;
      }
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      while (!stop.signal.aborted) {
        await sleep(o.watch * 1000, undefined, { signal: stop.signal }).catch(() => undefined);
        if (stop.signal.aborted) break;
        const before = new Set(seen.keys());
        const next = await monitor(params, { signal: stop.signal }).catch((e: unknown) => {
          if (stop.signal.aborted) return null;
          throw e;
        });
        if (!next) break;
        const fresh = [...alertKeys(next)].filter(([k]) => !before.has(k));
        if (o.json) process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), rows: next.current.rows, chunks: next.chunks.length, new_alerts: fresh.map(([, v]) => ({ chunk: v.chunk.index, ...v.alert })) })}\n`);
        else for (const [, v] of fresh) process.stdout.write(`${new Date().toISOString()} chunk ${v.chunk.index}: ${v.alert.message}\n`);
        await report(next, false);
      }
    });
}
