/** What the model editor remembers across webview re-creation (VS Code's getState/setState). */
export type ResultsTab = 'validation' | 'sample';
export type MainTab = 'overview' | 'graph' | 'profile';
export type ProfileSortKey = 'op' | 'node' | 'time' | 'share';

export interface OverviewViewState {
  readonly scrollY: number;
  /** Ids of sections the user collapsed (all are open by default). */
  readonly closedSections: readonly string[];
  readonly resultsTab: ResultsTab;
  /** The editor's tab: Overview, Graph or Profile. */
  readonly mainTab: MainTab;
  /** The graph component's view state (zoom, pan, expanded groups, selection, graph path); parsed by it. */
  readonly graph: unknown;
  readonly profileSort: { readonly key: ProfileSortKey; readonly descending: boolean };
}

export const DEFAULT_VIEW_STATE: OverviewViewState = {
  scrollY: 0,
  closedSections: [],
  resultsTab: 'validation',
  mainTab: 'overview',
  graph: null,
  profileSort: { key: 'time', descending: true },
};
