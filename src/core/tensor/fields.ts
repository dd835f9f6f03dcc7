import { TensorDataError } from '../errors';
import type { onnx } from '../proto/onnx';
import type { TensorFields } from './types';
import { longToNumber } from '../long';

/** Maps a decoded TensorProto to the plain fields `decodeTensorFields` takes (`raw` replaces raw_data, e.g. external data). */
export function tensorFieldsOf(t: onnx.TensorProto.$Properties, raw?: Uint8Array): TensorFields {
  const name = t.name ?? '';
  const dims = (t.dims ?? []).map((d, i) => {
    const n = longToNumber(d);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new TensorDataError(`tensor '${name}' has an invalid dimension ${String(d)} at axis ${i}`);
    }
    return n;
  });
  return {
    name,
    dataType: t.dataType ?? 0,
    dims,
    rawData: raw ?? (t.rawData && t.rawData.length > 0 ? t.rawData : undefined),
    floatData: nonEmpty(t.floatData),
    int32Data: nonEmpty(t.int32Data),
    int64Data: nonEmpty(t.int64Data),
    doubleData: nonEmpty(t.doubleData),
    uint64Data: nonEmpty(t.uint64Data),
    stringData: nonEmpty(t.stringData),
  };
}

function nonEmpty<T>(a: readonly T[] | null | undefined): readonly T[] | undefined {
  return a && a.length > 0 ? a : undefined;
}
