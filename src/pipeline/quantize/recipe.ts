/**
 * Quantization settings: defaults (onnxruntime's where it has one), validation, merging explicit settings over a
 * recipe, and reading a recipe to repeat: a recipe JSON file (`--save-recipe FILE` writes one where asked), or a
 * quantized model, whose `ptp.lineage` metadata holds the recipe it was made with. Nothing is written beside the
 * source model.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { QuantizeMode, QuantizeParams, QuantizeRecipe, QuantizeSettings } from '../../protocol/quantize';
import { QuantizeError } from './errors';
import { defaultOutputPath } from '../shared/output-name';
import { openModel } from '../../core';
import { readLineage } from '../shared/lineage';

export const MODES: readonly QuantizeMode[] = ['dynamic', 'static', 'fp16', 'int4'];

/** Op types each mode looks at when `op_types` is empty. */
export const DEFAULT_OP_TYPES: Readonly<Record<QuantizeMode, readonly string[]>> = {
  // Gather: on a constant float table (embeddings), as onnxruntime's dynamic and QDQ defaults include it.
  dynamic: ['MatMul', 'Gemm', 'Conv', 'Gather'],
  static: [
    'Conv', 'ConvTranspose', 'Gemm', 'Gather', 'MatMul', 'Add', 'Mul', 'Relu', 'Clip', 'MaxPool', 'GlobalMaxPool', 'AveragePool', 'GlobalAveragePool',
    'Flatten', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Concat',
  ],
  int4: ['MatMul', 'Gemm'],
  // fp16 converts every op not in the block list; op_types, when given, narrows that to the listed types.
  fp16: [],
};

const DEFAULTS: Omit<QuantizeRecipe, 'mode'> = {
  version: 1,
  method: 'minmax',
  percentile: 99.999,
  num_bins: 2048,
  num_quantized_bins: 128,
  per_channel: false,
  reduce_range: false,
  activation_type: 'int8',
  activation_symmetric: false,
  weight_symmetric: false,
  op_types: [],
  exclude: [],
  block_size: 128,
  // onnxruntime's quantizer leaves it unset (0: float compute); 4 (int8 compute) is what onnxruntime-genai's model
  // builder uses for CPU and runs 2–4× faster there (bench/quantize.ts); 0 keeps float accuracy.
  accuracy_level: 4,
  fp16_block_list: [],
  calibration_rows: 1000,
};

/** The default output: `<model>.int8.onnx` (dynamic, static), `.fp16.onnx`, `.int4.onnx` next to the model. */
export function defaultOutputFor(model: string, mode: QuantizeMode): string {
  return defaultOutputPath('quantize', model, mode);
}

/** Reads a recipe: a recipe JSON file, or a quantized model (`.onnx`) whose `ptp.lineage` holds one; checks its shape. */
export async function readRecipe(file: string): Promise<QuantizeRecipe> {
  if (/\.onnx$/i.test(file)) return recipeOfModel(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new QuantizeError('bad-setting', 'recipe file not found', file);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new QuantizeError('bad-setting', `recipe is not valid JSON: ${(e as Error).message}`, file);
  }
  if (typeof obj !== 'object' || obj === null || !MODES.includes((obj as { mode?: QuantizeMode }).mode as QuantizeMode)) {
    throw new QuantizeError('bad-setting', `not a quantization recipe (expected an object with "mode": ${MODES.join(' | ')})`, file);
  }
  return resolveRecipe(obj as QuantizeRecipe, {}, file);
}

/** The recipe in a quantized model's `ptp.lineage` metadata. */
async function recipeOfModel(file: string): Promise<QuantizeRecipe> {
  let lineage;
  try {
    const model = await openModel(file);
    lineage = readLineage(model.proto.metadataProps);
    await model.close();
  } catch (e) {
    throw new QuantizeError('bad-setting', `cannot read the recipe of this model: ${(e as Error).message}`, file);
  }
  if (!lineage || lineage.operation !== 'quantize') {
    throw new QuantizeError('bad-setting', 'this model holds no quantization recipe (its ptp.lineage metadata is missing or not from quantize)', file);
  }
  if (!MODES.includes((lineage.params as { mode?: QuantizeMode }).mode as QuantizeMode)) throw new QuantizeError('bad-setting', 'the recipe in this model has no valid "mode"', file);
  return resolveRecipe(lineage.params as unknown as QuantizeRecipe, {}, file);
}

