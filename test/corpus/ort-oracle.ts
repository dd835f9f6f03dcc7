/**
 * A second, independent decoder for the corpus test: onnxruntime's own C++ TensorProto parser. Each tensor
 * becomes the `value` of a Constant node of a throw-away model whose outputs onnxruntime returns; its values
 * must equal the core's decoding exactly (bit for bit, NaN = NaN). Catches what output tolerances would hide.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Long from 'long';
import { onnx } from '../../src/core/proto/onnx';
import type { DecodedTensor } from '../../src/core/tensor/types';
import { createSession, fromOrtTensor, type OrtTensor } from '../../src/pipeline/runtime';

const dir = mkdtempSync(join(tmpdir(), 'ptp-corpus-oracle-'));
let seq = 0;

export function disposeOracle(): void {
  rmSync(dir, { recursive: true, force: true });
}

/** onnxruntime's decoding of each TensorProto (all of element types onnxruntime-node can return). */
export async function decodeWithOrt(tensors: readonly onnx.TensorProto[]): Promise<DecodedTensor[]> {
  if (tensors.length === 0) return [];
  const names = tensors.map((_, i) => `t${i}`);
  const bytes = onnx.ModelProto.encode({
    irVersion: Long.fromNumber(8),
    opsetImport: [{ domain: '', version: Long.fromNumber(17) }],
    graph: {
      name: 'oracle',
      node: tensors.map((t, i) => ({
        opType: 'Constant',
        output: [names[i]!],
        attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { ...t, name: '' } }],
      })),
      output: tensors.map((t, i) => ({ name: names[i]!, type: { tensorType: { elemType: t.dataType } } })),
    },
  }).finish();
  const file = join(dir, `oracle-${seq++}.onnx`);
  writeFileSync(file, bytes);
  const session = await createSession(file, { intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  try {
    const out = await session.run({});
    return names.map((n) => fromOrtTensor(out[n] as OrtTensor, n));
  } finally {
    await session.release();
    rmSync(file, { force: true });
  }
}

/** Undefined when the two decodings are identical (floats bit for bit up to NaN payloads), else the first difference. */
export function exactDifference(core: DecodedTensor, ort: DecodedTensor): string | undefined {
  if (core.dataType !== ort.dataType) return `data type ${core.dataType} vs onnxruntime ${ort.dataType}`;
  if (core.dims.join(',') !== ort.dims.join(',')) return `dims [${core.dims}] vs onnxruntime [${ort.dims}]`;
  if (core.values.length !== ort.values.length) return `${core.values.length} values vs onnxruntime ${ort.values.length}`;
  for (let i = 0; i < core.values.length; i++) {
    const a = core.values[i]!;
    const b = ort.values[i]!;
    const same = typeof a === 'number' && typeof b === 'number' ? Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) : a === b;
    if (!same) return `element ${i}: core ${typeof a === 'number' && Object.is(a, -0) ? '-0' : String(a)} vs onnxruntime ${typeof b === 'number' && Object.is(b, -0) ? '-0' : String(b)}`;
  }
  return undefined;
}
