/** Option parsers and shared helpers of the `ptp` commands. */
import { InvalidArgumentError } from 'commander';
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
