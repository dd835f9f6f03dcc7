/** Option parsers and shared helpers of the `ptp` commands. */
import { InvalidArgumentError, Option } from 'commander';
import { openModel } from '../core';
import { progress } from './output';

export function intList(v: string): number[] {
  const parts = v.split(',').map((x) => Number(x.trim()));
  if (parts.length === 0 || parts.some((n) => !Number.isInteger(n) || n < 0)) throw new InvalidArgumentError('expected a comma-separated list of integers, e.g. 1,8,32');
  return parts;
}

export function collect(v: string, prev: string[] = []): string[] {
  return [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
}

export function taskOption(v: string): 'auto' | 'classification' | 'regression' {
  if (v === 'auto' || v === 'classification' || v === 'regression') return v;
  throw new InvalidArgumentError('expected auto, classification or regression');
}

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

/** A parser that accepts one of `values` (`what` names them in the error, e.g. 'a mode'). */
export function oneOf<T extends string>(values: readonly T[], what: string): (v: string) => T {
  return (v: string) => {
    if ((values as readonly string[]).includes(v)) return v as T;
    throw new InvalidArgumentError(`expected ${what}: ${values.join(', ')}`);
  };
}

/** A finite number (not an empty string). */
export function numberArg(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

/** `--threads <n>`: onnxruntime intra-op threads, as every command that runs a model takes it. */
export function threadsOption(): Option {
  return new Option('--threads <n>', 'onnxruntime intra-op threads (0 = default)').argParser(positiveInt);
}

export interface RuntimeFlags {
  threads?: number;
}

export async function withModel<T>(file: string, fn: (m: Awaited<ReturnType<typeof openModel>>) => Promise<T>): Promise<T> {
  const model = await openModel(file);
  try {
    return await fn(model);
  } finally {
    await model.close();
  }
}

/** Progress lines go to stderr (stdout is reserved for the result). */
export const onProgress = (p: { message?: string }): void => {
  if (p.message) progress(p.message);
};
