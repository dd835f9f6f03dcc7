/** The latency flags of the commands that time a model before and after changing it (quantize, prune, distill). */
import type { Command } from 'commander';
import { intList } from './options';

/** What the latency flags leave in the parsed options. */
export interface LatencyFlags {
  latency: boolean;
  latencyBatch?: number[];
}

/** Adds --no-latency and --latency-batch (in that order) to `c`. */
export function addLatencyOptions(c: Command): Command {
  return c
    .option('--no-latency', 'skip the latency measurement')
    .option('--latency-batch <sizes>', 'batch sizes of the latency measurement (default 1,32)', intList);
}

/** The pipeline's `latency` parameter: `false` to skip, the batch sizes given, or `undefined` for the defaults. */
export function latencyOf(o: LatencyFlags): { batchSizes: number[] } | undefined | false {
  return o.latency ? (o.latencyBatch ? { batchSizes: o.latencyBatch } : undefined) : false;
}
