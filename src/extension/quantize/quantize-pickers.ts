/**
 * The steps of Quantize Model…: repeat the last recipe or choose a mode; for static mode the calibration data,
 * method and per-channel; optional evaluation data and its label (the before/after report); the output file.
 * Each step's first item is the usual answer, so Enter through the steps gives a sensible run. Escape cancels.
 */
import { pickLabel, pickOne, type Valued } from '../shared/pickers';
import * as path from 'node:path';
import type { CalibrationMethod, QuantizeMode, QuantizeRecipe, QuantizeResult } from '../../protocol/quantize';
import { pickOutputFile } from '../shared/output-file-picker';
import type { DataPicker } from '../shared/data-picker';
import { defaultQuantizedOutput, type QuantizeChoices } from './logic/quantize-options';


const MODE_ITEMS: readonly Valued<QuantizeMode>[] = [
  { label: 'Dynamic int8', description: 'int8 weights, activations quantized at run time — no data needed', value: 'dynamic' },
  { label: 'Static int8 (QDQ)', description: 'int8 weights and activations, ranges from calibration data', value: 'static' },
  { label: 'Float16', description: 'half-precision weights and compute, float32 inputs/outputs', value: 'fp16' },
  { label: 'Int4 weight-only', description: '4-bit block-wise MatMul weights (MatMulNBits)', value: 'int4' },
];

const METHOD_ITEMS: readonly Valued<CalibrationMethod>[] = [
  { label: 'MinMax', description: 'full observed range (onnxruntime default)', value: 'minmax' },
  { label: 'Percentile', description: 'clips outliers at the 99.999th percentile', value: 'percentile' },
  { label: 'Entropy', description: 'KL-divergence threshold search', value: 'entropy' },
];

/** `last`: the model's last quantization in this session, whose recipe can be repeated. */
export async function pickQuantizeChoices(model: string, data: DataPicker, title: string, last?: QuantizeResult): Promise<QuantizeChoices | undefined> {
  const recipe = last?.recipe;
  if (recipe && last) {
    const again = await pickOne<'repeat' | 'new'>(
      [
        { label: '$(history) Repeat last recipe', description: describeRecipe(recipe), detail: `as ${path.basename(last.output)} was made`, value: 'repeat' },
        { label: '$(settings) New settings…', value: 'new' },
      ],
      `${title}`,
      'A recipe from an earlier run exists',
    );
    if (again === undefined) return undefined;
    if (again === 'repeat') {
      const evalData = await data.lastData(model);
      const output = await pickOutput(model, recipe.mode, title);
      if (!output) return undefined;
      return { mode: recipe.mode, recipe, ...(evalData ? { data: evalData } : {}), ...(recipe.calibration ? { calibration: recipe.calibration } : {}), output };
    }
  }
  const mode = await pickOne(MODE_ITEMS, `${title}: mode`, 'How to quantize');
  if (mode === undefined) return undefined;

  let calibration: string | undefined;
  let method: CalibrationMethod | undefined;
  let perChannel: boolean | undefined;
  if (mode === 'static') {
    calibration = await data.pick(model, `${title}: calibration data`);
    if (!calibration) return undefined;
    method = await pickOne(METHOD_ITEMS, `${title}: calibration method`, 'How activation ranges are found');
    if (method === undefined) return undefined;
    perChannel = await pickOne<boolean>(
      [
        { label: 'Per tensor', description: 'one scale per weight (onnxruntime default)', value: false },
        { label: 'Per channel', description: 'one scale per output channel (usually more accurate for Conv)', value: true },
      ],
      `${title}: weight scales`,
      'Per-channel weight quantization?',
    );
    if (perChannel === undefined) return undefined;
  }

  const evalData = await pickEvaluationData(model, data, calibration, title);
  if (evalData === undefined) return undefined;
  let label: string | null | undefined;
  if (evalData) {
    label = await pickLabel(evalData, `${title}: label column`, '(no labels — agreement only)');
    if (label === undefined) return undefined;
  }
  const output = await pickOutput(model, mode, title);
  if (!output) return undefined;
  return {
    mode,
    ...(evalData ? { data: evalData, label } : {}),
    ...(calibration && calibration !== evalData ? { calibration } : {}),
    ...(calibration && !evalData ? { calibration } : {}),
    ...(method ? { method } : {}),
    ...(perChannel !== undefined ? { perChannel } : {}),
    output,
  };
}

/** '' = no evaluation; undefined = dismissed. */
async function pickEvaluationData(model: string, data: DataPicker, calibration: string | undefined, title: string): Promise<string | undefined> {
  const same = calibration ?? (await data.lastData(model));
  const items: Valued<'same' | 'choose' | 'none'>[] = [];
  if (same) items.push({ label: `$(check) Evaluate on ${path.basename(same)}`, description: calibration ? 'the calibration data' : 'last used with this model', detail: same, value: 'same' });
  items.push({ label: '$(file) Evaluate on other data…', value: 'choose' });
  items.push({ label: '$(close) No evaluation', description: 'size and SQNR only, no before/after metrics', value: 'none' });
  const picked = await pickOne(items, `${title}: evaluation data`, 'Data to compare the model before and after on (metrics, agreement)');
  if (picked === undefined) return undefined;
  if (picked === 'none') return '';
  if (picked === 'same' && same) return same;
  return (await data.pick(model, `${title}: evaluation data`)) ?? undefined;
}

/** The output file: `<model>.<mode>.onnx` by default, never the model itself; an existing file needs a confirmation. */
export function pickOutput(model: string, mode: QuantizeMode, title: string): Promise<string | undefined> {
  return pickOutputFile(model, defaultQuantizedOutput(model, mode), `${title}: output file`, 'Where to write the quantized model (absolute path)');
}

function describeRecipe(r: QuantizeRecipe): string {
  const parts: string[] = [r.mode];
  if (r.mode === 'static') parts.push(r.method, r.per_channel ? 'per channel' : 'per tensor');
  if (r.exclude.length) parts.push(`${r.exclude.length} excluded`);
  return parts.join(', ');
}

