/**
 * `npm run bench -- prune [--sparsities 0.25,0.5,0.75] [--batch 1,32] [--latency-runs 50] [--keep]`
 *
 * Structured pruning of two generated float32 models in a temp folder:
 *   mlp  x[N,256] → Gemm(256→1024) → Relu → Gemm(1024→1024) → Relu → Gemm(1024→10)
 *   cnn  x[N,3,32,32] → Conv(3→64) → Relu → Conv(64→128) → Relu → Conv(128→128) → Relu → GlobalAveragePool
 *        → Flatten → Gemm(128→10)                                          (3×3 convolutions, padding 1)
 * For each model and each sparsity (fraction of channels removed), in fresh processes:
 *   prune     `prune({ method: 'structured' })` wall time (no data, no latency), parameters and size of the output
 *   latency   onnxruntime session.run p50 of the unpruned and each pruned model, same inputs, threads and batch sizes
 * and prints one table with the pruned / unpruned ratios side by side, then one JSON line.
 */
import { statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import Long from 'long';
import { onnx } from '../src/core/proto/onnx';
import { prune } from '../src/pipeline/prune';
import { eachFlag, parseOrUsage } from './args';
import { killChildren, measureInChild, type ChildReport, type Variant } from './child';
import { fmtBytes, fmtMs, table } from './format';
import { p50ByBatch } from './latency';
import { withScratchDir, xorshift } from './util';

export const description = 'structured pruning of a generated MLP and CNN at 25/50/75% channels: prune time, size, latency vs unpruned';

const BENCH = 'prune';

interface Spec {
  readonly name: string;
  /** Input dims after the batch dimension. */
  readonly input: readonly number[];
  readonly write: (file: string) => number;
  readonly what: string;
}

const L = (n: number) => Long.fromNumber(n);

/** Kaiming-like weights: uniform in ±sqrt(6 / fanIn), deterministic. */
function weights(n: number, fanIn: number, seed: number): Float32Array {
  const next = xorshift(seed);
  const a = Math.sqrt(6 / fanIn);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (next() * 2 - 1) * a;
  return out;
}

function tensor(name: string, dims: readonly number[], values: Float32Array): onnx.TensorProto.$Properties {
  return { name, dims: dims.map(L), dataType: 1, rawData: new Uint8Array(values.buffer) };
}

function save(file: string, name: string, nodes: onnx.NodeProto.$Properties[], inits: onnx.TensorProto.$Properties[], input: readonly number[], out: number): number {
  const vi = (n: string, dims: readonly number[]) => ({
    name: n,
    type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, ...dims.map((d) => ({ dimValue: L(d) }))] } } },
  });
  const bytes = onnx.ModelProto.encode({
    irVersion: L(8),
    opsetImport: [{ domain: '', version: L(17) }],
    producerName: 'ptp-bench',
    graph: { name, node: nodes, initializer: inits, input: [vi('x', input)], output: [vi('y', [out])] },
  }).finish();
  writeFileSync(file, bytes);
  return bytes.length;
}

function writeMlp(file: string): number {
  const widths = [256, 1024, 1024, 10];
  const nodes: onnx.NodeProto.$Properties[] = [];
  const inits: onnx.TensorProto.$Properties[] = [];
  let prev = 'x';
  for (let i = 0; i + 1 < widths.length; i++) {
    const [k, n] = [widths[i]!, widths[i + 1]!];
    const last = i + 2 === widths.length;
    inits.push(tensor(`fc${i}.weight`, [n, k], weights(n * k, k, 11 + i)), tensor(`fc${i}.bias`, [n], weights(n, k, 51 + i)));
    nodes.push({ name: `fc${i}`, opType: 'Gemm', input: [prev, `fc${i}.weight`, `fc${i}.bias`], output: [last ? 'y' : `g${i}`], attribute: [{ name: 'transB', type: 2, i: L(1) }] });
    if (!last) nodes.push({ name: `relu${i}`, opType: 'Relu', input: [`g${i}`], output: [`h${i}`] });
    prev = `h${i}`;
  }
  return save(file, 'mlp', nodes, inits, [256], 10);
}

