/** Reading the small constants shape inference needs from lazily held initializers, then building the view. */
import type { GraphView } from './graph-types';
import type { OnnxModel } from '../model';
import { isIntegerType, tensorDims, valuesToNumbers } from '../shape-inference/constants';
import { MAX_CONST_ELEMENTS, type ConstValue } from '../shape-inference';
import { DataType } from '../tensor/dtypes';
import { buildGraphView } from './build';

/** Float initializers up to this many elements are read too (Resize scales, Range bounds, Clip limits). */
const MAX_FLOAT_CONST = 16;

/**
 * Values of the main graph's small integer initializers (and tiny float ones) whose data is still in the file:
 * what `Reshape`/`Expand`/`Slice`/`Resize` need to resolve shapes. Unreadable tensors are skipped.
 */
export async function loadShapeConstants(model: OnnxModel): Promise<Map<string, ConstValue>> {
  const out = new Map<string, ConstValue>();
  for (const t of model.proto.graph?.initializer ?? []) {
    if (!t.name) continue;
    const dt = t.dataType ?? 0;
    const dims = tensorDims(t);
    const n = dims.reduce((a, b) => a * b, 1);
    const small = isIntegerType(dt) ? n <= MAX_CONST_ELEMENTS : (dt === DataType.FLOAT || dt === DataType.DOUBLE || dt === DataType.FLOAT16) && n <= MAX_FLOAT_CONST;
    if (!small || n === 0 || !model.lazyRef(t)) continue;
    try {
      const d = await model.readTensor(t);
      if (!Array.isArray(d.values)) out.set(t.name, { dims: d.dims, values: valuesToNumbers(d.values) });
    } catch {
      // Unreadable data (missing external file, corrupt bytes): leave the value unknown.
    }
  }
  return out;
}

/** {@link buildGraphView} after loading the small constants shape inference folds through. */
export async function loadGraphView(model: OnnxModel, path = 'main'): Promise<GraphView> {
  return buildGraphView(model, path, { constants: await loadShapeConstants(model) });
}
