/**
 * The Serving panel (webview app `serving`, one per window): the running server's versions with their live numbers
 * (pushed on every stats poll), routing controls (split, sticky header, shadow → POST …/routing; promote; roll
 * back) and Send Test Request (a data file from the quick pick, its first rows mapped onto the model's inputs,
 * sent with V2Client.infer; the answer shown as JSON text). The HTTP calls run here in the host; inference runs in
 * the server process.
 */
import * as vscode from 'vscode';
import { requestFromData } from '../../pipeline/serve/data-request';
import type { ServingChannel, ServingRouting, ServingSnapshot, TestAnswer } from '../../protocol/serving-panel';
import { DataPicker } from '../shared/data-picker';
import { iconPath, setWebviewHtml, webviewOptions } from '../webview/webview-setup';
import { WebviewRpc, type RequestHandlers } from '../webview/webview-rpc';
import { answerJson } from './logic/test-answer';
import { SERVING_PANEL_VIEW_TYPE } from './logic/serving-ids';
import type { ServingSession } from './serving-session';

const routingOf = (r: { routing: ServingRouting }): ServingRouting => r.routing;

export class ServingPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private rpc: WebviewRpc<ServingChannel> | undefined;
  private answer: TestAnswer | null = null;
  private readonly picker: DataPicker;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly session: ServingSession,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.picker = new DataPicker(context.workspaceState);
    this.subscriptions = [
      session.onDidPoll((stats) => this.rpc?.post('stats', stats)),
      session.onDidChangeServer(() => {
        this.answer = null;
        this.rpc?.post('snapshot', this.snapshot());
      }),
    ];
  }

  snapshot(): ServingSnapshot {
    return { server: this.session.server, stats: this.session.stats, answer: this.answer };
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      return;
    }
    const extensionUri = this.context.extensionUri;
    const panel = vscode.window.createWebviewPanel(SERVING_PANEL_VIEW_TYPE, 'Serving', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, webviewOptions(extensionUri));
    panel.iconPath = iconPath(extensionUri);
    this.panel = panel;
    this.rpc = new WebviewRpc<ServingChannel>(panel.webview, this.handlers(), this.log, 'serving panel');
    setWebviewHtml(panel.webview, extensionUri, 'serving', 'Serving');
    panel.onDidDispose(() => {
      this.rpc?.dispose();
      this.rpc = undefined;
      this.panel = undefined;
    });
  }

  private handlers(): RequestHandlers<ServingChannel> {
    return {
      ready: () => this.snapshot(),
      setRouting: async ({ model, split, stickyHeader, shadow }) =>
        routingOf(await this.session.v2.setRouting(model, { ...(split ? { split: { ...split } } : {}), ...(stickyHeader !== undefined ? { sticky_header: stickyHeader } : {}), ...(shadow !== undefined ? { shadow } : {}) })),
      promote: async ({ model, version }) => routingOf(await this.session.v2.promote(model, version)),
      rollback: async ({ model }) => routingOf(await this.session.v2.rollback(model)),
      sendTestRequest: ({ model, rows }) => this.sendTestRequest(model, rows),
      stop: async () => {
        await this.session.stop();
        return null;
      },
    };
  }

  /** Picks a data file, sends its first `rows` rows to `model`; null when the picker was dismissed. */
  async sendTestRequest(model: string, rows: number, dataFile?: string): Promise<TestAnswer | null> {
    const client = this.session.v2;
    const source = this.session.server?.versions.find((v) => v.model === model && v.source.toLowerCase().endsWith('.onnx'))?.source;
    const near = source ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const data = dataFile ?? (await this.picker.pick(near, `Send a test request to ${model}`));
    if (!data) return null;
    if (source) await this.picker.remember(source, data);
    const meta = await client.modelMetadata(model);
    const request = await requestFromData(data, meta.inputs, rows);
    const started = performance.now();
    const result = await client.infer(model, request.inputs);
    const answer: TestAnswer = { model, modelVersion: result.model_version ?? null, data, rows: request.rows, ms: performance.now() - started, json: answerJson(result) };
    this.answer = answer;
    void this.session.poll();
    return answer;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.panel?.dispose();
  }
}
