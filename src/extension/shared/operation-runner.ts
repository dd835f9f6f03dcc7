/**
 * What every operation's command does the same way, written once: which model it acts on, the scripted-arguments
 * contract, the output ≠ source guard, the worker request under a cancellable progress notification, and how a
 * failure is told (notification, log, open report panel).
 *
 * The scripted-arguments contract: a command called with an arguments object (a script or test:
 * `executeCommand(id, uri, { … })`) skips the pickers and parses the object instead; a failure then REJECTS
 * (after the same notification a user gets) so the caller sees it. Called interactively (no arguments object)
 * a failure is reported and the command resolves to undefined; Escape in a picker resolves to undefined too.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ErrorInfo } from '../../protocol/webview';
import type { WorkerOp, WorkerOps } from '../../protocol/worker';
import type { WorkerClient } from '../worker/worker-client';
import { isCancellation, WorkerStoppedError } from '../worker/worker-errors';
import { rejectionFor } from './logic/failure';
import { isArgsObject } from './logic/command-args';
import { logText, toErrorInfo } from './logic/user-errors';
import { resolveModelUri } from './model-target';
import { fileName, modelPath } from './model-file';

/** Where a failure is also shown: the open report panel of `key` (if any). */
export interface FailurePanels {
  fail(key: string, info: ErrorInfo): void;
}

/** How a failure is told. */
export interface FailureReport {
  /** The file the action was about: the message becomes "<Action> failed for <file>: …". */
  readonly file?: string;
  /** The open report panel that shows the failure too. */
  readonly panels?: FailurePanels;
  readonly key?: string;
  /** Rewrites the user's message (e.g. CLI wording into VS Code wording). */
  readonly message?: (e: unknown, message: string) => string;
  /** A cancellation is only logged, not notified (the user pressed Cancel and sees nothing more). */
  readonly quietCancel?: boolean;
}

export interface ProgressSpec {
  /** The notification's title, e.g. "Quantizing model.onnx". */
  readonly title: string;
  /** The cancellation message, e.g. "The quantization of model.onnx was cancelled." */
  readonly cancelled: string;
  /** Another token that cancels the request too (e.g. a closed view). */
  readonly token?: vscode.CancellationToken;
  /** Also told every progress message (e.g. a view showing the running stage). */
  readonly onProgress?: (p: { readonly message?: string; readonly fraction?: number }) => void;
  /** Run in a process of its own (a pipeline run: long work that holds the process). */
  readonly dedicated?: boolean;
}

/** The model a command acts on. */
export interface ModelTarget {
  readonly uri: vscode.Uri;
  /** Absolute path. */
  readonly model: string;
  /** Base name, for titles. */
  readonly name: string;
}

/** One model command: how it gets its choices and what it does with them; the runner does the rest. */
export interface ModelCommand<C, R> {
  readonly command: string;
  /** "Quantize Model": the open dialog's label and the failure message's subject. */
  readonly action: string;
  /** The arguments object → choices (throws CommandArgumentsError). */
  parse(args: Record<string, unknown>): C;
  /** The pickers; undefined when the user pressed Escape. */
  pick(target: ModelTarget): Promise<C | undefined>;
  /** The output file the choices name, checked against the source model before the run. */
  output?(choices: C, target: ModelTarget): string | undefined;
  /** The report panel that shows a failure of this command. */
  readonly panels?: FailurePanels;
  /** Its key for this model (and choices, once made). */
  key?(target: ModelTarget, choices?: C): string | undefined;
  /** Rewrites the failure message. */
  readonly message?: FailureReport['message'];
  /** A cancellation is only logged (FailureReport.quietCancel). */
  readonly quietCancel?: boolean;
  /** Runs the operation and shows its result. */
  run(target: ModelTarget, choices: C): Promise<R>;
}

/** The worker ops that write a new model file (`result.output`). */
const MODEL_WRITING_OPS: ReadonlySet<WorkerOp> = new Set<WorkerOp>(['quantize', 'optimize', 'prune', 'distill']);

export class OperationRunner implements vscode.Disposable {
  private readonly written = new vscode.EventEmitter<string>();
  /** Fires with the file a model-writing operation (quantize, optimize, prune, distill) has just written. */
  readonly onModelWritten = this.written.event;

