/**
 * Composition root: makes the worker, the shared runner and the model services, then activates every operation
 * of the manifest (src/extension/logic/operations.ts), one line each, and hands them to context.subscriptions.
 */
import { moduleLoadStart } from './activation-clock';
import * as vscode from 'vscode';
import { readOperationSettings } from './config/settings-reader';
import { distillOperation, type DistillationApi } from './distill/distill-operation';
import { evaluationOperation } from './evaluation/evaluation-operation';
import { explainOperation } from './explain/explain-operation';
import { graphOperation } from './graph/graph-operation';
import { OUTPUT_CHANNEL_NAME } from './logic/ids';
import { declaredCommands, type OperationName } from './logic/operations';
import { GraphOverlays } from './shared/graph-overlays';
import { monitorOperation } from './monitor/monitor-operation';
import { modelOperation } from './model/model-operation';
import { createModelServices } from './model-services';
import { optimizeOperation } from './optimize/optimize-operation';
import { pipelineOperation, type PipelineApi } from './pipeline/pipeline-operation';
import { predictOperation } from './predict/predict-operation';
import { welcomeOperation } from './welcome/welcome-operation';
import { pruneOperation, type PruningApi } from './prune/prune-operation';
import { quantizeOperation, type QuantizationApi } from './quantize/quantize-operation';
import { registryOperation, type RegistryApi } from './registry/registry-operation';
import { servingOperation, type ServingApi } from './serving/serving-operation';
import type { Operation, OperationHost } from './shared/operation';
import { OperationRunner } from './shared/operation-runner';
import { shownWebviews, type ShownWebview } from './webview/webview-setup';
import { WorkerClient } from './worker/worker-client';

/** What `vscode.extensions.getExtension('ptp-team.post-training-pipeline').exports` holds. */
export interface PtpExtensionApi {
  /** From loading this module to the end of activate(), in ms. */
  readonly activationMs: number;
  /** Per-node overlays and node actions of the Graph tab (tests run node actions through it). */
  readonly overlays: GraphOverlays;
  /** The last quantization result of a model in this session. */
  readonly quantization: QuantizationApi;
  /** The open Pruning report of a model, and its "Sensitivity analysis…" button. */
  readonly pruning: PruningApi;
  /** The open Distillation report of a teacher model. */
  readonly distillation: DistillationApi;
  /** The workspace model registry and its Models view. */
  readonly registry: RegistryApi;
  /** The running ptp serve of this window. */
  readonly serving: ServingApi;
  /** The Pipeline view and the pipeline report panel. */
  readonly pipeline: PipelineApi;
  /** The worker processes serving a request now (tests kill one to prove the host survives). */
  readonly worker: { busy(): readonly { readonly pid: number; readonly op: string }[] };
  /** The webviews set up so far: app, HTML shell, options (the security host test checks every panel's). */
  readonly webviews: { shown(): readonly ShownWebview[] };
}

export function activate(context: vscode.ExtensionContext): PtpExtensionApi {
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  const worker = new WorkerClient({
    modulePath: context.asAbsolutePath('dist/cli.js'),
    args: ['worker'],
    log,
    onUnexpectedExit: (error) => void vscode.window.showErrorMessage(error.message),
  });
  // Per-node overlays (profiling, quantization error, sparsity) shared by operations and the Graph tab.
  const overlays = new GraphOverlays();
  const runner = new OperationRunner(worker, log);
  const host: OperationHost = { context, worker, log, overlays, runner, settings: readOperationSettings };
  const services = createModelServices(host);
  context.subscriptions.push(overlays, log, runner, { dispose: () => worker.dispose() }, services);

  // Monitor Model… offers the request log of the server this window runs (serving is activated after it).
  const served: { api?: ServingApi } = {};
  const operations = {
    model: modelOperation(services),
    graph: graphOperation(services),
    evaluation: evaluationOperation,
    predict: predictOperation,
    monitor: monitorOperation(() => served.api?.requestLog() ?? null),
    quantize: quantizeOperation,
    optimize: optimizeOperation,
    explain: explainOperation,
    prune: pruneOperation,
    distill: distillOperation,
    registry: registryOperation,
    serving: servingOperation,
    welcome: welcomeOperation,
    pipeline: pipelineOperation,
  } satisfies Record<OperationName, Operation<unknown>>;
  const activate = <A>(operation: Operation<A>): A => {
    const { disposable, api } = operation.activate(host);
    context.subscriptions.push(disposable);
    return api;
  };
  for (const operation of [operations.model, operations.graph, operations.evaluation, operations.predict, operations.monitor, operations.optimize, operations.explain, operations.welcome]) activate(operation);
  const quantization = activate(operations.quantize);
  const pruning = activate(operations.prune);
  const distillation = activate(operations.distill);
  const registry = activate(operations.registry);
  const serving = activate(operations.serving);
  served.api = serving;
  const pipeline = activate(operations.pipeline);
  void checkRegistered(log);

  const activationMs = performance.now() - moduleLoadStart;
  log.info(`Activated ${context.extension.id} ${context.extension.packageJSON.version ?? ''} in ${activationMs.toFixed(1)} ms`);
  return { activationMs, overlays, quantization, pruning, distillation, registry, serving, pipeline, worker: { busy: () => worker.busy }, webviews: { shown: shownWebviews } };
}

/** Every command the manifest declares must have been registered by its operation (logged otherwise). */
async function checkRegistered(log: vscode.LogOutputChannel): Promise<void> {
  const registered = new Set(await vscode.commands.getCommands(true));
  const missing = declaredCommands().filter((c) => !registered.has(c));
  if (missing.length) log.error(`Declared but not registered: ${missing.join(', ')}`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
