/**
 * Profile Model: runs the model under onnxruntime's profiler on generated inputs (one warm-up, then N runs),
 * aggregates each node's kernel time per run, reports the median per node and its share, and keeps
 * onnxruntime's trace (Chrome trace format) next to the model.
 */
import { copyFile, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openModel } from '../../core';
import type { NodeTiming, ProfileParams, ProfileResult } from '../../protocol/evaluate';
import { createSession, ortVersion, toOrtTensor } from '../runtime';
import { sampleInputSpecs } from '../shared/input-specs';
import { createRng, generateTensor } from '../shared/random-inputs';
import { throwIfAborted, type OperationContext } from '../operation';

interface TraceEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly ts?: number;
  readonly dur?: number;
  readonly args?: { readonly op_name?: string };
}

export async function profileModel(params: ProfileParams, ctx: OperationContext = {}): Promise<ProfileResult> {
  const runs = Math.max(1, params.runs ?? 10);
  const level = params.graphOptimizationLevel ?? 'disabled';
  const model = await openModel(params.model);
  const proto = model.proto;
  await model.close();
  const tmp = await mkdtemp(path.join(tmpdir(), 'ptp-profile-'));
  try {
    const session = await createSession(params.model, { ...params, graphOptimizationLevel: level, enableProfiling: true, profileFilePrefix: path.join(tmp, 'ort') });
    const rng = createRng(0);
    const feeds: Record<string, ReturnType<typeof toOrtTensor>> = {};
    for (const s of sampleInputSpecs(proto, params.symbolicDimValue ?? 1)) feeds[s.name] = toOrtTensor(generateTensor(s.name, s.dataType, s.dims, rng));
    const wall: number[] = [];
    try {
      ctx.onProgress?.({ message: 'warm-up run' });
      await session.run(feeds);
      for (let i = 0; i < runs; i++) {
        throwIfAborted(ctx.signal);
        ctx.onProgress?.({ message: `profiling run ${i + 1}/${runs}`, fraction: i / runs });
        const t0 = performance.now();
        await session.run(feeds);
        wall.push(performance.now() - t0);
      }
      session.endProfiling();
    } finally {
      await session.release().catch(() => undefined);
    }
    const trace = (await readdir(tmp)).find((f) => f.endsWith('.json'));
    if (!trace) throw new Error('onnxruntime wrote no profile');
    const events = JSON.parse(await readFile(path.join(tmp, trace), 'utf8')) as TraceEvent[];
    const nodes = aggregate(events, runs);
    const out = params.outputFile ?? path.join(path.dirname(path.resolve(params.model)), `${path.basename(params.model, '.onnx')}.profile.json`);
    const staged = `${out}.${process.pid}.tmp`;
    await copyFile(path.join(tmp, trace), staged);
    await rename(staged, out);
    return {
      model: params.model,
      runs,
      run_p50_ms: median(wall),
      nodes,
      profile_file: out,
      graph_optimization_level: level,
      ort_version: ortVersion(),
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Per node: kernel time summed within each timed run (the last `runs` model_run spans; the first is the
 * warm-up), median across runs, share of the total. Exported for tests.
 */
export function aggregate(events: readonly TraceEvent[], runs: number): NodeTiming[] {
  const spans = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0)).slice(-runs);
  const perNode = new Map<string, { op: string; sums: number[]; calls: number }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name?.endsWith('_kernel_time')) continue;
    const ts = e.ts ?? 0;
    const run = spans.findIndex((s) => ts >= (s.ts ?? 0) && ts <= (s.ts ?? 0) + (s.dur ?? 0));
    if (run < 0) continue;
    const name = e.name.slice(0, -'_kernel_time'.length);
    let n = perNode.get(name);
    if (!n) perNode.set(name, (n = { op: e.args?.op_name ?? '', sums: new Array<number>(spans.length).fill(0), calls: 0 }));
    n.sums[run]! += e.dur ?? 0;
    if (run === 0) n.calls++;
  }
  const rows = [...perNode.entries()].map(([name, n]) => ({ name, op_type: n.op, p50_us: median(n.sums), calls: n.calls }));
  const total = rows.reduce((a, r) => a + r.p50_us, 0);
  return rows.map((r) => ({ ...r, share: total > 0 ? r.p50_us / total : 0 })).sort((a, b) => b.p50_us - a.p50_us);
}

function median(v: readonly number[]): number {
  if (v.length === 0) return 0;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
