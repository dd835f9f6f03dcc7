/** The clear refusals: an opset too old for the operators a mode writes, and a model with nothing to quantize. */
import { normalizeDomain } from '../../core/graph-walk';
import type { QuantizeRecipe, SkippedNode } from '../../protocol/quantize';
import { QuantizeError } from './errors';
import { opsetVersion, type GraphEditor } from '../shared/graph-editor';
import { DEFAULT_OP_TYPES } from './recipe';

const CONVERT_HINT =
  "convert the model to a newer opset first (Python: onnx.version_converter.convert_version(onnx.load('model.onnx'), 13), then onnx.save)";

/** Throws QuantizeError('opset-too-old') when the model's default-domain opset lacks what `recipe.mode` writes. */
export function checkOpset(proto: Parameters<typeof opsetVersion>[0], recipe: QuantizeRecipe, file: string): void {
  const v = opsetVersion(proto, '');
  const fail = (m: string) => {
    throw new QuantizeError('opset-too-old', m, file);
  };
  switch (recipe.mode) {
    case 'static':
      if (v < 10) {
        fail(
          `the model imports ONNX opset ${v}, but QuantizeLinear/DequantizeLinear (QDQ) need opset 10 or newer (13 for --per-channel): ` +
            `${CONVERT_HINT}, or use --mode fp16 or --mode int4, which work at any opset`,
        );
      }
      if (recipe.per_channel && v < 13) {
        fail(`the model imports ONNX opset ${v}, but per-channel QDQ needs DequantizeLinear's axis attribute (opset 13): drop --per-channel, or ${CONVERT_HINT}`);
      }
      break;
    case 'dynamic':
      if (v < 11) {
        fail(`the model imports ONNX opset ${v}, but dynamic quantization needs DynamicQuantizeLinear (opset 11): ${CONVERT_HINT}, or use --mode int4 or --mode fp16`);
      }
      break;
    case 'fp16':
      if (v < 6) fail(`the model imports ONNX opset ${v}, but float16 conversion needs Cast with a numeric 'to' (opset 6): ${CONVERT_HINT}`);
      break;
    case 'int4':
      break;
  }
}

/** Throws QuantizeError('no-quantizable-ops') explaining what the mode looks for and what the model has. */
export function noQuantizableOps(ed: GraphEditor, recipe: QuantizeRecipe, skipped: readonly SkippedNode[], file: string): never {
  const ops = new Map<string, number>();
  for (const n of ed.nodes) {
    const key = `${normalizeDomain(n.domain) === 'ai.onnx' ? '' : `${n.domain}.`}${n.opType ?? ''}`;
    ops.set(key, (ops.get(key) ?? 0) + 1);
  }
  const has = [...ops.entries()].map(([k, c]) => (c > 1 ? `${k} ×${c}` : k)).join(', ') || 'no nodes';
  const wants =
    recipe.mode === 'fp16'
      ? 'float32 ONNX-domain ops outside the fp16 block list'
      : `float ${(recipe.op_types.length ? recipe.op_types : DEFAULT_OP_TYPES[recipe.mode]).join('/')} nodes${recipe.mode === 'static' ? '' : ' with a constant float weight'}`;
  const why = skipped.length
    ? `; skipped: ${skipped.slice(0, 6).map((s) => `${s.node} (${s.reason})`).join(', ')}${skipped.length > 6 ? ` and ${skipped.length - 6} more` : ''}`
    : '';
  throw new QuantizeError(
    'no-quantizable-ops',
    `no quantizable ops for ${recipe.mode} quantization: it looks for ${wants}, and the main graph has ${has}${why}. Nothing was written`,
    file,
  );
}