function writeCnn(file: string): number {
  const channels = [3, 64, 128, 128];
  const nodes: onnx.NodeProto.$Properties[] = [];
  const inits: onnx.TensorProto.$Properties[] = [];
  let prev = 'x';
  for (let i = 0; i + 1 < channels.length; i++) {
    const [cin, cout] = [channels[i]!, channels[i + 1]!];
    inits.push(tensor(`conv${i}.weight`, [cout, cin, 3, 3], weights(cout * cin * 9, cin * 9, 21 + i)), tensor(`conv${i}.bias`, [cout], weights(cout, cin * 9, 61 + i)));
    nodes.push({
      name: `conv${i}`,
      opType: 'Conv',
      input: [prev, `conv${i}.weight`, `conv${i}.bias`],
      output: [`c${i}`],
      attribute: [
        { name: 'kernel_shape', type: 7, ints: [L(3), L(3)] },
        { name: 'pads', type: 7, ints: [L(1), L(1), L(1), L(1)] },
      ],
    });
    nodes.push({ name: `relu${i}`, opType: 'Relu', input: [`c${i}`], output: [`r${i}`] });
    prev = `r${i}`;
  }
  const last = channels[channels.length - 1]!;
  nodes.push({ name: 'pool', opType: 'GlobalAveragePool', input: [prev], output: ['p'] });
  nodes.push({ name: 'flatten', opType: 'Flatten', input: ['p'], output: ['f'] });
  inits.push(tensor('fc.weight', [10, last], weights(10 * last, last, 31)), tensor('fc.bias', [10], weights(10, last, 71)));
  nodes.push({ name: 'fc', opType: 'Gemm', input: ['f', 'fc.weight', 'fc.bias'], output: ['y'], attribute: [{ name: 'transB', type: 2, i: L(1) }] });
  return save(file, 'cnn', nodes, inits, [3, 32, 32], 10);
}

const SPECS: readonly Spec[] = [
  { name: 'mlp', input: [256], write: writeMlp, what: 'Gemm 256→1024→1024→10 with Relu' },
  { name: 'cnn', input: [3, 32, 32], write: writeCnn, what: 'Conv 3→64→128→128 (3×3) with Relu → GlobalAveragePool → Gemm 128→10 on 32×32' },
];

export const variants: Record<string, Variant> = {
  async prune([model, out, sparsity]) {
    const r = await prune({ model: model!, output: out!, method: 'structured', sparsity: Number(sparsity), latency: false });
    return {
      params_before: r.params_before,
      params_after: r.params_after,
      size_before: r.size_bytes_before,
      size_after: r.size_bytes_after,
      channels: r.layers.filter((l) => l.channels_before !== undefined).map((l) => `${l.name} ${l.channels_before}→${l.channels_after}`),
      timings: r.timings,
    };
  },
  latency([model, dims, batches, runs]) {
    const shape = dims!.split(',').map(Number);
    const per = shape.reduce((a, b) => a * b, 1);
    return p50ByBatch(model!, batches!.split(',').map(Number), Number(runs), 5, (b) => ({ data: weights(b * per, 1, 5), dims: [b, ...shape] }));
  },
};

interface Options {
  sparsities: number[];
  batches: number[];
  latencyRuns: number;
  keep: boolean;
}

const USAGE = 'usage: npm run bench -- prune [--sparsities 0.25,0.5,0.75] [--batch 1,32] [--latency-runs 50] [--keep]';

function parseArgs(args: readonly string[]): Options {
  const o: Options = { sparsities: [0.25, 0.5, 0.75], batches: [1, 32], latencyRuns: 50, keep: false };
  eachFlag(args, (a, value) => {
    const list = () => {
      const xs = value().split(',').map(Number);
      if (xs.some((x) => !Number.isFinite(x) || x <= 0)) throw new Error(`${a} needs comma-separated positive numbers`);
      return xs;
    };
    if (a === '--sparsities') {
      o.sparsities = list();
      if (o.sparsities.some((s) => s >= 1)) throw new Error('--sparsities must lie in (0, 1)');
    } else if (a === '--batch') o.batches = list().map(Math.round);
    else if (a === '--latency-runs') o.latencyRuns = Math.max(1, Math.round(list()[0]!));
    else if (a === '--keep') o.keep = true;
    else throw new Error(`unknown option '${a}'`);
  });
  return o;
}

interface Row {
  model: string;
  sparsity: number;
  prune?: ChildReport;
  file: string;
  size: number;
  params?: number;
  latency?: Record<string, number>;
  error?: string;
}

