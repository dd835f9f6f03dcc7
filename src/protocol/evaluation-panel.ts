/**
 * Messages between the extension host and the Evaluation panel (`ptp.evaluation`, webview app
 * webview/evaluation). One app, three modes: an evaluation (worker op `evaluate`), a comparison of models on
 * the same data (`compare`) and a latency benchmark (`bench`). Same channel rules as src/protocol/webview.ts:
 * `ready` answers with the snapshot (the host re-sends it whenever the webview is re-created), every request
 * gets a reply or an error. No vscode, no DOM.
 */
import type { BenchResult, CompareResult, EvaluateResult } from './evaluate';
import type { ErrorInfo, ExportOutcome, RequestSpec } from './webview';

export type EvaluationSnapshot =
  | { readonly kind: 'evaluate'; readonly result: EvaluateResult }
  | { readonly kind: 'compare'; readonly result: CompareResult }
  | { readonly kind: 'bench'; readonly result: BenchResult };

export type EvaluationKind = EvaluationSnapshot['kind'];

export interface EvaluationChannel {
  readonly requests: {
    readonly ready: RequestSpec<null, EvaluationSnapshot>;
    /** Copies the shown result as JSON to the clipboard. */
    readonly copyJson: RequestSpec<null, ExportOutcome>;
    /** Asks where to save the shown result as JSON (host save dialog) and writes it. */
    readonly saveJson: RequestSpec<null, ExportOutcome>;
    /** Reveals the run's saved file (`saved_to`) in the Explorer. */
    readonly revealSaved: RequestSpec<null, null>;
  };
  readonly events: {
    /** A new result for this panel (a re-run). */
    readonly snapshot: EvaluationSnapshot;
    /** A re-run for this panel failed; the shown result stays. */
    readonly failure: ErrorInfo;
  };
}
