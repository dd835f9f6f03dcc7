/**
 * Messages between the extension host and the Monitoring dashboard (`ptp.monitor`, webview app webview/monitor).
 * The dashboard gets only the MonitorResult (aggregates: per-chunk drift, metrics, latency, alerts and per-bin
 * shares), never rows. Same channel rules as src/protocol/webview.ts: `ready` answers with the snapshot, every
 * request gets a reply or an error. Column, class and file names are data and are shown as text. No vscode, no DOM.
 */
import type { MonitorResult } from './monitor';
import type { ErrorInfo, ExportOutcome, RequestSpec } from './webview';

/** Watch mode: the op re-run every `seconds` while the dashboard is open. */
export interface WatchState {
  readonly on: boolean;
  readonly seconds: number;
  /** ISO time of the last run (a watch re-run or the first run). */
  readonly lastRun: string;
}

export interface MonitorSnapshot {
  /** What the run watched: "<model> · <current file>". */
  readonly label: string;
  readonly result: MonitorResult;
  readonly watch: WatchState;
  /** Whether `ptp.monitor.onAlert` names a task or a command (Run Retraining is enabled). */
  readonly retraining: string | null;
}

export interface MonitorChannel {
  readonly requests: {
    readonly ready: RequestSpec<null, MonitorSnapshot>;
    /** Copies the MonitorResult as JSON to the clipboard. */
    readonly copyJson: RequestSpec<null, ExportOutcome>;
    /** Asks where to save the self-contained HTML report and has the op write it. */
    readonly saveHtml: RequestSpec<null, ExportOutcome>;
    /** Turns watch mode on or off; answers with the new state. */
    readonly toggleWatch: RequestSpec<null, WatchState>;
    /** Re-runs the op now. */
    readonly refresh: RequestSpec<null, null>;
    /** Runs `ptp.monitor.onAlert` with the alerts of the shown result. */
    readonly runRetraining: RequestSpec<null, { readonly started: string }>;
  };
  readonly events: {
    readonly snapshot: MonitorSnapshot;
    /** A re-run failed; the shown result stays. */
    readonly failure: ErrorInfo;
    readonly watch: WatchState;
  };
}
