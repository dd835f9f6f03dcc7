/**
 * The shape of an operation (quantize, prune, …): one module per operation folder (`<op>/<op>-operation.ts`)
 * exporting an `Operation`. Its command ids are declared in the vscode-free manifest (src/extension/logic/operations.ts);
 * `activate` registers them, using the host's shared runner for progress, cancellation, failures and the
 * scripted-arguments contract, and returns what it contributes to the extension's API (if anything) and
 * the disposables. The composition root (extension.ts) lists the operations, one line each.
 */
import type * as vscode from 'vscode';
import type { OperationName } from '../logic/operations';
import type { OperationSettings } from '../config/settings-reader';
import type { GraphOverlays } from './graph-overlays';
import type { WorkerClient } from '../worker/worker-client';
import type { OperationRunner } from './operation-runner';

/** What every operation gets from the composition root. */
export interface OperationHost {
  readonly context: vscode.ExtensionContext;
  readonly worker: WorkerClient;
  readonly log: vscode.LogOutputChannel;
  readonly overlays: GraphOverlays;
  readonly runner: OperationRunner;
  /** The settings for a model file's workspace folder. */
  readonly settings: (uri: vscode.Uri) => OperationSettings;
}

/** What an activated operation hands back: its disposables and its part of the extension API. */
export interface Activated<A = undefined> {
  readonly disposable: vscode.Disposable;
  readonly api: A;
}

export interface Operation<A = undefined> {
  readonly name: OperationName;
  activate(host: OperationHost): Activated<A>;
}

/** An operation's last run of a model in this session: what its re-runs (Re-quantize, Fine-tune…) start from. */
export interface LastRun<P, R> {
  readonly params: P;
  readonly result: R;
}

/** An operation without an API of its own. */
export function activated(...disposables: vscode.Disposable[]): Activated {
  return { disposable: { dispose: () => disposables.forEach((d) => d.dispose()) }, api: undefined };
}
