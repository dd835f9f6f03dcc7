/** Creating onnxruntime sessions with the pipeline's runtime options. */
import { statSync } from 'node:fs';
import type { InferenceSession } from 'onnxruntime-node';
import { OnnxError } from '../../core/errors';
import type { RuntimeOptions } from '../../protocol/worker';
import { RuntimeError } from './errors';
import { loadOrt } from './ort';

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

export interface SessionOptions extends RuntimeOptions {
  /** onnxruntime's graph optimizations (default 'all', onnxruntime's own default). */
  readonly graphOptimizationLevel?: GraphOptimizationLevel;
  /** Where onnxruntime writes the optimized model (optional). */
  readonly optimizedModelFilePath?: string;
  /** onnxruntime's profiler: a Chrome-trace JSON written at `profileFilePrefix`_<time>.json on endProfiling(). */
  readonly enableProfiling?: boolean;
  readonly profileFilePrefix?: string;
  /** Values for named symbolic dims (onnxruntime `freeDimensionOverrides`). */
  readonly freeDimensionOverrides?: Readonly<Record<string, number>>;
  /**
   * Whether idle intra-op threads busy-wait for the next run (onnxruntime's `allow_spinning`, default true). Turn it
   * off when this process has other work between runs (e.g. a data reader thread on a small machine).
   */
  readonly allowSpinning?: boolean;
}

/** The onnxruntime SessionOptions for our options (execution providers default to ['cpu']). */
export function ortSessionOptions(options: SessionOptions = {}): InferenceSession.SessionOptions {
  const providers = options.executionProviders?.length ? [...options.executionProviders] : ['cpu'];
  return {
    executionProviders: providers,
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    // Fatal only: every error reaches the caller as an exception message; ORT's own log lines would only be noise.
    logSeverityLevel: 4,
    ...(options.intraOpNumThreads && options.intraOpNumThreads > 0 ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
    ...(options.optimizedModelFilePath ? { optimizedModelFilePath: options.optimizedModelFilePath } : {}),
    ...(options.freeDimensionOverrides ? { freeDimensionOverrides: { ...options.freeDimensionOverrides } } : {}),
    ...(options.enableProfiling ? { enableProfiling: true, profileFilePrefix: options.profileFilePrefix } : {}),
    ...(options.allowSpinning === false ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
  };
}

/** Throws OnnxError('not-found') unless `modelPath` is a file: the same user error as the core's for a missing model. */
export function assertModelFile(modelPath: string): void {
  let isFile = false;
  try {
    isFile = statSync(modelPath).isFile();
  } catch {
    throw new OnnxError('not-found', 'file not found', modelPath);
  }
  if (!isFile) throw new OnnxError('not-found', 'not a file', modelPath);
}

/**
 * An onnxruntime InferenceSession for the model file. When onnxruntime refuses the model, throws
 * RuntimeError('ort-refused') carrying onnxruntime's message. Release it with `session.release()`.
 */
export async function createSession(modelPath: string, options: SessionOptions = {}): Promise<InferenceSession> {
  assertModelFile(modelPath);
  const ort = loadOrt();
  try {
    return await ort.InferenceSession.create(modelPath, ortSessionOptions(options));
  } catch (e) {
    const m = ortMessage(e);
    throw new RuntimeError('ort-refused', `onnxruntime cannot load ${modelPath}: ${m}`, m);
  }
}

/** onnxruntime's message without the noise it repeats ("Load model from … failed:"). */
export function ortMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/^Load model from .*? failed:\s*/s, '').trim();
}
