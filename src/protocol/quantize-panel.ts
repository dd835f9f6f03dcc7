/**
 * Messages between the extension host and the Quantization / Optimization report panel (`ptp.quantization`,
 * webview app webview/quantize). Two modes: a quantization run (worker op `quantize`) with the closed loop
 * "exclude nodes → Re-quantize", and a graph optimization run (worker op `optimize`). Same channel rules as
 * src/protocol/webview.ts: `ready` answers with the snapshot, every request gets a reply or an error.
 * No vscode, no DOM.
 */
import type { OptimizeResult } from './optimize';
import type { QuantizeResult } from './quantize';
import type { ErrorInfo, ExportOutcome, RequestSpec } from './webview';

export type QuantizeReportSnapshot =
  | { readonly kind: 'quantize'; readonly result: QuantizeResult }
  | { readonly kind: 'optimize'; readonly result: OptimizeResult };

export interface RequantizeParams {
  /** Node names to leave in float (replaces the recipe's exclusion list). */
  readonly exclude: readonly string[];
}

export interface QuantizeReportChannel {
  readonly requests: {
    readonly ready: RequestSpec<null, QuantizeReportSnapshot>;
    /** Runs the shown quantization again with these exclusions (the recipe file is updated); replies when done. */
    readonly requantize: RequestSpec<RequantizeParams, null>;
    readonly copyJson: RequestSpec<null, ExportOutcome>;
    readonly saveJson: RequestSpec<null, ExportOutcome>;
  };
  readonly events: {
    /** A new result (a re-run). */
    readonly snapshot: QuantizeReportSnapshot;
    /** A re-run failed; the shown result stays. */
    readonly failure: ErrorInfo;
    /** A re-run started (true) or ended (false). */
    readonly busy: boolean;
  };
}
