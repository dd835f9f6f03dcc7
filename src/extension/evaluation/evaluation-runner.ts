/**
 * Runs the worker ops `evaluate`, `compare` and `bench` through the OperationRunner (progress and Cancel; a
 * cancelled request rejects with an OperationCancelledError). Evaluations are saved with `saveRun` (`.ptp/runs/…json` next to the model).
 */
import * as vscode from 'vscode';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { BenchParams, BenchResult, CompareParams, CompareResult, EvaluateParams, EvaluateResult } from '../../protocol/evaluate';
import { saveRun } from '../../pipeline/evaluate/save';
import { logText } from '../shared/logic/user-errors';
import type { OperationRunner } from '../shared/operation-runner';

export class EvaluationRunner {
  constructor(
    private readonly runner: OperationRunner,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Evaluates and saves the run; `saved_to` is set unless saving failed (logged, shown as a warning). */
  async evaluate(params: EvaluateParams): Promise<EvaluateResult> {
    if (params.outputsFile) await mkdir(path.dirname(params.outputsFile), { recursive: true });
    const what = `${path.basename(params.model)} on ${path.basename(params.data)}`;
    const result = await this.runner.run('evaluate', params, { title: `Evaluating ${what}`, cancelled: `The evaluation of ${what} was cancelled.` });
    this.log.info(`Evaluated ${what}: ${result.task}, ${result.samples} rows, ${headline(result)}`);
    try {
      const file = await saveRun(result);
      this.log.info(`Saved the evaluation to ${file}`);
      return { ...result, saved_to: file };
    } catch (e) {
      this.log.warn(`Could not save the evaluation of ${what}: ${logText(e)}`);
      void vscode.window.showWarningMessage(`The evaluation of ${what} could not be saved: ${e instanceof Error ? e.message : String(e)}`);
      return result;
    }
  }

  async compare(params: CompareParams): Promise<CompareResult> {
    const what = `${params.models.map((m) => path.basename(m)).join(', ')} on ${path.basename(params.data)}`;
    const result = await this.runner.run('compare', params, { title: `Comparing ${what}`, cancelled: `The comparison of ${what} was cancelled.` });
    this.log.info(`Compared ${what}: agreement ${result.agreement.map((a) => a.toFixed(4)).join(' / ')}`);
    return result;
  }

  async bench(params: BenchParams): Promise<BenchResult> {
    const name = path.basename(params.model);
    const result = await this.runner.run('bench', params, { title: `Benchmarking ${name}`, cancelled: `The benchmark of ${name} was cancelled.` });
    this.log.info(
      `Benchmark of ${params.model} (onnxruntime ${result.ort_version}):\n` +
        result.results
          .map((r) => `  batch ${r.batch_size}, threads ${r.threads}: p50 ${r.p50_ms.toFixed(3)} ms, p90 ${r.p90_ms.toFixed(3)} ms, p99 ${r.p99_ms.toFixed(3)} ms, ${Math.round(r.rows_per_s)} rows/s`)
          .join('\n'),
    );
    return result;
  }
}

function headline(r: EvaluateResult): string {
  const m = r.metrics as Record<string, unknown> | null;
  if (!m) return 'no labels';
  const key = r.task === 'classification' ? 'accuracy' : 'r2';
  return `${key} ${typeof m[key] === 'number' ? (m[key] as number).toFixed(4) : 'n/a'}`;
}
