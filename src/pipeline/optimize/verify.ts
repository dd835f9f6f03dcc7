/**
 * Checking a rewritten model against the original: both run in onnxruntime (graph optimizations off, so the
 * comparison sees our rewrite and nothing else) on the same seeded sample inputs; outputs must agree within
 * |a − b| ≤ atol + rtol·|a| per element (numpy's allclose), NaN equal to NaN, integers and strings exactly.
 */
import type { onnx } from '../../core/proto/onnx';
import type { DecodedTensor } from '../../core/tensor/types';
import type { VerificationInfo } from '../../protocol/optimize';
import type { RuntimeOptions } from '../../protocol/worker';
import { fromOrtTensor, toOrtTensor } from '../runtime/convert';
import { RuntimeError, isRuntimeError } from '../runtime/errors';
import type { OrtTensor } from '../runtime/ort';
import { createSession, ortMessage } from '../runtime/session';
import { sampleInputSpecs } from '../shared/input-specs';
import { createRng, generateTensor } from '../shared/random-inputs';

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-5 };

export interface Comparison {
  readonly ok: boolean;
  /** Largest |a − b| over the numeric outputs (Infinity when shapes, types or NaN/Inf positions differ). */
  readonly maxAbsDiff: number;
  readonly message?: string;
}

export interface VerifierOptions extends Tolerance {
  readonly symbolicDimValue?: number;
  readonly seed: number;
  readonly runtime?: RuntimeOptions;
}

/** Reference outputs of the original model, and the check of any other model file against them. */
export class OutputVerifier {
  private constructor(
    private readonly feeds: Readonly<Record<string, OrtTensor>>,
    private readonly reference: ReadonlyMap<string, DecodedTensor>,
    private readonly tolerance: Tolerance,
    private readonly runtime: RuntimeOptions,
    readonly info: VerificationInfo,
  ) {}

  /**
   * Runs the original model twice on sample inputs (symbolic dims 2, or 1 when 2 fails and no value was asked
   * for); the two runs must agree exactly.
   * Returns the verifier, or the reason outputs cannot be compared (non-tensor inputs, no tensor outputs, a
   * model onnxruntime cannot run) — other errors propagate.
   */
  static async create(file: string, proto: onnx.ModelProto.$Properties, o: VerifierOptions): Promise<OutputVerifier | { reason: string; info: VerificationInfo }> {
    const dims = o.symbolicDimValue !== undefined ? [o.symbolicDimValue] : [2, 1];
    let reason = '';
    for (const dim of dims) {
      const info: VerificationInfo = { available: false, symbolic_dim_value: dim, seed: o.seed, rtol: o.rtol, atol: o.atol, outputs: [] };
      try {
        const rng = createRng(o.seed);
        const feeds: Record<string, OrtTensor> = {};
        for (const s of sampleInputSpecs(proto, dim)) feeds[s.name] = toOrtTensor(generateTensor(s.name, s.dataType, s.dims, rng));
        const reference = await runFile(file, feeds, undefined, o.runtime ?? {});
        if (reference.size === 0) return { reason: 'no output of the model is a tensor (onnxruntime-node fetches tensors only)', info };
        const again = await runFile(file, feeds, [...reference.keys()], o.runtime ?? {});
        if ([...reference].some(([n, r]) => !compareTensors(r, again.get(n), { rtol: 0, atol: 0 }).ok)) {
          return { reason: 'the model gives different outputs on the same inputs (random operators?)', info };
        }
        return new OutputVerifier(feeds, reference, o, o.runtime ?? {}, { ...info, available: true, outputs: [...reference.keys()] });
      } catch (e) {
        if (!isRuntimeError(e)) throw e;
        reason = e.message;
        if (e.code === 'unsupported-kind' || e.code === 'unsupported-dtype' || e.code === 'ort-unavailable') break;
      }
    }
    return { reason, info: { available: false, symbolic_dim_value: dims[0]!, seed: o.seed, rtol: o.rtol, atol: o.atol, outputs: [] } };
  }

