/**
 * `monitor`: the current data over time against a reference. The current rows (a data file, or `ptp serve`'s
 * request log) are cut into chunks — by rows, by period, or 10 chunks (NannyML's default) — and each chunk gets:
 * - data drift of every checked column against the whole reference: the column's kind and test are decided once
 *   on all the current rows (Evidently's choice, or the ones asked for) and kept for every chunk, so the chunks
 *   are comparable; dataset drift at the drifted share;
 * - with a model, prediction drift (the predicted class as a categorical column `prediction`), the realized
 *   performance where labels are known (a label column, or a labels file joined by id), and CBPE's estimate
 *   where the model is a classifier and the reference is labelled (src/pipeline/monitor/cbpe.ts);
 * - from a request log, the latency percentiles and error rate of its requests;
 * - alerts: dataset drift; a performance metric outside the band of the reference cut into chunks of the same
 *   size (mean ± 3σ, NannyML's default) or outside fixed bounds; an error rate of 5% or more.
 * Distributions per column (reference and each chunk, 10 bins / top values) go along for the dashboard.
 */
import { mkdtemp, open as openFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DataType, encodeNpy } from '../../core';
import type { ColumnDrift } from '../../protocol/drift';
import type { Band, ChunkDrift, ColumnDistribution, MonitorAlert, MonitorChunk, MonitorMetric, MonitorMetrics, MonitorParams, MonitorResult } from '../../protocol/monitor';
import { MONITOR_METRICS } from '../../protocol/monitor';
import { autoLabelColumn, openDataset, type DatasetSource } from '../data';
import { scoreRows, type RowScores } from '../evaluate';
import { percentile } from '../evaluate/growable';
import { modelRunnerInputs } from '../serve/model-runner';
import { throwIfAborted, type OperationContext } from '../operation';
import { outside, referenceBand } from './alerts';
import { prometheusHealth } from './prometheus';
import { fitCbpe, realizedMetrics, type CbpeFit } from './cbpe';
import { chunkByNumber, chunkByPeriod, chunkBySize, type Chunk } from './chunks';
import { compareColumn } from './drift';
import { isMissing } from './read';
import { writeMonitorHtml } from './monitor-html';
import { MonitorError } from './monitor-error';
import { logTable, readRequestLog, type LogTable } from './request-log';
import { sortFloat64 } from './sort';
import { countSample, numberSample, type CategoryKey, type ColumnSample } from './samples';

const DEFAULT_CHUNKS = 10;
const ERROR_RATE_ALERT = 0.05;
const CBPE_ASSUMPTION = 'CBPE estimates performance without labels assuming no concept drift: P(label | scores) on the current data is what it was on the reference.';

/** A column's values in row order: numbers (NaN for missing) or text. */
type Column = Float64Array | string[];

interface Table {
  readonly file: string;
  readonly rows: number;
  readonly columns: ReadonlyMap<string, Column>;
}

/** Whether `file` is a `ptp serve` request log: JSON Lines whose first record has a time, a model and outputs. */
async function isRequestLog(file: string): Promise<boolean> {
  if (!/\.jsonl(\.\d+)?$/i.test(file)) return false;
  let handle;
  try {
    handle = await openFile(file, 'r');
  } catch {
    return false;
  }
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const first = buf.subarray(0, bytesRead).toString('utf8').split('\n').find((l) => l.trim());
    if (!first) return false;
    try {
      const o = JSON.parse(first) as Record<string, unknown>;
      return typeof o.time === 'string' && typeof o.model === 'string' && Array.isArray(o.outputs);
    } catch {
      return false;
    }
  } finally {
    await handle.close();
  }
}

