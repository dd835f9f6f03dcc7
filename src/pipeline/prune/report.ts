/**
 * The result document of a pruning run: settings, per-layer outcome, parameter counts and sizes before/after, the
 * notes that say what the kind of sparsity buys where, the before/after evaluation and latency.
 */
import type { PruneFinetuneResult, PruneMethod, PruneResult } from '../../protocol/prune';
import { comparisonFields, type Evaluation, type LatencyPair } from '../evaluate/before-after';
import { ortVersion } from '../runtime';
import type { PruneGraphOutcome, PruneGraphSettings } from '../prune-graph/prune-graph';
import { reportedSettings } from './settings';
import type { Lineage } from '../shared/lineage';

export interface Parts {
  readonly method: PruneMethod;
  readonly settings: PruneGraphSettings;
  readonly source: string;
  readonly output: string;
  readonly outcome: PruneGraphOutcome;
  readonly paramsBefore: number;
  readonly paramsAfter: number;
  readonly sizeBefore: number;
  readonly sizeAfter: number;
  readonly gzipBefore?: number;
  readonly gzipAfter?: number;
  readonly evaluation?: Evaluation;
  readonly latency?: LatencyPair;
  readonly finetune?: PruneFinetuneResult;
  readonly timings: Record<string, number>;
  readonly created: string;
  readonly lineage: Lineage;
}

/** What this kind of sparsity buys, and where (shown with every report of the method). */
export function methodNotes(method: PruneMethod, s: Pick<PruneGraphSettings, 'n' | 'm'>): string[] {
  switch (method) {
    case 'magnitude':
      return [
        "unstructured sparsity does not shrink the file or speed up onnxruntime's dense kernels; the gzip size shows what sparse storage would save",
      ];
    case 'nm':
      return [
        `${s.n}:${s.m} sparsity speeds up only on hardware with sparse tensor cores (and a runtime that uses them, e.g. TensorRT on NVIDIA Ampere or later); ` +
          "onnxruntime's CPU kernels run the weights dense, so the file and latency stay the same; the gzip size shows what sparse storage would save",
      ];
    case 'structured':
      return ['whole channels were removed and the tensors really shrink: fewer parameters, a smaller file and fewer multiply-adds in onnxruntime'];
  }
}

export function assemble(p: Parts): PruneResult {
  const notes = [...methodNotes(p.method, p.settings), ...p.outcome.notes];
  if (p.finetune) {
    const f = p.finetune;
    notes.push(
      `fine-tuned on ${f.data} (${f.epochs_run} epochs, best ${f.best_epoch}${p.method === 'structured' ? '' : ', zero weights kept at 0'}): ` +
        'the metrics and latency after are the fine-tuned model\'s',
    );
  }
  const warnings = [...p.outcome.warnings, ...(p.evaluation?.warnings ?? [])];
  return {
    model: p.source,
    output: p.output,
    method: p.method,
    settings: reportedSettings(p.settings),
    achieved_weight_sparsity: p.outcome.achievedWeightSparsity,
    layers: p.outcome.layers,
    skipped: p.outcome.skipped,
    params_before: p.paramsBefore,
    params_after: p.paramsAfter,
    size_bytes_before: p.sizeBefore,
    size_bytes_after: p.sizeAfter,
    ...(p.gzipBefore !== undefined && p.gzipAfter !== undefined ? { compressed_bytes_before: p.gzipBefore, compressed_bytes_after: p.gzipAfter } : {}),
    notes,
    warnings,
    ...comparisonFields(p.evaluation, p.latency),
    ...(p.finetune ? { finetune: p.finetune } : {}),
    timings: p.timings,
    ort_version: ortVersion(),
    created: p.created,
    lineage: p.lineage,
  };
}