  /** Runs `file` on the same inputs and compares its outputs with the reference (failure to run = not ok). */
  async check(file: string): Promise<Comparison> {
    let got: Map<string, DecodedTensor>;
    try {
      got = await runFile(file, this.feeds, [...this.reference.keys()], this.runtime);
    } catch (e) {
      if (!isRuntimeError(e)) throw e;
      return { ok: false, maxAbsDiff: Infinity, message: e.ortMessage ?? e.message };
    }
    let maxAbsDiff = 0;
    for (const [name, ref] of this.reference) {
      const c = compareTensors(ref, got.get(name), this.tolerance);
      maxAbsDiff = Math.max(maxAbsDiff, c.maxAbsDiff);
      if (!c.ok) return { ok: false, maxAbsDiff, message: `output '${name}': ${c.message}` };
    }
    return { ok: true, maxAbsDiff };
  }
}

/** Runs a model file (optimizations off) and returns its tensor outputs (`fetches`, or all tensor outputs). */
async function runFile(file: string, feeds: Readonly<Record<string, OrtTensor>>, fetches: string[] | undefined, runtime: RuntimeOptions): Promise<Map<string, DecodedTensor>> {
  const session = await createSession(file, { ...runtime, graphOptimizationLevel: 'disabled' });
  try {
    const names = fetches ?? session.outputMetadata.filter((m) => m.isTensor).map((m) => m.name);
    const missing = names.filter((n) => !session.outputNames.includes(n));
    if (missing.length > 0) throw new RuntimeError('ort-run', `the model lost output(s) ${missing.join(', ')}`);
    if (names.length === 0) return new Map();
    let out;
    try {
      out = await session.run({ ...feeds }, names);
    } catch (e) {
      const m = ortMessage(e);
      throw new RuntimeError('ort-run', `onnxruntime failed to run ${file}: ${m}`, m);
    }
    return new Map(names.map((n) => [n, fromOrtTensor(out[n] as OrtTensor, n)]));
  } finally {
    await session.release().catch(() => undefined);
  }
}

/** Compares one output with its reference: same type and shape, values within tolerance. */
export function compareTensors(ref: DecodedTensor, got: DecodedTensor | undefined, tol: Tolerance): Comparison {
  if (!got) return { ok: false, maxAbsDiff: Infinity, message: 'missing' };
  if (got.dataType !== ref.dataType) return { ok: false, maxAbsDiff: Infinity, message: `element type ${got.dataType} instead of ${ref.dataType}` };
  if (got.dims.length !== ref.dims.length || got.dims.some((d, i) => d !== ref.dims[i])) {
    return { ok: false, maxAbsDiff: Infinity, message: `shape [${got.dims.join(', ')}] instead of [${ref.dims.join(', ')}]` };
  }
  let maxAbsDiff = 0;
  let bad = -1;
  for (let i = 0; i < ref.size; i++) {
    const a = ref.values[i]!;
    const b = got.values[i]!;
    if (typeof a === 'string' || typeof a === 'bigint') {
      if (a !== b) {
        if (typeof a === 'bigint') maxAbsDiff = Math.max(maxAbsDiff, Math.abs(Number(a) - Number(b)));
        bad = bad < 0 ? i : bad;
      }
      continue;
    }
    const x = Number(b);
    if (Number.isNaN(a) || Number.isNaN(x)) {
      if (Number.isNaN(a) !== Number.isNaN(x)) {
        maxAbsDiff = Infinity;
        bad = bad < 0 ? i : bad;
      }
      continue;
    }
    if (a === x) continue;
    const d = Math.abs(a - x);
    maxAbsDiff = Math.max(maxAbsDiff, Number.isFinite(d) ? d : Infinity);
    if (!(d <= tol.atol + tol.rtol * Math.abs(a))) bad = bad < 0 ? i : bad;
  }
  if (bad >= 0) return { ok: false, maxAbsDiff, message: `element ${bad} is ${String(got.values[bad])} instead of ${String(ref.values[bad])} (max |diff| ${maxAbsDiff})` };
  return { ok: true, maxAbsDiff };
}
