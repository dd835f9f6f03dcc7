/** Composition root: creates each service, wires it to the others, hands it to context.subscriptions. */
import { moduleLoadStart } from './activation-clock';
import * as vscode from 'vscode';
import { registerCommands } from './commands/register-commands';
import { registerDistillation, type DistillationFeature } from './distill/distill-commands';
import { readSettings } from './config/settings-reader';
import { registerEvaluation } from './evaluation/evaluation-commands';
import { registerExplain } from './explain/explain-commands';
import { OUTPUT_CHANNEL_NAME } from './logic/ids';
import { ComparePanels } from './graph/compare-panel';
import { registerGraphCommands } from './graph/graph-commands';
import { ProfileService } from './graph/profile-service';
import { GraphOverlays } from './model/graph-overlays';
import { ModelEditorProvider } from './model/model-editor-provider';
import { registerPruning, type PruningFeature } from './prune/prune-commands';
import { registerQuantization, type QuantizationFeature } from './quantize/quantize-commands';
import { SamplePanels } from './sample/sample-panels';
import { SampleService } from './sample/sample-service';
import { ValidationService } from './validation/validation-service';
import { WorkerClient } from './worker/worker-client';

/** What `vscode.extensions.getExtension('ptp-team.post-training-pipeline').exports` holds. */
export interface PtpExtensionApi {
  /** From loading this module to the end of activate(), in ms. */
  readonly activationMs: number;
  /** Per-node overlays and node actions of the Graph tab (tests run node actions through it). */
  readonly overlays: GraphOverlays;
  /** The last quantization result of a model in this session. */
  readonly quantization: Pick<QuantizationFeature, 'lastResult'>;
  /** The open Pruning report of a model, and its "Sensitivity analysis…" button. */
  readonly pruning: Pick<PruningFeature, 'panelSnapshot' | 'runSensitivity'>;
  /** The open Distillation report of a teacher model. */
  readonly distillation: Pick<DistillationFeature, 'panelSnapshot'>;
}

export function activate(context: vscode.ExtensionContext): PtpExtensionApi {
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  const worker = new WorkerClient({
    modulePath: context.asAbsolutePath('dist/cli.js'),
    args: ['worker'],
    log,
    onUnexpectedExit: (error) => void vscode.window.showErrorMessage(error.message),
  });
  const validation = new ValidationService(worker, log, readSettings);
  const sampler = new SampleService(worker, log, readSettings);
  const samplePanels = new SamplePanels(context.extensionUri, log);
  // Per-node overlays (profiling, quantization error, sparsity) shared by features and the Graph tab.
  const overlays = new GraphOverlays();
  const profiles = new ProfileService(worker, overlays, log, readSettings);
  const comparePanels = new ComparePanels(context.extensionUri, log, readSettings);
  const quantization = registerQuantization({ context, worker, log, overlays });
  const pruning = registerPruning({ context, worker, log, overlays });
  const distillation = registerDistillation({ context, worker, log });
  context.subscriptions.push(
    overlays,
    log,
    { dispose: () => worker.dispose() },
    validation,
    sampler,
    samplePanels,
    profiles,
    comparePanels,
    ModelEditorProvider.register({ extensionUri: context.extensionUri, log, validation, sampler, settings: readSettings, overlays, profiles }),
    registerGraphCommands({ log, profiles, comparePanels }),
    registerCommands({ log, validation, sampler, samplePanels }),
    registerEvaluation({ context, worker, log }),
    quantization,
    registerExplain({ context, worker, log }),
    pruning,
    distillation,
  );

  const activationMs = performance.now() - moduleLoadStart;
  log.info(`Activated ${context.extension.id} ${context.extension.packageJSON.version ?? ''} in ${activationMs.toFixed(1)} ms`);
  return { activationMs, overlays, quantization, pruning, distillation };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
