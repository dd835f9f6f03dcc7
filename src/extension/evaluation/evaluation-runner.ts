/**
 * Runs the worker ops `evaluate`, `compare` and `bench` under a cancellable progress notification that shows
 * the worker's progress messages. Cancel kills the worker (WorkerClient) and the promise rejects with an
 * OperationCancelledError. Evaluations are saved with `saveRun` (`.ptp/runs/…json` next to the model).
 */
import * as vscode from 'vscode';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { BenchParams, BenchResult, CompareParams, CompareResult, EvaluateParams, EvaluateResult } from '../../protocol/evaluate';
import type { WorkerOp, WorkerOps } from '../../protocol/worker';
import { saveRun } from '../../pipeline/evaluate/save';
import { logText } from '../shared/logic/user-errors';
import type { WorkerClient } from '../worker/worker-client';

export class EvaluationRunner {
  constructor(
    private readonly worker: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Evaluates and saves the run; `saved_to` is set unless saving failed (logged, shown as a warning). */
  async evaluate(params: EvaluateParams): Promise<EvaluateResult> {
    if (params.outputsFile) await mkdir(path.dirname(params.outputsFile), { recursive: true });
    const what = `${path.basename(params.model)} on ${path.basename(params.data)}`;
    const result = await this.run('evaluate', params, `Evaluating ${what}`, `The evaluation of ${what} was cancelled.`);
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
    const result = await this.run('compare', params, `Comparing ${what}`, `The comparison of ${what} was cancelled.`);
    this.log.info(`Compared ${what}: agreement ${result.agreement.map((a) => a.toFixed(4)).join(' / ')}`);
    return result;
  }

  async bench(params: BenchParams): Promise<BenchResult> {
    const name = path.basename(params.model);
    const result = await this.run('bench', params, `Benchmarking ${name}`, `The benchmark of ${name} was cancelled.`);
    this.log.info(
      `Benchmark of ${params.model} (onnxruntime ${result.ort_version}):\n` +
        result.results
          .map((r) => `  batch ${r.batch_size}, threads ${r.threads}: p50 ${r.p50_ms.toFixed(3)} ms, p90 ${r.p90_ms.toFixed(3)} ms, p99 ${r.p99_ms.toFixed(3)} ms, ${Math.round(r.rows_per_s)} rows/s`)
          .join('\n'),
    );
    return result;
  }

  private run<K extends WorkerOp>(op: K, params: WorkerOps[K]['params'], title: string, cancelMessage: string): Promise<WorkerOps[K]['result']> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        let reported = 0;
        return this.worker.request(op, params, {
          token,
          cancelMessage,
          onProgress: (p) => {
            const percent = p.fraction !== undefined ? Math.max(0, Math.min(100, p.fraction * 100)) : reported;
            progress.report({ message: p.message, increment: percent - reported });
            reported = percent;
          },
        });
      }),
    );
  }
}

function headline(r: EvaluateResult): string {
  const m = r.metrics as Record<string, unknown> | null;
  if (!m) return 'no labels';
  const key = r.task === 'classification' ? 'accuracy' : 'r2';
  return `${key} ${typeof m[key] === 'number' ? (m[key] as number).toFixed(4) : 'n/a'}`;
}
