/** What the Monitoring dashboard keeps across webview re-creation (getState/setState). */
import type { MonitorMetric } from '../../src/protocol/monitor';
import { DEFAULT_VIEW_STATE, type EvaluationViewState } from '../shared/report-view-state';
import type { ViewStateStore } from '../shared/view-state';

export interface MonitorViewState extends EvaluationViewState {
  /** The metric of the performance chart. */
  readonly metric: MonitorMetric;
  /** The heatmap's name filter. */
  readonly filter: string;
  /** The heatmap cell whose distribution is shown. */
  readonly selected: { readonly column: string; readonly chunk: number } | null;
}

export const DEFAULT_MONITOR_STATE: MonitorViewState = { ...DEFAULT_VIEW_STATE, metric: 'accuracy', filter: '', selected: null };

export type MonitorStore = ViewStateStore<MonitorViewState>;
