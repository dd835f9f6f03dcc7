/** Shared pieces of the distillation tests: example files, a scratch folder, onnxruntime runs of a written student. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrt } from '../../../../src/pipeline/runtime';
import { REPO_ROOT } from '../../../helpers/paths';

export const ROOT = REPO_ROOT;
export const DIGITS_MLP = join(ROOT, 'examples/digits/digits_mlp.onnx');
export const DIGITS_CNN = join(ROOT, 'examples/digits/digits_cnn.onnx');
export const DIGITS_TEST = join(ROOT, 'examples/digits/digits_test.csv');
/** The digits training split when the examples have it, else the test split. */
export const DIGITS_TRAIN = existsSync(join(ROOT, 'examples/digits/digits_train.csv')) ? join(ROOT, 'examples/digits/digits_train.csv') : DIGITS_TEST;
export const CREDIT = join(ROOT, 'examples/credit/credit_logreg.onnx');
export const CREDIT_CSV = join(ROOT, 'examples/credit/credit_test.csv');
export const DIABETES = join(ROOT, 'examples/diabetes/diabetes_ridge.onnx');
export const DIABETES_CSV = join(ROOT, 'examples/diabetes/diabetes_test.csv');

export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'ptp-distill-test-'));
  path(name: string): string {
    return join(this.dir, name);
  }
  write(name: string, text: string | Uint8Array): string {
    const p = this.path(name);
    writeFileSync(p, text);
    return p;
  }
  list(): string[] {
    return readdirSync(this.dir).sort();
  }
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Input and output names of a model as onnxruntime sees them. */
export async function ioNames(file: string): Promise<{ inputs: readonly string[]; outputs: readonly string[] }> {
  const ort = loadOrt();
  const s = await ort.InferenceSession.create(file);
  try {
    return { inputs: [...s.inputNames], outputs: [...s.outputNames] };
  } finally {
    await s.release();
  }
}

/** Runs a model on float values of shape `dims` and returns its outputs (or those in `fetch`). */
export async function runFloat(file: string, input: string, values: Float32Array, dims: number[], fetch?: string[]): Promise<Record<string, { dims: readonly number[]; data: unknown }>> {
  const ort = loadOrt();
  const s = await ort.InferenceSession.create(file);
  try {
    const feeds = { [input]: new ort.Tensor('float32', values, dims) };
    const r = fetch ? await s.run(feeds, fetch) : await s.run(feeds);
    return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, { dims: v.dims, data: v.data }]));
  } finally {
    await s.release();
  }
}
