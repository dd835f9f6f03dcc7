/** Shared pieces of the quantization tests: temp folders, tiny model builders, onnxruntime runs. */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Long from 'long';
import { onnx } from '../../../../src/core/proto/onnx';
import { loadOrt, type OrtTensor } from '../../../../src/pipeline/runtime';
import { REPO_ROOT } from '../../../helpers/paths';
import assert from 'node:assert/strict';
import { findTestDataRoot, TEST_DATA_HINT } from '../../../helpers/testdata';

export const ROOT = REPO_ROOT;
export const DIGITS_MLP = join(ROOT, 'examples/digits/digits_mlp.onnx');
export const DIGITS_CNN = join(ROOT, 'examples/digits/digits_cnn.onnx');
export const DIGITS_CSV = join(ROOT, 'examples/digits/digits_test.csv');
export const CREDIT = join(ROOT, 'examples/credit/credit_logreg.onnx');
export const CREDIT_CSV = join(ROOT, 'examples/credit/credit_test.csv');
export const DIABETES = join(ROOT, 'examples/diabetes/diabetes_ridge.onnx');
export const DIABETES_CSV = join(ROOT, 'examples/diabetes/diabetes_test.csv');
/**
 * A file of ONNX's backend test data (Debian's libonnx-testdata: PyTorch-exported, opset 6, initializers listed as
 * graph inputs), found by test/helpers/testdata.ts; a test that needs it fails, naming the fix, when it is missing.
 */
export function testData(rel: string): string {
  const root = findTestDataRoot();
  assert.ok(root, `ONNX backend test data not found: ${TEST_DATA_HINT}`);
  return join(root, rel);
}

export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'ptp-quantize-test-'));
  path(name: string): string {
    return join(this.dir, name);
  }
  /** Copies a file into the folder (so outputs and recipes land here, not next to the examples). */
  copy(file: string, name = basename(file)): string {
    const p = this.path(name);
    copyFileSync(file, p);
    return p;
  }
  write(name: string, bytes: Uint8Array | string): string {
    const p = this.path(name);
    writeFileSync(p, bytes);
    return p;
  }
  list(): string[] {
    return readdirSync(this.dir).sort();
  }
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const L = (n: number): Long => Long.fromNumber(n);

export function valueInfo(name: string, elemType: number, shape: (number | string)[]): onnx.ValueInfoProto.$Properties {
  return { name, type: { tensorType: { elemType, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: L(d) } : { dimParam: d })) } } } };
}

export function floatInit(name: string, dims: number[], values: ArrayLike<number>): onnx.TensorProto.$Properties {
  return { name, dims: dims.map(L), dataType: 1, rawData: new Uint8Array(Float32Array.from(values).buffer) };
}

export function intAttr(name: string, v: number): onnx.AttributeProto.$Properties {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: L(v) };
}

export function floatAttr(name: string, v: number): onnx.AttributeProto.$Properties {
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v };
}

export interface ModelSpec {
  nodes: onnx.NodeProto.$Properties[];
  inputs: onnx.ValueInfoProto.$Properties[];
  outputs: onnx.ValueInfoProto.$Properties[];
  initializers?: onnx.TensorProto.$Properties[];
  opset?: number;
  domains?: { domain: string; version: number }[];
}

export function encodeModel(spec: ModelSpec): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: L(8),
    producerName: 'ptp-quantize-test',
    opsetImport: [{ domain: '', version: L(spec.opset ?? 17) }, ...(spec.domains ?? []).map((d) => ({ domain: d.domain, version: L(d.version) }))],
    graph: { name: 'g', node: spec.nodes, input: spec.inputs, output: spec.outputs, initializer: spec.initializers ?? [] },
  }).finish();
}

/** Deterministic pseudo-random numbers in [-1, 1) (xorshift32). */
export function randoms(n: number, seed = 1): Float32Array {
  let x = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) / 2147483648 - 1;
  }
  return out;
}

/** Runs a model file once with float32 inputs; returns the outputs by name. */
export async function runModel(file: string, inputs: Record<string, { data: Float32Array; dims: number[] }>): Promise<Record<string, OrtTensor>> {
  const ort = loadOrt();
  const session = await ort.InferenceSession.create(file, { logSeverityLevel: 4 });
  try {
    const feeds: Record<string, OrtTensor> = {};
    for (const [k, v] of Object.entries(inputs)) feeds[k] = new ort.Tensor('float32', v.data, v.dims);
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The first `rows` digits images as a float32 batch [rows, 64]. */
export function digitsRows(csv: string, rows: number): Float32Array {
  const lines = csv.trim().split('\n').slice(1, rows + 1);
  const out = new Float32Array(rows * 64);
  lines.forEach((l, r) => l.split(',').slice(0, 64).forEach((v, c) => (out[r * 64 + c] = Number(v))));
  return out;
}

/** An onnxruntime input of any element type the tests feed (int64 ids as BigInt64Array). */
export interface TypedInput {
  readonly type: 'float32' | 'int64';
  readonly data: Float32Array | BigInt64Array;
  readonly dims: number[];
}

/** Runs a model file once with typed inputs; returns the outputs by name. */
export async function runTyped(file: string, inputs: Record<string, TypedInput>): Promise<Record<string, OrtTensor>> {
  const ort = loadOrt();
  const session = await ort.InferenceSession.create(file, { logSeverityLevel: 4 });
  try {
    const feeds: Record<string, OrtTensor> = {};
    for (const [k, v] of Object.entries(inputs)) feeds[k] = new ort.Tensor(v.type, v.data, v.dims);
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

/** ‖a − b‖ / ‖b‖. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  let d = 0;
  for (let i = 0; i < b.length; i++) {
    n += (a[i]! - b[i]!) ** 2;
    d += b[i]! ** 2;
  }
  return Math.sqrt(n / d);
}