/** Reads `columns` of a data file in row order. */
async function readTable(source: DatasetSource, columns: readonly string[], ctx: OperationContext): Promise<Table> {
  const numbers = new Map<string, number[]>();
  const texts = new Map<string, string[]>();
  for (const c of columns) (source.kinds.get(c) === 'number' ? numbers : texts).set(c, []);
  let rows = 0;
  for await (const batch of source.batches(16384, { signal: ctx.signal })) {
    throwIfAborted(ctx.signal);
    rows += batch.rowCount;
    for (const [c, out] of numbers) for (const v of batch.columns.get(c) as Float64Array) out.push(v);
    for (const [c, out] of texts) for (const v of batch.columns.get(c) as string[]) out.push(v);
  }
  const out = new Map<string, Column>();
  for (const [c, v] of numbers) out.set(c, Float64Array.from(v));
  for (const [c, v] of texts) out.set(c, v);
  return { file: source.file, rows, columns: out };
}

/** The sample of rows [start, end) of a column, as the drift tests take it. */
function sampleOf(col: Column, start: number, end: number): { sample: ColumnSample; missing: number } {
  if (col instanceof Float64Array) {
    const part = col.subarray(start, end);
    const kept = part.filter((x) => x - x === 0);
    return { sample: numberSample(sortFloat64(Float64Array.from(kept))), missing: part.length - kept.length };
  }
  const counts = new Map<CategoryKey, number>();
  let missing = 0;
  for (let i = start; i < end; i++) {
    const v = col[i]!;
    if (isMissing(v)) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return { sample: countSample(counts), missing };
}

/** Shares of rows [start, end) per bin. */
function distribution(ref: Column, cur: Column, kind: 'numerical' | 'categorical', chunks: readonly Chunk[]): ColumnDistribution {
  if (kind === 'numerical' && ref instanceof Float64Array && cur instanceof Float64Array) {
    const finite = ref.filter((x) => x - x === 0);
    const lo = finite.reduce((a, b) => Math.min(a, b), Infinity);
    const hi = finite.reduce((a, b) => Math.max(a, b), -Infinity);
    const bins = 10;
    const width = hi > lo ? (hi - lo) / bins : 1;
    const edge = (i: number) => Number((lo + i * width).toPrecision(4));
    const labels = Array.from({ length: bins }, (_, i) => (i === 0 ? `< ${edge(1)}` : i === bins - 1 ? `≥ ${edge(bins - 1)}` : `[${edge(i)}, ${edge(i + 1)})`));
    const shares = (col: Float64Array, start: number, end: number): number[] => {
      const counts = new Array<number>(bins).fill(0);
      let n = 0;
      for (let i = start; i < end; i++) {
        const x = col[i]!;
        if (!(x - x === 0)) continue;
        counts[Math.min(bins - 1, Math.max(0, Math.floor((x - lo) / width)))]! += 1;
        n++;
      }
      return counts.map((c) => (n ? c / n : 0));
    };
    return { kind, bins: labels, reference: shares(ref, 0, ref.length), chunks: chunks.map((c) => shares(cur, c.start, c.end)) };
  }
  const text = (col: Column, i: number): string => (col instanceof Float64Array ? String(col[i]) : col[i]!);
  const refCounts = new Map<string, number>();
  for (let i = 0; i < ref.length; i++) refCounts.set(text(ref, i), (refCounts.get(text(ref, i)) ?? 0) + 1);
  const top = [...refCounts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 20).map(([v]) => v);
  const other = refCounts.size > top.length;
  const labels = [...top, ...(other ? ['other'] : [])];
  const index = new Map(top.map((v, i) => [v, i]));
  const shares = (col: Column, start: number, end: number): number[] => {
    const counts = new Array<number>(labels.length + (other ? 0 : 1)).fill(0);
    for (let i = start; i < end; i++) counts[index.get(text(col, i)) ?? top.length]! += 1;
    const n = end - start;
    return counts.slice(0, labels.length).map((c) => (n ? c / n : 0));
  };
  return { kind, bins: labels, reference: shares(ref, 0, ref.length), chunks: chunks.map((c) => shares(cur, c.start, c.end)) };
}

/** Times of a data file's time column: ISO 8601 text, or epoch seconds (ms when ≥ 1e11). */
function timesOf(col: Column | undefined, file: string, name: string): Float64Array {
  if (!col) throw new MonitorError(file, `no time column "${name}"`);
  return Float64Array.from({ length: col.length }, (_, i) => {
    const v = col[i]!;
    if (typeof v === 'number') return v >= 1e11 ? v : v * 1000;
    const t = Date.parse(v);
    if (Number.isNaN(t)) throw new MonitorError(file, `row ${i + 1}: "${v}" in "${name}" is not a time (ISO 8601, or epoch seconds)`);
    return t;
  });
}

/** Scores of the logged feature rows: the model run on them (a temp .npy in the model's input shape). */
async function scoreLogged(params: MonitorParams, table: LogTable, ctx: OperationContext): Promise<RowScores> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ptp-monitor-'));
  try {
    const file = path.join(dir, 'features.npy');
    const width = table.columns.length;
    const values = new Float32Array(table.rows * width);
    for (let j = 0; j < width; j++) for (let i = 0; i < table.rows; i++) values[i * width + j] = table.values[j]![i]!;
    const dims = [table.rows, ...table.featureShape];
    await writeFile(file, encodeNpy({ dataType: DataType.FLOAT, dims, size: values.length, values }));
    return await scoreRows({ model: params.model!, data: file, label: null, ...runtimeOf(params) } as Parameters<typeof scoreRows>[0], ctx);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runtimeOf(params: MonitorParams): Record<string, unknown> {
  return { ...(params.intraOpNumThreads !== undefined ? { intraOpNumThreads: params.intraOpNumThreads } : {}), ...(params.executionProviders ? { executionProviders: params.executionProviders } : {}) };
}

/** Labels from a labels file joined to the current rows by id; -1 where the id has no label. */
async function joinLabels(params: MonitorParams, ids: readonly string[], classNames: readonly string[], ctx: OperationContext, warnings: string[]): Promise<Int32Array> {
  const file = params.labels!;
  const source = await openDataset(file);
  const idColumn = params.idColumn ?? (source.columns.includes('id') ? 'id' : undefined);
  if (!idColumn || !source.columns.includes(idColumn)) throw new MonitorError(file, `no id column${params.idColumn ? ` "${params.idColumn}"` : ''} to join the labels by (its columns: ${source.columns.join(', ')}); name it with --id-column`);
  const labelColumn = typeof params.label === 'string' && source.columns.includes(params.label) ? params.label : autoLabelColumn(source.columns.filter((c) => c !== idColumn)) ?? source.columns.find((c) => c !== idColumn);
  if (!labelColumn) throw new MonitorError(file, 'no label column next to the id column');
  const t = await readTable(source, [idColumn, labelColumn], ctx);
  const idCol = t.columns.get(idColumn)!;
  const labCol = t.columns.get(labelColumn)!;
  const byId = new Map<string, string>();
  for (let i = 0; i < t.rows; i++) byId.set(String(idCol[i]), String(labCol[i]));
  const index = new Map(classNames.map((n, i) => [n, i]));
  let matched = 0;
  const out = Int32Array.from(ids, (id) => {
    const l = byId.get(id);
    if (l === undefined) return -1;
    matched++;
    return index.get(l) ?? index.get(String(Number(l))) ?? -1;
  });
  if (matched === 0) throw new MonitorError(file, `none of its ${t.rows} ids matches an id of the current data (e.g. "${ids[0] ?? ''}" there, "${String(idCol[0] ?? '')}" here)`);
  if (matched < ids.length) warnings.push(`${file}: labels for ${matched} of ${ids.length} current rows; the realized metrics use those`);
  return out;
}

/** Realized metrics over rows [start, end) whose label is known. */
function realizedOf(scores: RowScores, truth: Int32Array, start: number, end: number, k: number): MonitorMetrics | null {
  const keep: number[] = [];
  for (let i = start; i < end; i++) if (truth[i]! >= 0) keep.push(i);
  if (!keep.length) return null;
  const proba = new Float64Array(keep.length * k);
  const labels = new Int32Array(keep.length);
  keep.forEach((r, j) => {
    for (let c = 0; c < k; c++) proba[j * k + c] = scores.proba![r * k + c]!;
    labels[j] = truth[r]!;
  });
  return realizedMetrics(proba, labels, k);
}

export async function monitor(params: MonitorParams, ctx: OperationContext = {}): Promise<MonitorResult> {
  if (params.chunkSize !== undefined && params.chunkPeriod !== undefined) throw new MonitorError(params.current, 'give a chunk size or a chunk period, not both');
  if (params.labels !== undefined && params.model === undefined) throw new MonitorError(params.labels, 'labels are compared with predictions: give the model too');
  const warnings: string[] = [];
  ctx.onProgress?.({ message: 'Reading the reference' });
  const refSource = await openDataset(params.reference);
  const asLog = await isRequestLog(params.current);
  const label = params.label === null ? null : (params.label ?? autoLabelColumn(refSource.columns));
  if (typeof params.label === 'string' && !refSource.columns.includes(params.label)) throw new MonitorError(params.reference, `no label column "${params.label}" (its columns: ${refSource.columns.join(', ')})`);
  const excluded = new Set([...(params.excludeColumns ?? []), ...(label ? [label] : []), ...(params.idColumn ? [params.idColumn] : []), ...(params.timeColumn ? [params.timeColumn] : [])]);
  const featureColumns = (params.columns ?? refSource.columns).filter((c) => !excluded.has(c) && refSource.kinds.get(c) !== 'tensor');
  const reference = await readTable(refSource, [...new Set([...featureColumns, ...(label ? [label] : [])])], ctx);
  if (reference.rows === 0) throw new MonitorError(params.reference, 'the reference holds no rows');

  // The current rows, their columns, times, ids and (from a log) latencies.
  ctx.onProgress?.({ message: 'Reading the current data' });
  let current: Table;
  let times: Float64Array | null = null;
  let ids: string[] | null = null;
  let log: LogTable | null = null;
  let skippedLines: number | undefined;
  if (asLog) {
    const read = await readRequestLog(params.current, { signal: ctx.signal });
    skippedLines = read.skipped;
    if (read.skipped) warnings.push(`${params.current}: ${read.skipped} lines are not request records and were skipped (first at ${read.skippedAt.join(', ')})`);
    const numericFeatures = featureColumns.filter((c) => refSource.kinds.get(c) === 'number');
    log = logTable(read, { featureNames: numericFeatures });
    if (log.rows === 0) throw new MonitorError(params.current, read.requests.length ? `none of its ${read.requests.length} requests logged its inputs (the server ran with log_inputs: false): there is nothing to compare` : 'the log holds no requests');
    if (log.columns.some((c) => !reference.columns.has(c))) {
      throw new MonitorError(params.current, `its requests carry ${log.columns.length} values per row, the reference has ${numericFeatures.length} numeric feature columns (${numericFeatures.slice(0, 8).join(', ')}${numericFeatures.length > 8 ? ', …' : ''}): they cannot be matched`);
    }
    if (log.requestsWithoutFeatures) warnings.push(`${params.current}: ${log.requestsWithoutFeatures} requests logged no usable inputs and were left out`);
    current = { file: params.current, rows: log.rows, columns: new Map(log.columns.map((c, j) => [c, log!.values[j]!])) };
    times = log.time;
    ids = log.ids;
  } else {
    const curSource = await openDataset(params.current);
    const missing = featureColumns.filter((c) => !curSource.columns.includes(c));
    if (missing.length) throw new MonitorError(params.current, `no column ${missing.map((c) => `"${c}"`).join(', ')} of the reference ${params.reference} (its columns: ${curSource.columns.join(', ')})`);
    const extra = [label && curSource.columns.includes(label) ? label : null, params.idColumn ?? null, params.timeColumn ?? null].filter((c): c is string => c !== null);
    for (const c of extra) if (!curSource.columns.includes(c)) throw new MonitorError(params.current, `no column "${c}" (its columns: ${curSource.columns.join(', ')})`);
    current = await readTable(curSource, [...new Set([...featureColumns, ...extra])], ctx);
    if (current.rows === 0) throw new MonitorError(params.current, 'the current data holds no rows');
    if (params.timeColumn) times = timesOf(current.columns.get(params.timeColumn), params.current, params.timeColumn);
    if (params.idColumn) {
      const col = current.columns.get(params.idColumn)!;
      ids = Array.from({ length: current.rows }, (_, i) => String(col[i]));
    }
  }
  const driftColumns = asLog ? log!.columns : featureColumns;

  // Chunks of the current rows, and the reference cut to the same size (its chunks set the alert bands).
  let chunks: Chunk[];
  let chunking: MonitorResult['chunking'];
  if (params.chunkPeriod !== undefined) {
    if (!times) throw new MonitorError(params.current, 'period chunks need times: a request log, or --time-column naming the data\'s time column');
    chunks = chunkByPeriod(times, params.chunkPeriod);
    chunking = { by: 'period', period: params.chunkPeriod };
  } else if (params.chunkSize !== undefined) {
    chunks = chunkBySize(current.rows, params.chunkSize);
    chunking = { by: 'size', size: params.chunkSize };
  } else {
    chunks = chunkByNumber(current.rows, DEFAULT_CHUNKS);
    chunking = { by: 'number' };
  }
  const refChunkSize = params.chunkSize ?? Math.max(1, Math.round(current.rows / chunks.length));
  const refChunks = chunkBySize(reference.rows, refChunkSize).filter((c) => !c.partial || reference.rows < refChunkSize);

  // The model's view: scores of both, labels, CBPE.
  let refScores: RowScores | null = null;
  let curScores: RowScores | null = null;
  let curTruth: Int32Array | null = null;
  let cbpe: CbpeFit | null = null;
  const assumptions: string[] = [];
  if (params.model !== undefined) {
    ctx.onProgress?.({ message: 'Scoring the reference and the current data' });
    // Text columns cannot feed a model without string inputs: they are read as data (drift) but not fed, the way
    // evaluation treats sensitive attributes.
    const takesText = (await modelRunnerInputs(params.model)).some((i) => i.elem_type === 'STRING');
    const notFed = takesText ? [] : refSource.columns.filter((c) => refSource.kinds.get(c) === 'text' && c !== label);
    const excludeColumns = [...(params.excludeColumns ?? []), ...(params.idColumn ? [params.idColumn] : []), ...(params.timeColumn ? [params.timeColumn] : [])];
    const common = { model: params.model, bootstrap: 0, ...runtimeOf(params), excludeColumns, sensitive: notFed };
    refScores = await scoreRows({ ...common, data: params.reference, label: label ?? null } as Parameters<typeof scoreRows>[0], ctx);
    curScores = asLog ? await scoreLogged(params, log!, ctx) : await scoreRows({ ...common, data: params.current, label: label && current.columns.has(label) ? label : null } as Parameters<typeof scoreRows>[0], ctx);
    if (curScores.rows !== current.rows) throw new MonitorError(params.current, `the model scored ${curScores.rows} rows of ${current.rows}`);
    if (refScores.task === 'classification' && refScores.proba && curScores.proba) {
      const k = refScores.classNames!.length;
      if (curScores.truth) curTruth = curScores.truth as Int32Array;
      else if (params.labels !== undefined) {
        if (!ids) throw new MonitorError(params.current, 'labels are joined by id: name the id column with --id-column (a request log carries request ids)');
        curTruth = await joinLabels(params, ids, refScores.classNames!, ctx, warnings);
      }
      if (refScores.truth) {
        cbpe = fitCbpe(refScores.proba, refScores.truth as Int32Array, k);
        assumptions.push(CBPE_ASSUMPTION);
      } else warnings.push(`${params.reference}: no label column, so no performance estimate (CBPE calibrates on a labelled reference)`);
    } else if (refScores.task === 'regression') warnings.push('the model is a regressor: CBPE estimates classifiers only; realized metrics are not computed for regression in this version');
  }
  const k = refScores?.classNames?.length ?? 0;
  const predictedText = (s: RowScores): string[] => Array.from(s.predicted as ArrayLike<number>, (p) => (s.classNames ? s.classNames[p]! : String(p)));
  const refColumns = new Map(reference.columns);
  const curColumns = new Map(current.columns);
  const checked = [...driftColumns];
  if (refScores && curScores && refScores.task === 'classification') {
    refColumns.set('prediction', predictedText(refScores));
    curColumns.set('prediction', predictedText(curScores));
    checked.push('prediction');
  }

  // Each column's kind and test, decided once on all rows, then kept for every chunk.
  ctx.onProgress?.({ message: 'Drift per chunk' });
  const decided = new Map<string, ColumnDrift>();
  const refSamples = new Map<string, ColumnSample>();
  const files = { reference: params.reference, current: params.current };
  for (const c of checked) {
    const r = sampleOf(refColumns.get(c)!, 0, reference.rows);
    const all = sampleOf(curColumns.get(c)!, 0, current.rows);
    const d = compareColumn({ ...params, current: params.current, ...(c === 'prediction' ? { categorical: [...(params.categorical ?? []), 'prediction'] } : {}) }, c, r.sample, all.sample, files, warnings, { reference: r.missing, current: all.missing });
    if (!d) continue;
    decided.set(c, d);
    refSamples.set(c, r.sample);
  }
  if (!decided.size) throw new MonitorError(params.current, `no column to compare${warnings.length ? ` (${warnings.slice(-3).join('; ')})` : ''}`);
  const driftShare = params.driftShare ?? 0.5;

  // Bands from the reference chunks.
  const bands: Partial<Record<MonitorMetric, Band>> = {};
  if (refScores?.proba && refScores.truth) {
    const values = refChunks.map((c) => realizedMetrics(refScores!.proba!.subarray(c.start * k, c.end * k), (refScores!.truth as Int32Array).subarray(c.start, c.end), k));
    for (const m of MONITOR_METRICS) {
      const fixed = params.alertBounds?.[m];
      const band = referenceBand(values.map((v) => v[m]));
      if (fixed) bands[m] = { mean: band?.mean ?? NaN, std: band?.std ?? NaN, lower: fixed.lower ?? null, upper: fixed.upper ?? null };
      else if (band && refChunks.length >= 2) bands[m] = band;
    }
    const flat = MONITOR_METRICS.filter((m) => bands[m] && bands[m]!.std === 0 && !params.alertBounds?.[m]);
    if (flat.includes('accuracy')) warnings.push(`${params.reference}: the model's ${flat.join(', ')} are the same on every reference chunk (the reference is predicted perfectly — is it the training data?), so the alert band has no width and any chunk below it alerts; a held-out reference gives a band to compare with`);
    if (refChunks.length < 2 && !params.alertBounds) warnings.push(`${params.reference}: ${reference.rows} rows make ${refChunks.length} chunk of ${refChunkSize}; performance alerts need at least 2 reference chunks (or fixed bounds)`);
  }

  const out: MonitorChunk[] = [];
  for (const chunk of chunks) {
    throwIfAborted(ctx.signal);
    const chunkWarnings: string[] = [];
    const columns: ColumnDrift[] = [];
    for (const [c, d] of decided) {
      const s = sampleOf(curColumns.get(c)!, chunk.start, chunk.end);
      const r = compareColumn({ ...params, current: params.current }, c, refSamples.get(c)!, s.sample, files, chunkWarnings, undefined, { kind: d.kind, stattest: d.stattest });
      if (r) columns.push(r);
    }
    const drifted = columns.filter((c) => c.drift).length;
    const share = columns.length ? drifted / columns.length : 0;
    const drift: ChunkDrift = { dataset_drift: columns.length > 0 && share >= driftShare, drift_share: driftShare, drifted_columns: drifted, share_of_drifted_columns: share, columns };
    const rows = chunk.end - chunk.start;
    const realized = curScores?.proba && curTruth ? realizedOf(curScores, curTruth, chunk.start, chunk.end, k) : null;
    let estimated: MonitorChunk['estimated'] = null;
    if (cbpe && curScores?.proba) estimated = { ...cbpe.estimate(curScores.proba.subarray(chunk.start * k, chunk.end * k), rows), sampling_error: cbpe.samplingError(rows) };
    let latency: MonitorChunk['latency'] = null;
    if (log) {
      const lat = log.latencyMs.subarray(chunk.start, chunk.end).filter((x) => x - x === 0);
      const requests = new Set(log.requestIndex.subarray(chunk.start, chunk.end)).size;
      let failed = 0;
      for (let i = chunk.start; i < chunk.end; i++) if (log.status[i]! >= 400) failed++;
      latency = { p50_ms: percentile(lat, 0.5), p99_ms: percentile(lat, 0.99), error_rate: rows ? failed / rows : 0, requests, source: 'request-log' };
    }
    if (params.prometheus && times) {
      const model = params.prometheusModel ?? log?.model;
      if (!model) throw new MonitorError(params.prometheus, 'name the served model whose metrics to read (prometheusModel)');
      const health = await prometheusHealth(params.prometheus, model, chunk.period ? Date.parse(chunk.period.start) : times[chunk.start]!, chunk.period ? Math.min(Date.parse(chunk.period.end), Date.now()) : times[chunk.end - 1]!);
      if (health) latency = { ...health, source: 'prometheus' };
      else chunkWarnings.push(`Prometheus ${params.prometheus} has no requests of "${model}" for this chunk's time`);
    }
    const alerts: MonitorAlert[] = [];
    if (drift.dataset_drift) alerts.push({ kind: 'drift', metric: 'dataset_drift', value: true, message: `dataset drift: ${drifted} of ${columns.length} columns drifted (${columns.filter((c) => c.drift).map((c) => c.name).slice(0, 5).join(', ')}${drifted > 5 ? ', …' : ''})` });
    for (const [what, metrics] of [['estimated', estimated], ['realized', realized]] as const) {
      if (!metrics) continue;
      for (const m of MONITOR_METRICS) {
        const band = bands[m];
        const v = metrics[m];
        if (band && outside(v, band)) alerts.push({ kind: 'performance', metric: `${what}.${m}`, value: v!, lower: band.lower, upper: band.upper, message: `${what} ${m} ${v!.toFixed(3)} is outside [${band.lower?.toFixed(3) ?? '−∞'}, ${band.upper?.toFixed(3) ?? '∞'}]` });
      }
    }
    if (latency && latency.error_rate >= ERROR_RATE_ALERT) alerts.push({ kind: 'latency', metric: 'latency.error_rate', value: latency.error_rate, upper: ERROR_RATE_ALERT, message: `${(latency.error_rate * 100).toFixed(1)}% of the requests failed` });
    const startTime = chunk.period?.start ?? (times ? new Date(times[chunk.start]!).toISOString() : undefined);
    const endTime = chunk.period?.end ?? (times ? new Date(times[chunk.end - 1]!).toISOString() : undefined);
    out.push({ index: chunk.index, start: chunk.start, end: chunk.end, rows, ...(startTime ? { start_time: startTime } : {}), ...(endTime ? { end_time: endTime } : {}), drift, realized, estimated, latency, alerts });
    for (const w of chunkWarnings) if (!warnings.includes(w)) warnings.push(`chunk ${chunk.index}: ${w}`);
  }

  const distributions: Record<string, ColumnDistribution> = {};
  for (const [c, d] of decided) distributions[c] = distribution(refColumns.get(c)!, curColumns.get(c)!, d.kind, chunks);
  const result: MonitorResult = {
    reference: {
      file: params.reference,
      rows: reference.rows,
      chunks: refChunks.length,
      metrics: refScores?.proba && refScores.truth ? realizedMetrics(refScores.proba, refScores.truth as Int32Array, k) : null,
      bands,
      calibrated: cbpe ? [...cbpe.calibrated] : null,
    },
    current: { file: params.current, kind: asLog ? 'request-log' : 'data', rows: current.rows, ...(asLog ? { skipped_lines: skippedLines ?? 0, requests_without_features: log!.requestsWithoutFeatures } : {}) },
    model: params.model ?? null,
    task: refScores?.task ?? null,
    class_names: refScores?.classNames ?? null,
    chunking,
    chunks: out,
    distributions,
    alerts: out.reduce((s, c) => s + c.alerts.length, 0),
    assumptions,
    warnings: [...refSource.notes.map((n) => `${params.reference}: ${n}`), ...warnings],
  };
  if (params.html === undefined) return result;
  await writeMonitorHtml(result, params.html);
  return { ...result, html: path.resolve(params.html) };
}
