/**
 * Messages between the extension host and the Attributions panel (`ptp.explain`, webview app webview/explain).
 * Same channel rules as src/protocol/webview.ts: `ready` answers with the snapshot (re-sent whenever the
 * webview is re-created), every request gets a reply or an error. No vscode, no DOM.
 */
import type { ExplainResult } from './explain';
import type { ErrorInfo, ExportOutcome, RequestSpec } from './webview';

export interface ExplainSnapshot {
  readonly result: ExplainResult;
}

/** A plot the webview rendered, to be saved by the host: SVG text, or PNG bytes as base64. */
export interface PlotExport {
  readonly format: 'png' | 'svg';
  /** Suggested file stem, e.g. `waterfall-row-3`. */
  readonly name: string;
  readonly data: string;
}

export interface ExplainChannel {
  readonly requests: {
    readonly ready: RequestSpec<null, ExplainSnapshot>;
    /** Asks where to save the whole result as JSON (host save dialog) and writes it. */
    readonly saveJson: RequestSpec<null, ExportOutcome>;
    /** Saves the attributions as CSV: row, feature, output, value, phi. */
    readonly saveCsv: RequestSpec<null, ExportOutcome>;
    /** Saves one plot (PNG or SVG). */
    readonly savePlot: RequestSpec<PlotExport, ExportOutcome>;
  };
  readonly events: {
    /** A new result for this panel (a re-run). */
    readonly snapshot: ExplainSnapshot;
    /** A re-run for this panel failed; the shown result stays. */
    readonly failure: ErrorInfo;
  };
}