/** Writes a recipe file where asked (atomically). */
export async function writeRecipe(file: string, recipe: QuantizeRecipe): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(recipe, null, 2)}\n`);
  await rename(tmp, file);
}

/** The settings of a run: `settings` over `base` (a recipe) over the defaults; validated. */
export function resolveRecipe(base: Partial<QuantizeRecipe> & { mode: QuantizeMode }, settings: QuantizeSettings, where?: string): QuantizeRecipe {
  const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as QuantizeSettings;
  const known = Object.fromEntries(Object.entries(base).filter(([k, v]) => v !== undefined && (k in DEFAULTS || k === 'calibration'))) as Partial<QuantizeRecipe>;
  const merged = Object.entries({ ...DEFAULTS, ...known, ...defined }).filter(([k]) => k !== 'version' && k !== 'mode');
  const r = { version: 1, mode: base.mode, ...Object.fromEntries(merged) } as QuantizeRecipe;
  validate(r, where);
  return r;
}

/** The mode and recipe of a call: explicit mode/settings over `params.recipe` over the defaults. */
export async function recipeOf(params: QuantizeParams): Promise<QuantizeRecipe> {
  let base: QuantizeRecipe | undefined;
  if (typeof params.recipe === 'string') base = await readRecipe(params.recipe);
  else if (params.recipe) base = resolveRecipe(params.recipe, {}, 'recipe');
  const mode = params.mode ?? base?.mode;
  if (!mode) throw new QuantizeError('bad-setting', `no quantization mode: give one of ${MODES.join(', ')}`);
  if (!MODES.includes(mode)) throw new QuantizeError('bad-setting', `unknown mode '${String(mode)}': expected ${MODES.join(', ')}`);
  const settings: QuantizeSettings = { ...params.settings, ...(params.calibration ? { calibration: params.calibration } : {}) };
  return resolveRecipe({ ...(base ?? {}), mode }, settings);
}

function validate(r: QuantizeRecipe, where?: string): void {
  const bad = (m: string) => new QuantizeError('bad-setting', m, where);
  if (!['minmax', 'percentile', 'entropy'].includes(r.method)) throw bad(`method must be minmax, percentile or entropy, got '${r.method}'`);
  if (!(r.percentile > 0 && r.percentile <= 100)) throw bad(`percentile must be in (0, 100], got ${r.percentile}`);
  if (!Number.isInteger(r.num_quantized_bins) || r.num_quantized_bins < 2) throw bad(`num_quantized_bins must be an integer ≥ 2, got ${r.num_quantized_bins}`);
  if (!Number.isInteger(r.num_bins) || r.num_bins < r.num_quantized_bins) {
    throw bad(`num_bins must be an integer ≥ num_quantized_bins (${r.num_quantized_bins}), got ${r.num_bins}`);
  }
  if (![16, 32, 64, 128, 256].includes(r.block_size)) throw bad(`block size must be 16, 32, 64, 128 or 256, got ${r.block_size}`);
  if (!Number.isInteger(r.accuracy_level) || r.accuracy_level < 0 || r.accuracy_level > 4) throw bad(`accuracy_level must be 0..4, got ${r.accuracy_level}`);
  if (!['int8', 'uint8'].includes(r.activation_type)) throw bad(`activation type must be int8 or uint8, got '${r.activation_type}'`);
  if (!Number.isInteger(r.calibration_rows) || r.calibration_rows < 1) throw bad(`calibration_rows must be a positive integer, got ${r.calibration_rows}`);
  for (const k of ['op_types', 'exclude', 'fp16_block_list'] as const) {
    if (!Array.isArray(r[k]) || r[k].some((x) => typeof x !== 'string')) throw bad(`${k} must be a list of names`);
  }
  if (r.calibration !== undefined && typeof r.calibration !== 'string') throw bad('calibration must be a file path');
  for (const k of ['per_channel', 'reduce_range', 'activation_symmetric', 'weight_symmetric'] as const) {
    if (typeof r[k] !== 'boolean') throw bad(`${k} must be true or false`);
  }
}
