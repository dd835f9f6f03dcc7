/**
 * The extension's settings (contributes.configuration, section `ptp`) as plain values, and what they mean
 * for worker requests. No vscode: `settings-reader.ts` feeds it from the workspace configuration.
 */
import type { RuntimeOptions, SampleParams } from '../../../protocol/worker';

export const EXECUTION_PROVIDERS = ['cpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

export interface PtpSettings {
  /** `ptp.runtime.intraOpNumThreads`: 0 = onnxruntime's default. */
  readonly intraOpNumThreads: number;
  /** `ptp.runtime.executionProvider`. */
  readonly executionProvider: ExecutionProvider;
  /** `ptp.sample.symbolicDimValue`: value for symbolic/unknown dims of sample inputs (≥ 1). */
  readonly symbolicDimValue: number;
  /** `ptp.overview.maxInlineTensorElements`: largest tensor the overview decodes inline. */
  readonly maxInlineTensorElements: number;
}

export const DEFAULT_SETTINGS: PtpSettings = {
  intraOpNumThreads: 0,
  executionProvider: 'cpu',
  symbolicDimValue: 1,
  maxInlineTensorElements: 1_000_000,
};

/** Reads raw values (`get('runtime.intraOpNumThreads')`) and falls back to defaults for invalid ones. */
export function normalizeSettings(get: (key: string) => unknown): PtpSettings {
  return {
    intraOpNumThreads: integerAtLeast(get('runtime.intraOpNumThreads'), 0, DEFAULT_SETTINGS.intraOpNumThreads),
    executionProvider: EXECUTION_PROVIDERS.find((p) => p === get('runtime.executionProvider')) ?? DEFAULT_SETTINGS.executionProvider,
    symbolicDimValue: integerAtLeast(get('sample.symbolicDimValue'), 1, DEFAULT_SETTINGS.symbolicDimValue),
    maxInlineTensorElements: integerAtLeast(get('overview.maxInlineTensorElements'), 0, DEFAULT_SETTINGS.maxInlineTensorElements),
  };
}

export function runtimeOptions(settings: PtpSettings): RuntimeOptions {
  return {
    ...(settings.intraOpNumThreads > 0 ? { intraOpNumThreads: settings.intraOpNumThreads } : {}),
    executionProviders: [settings.executionProvider],
  };
}

export function sampleParams(model: string, settings: PtpSettings): SampleParams {
  return { model, ...runtimeOptions(settings), symbolicDimValue: settings.symbolicDimValue };
}

function integerAtLeast(value: unknown, min: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min ? value : fallback;
}

export interface EvaluationSettings {
  /** `ptp.evaluation.batchSize`: rows per session.run (≥ 1). */
  readonly batchSize: number;
  /** `ptp.evaluation.bootstrap`: resamples for fairness confidence intervals (≥ 0; 0 = none). */
  readonly bootstrap: number;
}

export const DEFAULT_EVALUATION_SETTINGS: EvaluationSettings = { batchSize: 1024, bootstrap: 200 };

/** Reads raw values (`get('evaluation.batchSize')`), falling back to the defaults for invalid ones. */
export function normalizeEvaluationSettings(get: (key: string) => unknown): EvaluationSettings {
  return {
    batchSize: integerAtLeast(get('evaluation.batchSize'), 1, DEFAULT_EVALUATION_SETTINGS.batchSize),
    bootstrap: integerAtLeast(get('evaluation.bootstrap'), 0, DEFAULT_EVALUATION_SETTINGS.bootstrap),
  };
}
