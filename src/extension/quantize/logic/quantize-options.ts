/**
 * What Quantize Model… sends to the worker: the choices made in the pickers (or passed by a script as an
 * arguments object) plus the runtime settings, turned into QuantizeParams; the default output file; the graph
 * overlay built from a result. No vscode: unit tested on plain Node.
 */
import type { OverlayEntry } from '../../shared/graph-overlays';
import type { CalibrationMethod, QuantizeMode, QuantizeParams, QuantizeRecipe, QuantizeResult } from '../../../protocol/quantize';
import type { RuntimeOptions } from '../../../protocol/worker';
import { defaultOutputFor } from '../../../pipeline/quantize/recipe';
import { CommandArgumentsError } from '../../shared/logic/command-args';
import { EXCLUDE_ACTION, SQNR_OVERLAY_ID } from './quantize-ids';

export const QUANTIZE_MODES: readonly QuantizeMode[] = ['dynamic', 'static', 'fp16', 'int4'];
export const CALIBRATION_METHODS: readonly CalibrationMethod[] = ['minmax', 'percentile', 'entropy'];

/** The choices of Quantize Model… (pickers or arguments object). */
export interface QuantizeChoices {
  readonly mode: QuantizeMode;
  /** Evaluation data (before/after report); also calibrates static mode when `calibration` is absent. */
  readonly data?: string;
  /** Static: calibration data apart from `data`. */
  readonly calibration?: string;
  /** undefined: auto-detect; null: no labels (agreement only). */
  readonly label?: string | null;
  readonly method?: CalibrationMethod;
  readonly perChannel?: boolean;
  /** Node names left in float. */
  readonly excludeNodes?: readonly string[];
  readonly output?: string;
  /** A recipe to repeat (the last run's `recipe`, kept in memory); the fields above override it. */
  readonly recipe?: QuantizeRecipe;
}

/**
 * The output `ptp quantize` writes without -o (the pipeline's default, one source of truth):
 * `<model>.int8.onnx` for dynamic and static, `.fp16.onnx`, `.int4.onnx`.
 */
export const defaultQuantizedOutput: (model: string, mode: QuantizeMode) => string = defaultOutputFor;

export function quantizeParams(model: string, c: QuantizeChoices, runtime: RuntimeOptions, batchSize: number): QuantizeParams {
  const settings = {
    ...(c.method ? { method: c.method } : {}),
    ...(c.perChannel !== undefined ? { per_channel: c.perChannel } : {}),
    ...(c.excludeNodes ? { exclude: [...c.excludeNodes] } : {}),
  };
  return {
    model,
    mode: c.mode,
    output: c.output ?? defaultQuantizedOutput(model, c.mode),
    ...(c.recipe ? { recipe: c.recipe } : {}),
    settings,
    ...(c.data ? { data: c.data } : {}),
    ...(c.label !== undefined && c.data ? { label: c.label } : {}),
    ...(c.calibration ? { calibration: c.calibration } : {}),
    batchSize,
    ...runtime,
  };
}

/** The same run again with another exclusion list (the closed loop of the report and the graph action). */
export function withExclusions(params: QuantizeParams, recipe: QuantizeRecipe, exclude: readonly string[]): QuantizeParams {
  return { ...params, mode: recipe.mode, recipe: { ...recipe, exclude: [...exclude] }, settings: { ...params.settings, exclude: [...exclude] } };
}

/**
 * `{ mode, data?, calibration?, label?, method?, perChannel?, excludeNodes?, output? }` → QuantizeChoices. `exclude` is still
 * accepted as the former name of `excludeNodes` (giving both is an error).
 */
export function parseQuantizeArgs(command: string, x: Record<string, unknown>, isAbsolute: (p: string) => boolean): QuantizeChoices {
  const fail = (detail: string): never => {
    throw new CommandArgumentsError(command, detail);
  };
  const mode = x.mode;
  if (typeof mode !== 'string' || !QUANTIZE_MODES.includes(mode as QuantizeMode)) fail(`"mode" must be one of ${QUANTIZE_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  const file = (key: string): string | undefined => {
    const v = x[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !isAbsolute(v)) fail(`"${key}" must be an absolute path, got ${JSON.stringify(v)}`);
    return v as string;
  };
  const label = x.label;
  if (label !== undefined && label !== null && typeof label !== 'string') fail(`"label" must be a column name or null`);
  const method = x.method;
  if (method !== undefined && !CALIBRATION_METHODS.includes(method as CalibrationMethod)) fail(`"method" must be one of ${CALIBRATION_METHODS.join(', ')}`);
  const perChannel = x.perChannel;
  if (perChannel !== undefined && typeof perChannel !== 'boolean') fail(`"perChannel" must be true or false`);
  if (x.exclude !== undefined && x.excludeNodes !== undefined) fail(`give "excludeNodes" or its former name "exclude", not both`);
  const excludeKey = x.excludeNodes !== undefined ? 'excludeNodes' : 'exclude';
  const exclude = x[excludeKey];
  if (exclude !== undefined && (!Array.isArray(exclude) || exclude.some((s) => typeof s !== 'string'))) fail(`"${excludeKey}" must be an array of node names`);
  const data = file('data');
  const calibration = file('calibration');
  const output = file('output');
  if (mode === 'static' && !data && !calibration) fail(`static mode needs "data" or "calibration" (calibration data)`);
  return {
    mode: mode as QuantizeMode,
    ...(data ? { data } : {}),
    ...(calibration ? { calibration } : {}),
    ...(label !== undefined ? { label: label as string | null } : {}),
    ...(method !== undefined ? { method: method as CalibrationMethod } : {}),
    ...(perChannel !== undefined ? { perChannel: perChannel as boolean } : {}),
    ...(exclude !== undefined ? { excludeNodes: [...(exclude as string[])] } : {}),
    ...(output ? { output } : {}),
  };
}

/** SQNR thresholds of the overlay (dB): below 20 is poor, 20–30 fair, 30–40 good, above 40 very good. */
export const SQNR_THRESHOLDS: readonly number[] = [20, 30, 40];

/** The Graph tab overlay of a result: activation SQNR (weight SQNR when absent) per node, plus the exclude action. */
export function sqnrOverlay(result: QuantizeResult): OverlayEntry {
  const values: Record<string, number> = {};
  for (const n of result.nodes) {
    const v = n.activation_sqnr_db ?? n.weight_sqnr_db;
    if (v !== undefined && Number.isFinite(v)) values[n.name] = v;
  }
  return {
    overlay: {
      id: SQNR_OVERLAY_ID,
      title: `Quantization SQNR (${result.mode})`,
      unit: 'dB',
      values,
      scale: { kind: 'thresholds', thresholds: SQNR_THRESHOLDS },
      higherIsWorse: false,
    },
    actions: [EXCLUDE_ACTION],
  };
}
