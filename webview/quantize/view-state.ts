/** What the report panel keeps across webview re-creation: open sections, the node table's sort, scroll. */
import type { ViewStateStore } from '../shared/view-state';
import { DEFAULT_VIEW_STATE as EVALUATION_DEFAULTS, type EvaluationViewState } from '../shared/report-view-state';

export type NodeSortKey = 'worst' | 'name' | 'op' | 'weight' | 'activation' | 'status';

export interface ReportViewState extends EvaluationViewState {
  readonly sortKey: NodeSortKey;
  /** 1 ascending, -1 descending. */
  readonly sortDir: 1 | -1;
}

export const DEFAULT_VIEW_STATE: ReportViewState = { ...EVALUATION_DEFAULTS, sortKey: 'worst', sortDir: 1 };

export type ReportStore = ViewStateStore<ReportViewState>;
