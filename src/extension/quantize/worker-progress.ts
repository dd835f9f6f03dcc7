/** Runs a worker op under a cancellable progress notification that shows the worker's progress messages. */
import * as vscode from 'vscode';
import type { WorkerOp, WorkerOps } from '../../protocol/worker';
import type { WorkerClient } from '../worker/worker-client';

export function runWithProgress<K extends WorkerOp>(worker: WorkerClient, op: K, params: WorkerOps[K]['params'], title: string, cancelMessage: string): Promise<WorkerOps[K]['result']> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      let reported = 0;
      return worker.request(op, params, {
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
