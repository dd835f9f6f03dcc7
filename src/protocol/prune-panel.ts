/**
 * Messages between the extension host and the Pruning report panel (`ptp.pruning`, webview app webview/prune):
 * one pruning run (worker op `prune`), its graph sparsity overlay, and the per-layer sensitivity analysis
 * (worker op `prune-sensitivity`) run from the panel on the same data. Same channel rules as
 * src/protocol/webview.ts: `ready` answers with the snapshot, every request gets a reply or an error.
 * No vscode, no DOM.
 */
import type { PruneResult, PruneSensitivityResult } from './prune';
import type { ErrorInfo, ExportOutcome, RequestSpec } from './webview';

export interface PruneReportSnapshot {
  readonly result: PruneResult;
  /** The last sensitivity analysis of the source model in this session (null: not run yet). */
  readonly sensitivity: PruneSensitivityResult | null;
}

export interface PruneReportChannel {
  readonly requests: {
    readonly ready: RequestSpec<null, PruneReportSnapshot>;
    /** Opens the pruned model in the model editor. */
    readonly openOutput: RequestSpec<null, null>;
    /** Sets the sparsity overlay on the source model and opens its model editor (Graph tab). */
    readonly showOverlay: RequestSpec<null, null>;
    /**
     * Runs the per-layer sensitivity sweep on the run's data (asks for data when the run had none); the result
     * also comes as the `sensitivity` event. Rejected with `cancelled: true` when the user cancels.
     */
    readonly runSensitivity: RequestSpec<null, PruneSensitivityResult | null>;
    /**
     * Re-runs the shown pruning with fine-tuning (asks for the training data, its label and the epochs); the new
     * result also comes as the `snapshot` event. null when the user dismissed the pickers; rejected with
     * `cancelled: true` when the run was cancelled.
     */
    readonly finetune: RequestSpec<null, PruneResult | null>;
    readonly copyJson: RequestSpec<null, ExportOutcome>;
    readonly saveJson: RequestSpec<null, ExportOutcome>;
  };
  readonly events: {
    /** A new pruning result of the same model. */
    readonly snapshot: PruneReportSnapshot;
    readonly sensitivity: PruneSensitivityResult;
    /** A sensitivity analysis started (true) or ended (false). */
    readonly busy: boolean;
    /** A run started from the panel failed; the shown result stays. */
    readonly failure: ErrorInfo;
  };
}
