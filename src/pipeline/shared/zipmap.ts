/**
 * sklearn-onnx classifiers end in `ZipMap`, which turns the [N,K] probability tensor into a sequence of
 * maps (class → probability). onnxruntime-node returns only tensors, so for evaluation we write a derived
 * model (never touching the source) where the ZipMap is removed and its input tensor is a graph output; the
 * class labels come from the ZipMap's attributes.
 */
import { deriveModel, writeModel, type OnnxModel } from '../../core';
import { longToNumber, toLong } from '../../core/long';
import { onnx } from '../../core/proto/onnx';

export interface ZipMapRewrite {
  /** The graph output the ZipMap produced (a sequence of maps). */
  readonly removedOutput: string;
  /** The tensor output that replaces it ([N,K] probabilities). */
  readonly probabilities: string;
  readonly classLabels: readonly (string | number)[];
}

/** Finds ZipMap nodes feeding graph outputs; returns the derived proto and what changed, or null. */
export function removeZipMaps(model: OnnxModel): { proto: onnx.ModelProto; rewrites: ZipMapRewrite[] } | null {
  const g = model.proto.graph;
  if (!g) return null;
  const outputs = new Set((g.output ?? []).map((o) => o.name ?? ''));
  const zipmaps = (g.node ?? []).filter((n) => n.opType === 'ZipMap' && (n.domain ?? '') === 'ai.onnx.ml' && outputs.has(n.output?.[0] ?? ''));
  if (zipmaps.length === 0) return null;
  const rewrites: ZipMapRewrite[] = [];
  const removed = new Set(zipmaps);
  const newOutputs = [...(g.output ?? [])];
  for (const z of zipmaps) {
    const ints = z.attribute?.find((a) => a.name === 'classlabels_int64s')?.ints ?? [];
    const strs = z.attribute?.find((a) => a.name === 'classlabels_strings')?.strings ?? [];
    const classLabels = ints.length > 0 ? ints.map((v) => longToNumber(v)) : strs.map((s) => Buffer.from(s).toString('utf8'));
    const input = z.input?.[0] ?? '';
    const out = z.output?.[0] ?? '';
    const i = newOutputs.findIndex((o) => o.name === out);
    newOutputs[i] = {
      name: input,
      type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: toLong(classLabels.length) }] } } },
    };
    rewrites.push({ removedOutput: out, probabilities: input, classLabels });
  }
  const graph = { ...g, node: (g.node ?? []).filter((n) => !removed.has(n)), output: newOutputs };
  const proto = onnx.ModelProto.create({ ...model.proto, graph });
  return { proto, rewrites };
}

/** Writes the ZipMap-free model to `outFile` when needed; returns null when the model has no ZipMap output. */
export async function writeWithoutZipMaps(model: OnnxModel, outFile: string): Promise<ZipMapRewrite[] | null> {
  const r = removeZipMaps(model);
  if (!r) return null;
  await writeModel(deriveModel(model, r.proto), outFile);
  return r.rewrites;
}
