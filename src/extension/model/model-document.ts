/**
 * The custom editor's document: the opened model (structure only; weights stay on disk) and its
 * InspectResult, or the error that kept it from opening. Re-reads the file when it changes on disk (e.g.
 * `ptp optimize` overwrote it) and tells its editors. Closes the model when disposed.
 * Also remembers the latest validation/sample results so a re-created webview shows them again.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { OnnxModel } from '../../core';
import type { InspectResult, ValidateResult } from '../../core/report-types';
import type { ErrorInfo, FileInfo } from '../../protocol/webview';
import type { SampleResult } from '../../protocol/worker';
import { logText, toErrorInfo } from '../shared/logic/user-errors';
import { loadCore } from '../shared/core-loader';
import { fileInfo, modelPath } from '../shared/model-file';

export type ModelState =
  | { readonly status: 'ok'; readonly model: OnnxModel; readonly overview: InspectResult }
  | { readonly status: 'error'; readonly error: ErrorInfo };

const RELOAD_DELAY_MS = 300;

export class ModelDocument implements vscode.CustomDocument {
  lastValidation: ValidateResult | null = null;
  lastSample: SampleResult | null = null;
  private readonly changed = new vscode.EventEmitter<void>();
  /** The file changed on disk and `state` now reflects the new content. */
  readonly onDidChange = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();
  private disposed = false;

  private constructor(
    readonly uri: vscode.Uri,
    private currentFile: FileInfo,
    private currentState: ModelState,
    private readonly log: vscode.LogOutputChannel,
  ) {
    if (uri.scheme === 'file') {
      const pattern = new vscode.RelativePattern(vscode.Uri.file(path.dirname(uri.fsPath)), path.basename(uri.fsPath));
      this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const schedule = () => this.scheduleReload();
      this.watcher.onDidChange(schedule);
      this.watcher.onDidCreate(schedule);
      this.watcher.onDidDelete(schedule);
    }
  }

  static async open(uri: vscode.Uri, log: vscode.LogOutputChannel): Promise<ModelDocument> {
    const { file, state } = await load(uri, log);
    return new ModelDocument(uri, file, state, log);
  }

  get file(): FileInfo {
    return this.currentFile;
  }

  get state(): ModelState {
    return this.currentState;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.reloadTimer);
    this.watcher?.dispose();
    this.changed.dispose();
    if (this.currentState.status === 'ok') void closeQuietly(this.currentState.model, this.log);
  }

  private scheduleReload(): void {
    if (this.disposed) return;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloading = this.reloading.then(() => this.reload());
    }, RELOAD_DELAY_MS);
  }

  private async reload(): Promise<void> {
    if (this.disposed) return;
    this.log.info(`${this.uri.fsPath} changed on disk; reading it again`);
    const { file, state } = await load(this.uri, this.log);
    if (this.disposed) {
      if (state.status === 'ok') await closeQuietly(state.model, this.log);
      return;
    }
    const previous = this.currentState;
    this.currentFile = file;
    this.currentState = state;
    this.lastValidation = null;
    this.lastSample = null;
    if (previous.status === 'ok') await closeQuietly(previous.model, this.log);
    this.changed.fire();
  }
}

async function load(uri: vscode.Uri, log: vscode.LogOutputChannel): Promise<{ file: FileInfo; state: ModelState }> {
  const started = performance.now();
  const file = await fileInfo(uri);
  let model: OnnxModel | undefined;
  try {
    const core = await loadCore();
    model = await core.openModel(modelPath(uri));
    const overview = core.inspect(model);
    log.info(
      `Opened ${file.path} in ${(performance.now() - started).toFixed(0)} ms ` +
        `(${overview.node_count_total} nodes, ${overview.parameter_count} parameters)`,
    );
    return { file, state: { status: 'ok', model, overview } };
  } catch (e) {
    if (model) await closeQuietly(model, log);
    log.error(`Could not open ${file.path}: ${logText(e)}`);
    return { file, state: { status: 'error', error: toErrorInfo(e, file.path) } };
  }
}

async function closeQuietly(model: OnnxModel, log: vscode.LogOutputChannel): Promise<void> {
  try {
    await model.close();
  } catch (e) {
    log.warn(`Closing a model failed: ${logText(e)}`);
  }
}