  constructor(
    private readonly worker: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
    this.written.dispose();
  }

  /** Runs worker op `op` under a cancellable progress notification showing the worker's progress messages. */
  run<K extends WorkerOp>(op: K, params: WorkerOps[K]['params'], { title, cancelled, token, onProgress, dedicated }: ProgressSpec): Promise<WorkerOps[K]['result']> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, progressToken) => {
        const cts = new vscode.CancellationTokenSource();
        const links = [progressToken.onCancellationRequested(() => cts.cancel())];
        if (token) links.push(token.onCancellationRequested(() => cts.cancel()));
        let reported = 0;
        try {
          const result = await this.worker.request(op, params, {
            token: cts.token,
            cancelMessage: cancelled,
            ...(dedicated ? { dedicated: true } : {}),
            onProgress: (p) => {
              onProgress?.(p);
              const percent = p.fraction !== undefined ? Math.max(0, Math.min(100, p.fraction * 100)) : reported;
              progress.report({ message: p.message, increment: percent - reported });
              reported = percent;
            },
          });
          const output = (result as { output?: unknown }).output;
          if (MODEL_WRITING_OPS.has(op) && typeof output === 'string') this.written.fire(output);
          return result;
        } finally {
          for (const link of links) link.dispose();
          cts.dispose();
        }
      }),
    );
  }

  /**
   * Tells the user how `action` failed: a cancellation as information, anything else as an error (a stopped
   * worker was already shown by the worker client); logs it; shows it in the open report panel. Returns what a
   * script's promise rejects with (still a cancellation when the user cancelled).
   */
  fail(action: string, e: unknown, report: FailureReport = {}): Error {
    const info = toErrorInfo(e);
    const message = report.message ? report.message(e, info.message) : info.message;
    if (isCancellation(e)) {
      this.log.info(message);
      if (!report.quietCancel) void vscode.window.showInformationMessage(message);
    } else {
      const subject = report.file ? `${action} failed for ${path.basename(report.file)}` : `${action} failed`;
      this.log.error(`${subject}: ${logText(e)}`);
      if (!(e instanceof WorkerStoppedError)) void vscode.window.showErrorMessage(`${subject}: ${message}`);
    }
    if (report.panels && report.key) report.panels.fail(report.key, { ...info, message });
    return rejectionFor(e, message);
  }

  /** The command handler `(uri?, args?)` of `spec`, following the scripted-arguments contract. */
  modelCommand<C, R>(spec: ModelCommand<C, R>): (arg?: unknown, args?: unknown) => Promise<R | undefined> {
    return async (arg, args) => {
      const scripted = isArgsObject(args);
      let target: ModelTarget | undefined;
      let key: string | undefined;
      try {
        const uri = await resolveModelUri(arg, spec.action);
        if (!uri) return undefined;
        target = { uri, model: modelPath(uri), name: fileName(uri) };
        key = spec.key?.(target);
        const choices = isArgsObject(args) ? spec.parse(args) : await spec.pick(target);
        if (choices === undefined) return undefined;
        key = spec.key?.(target, choices);
        assertNotSource(spec.output?.(choices, target), target.model);
        return await spec.run(target, choices);
      } catch (e) {
        const error = this.fail(spec.action, e, { ...(target ? { file: target.model } : {}), ...(spec.panels && key ? { panels: spec.panels, key } : {}), ...(spec.message ? { message: spec.message } : {}), ...(spec.quietCancel ? { quietCancel: true } : {}) });
        if (scripted) throw error;
        return undefined;
      }
    };
  }

  /** Registers `spec` as its command. */
  register<C, R>(spec: ModelCommand<C, R>): vscode.Disposable {
    return vscode.commands.registerCommand(spec.command, this.modelCommand(spec));
  }
}

/** The guard every model-writing operation shares: an output file is never its source model. */
export function assertNotSource(output: string | undefined, source: string, what = 'source model'): void {
  if (output && path.resolve(output) === path.resolve(source)) throw new Error(`The output cannot be the ${what}.`);
}
