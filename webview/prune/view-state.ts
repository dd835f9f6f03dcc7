/** What the Pruning report keeps across webview re-creation: open sections, the layer table's sort, scroll. */
import type { ViewStateStore } from '../shared/view-state';
import { DEFAULT_VIEW_STATE as EVALUATION_DEFAULTS, type EvaluationViewState } from '../shared/report-view-state';

export type LayerSortKey = 'order' | 'name' | 'op' | 'sparsity' | 'params_before' | 'params_after' | 'channels' | 'status';

export interface PruneViewState extends EvaluationViewState {
  readonly sortKey: LayerSortKey;
  /** 1 ascending, -1 descending. */
  readonly sortDir: 1 | -1;
}

export const DEFAULT_VIEW_STATE: PruneViewState = { ...EVALUATION_DEFAULTS, sortKey: 'order', sortDir: 1 };

export type PruneStore = ViewStateStore<PruneViewState>;
