/**
 * `npm run bench -- quantize [--layers 6] [--hidden 2048] [--rows 32] [--runs 3] [--batch 1,32] [--keep]`
 *
 * A generated MatMul-heavy model (default 6 layers of MatMul [2048×2048] → Add → Relu, float32, ≈ 100 MB) and a
 * small calibration CSV (32 rows) in a temp folder; then, each in a fresh process:
 *   quantize-dynamic / quantize-static / quantize-int4   `quantize()` wall time (phases from its `timings`), output size
 *   latency                                               onnxruntime session.run p50 of fp32, int8 dynamic, int8 static
 *                                                         (QDQ), int4 (accuracy_level 4, the default) and int4 with
 *                                                         accuracy_level 0, same inputs, threads and batch sizes
 * and prints a table, the targets (quantize ≤ 1.5 s; size ≤ 0.27× int8, ≤ 0.15× int4) with PASS/MISS and one JSON line.
 */
import { statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import Long from 'long';
import { onnx } from '../src/core/proto/onnx';
import { quantize } from '../src/pipeline/quantize';
import type { QuantizeMode, QuantizeResult } from '../src/protocol/quantize';
import { eachFlag, parseOrUsage } from './args';
import { killChildren, measureInChild, type ChildReport, type Variant } from './child';
import { fmtBytes, fmtMs, median, table } from './format';
import { p50ByBatch } from './latency';
import { withScratchDir } from './util';

export const description = 'quantize a ~100 MB MatMul chain (dynamic, static, int4): time, size, fp32 vs int8 vs int4 latency';

export const TARGETS = { quantizeMs: 1500, int8Ratio: 0.27, int4Ratio: 0.15 } as const;

const BENCH = 'quantize';

/** xorshift32 → approximately normal (sum of 4 uniforms), scaled. */
function normals(n: number, seed: number, scale: number): Float32Array {
  let x = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < 4; k++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      s += (x >>> 0) / 4294967296;
    }
    out[i] = (s - 2) * 1.7320508 * scale;
  }
  return out;
}

/** The chain model: x[N, h] → (MatMul W_i → Add b_i → Relu) × layers (no Relu after the last) → y. */
function writeChain(file: string, layers: number, hidden: number): number {
  const L = (n: number) => Long.fromNumber(n);
  const nodes: onnx.NodeProto.$Properties[] = [];
  const inits: onnx.TensorProto.$Properties[] = [];
  let prev = 'x';
  for (let i = 0; i < layers; i++) {
    const last = i === layers - 1;
    nodes.push({ name: `MatMul_${i}`, opType: 'MatMul', input: [prev, `W_${i}`], output: [`mm_${i}`] });
    nodes.push({ name: `Add_${i}`, opType: 'Add', input: [`mm_${i}`, `b_${i}`], output: [last ? 'y' : `a_${i}`] });
    if (!last) nodes.push({ name: `Relu_${i}`, opType: 'Relu', input: [`a_${i}`], output: [`h_${i}`] });
    const w = normals(hidden * hidden, 17 + i, Math.sqrt(2 / hidden));
    const b = normals(hidden, 101 + i, 0.05);
    inits.push({ name: `W_${i}`, dims: [L(hidden), L(hidden)], dataType: 1, rawData: new Uint8Array(w.buffer) });
    inits.push({ name: `b_${i}`, dims: [L(hidden)], dataType: 1, rawData: new Uint8Array(b.buffer) });
    prev = last ? 'y' : `h_${i}`;
  }
  const vi = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: L(hidden) }] } } } });
  const bytes = onnx.ModelProto.encode({
    irVersion: L(8),
    opsetImport: [{ domain: '', version: L(17) }],
    producerName: 'ptp-bench',
    graph: { name: 'chain', node: nodes, initializer: inits, input: [vi('x')], output: [vi('y')] },
  }).finish();
  writeFileSync(file, bytes);
  return bytes.length;
}

