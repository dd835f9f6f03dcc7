/**
 * What every report panel host shares (evaluation, attributions, quantization, pruning, distillation): a webview
 * panel showing one snapshot over a typed channel whose `ready` request answers with the snapshot and whose
 * `snapshot` event pushes a new one; and the set of such panels, one per key, reused and revealed on the next run.
 * A feature's panel set is a ReportPanelSet subclass that only says how to create its panel (and adds what is its
 * own, e.g. Prune's sensitivity event). A subclass of ReportPanel adds its own requests (exports, re-runs) in `handlers()` and its own events through `post`.
 */
import * as vscode from 'vscode';
import type { Channel, ErrorInfo, EventOf, RequestSpec } from '../../protocol/webview';
import { iconPath, setWebviewHtml, webviewOptions, type WebviewApp } from './webview-setup';
import { WebviewRpc, type RequestHandlers } from './webview-rpc';

/** A channel with the report handshake: `ready` → snapshot, and the `snapshot` event. */
export interface ReportChannel<S> extends Channel {
  readonly requests: { readonly ready: RequestSpec<null, S> } & Channel['requests'];
  readonly events: { readonly snapshot: S } & Channel['events'];
}

export abstract class ReportPanel<S, C extends ReportChannel<S>> implements vscode.Disposable {
  private readonly rpc: WebviewRpc<C>;
  private current: S;

  constructor(
    readonly panel: vscode.WebviewPanel,
    snapshot: S,
    app: WebviewApp,
    extensionUri: vscode.Uri,
    log: vscode.LogOutputChannel,
  ) {
    this.current = snapshot;
    // handlers() runs before the subclass's own fields are set: its handlers may only use them when called.
    this.rpc = new WebviewRpc<C>(panel.webview, this.allHandlers(), log, `${app} ${panel.title}`);
    setWebviewHtml(panel.webview, extensionUri, app, panel.title);
  }

  /** The channel's requests besides `ready` (which this class answers with the snapshot). */
  protected abstract handlers(): Omit<RequestHandlers<C>, 'ready'>;

  /** What the panel shows (and answers `ready` with). */
  get snapshot(): S {
    return this.current;
  }

  /** Shows a new snapshot (kept for the next `ready`, pushed as the `snapshot` event). */
  update(snapshot: S): void {
    this.current = snapshot;
    this.post('snapshot', snapshot as C['events']['snapshot']);
  }

  /** Replaces the snapshot the next `ready` gets, without pushing it (the webview got the change as another event). */
  protected keep(snapshot: S): void {
    this.current = snapshot;
  }

  /** Pushes an event to the webview (dropped once disposed). */
  protected post<K extends EventOf<C>>(event: K, data: C['events'][K]): void {
    this.rpc.post(event, data);
  }

  dispose(): void {
    this.rpc.dispose();
  }

  /** Used by the constructor: `ready` plus the subclass's handlers. */
  private allHandlers(): RequestHandlers<C> {
    return { ...this.handlers(), ready: () => this.current } as unknown as RequestHandlers<C>;
  }
}

/** What ReportPanelSet needs of a panel host (a ReportPanel). */
export interface ShownPanel<S> extends vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  readonly snapshot: S;
  update(snapshot: S): void;
  /** Shows that a re-run failed (panels whose channel has a `failure` event). */
  fail?(error: ErrorInfo): void;
  /** Disables the panel's actions while a re-run is under way (panels whose channel has a `busy` event). */
  busy?(on: boolean): void;
}

/** The open panels of one view type, one per key; `create` makes the host of a new webview panel. */
export class ReportPanelSet<S, P extends ShownPanel<S>> implements vscode.Disposable {
  private readonly panels = new Map<string, P>();

  constructor(
    private readonly viewType: string,
    private readonly extensionUri: vscode.Uri,
    private readonly create: (panel: vscode.WebviewPanel, snapshot: S, key: string) => P,
  ) {}

  /** Shows `snapshot` in the panel of `key`: the open one updated and revealed, or a new one beside the editor. */
  show(key: string, title: string, snapshot: S): P {
    const existing = this.panels.get(key);
    if (existing) {
      existing.update(snapshot);
      existing.panel.title = title;
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(this.viewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(this.extensionUri));
    panel.iconPath = iconPath(this.extensionUri);
    const view = this.create(panel, snapshot, key);
    this.panels.set(key, view);
    panel.onDidDispose(() => {
      view.dispose();
      if (this.panels.get(key) === view) this.panels.delete(key);
    });
    return view;
  }

  /** The open panel of `key`, if any. */
  get(key: string): P | undefined {
    return this.panels.get(key);
  }

  has(key: string): boolean {
    return this.panels.has(key);
  }

  /** What the open panel of `key` shows (undefined when none is open). */
  snapshot(key: string): S | undefined {
    return this.panels.get(key)?.snapshot;
  }

  /** Updates the panel of `key` only if it is open. */
  update(key: string, snapshot: S): void {
    this.panels.get(key)?.update(snapshot);
  }

  /** Tells the open panel of `key` (if any) that a run failed. */
  fail(key: string, error: ErrorInfo): void {
    this.panels.get(key)?.fail?.(error);
  }

  busy(key: string, on: boolean): void {
    this.panels.get(key)?.busy?.(on);
  }

  dispose(): void {
    for (const view of this.panels.values()) view.panel.dispose();
    this.panels.clear();
  }
}
