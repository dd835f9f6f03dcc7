/**
 * `prune … finetune`: the pruned model trained back toward the source model on the user's training data — knowledge
 * distillation with the source as teacher and the pruned file as a `model` student (distill's trainer, nothing of it
 * copied here). Magnitude and N:M pruning keep every zero weight at 0 while training, so their sparsity is unchanged;
 * structured pruning keeps its smaller tensors. The trained model replaces the pruned temp file atomically.
 */
import { rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { DistillParams } from '../../protocol/distill';
import type { PruneFinetuneParams, PruneFinetuneResult, PruneMethod } from '../../protocol/prune';
import type { RuntimeOptions } from '../../protocol/worker';
import { checkDistillSettings, distill, isDistillError } from '../distill';
import type { OperationContext } from '../operation';
import { PruneError } from '../prune-graph/errors';
import { stagingPath } from '../shared/artifact';

/** Fine-tuning defaults that differ from distill's: a short run, since training starts from the pruned weights. */
export const FINETUNE_DEFAULTS = { epochs: 10, patience: 3 } as const;

export interface FinetuneJob {
  /** The source model: the teacher. */
  readonly source: string;
  /** The pruned model (the run's temp file): trained, then replaced by the trained model. */
  readonly pruned: string;
  /** The run's output path, named in messages instead of the temp file. */
  readonly output: string;
  readonly method: PruneMethod;
  readonly finetune: PruneFinetuneParams;
  /** Data columns never fed to the model. */
  readonly excludeColumns?: readonly string[];
  readonly runtime: RuntimeOptions;
  /** The share of the run's progress bar the fine-tuning fills. */
  readonly span: readonly [number, number];
}

/** Checks the fine-tuning settings before any file is read (a bad one is PruneError('bad-setting') naming the model). */
export function checkFinetune(f: PruneFinetuneParams | undefined, model: string): void {
  if (f === undefined) return;
  if (typeof f.data !== 'string' || f.data.trim() === '') {
    throw new PruneError('bad-setting', 'fine-tuning needs training data (finetune.data: a CSV/TSV, NPY/NPZ, JSONL, Parquet file or image folder)', model);
  }
  try {
    checkDistillSettings(distillParams(f, model, f.data, ''));
  } catch (e) {
    if (isDistillError(e)) throw new PruneError('bad-setting', `fine-tuning ${e.message}`, model);
    throw e;
  }
}

/** Trains the pruned model in place (temp file → trained temp file → renamed over it). */
export async function finetunePruned(job: FinetuneJob, ctx: OperationContext): Promise<PruneFinetuneResult> {
  const t0 = performance.now();
  const dir = path.dirname(job.pruned);
  const trained = stagingPath(path.join(dir, path.basename(job.output)), '.finetuned.tmp');
  const [from, to] = job.span;
  const onProgress = (p: { message?: string; fraction?: number }) => {
    if (!p.message) return;
    ctx.onProgress?.({ message: `Fine-tuning: ${p.message}`, ...(p.fraction !== undefined ? { fraction: Math.round((from + p.fraction * (to - from)) * 1e4) / 1e4 } : {}) });
  };
  try {
    const r = await distill(
      {
        ...distillParams(job.finetune, job.source, job.pruned, trained),
        student: { kind: 'model', path: job.pruned, keepZeros: job.method !== 'structured' },
        excludeColumns: job.excludeColumns,
        latency: false,
        intraOpNumThreads: job.runtime.intraOpNumThreads,
        executionProviders: job.runtime.executionProviders,
      },
      { signal: ctx.signal, onProgress },
    ).catch((e: unknown) => {
      throw asPruneError(e, job);
    });
    await rename(trained, job.pruned);
    return {
      data: job.finetune.data,
      epochs_run: r.epochs_run,
      best_epoch: r.best_epoch,
      stopped_early: r.stopped_early,
      train_rows: r.train_rows,
      validation_rows: r.validation_rows,
      history: r.history,
      ms: Math.round((performance.now() - t0) * 10) / 10,
    };
  } catch (e) {
    await rm(trained, { force: true });
    throw e;
  }
}

/** The distill params of a fine-tuning (student and runtime options added by the caller). */
function distillParams(f: PruneFinetuneParams, teacher: string, student: string, output: string): DistillParams {
  return {
    teacher,
    data: f.data,
    ...(f.label !== undefined ? { label: f.label } : {}),
    epochs: f.epochs ?? FINETUNE_DEFAULTS.epochs,
    patience: f.patience ?? FINETUNE_DEFAULTS.patience,
    ...(f.learningRate !== undefined ? { learningRate: f.learningRate } : {}),
    ...(f.seed !== undefined ? { seed: f.seed } : {}),
    ...(f.temperature !== undefined ? { temperature: f.temperature } : {}),
    ...(f.alpha !== undefined ? { alpha: f.alpha } : {}),
    student: { kind: 'model', path: student },
    output,
  };
}

/**
 * A DistillError as the pruning run's error: training data problems are 'bad-data' naming the data file, the rest
 * 'cannot-finetune'; the pruned temp file is called the pruned model (the output), which is what the user knows.
 */
function asPruneError(e: unknown, job: FinetuneJob): unknown {
  if (!isDistillError(e)) return e;
  const message = (e.file ? e.message.slice(e.file.length + 2) : e.message).split(job.pruned).join('the pruned model');
  if (e.reason === 'bad-data') return new PruneError('bad-data', `fine-tuning data: ${message}`, e.file && e.file !== job.pruned ? e.file : job.finetune.data);
  if (e.reason === 'bad-setting') return new PruneError('bad-setting', `fine-tuning ${message}`, job.source);
  const file = !e.file || e.file === job.pruned || path.resolve(e.file) === path.resolve(job.pruned) ? job.output : e.file;
  return new PruneError('cannot-finetune', `cannot fine-tune the pruned model: ${message}`, file);
}