export async function run(args: readonly string[]): Promise<number> {
  const o = parseOrUsage('prune', USAGE, args, parseArgs);
  if (!o) return 2;
  console.log(`bench prune — ${description}`);
  let failed = false;
  const summary = await withScratchDir('ptp-bench-prune-', o.keep, killChildren, async (dir) => {
    console.log(`node ${process.version}, ${cpus().length} CPUs, onnxruntime p50 of ${o.latencyRuns} runs, temp folder ${dir}\n`);
    const rows: Row[] = [];
    for (const spec of SPECS) {
      const model = join(dir, `${spec.name}.onnx`);
      const bytes = spec.write(model);
      console.log(`${spec.name}: ${spec.what}, ${fmtBytes(bytes)}`);
      const base: Row = { model: spec.name, sparsity: 0, file: model, size: bytes };
      rows.push(base);
      for (const s of o.sparsities) {
        const out = join(dir, `${spec.name}.pruned-${Math.round(s * 100)}.onnx`);
        const rep = await measureInChild(BENCH, 'prune', [model, out, String(s)]);
        if (!rep.ok) {
          failed = true;
          console.log(`  ${Math.round(s * 100)}%: ERROR ${rep.error}`);
          rows.push({ model: spec.name, sparsity: s, file: out, size: NaN, error: rep.error });
          continue;
        }
        const ch = (rep.facts.channels as string[]).join(', ');
        console.log(`  ${Math.round(s * 100)}%: pruned in ${fmtMs(rep.ms)} (${ch})`);
        rows.push({ model: spec.name, sparsity: s, prune: rep, file: out, size: statSync(out).size, params: rep.facts.params_after as number });
        base.params ??= rep.facts.params_before as number;
      }
      for (const r of rows.filter((x) => x.model === spec.name && !x.error)) {
        const rep = await measureInChild(BENCH, 'latency', [r.file, spec.input.join(','), o.batches.join(','), String(o.latencyRuns)]);
        if (rep.ok) r.latency = rep.facts as Record<string, number>;
        else {
          failed = true;
          r.error = `latency: ${rep.error}`;
        }
      }
    }
    return rows;
  });

  const ratio = (a: number, b: number | undefined) => (b && Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}×` : '–');
  const lines: string[][] = [];
  for (const r of summary) {
    const base = summary.find((x) => x.model === r.model && x.sparsity === 0)!;
    const cells: string[] = [];
    for (const b of o.batches) {
      const v = r.latency?.[`p50_ms_batch_${b}`] ?? NaN;
      cells.push(Number.isFinite(v) ? `${v.toFixed(3)} ms` : '–', r.sparsity ? ratio(v, base.latency?.[`p50_ms_batch_${b}`]) : '');
    }
    lines.push([
      r.sparsity ? '' : r.model,
      r.sparsity ? `${Math.round(r.sparsity * 100)}%` : 'unpruned',
      r.prune ? fmtMs(r.prune.ms) : r.error ? 'error' : '–',
      r.params !== undefined ? String(r.params) : '–',
      r.sparsity ? ratio(r.params ?? NaN, base.params) : '',
      Number.isFinite(r.size) ? fmtBytes(r.size) : '–',
      r.sparsity ? ratio(r.size, base.size) : '',
      ...cells,
    ]);
  }
  console.log('');
  console.log(
    table(
      ['model', 'channels removed', ' prune time', ' params', ' ratio', ' size', ' ratio', ...o.batches.flatMap((b) => [` p50 batch ${b}`, ' ratio'])],
      lines,
    ),
  );
  for (const r of summary.filter((x) => x.error)) console.log(`  ${r.model} ${Math.round(r.sparsity * 100)}%: ${r.error}`);
  console.log(
    `\n${JSON.stringify({
      bench: BENCH,
      node: process.version,
      cpus: cpus().length,
      latency_runs: o.latencyRuns,
      results: summary.map((r) => ({
        model: r.model,
        sparsity: r.sparsity,
        prune_ms: r.prune ? Math.round(r.prune.ms * 10) / 10 : null,
        timings: r.prune?.facts.timings,
        params: r.params ?? null,
        size_bytes: Number.isFinite(r.size) ? r.size : null,
        latency_p50_ms: r.latency ?? null,
        error: r.error,
      })),
    })}`,
  );
  return failed ? 1 : 0;
}
