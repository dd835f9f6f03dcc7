/** Numeric summaries and text-safe previews of tensor values (pure). */
import { DataType, dataTypeName } from '../../core/tensor/dtypes';
import { tensorStats } from '../../core/tensor/stats';
import type { DecodedTensor, TensorValues } from '../../core/tensor/types';
import type { SampleTensorSummary, ValueStats } from '../../protocol/worker';

export const PREVIEW_LENGTH = 16;
const MAX_PREVIEW_STRING = 80;

/**
 * count/nan/inf/zeros over all values; min/max/mean/std (population) over the finite ones (null when there are
 * none) — the core's `tensorStats`. Null for string tensors.
 */
export function valueStats(values: TensorValues): ValueStats | null {
  if (Array.isArray(values)) return null;
  const s = tensorStats(values);
  return { count: s.count, min: s.min, max: s.max, mean: s.mean, std: s.std, nan: s.nan ?? 0, inf: s.inf ?? 0, zeros: s.zeros ?? 0 };
}

function previewNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v); // NaN / Infinity are not JSON
}

/** The first `n` values as JSON-safe values: numbers; strings for 64-bit ints, NaN/±Infinity and string tensors; booleans for BOOL. */
export function previewValues(dataType: number, values: TensorValues, n = PREVIEW_LENGTH): (number | string | boolean)[] {
  const out: (number | string | boolean)[] = [];
  const k = Math.min(n, values.length);
  for (let i = 0; i < k; i++) {
    const v = values[i]!;
    if (typeof v === 'string') out.push(v.length > MAX_PREVIEW_STRING ? `${v.slice(0, MAX_PREVIEW_STRING)}…` : v);
    else if (typeof v === 'bigint') out.push(v.toString());
    else if (dataType === DataType.BOOL) out.push(v !== 0);
    else out.push(previewNumber(v));
  }
  return out;
}

/** The summary of one input/output of a sample run. */
export function summarizeTensor(name: string, t: DecodedTensor): SampleTensorSummary {
  return {
    name,
    elem_type: dataTypeName(t.dataType),
    shape: [...t.dims],
    stats: valueStats(t.values),
    preview: previewValues(t.dataType, t.values),
  };
}
