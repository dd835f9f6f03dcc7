/** What the Distillation report keeps across webview re-creation: open sections and scroll (the evaluation panel's). */
export { DEFAULT_VIEW_STATE, type EvaluationStore as DistillStore, type EvaluationViewState as DistillViewState } from '../shared/report-view-state';
