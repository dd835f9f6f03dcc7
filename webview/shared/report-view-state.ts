/** What the Evaluation panel keeps across webview re-creation (getState/setState). */
import type { ViewStateStore } from './view-state';

export interface EvaluationViewState {
  /** Section id → open; sections not listed use their default. */
  readonly open: Readonly<Record<string, boolean>>;
  /** Confusion matrix cells: counts, or percent of the true class's rows. */
  readonly matrix: 'counts' | 'percent';
  readonly scrollY: number;
}

export const DEFAULT_VIEW_STATE: EvaluationViewState = { open: {}, matrix: 'counts', scrollY: 0 };

export type EvaluationStore = ViewStateStore<EvaluationViewState>;
