/** What the overview remembers across webview re-creation (VS Code's getState/setState). */
export type ResultsTab = 'validation' | 'sample';

export interface OverviewViewState {
  readonly scrollY: number;
  /** Ids of sections the user collapsed (all are open by default). */
  readonly closedSections: readonly string[];
  readonly resultsTab: ResultsTab;
}

export const DEFAULT_VIEW_STATE: OverviewViewState = { scrollY: 0, closedSections: [], resultsTab: 'validation' };