function writeCsv(file: string, rows: number, hidden: number): void {
  const v = normals(rows * hidden, 7, 1);
  const lines = [Array.from({ length: hidden }, (_, i) => `f${i}`).join(',')];
  for (let r = 0; r < rows; r++) lines.push(Array.from(v.subarray(r * hidden, (r + 1) * hidden), (x) => x.toFixed(4)).join(','));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

async function runQuantize(mode: QuantizeMode, model: string, output: string, calibration?: string, accuracyLevel?: number): Promise<Record<string, unknown>> {
  const r: QuantizeResult = await quantize({
    model,
    mode,
    output,
    calibration,
    settings: accuracyLevel !== undefined ? { accuracy_level: accuracyLevel } : {},
    latency: false,
  });
  return {
    size_before: r.size_bytes_before,
    size_after: r.size_bytes_after,
    quantized_nodes: r.quantized_nodes,
    timings: r.timings,
    worst_weight_sqnr_db: Math.min(...r.nodes.map((n) => n.weight_sqnr_db ?? Infinity)),
    worst_activation_sqnr_db: Math.min(...r.nodes.map((n) => n.activation_sqnr_db ?? Infinity)),
  };
}

export const variants: Record<string, Variant> = {
  'quantize-dynamic': ([model, out]) => runQuantize('dynamic', model!, out!),
  'quantize-static': ([model, out, csv]) => runQuantize('static', model!, out!, csv),
  'quantize-int4': ([model, out, level]) => runQuantize('int4', model!, out!, undefined, Number(level ?? 0)),
  latency([model, batches, runs, hidden]) {
    const h = Number(hidden);
    return p50ByBatch(model!, batches!.split(',').map(Number), Number(runs), 3, (b) => ({ data: normals(b * h, 3, 1), dims: [b, h] }));
  },
};

interface Options {
  layers: number;
  hidden: number;
  rows: number;
  runs: number;
  batches: number[];
  latencyRuns: number;
  keep: boolean;
}

const USAGE = `usage: npm run bench -- quantize [--layers 6] [--hidden 2048] [--rows 32] [--runs 3] [--batch 1,32] [--latency-runs 20] [--keep]`;

function parseArgs(args: readonly string[]): Options {
  const o: Options = { layers: 6, hidden: 2048, rows: 32, runs: 3, batches: [1, 32], latencyRuns: 20, keep: false };
  eachFlag(args, (a, value) => {
    const int = () => {
      const n = Number.parseInt(value(), 10);
      if (!(n > 0)) throw new Error(`${a} needs a positive integer`);
      return n;
    };
    if (a === '--layers') o.layers = int();
    else if (a === '--hidden') o.hidden = int();
    else if (a === '--rows') o.rows = int();
    else if (a === '--runs') o.runs = int();
    else if (a === '--latency-runs') o.latencyRuns = int();
    else if (a === '--batch') o.batches = value().split(',').map(Number);
    else if (a === '--keep') o.keep = true;
    else throw new Error(`unknown option '${a}'`);
  });
  return o;
}

export async function run(args: readonly string[]): Promise<number> {
  const o = parseOrUsage('quantize', USAGE, args, parseArgs);
  if (!o) return 2;
  return withScratchDir('ptp-bench-quantize-', o.keep, killChildren, async (dir) => {
    console.log(`bench quantize — ${description}`);
    console.log(`node ${process.version}, ${cpus().length} CPUs, ${o.runs} fresh-process run(s) per quantization, temp folder ${dir}\n`);
    let failed = false;
    const model = join(dir, 'chain.onnx');
    const csv = join(dir, 'calibration.csv');
    const t0 = performance.now();
    const bytes = writeChain(model, o.layers, o.hidden);
    writeCsv(csv, o.rows, o.hidden);
    console.log(`model: ${o.layers} × (MatMul ${o.hidden}×${o.hidden} → Add → Relu), ${fmtBytes(bytes)}; calibration: ${o.rows} rows (${fmtMs(performance.now() - t0)} to generate)\n`);

    const outputs: Record<string, string> = { fp32: model };
    const quant: Record<string, { runs: ChildReport[]; error?: string }> = {};
    const jobs: [string, string, string[]][] = [
      ['dynamic', 'quantize-dynamic', []],
      ['static', 'quantize-static', [csv]],
      ['int4', 'quantize-int4', ['4']],
      ['int4-level0', 'quantize-int4', ['0']],
    ];
    for (const [label, variant, extra] of jobs) {
      const out = join(dir, `chain.${label}.onnx`);
      outputs[label] = out;
      quant[label] = { runs: [] };
      for (let r = 0; r < o.runs; r++) {
        const rep = await measureInChild(BENCH, variant, [model, out, ...extra]);
        if (!rep.ok) {
          quant[label]!.error = rep.error;
          failed = true;
          console.log(`  ${label.padEnd(11)} run ${r + 1}: ERROR ${rep.error}`);
          break;
        }
        quant[label]!.runs.push(rep);
        const t = rep.facts.timings as Record<string, number>;
        console.log(`  ${label.padEnd(11)} run ${r + 1}: ${fmtMs(rep.ms)} (${Object.entries(t).map(([k, v]) => `${k.replace(/_ms$/, '')} ${fmtMs(v)}`).join(', ')}), peak RSS ${fmtBytes(rep.maxRssBytes)}`);
      }
    }

    const latency: Record<string, Record<string, number> | string> = {};
    for (const [label, file] of Object.entries(outputs)) {
      if (label !== 'fp32' && quant[label]?.error) continue;
      const rep = await measureInChild(BENCH, 'latency', [file, o.batches.join(','), String(o.latencyRuns), String(o.hidden)]);
      latency[label] = rep.ok ? (rep.facts as Record<string, number>) : `ERROR ${rep.error}`;
      if (!rep.ok) failed = true;
    }

    // Report.
    const rows: string[][] = [];
    const summary: Record<string, unknown>[] = [];
    for (const label of Object.keys(outputs)) {
      const q = quant[label];
      const size = q?.error ? NaN : statSync(outputs[label]!).size;
      const ms = q ? median(q.runs.map((x) => x.ms)) : NaN;
      const lat = latency[label];
      const cells = o.batches.map((b) => (typeof lat === 'object' ? (lat[`p50_ms_batch_${b}`] ?? NaN) : NaN));
      rows.push([
        label,
        q ? (q.error ? 'error' : fmtMs(ms)) : '–',
        Number.isFinite(size) ? fmtBytes(size) : 'error',
        Number.isFinite(size) ? `${(size / bytes).toFixed(3)}×` : '–',
        ...cells.map((c) => (Number.isFinite(c) ? `${c.toFixed(2)} ms` : '–')),
        q?.runs[0] ? String((q.runs[0].facts.worst_weight_sqnr_db as number).toFixed(1)) : '–',
      ]);
      summary.push({
        model: label,
        quantize_ms_median: q ? round(ms) : null,
        quantize_ms_runs: q?.runs.map((x) => round(x.ms)),
        timings: q?.runs[0]?.facts.timings,
        peak_rss_bytes: q?.runs.length ? Math.max(...q.runs.map((x) => x.maxRssBytes)) : undefined,
        size_bytes: Number.isFinite(size) ? size : null,
        size_ratio: Number.isFinite(size) ? round(size / bytes, 4) : null,
        latency_p50_ms: lat,
        worst_weight_sqnr_db: q?.runs[0]?.facts.worst_weight_sqnr_db,
        error: q?.error,
      });
    }
    console.log('');
    console.log(table(['model', ` quantize (median of ${o.runs})`, ' size', ' ratio', ...o.batches.map((b) => ` p50 batch ${b}`), ' worst weight SQNR dB'], rows));

    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    const dyn = summary.find((s) => s.model === 'dynamic')!;
    const st = summary.find((s) => s.model === 'static')!;
    const i4 = summary.find((s) => s.model === 'int4')!;
    const verdicts = {
      quantize_dynamic_ms: verdict((dyn.quantize_ms_median as number) <= TARGETS.quantizeMs),
      quantize_static_ms: verdict((st.quantize_ms_median as number) <= TARGETS.quantizeMs),
      int8_ratio: verdict((dyn.size_ratio as number) <= TARGETS.int8Ratio && (st.size_ratio as number) <= TARGETS.int8Ratio),
      int4_ratio: verdict((i4.size_ratio as number) <= TARGETS.int4Ratio),
    };
    console.log(`\nTargets: quantize ≤ ${fmtMs(TARGETS.quantizeMs)} (dynamic ${verdicts.quantize_dynamic_ms}, static incl. calibration and SQNR ${verdicts.quantize_static_ms}); ` +
      `size ≤ ${TARGETS.int8Ratio}× int8 ${verdicts.int8_ratio}, ≤ ${TARGETS.int4Ratio}× int4 ${verdicts.int4_ratio}`);
    console.log(`\n${JSON.stringify({ bench: BENCH, node: process.version, cpus: cpus().length, layers: o.layers, hidden: o.hidden, model_bytes: bytes, calibration_rows: o.rows, results: summary, verdicts })}`);
    if (o.keep) console.log(`\nfiles kept in ${dir}`);
    return failed ? 1 : 0;
  });
}

function round(x: number, digits = 2): number | null {
  const f = 10 ** digits;
  return Number.isFinite(x) ? Math.round(x * f) / f : null;
}
