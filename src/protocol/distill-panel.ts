/**
 * Messages between the extension host and the Distillation report panel (`ptp.distillation`, webview app
 * webview/distill): one distillation run (worker op `distill`). Same channel rules as src/protocol/webview.ts:
 * `ready` answers with the snapshot, every request gets a reply or an error. No vscode, no DOM.
 */
import type { DistillResult } from './distill';
import type { ExportOutcome, RequestSpec } from './webview';

export interface DistillReportSnapshot {
  readonly result: DistillResult;
}

export interface DistillReportChannel {
  readonly requests: {
    readonly ready: RequestSpec<null, DistillReportSnapshot>;
    /** Opens the student model in the model editor. */
    readonly openStudent: RequestSpec<null, null>;
    readonly copyJson: RequestSpec<null, ExportOutcome>;
    readonly saveJson: RequestSpec<null, ExportOutcome>;
  };
  readonly events: {
    /** A new distillation result of the same teacher. */
    readonly snapshot: DistillReportSnapshot;
  };
}
