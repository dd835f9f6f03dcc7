/**
 * Monitoring dashboards (webview app `monitor`): one per model + current data, reused and revealed on the next run.
 * The webview asks for the snapshot on `ready`; its buttons (Copy JSON, Save HTML…, Watch, Refresh, Run Retraining)
 * are answered by the controls the operation gives each dashboard.
 */
import * as vscode from 'vscode';
import type { MonitorChannel, MonitorSnapshot, WatchState } from '../../protocol/monitor-panel';
import type { ErrorInfo, ExportOutcome } from '../../protocol/webview';
import { ReportPanel, ReportPanelSet } from '../webview/report-panel';
import type { RequestHandlers } from '../webview/webview-rpc';
import { copyJson } from '../webview/report-export';
import { MONITOR_PANEL_VIEW_TYPE } from './logic/monitor-ids';

/** What a dashboard's buttons do (the operation's run of its key). */
export interface DashboardControls {
  saveHtml(): Promise<ExportOutcome>;
  toggleWatch(): WatchState;
  refresh(): Promise<null>;
  runRetraining(): Promise<{ readonly started: string }>;
  /** The dashboard was closed. */
  closed(): void;
}

export class MonitorPanel extends ReportPanel<MonitorSnapshot, MonitorChannel> {
  private controls: DashboardControls | undefined;

  constructor(panel: vscode.WebviewPanel, snapshot: MonitorSnapshot, extensionUri: vscode.Uri, log: vscode.LogOutputChannel, controls: DashboardControls) {
    super(panel, snapshot, 'monitor', extensionUri, log);
    this.controls = controls;
  }

  protected handlers(): Omit<RequestHandlers<MonitorChannel>, 'ready'> {
    return {
      copyJson: () => copyJson(this.snapshot.result),
      saveHtml: () => this.control().saveHtml(),
      toggleWatch: async () => this.control().toggleWatch(),
      refresh: () => this.control().refresh(),
      runRetraining: () => this.control().runRetraining(),
    };
  }

  private control(): DashboardControls {
    if (!this.controls) throw new Error('This dashboard is closed.');
    return this.controls;
  }

  fail(error: ErrorInfo): void {
    this.post('failure', error);
  }

  /** Shows the watch state (kept for the next `ready`). */
  watch(state: WatchState): void {
    this.keep({ ...this.snapshot, watch: state });
    this.post('watch', state);
  }

  override dispose(): void {
    const controls = this.controls;
    this.controls = undefined;
    controls?.closed();
    super.dispose();
  }
}

export class MonitorDashboards extends ReportPanelSet<MonitorSnapshot, MonitorPanel> {
  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, controls: (key: string) => DashboardControls) {
    super(MONITOR_PANEL_VIEW_TYPE, extensionUri, (panel, snapshot, key) => new MonitorPanel(panel, snapshot, extensionUri, log, controls(key)));
  }
}

/** One dashboard per model + current data. */
export const dashboardKey = (model: string, current: string) => `monitor\n${model}\n${current}`;
