/** What a served model takes and gives, in V2 terms, read from the model file (pure apart from reading the file). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspect, openModel } from '../../core';
import { writeWithoutZipMaps } from '../shared/zipmap';
import type { ValueSummary } from '../../core/report-types';
import { v2TypeOfOnnx, type V2Datatype } from './datatypes';
import { ServeError } from './errors';

export interface TensorSpec {
  readonly name: string;
  readonly datatype: V2Datatype;
  /** Declared dims, -1 for dynamic (symbolic or unknown) ones. */
  readonly shape: readonly number[];
}

export interface ModelSignature {
  readonly inputs: readonly TensorSpec[];
  /** The tensor outputs the server returns. */
  readonly outputs: readonly TensorSpec[];
  /** Outputs that are not plain tensors (ZipMap's sequence of maps): not returned, named for the metadata. */
  readonly skippedOutputs: readonly string[];
  /** Every input and output has a dynamic first dim: requests can be batched along it. */
  readonly batchable: boolean;
  /** The classes of the probability output, in column order, when the model declares them (its ZipMap's labels). */
  readonly classLabels?: readonly (string | number)[];
}

/** The file the instances run: the model itself, or a copy whose ZipMap outputs are plain probability tensors. */
export interface ServedFile {
  readonly file: string;
  readonly classLabels?: readonly (string | number)[];
  dispose(): Promise<void>;
}

/**
 * A classifier's ZipMap output (a sequence of maps, which no V2 tensor can carry) is served as what it wraps:
 * the [N, K] probability tensor under the name the ZipMap consumed, its class labels in the model metadata —
 * the same rewrite evaluation applies, so a client reads the scores `ptp evaluate` reads. The copy lives in a
 * temp folder until the version is retired; the source model is never touched.
 */
export async function servedFile(file: string): Promise<ServedFile> {
  const m = await openModel(file);
  let tmp: string | undefined;
  try {
    if (!m.proto.graph?.node?.some((n) => n.opType === 'ZipMap')) return { file, dispose: async () => undefined };
    tmp = await mkdtemp(path.join(tmpdir(), 'ptp-serve-'));
    const copy = path.join(tmp, path.basename(file));
    const rewrites = await writeWithoutZipMaps(m, copy);
    if (!rewrites) {
      await rm(tmp, { recursive: true, force: true });
      return { file, dispose: async () => undefined };
    }
    const dir = tmp;
    return { file: copy, classLabels: rewrites[0]!.classLabels, dispose: () => rm(dir, { recursive: true, force: true }) };
  } catch (e) {
    if (tmp) await rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    await m.close();
  }
}

const dyn = (d: number | string | null): boolean => typeof d !== 'number' || d < 0;

function specOf(v: ValueSummary, file: string, what: 'input' | 'output'): TensorSpec | undefined {
  const datatype = v.kind === 'tensor' ? v2TypeOfOnnx(v.elem_type) : undefined;
  if (!datatype) {
    if (what === 'output') return undefined;
    throw new ServeError('bad-config', `${file}: input '${v.name}' is ${v.kind === 'tensor' ? `element type ${v.elem_type ?? 'unknown'}` : `a ${v.kind}`}, which the Open Inference Protocol cannot carry`);
  }
  return { name: v.name, datatype, shape: v.shape ? v.shape.map((d) => (dyn(d) ? -1 : (d as number))) : [] };
}

export async function readSignature(file: string): Promise<ModelSignature> {
  const m = await openModel(file);
  let report;
  try {
    report = inspect(m);
  } finally {
    await m.close();
  }
  const inputs = report.inputs.map((v) => specOf(v, file, 'input')!);
  const outputs: TensorSpec[] = [];
  const skippedOutputs: string[] = [];
  for (const v of report.outputs) {
    const s = specOf(v, file, 'output');
    if (s) outputs.push(s);
    else skippedOutputs.push(v.name);
  }
  if (!outputs.length) throw new ServeError('bad-config', `${file}: no output is a plain tensor (${skippedOutputs.join(', ')}); the Open Inference Protocol returns tensors only`);
  const all = [...report.inputs.filter((v) => inputs.some((i) => i.name === v.name)), ...report.outputs.filter((v) => outputs.some((o) => o.name === v.name))];
  const batchable = all.every((v) => v.shape !== null && v.shape.length > 0 && dyn(v.shape[0]!));
  return { inputs, outputs, skippedOutputs, batchable };
}
