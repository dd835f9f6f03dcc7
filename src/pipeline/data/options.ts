/** Checks of the options every reader shares. */
import { DatasetError } from './errors';

export function checkBatchSize(file: string, batchSize: number): number {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new DatasetError(file, 'invalid-option', `batch size must be a positive integer, got ${batchSize}`);
  }
  return batchSize;
}
