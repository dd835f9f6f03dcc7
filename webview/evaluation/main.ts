/**
 * Entry of the Evaluation panel (ptp.evaluation): ready → snapshot (evaluate, compare or bench mode);
 * re-rendered when the host pushes a re-run, and when the colour theme changes (charts take their colours
 * from the theme when drawn). Which sections are open, the matrix mode and the scroll position live in the
 * webview state.
 */
import '../shared/base.css';
import 'uplot/dist/uPlot.min.css';
import '../shared/report.css';
import type { EvaluationChannel, EvaluationSnapshot } from '../../src/protocol/evaluation-panel';
import { replaceChildren, type Child } from '../shared/dom';
import { startReportApp } from '../shared/report-app';
import { showFailure, watchTheme } from '../shared/report-shell';
import { renderBench } from './bench-view';
import { destroyCharts } from '../shared/chart';
import { renderCompare } from './compare-view';
import { renderEvaluation, type EvaluationActions } from './evaluation-view';
import { DEFAULT_VIEW_STATE, type EvaluationViewState } from '../shared/report-view-state';

const app = startReportApp<EvaluationViewState, EvaluationChannel>(DEFAULT_VIEW_STATE);
const { store, client, failureSlot } = app;
let current: EvaluationSnapshot | undefined;

const actions: EvaluationActions = {
  copyJson: () => client.request('copyJson', null),
  saveJson: () => client.request('saveJson', null),
  revealSaved: () => client.request('revealSaved', null),
};

function content(snapshot: EvaluationSnapshot): Child[] {
  switch (snapshot.kind) {
    case 'evaluate':
      return renderEvaluation(snapshot.result, store, actions);
    case 'compare':
      return renderCompare(snapshot.result, store, actions);
    case 'bench':
      return renderBench(snapshot.result, store, actions);
  }
}

function render(snapshot: EvaluationSnapshot): void {
  current = snapshot;
  document.body.dataset.mode = snapshot.kind;
  app.show(() => {
    destroyCharts();
    replaceChildren(failureSlot);
    return [failureSlot, ...content(snapshot)];
  });
}

client.on('snapshot', render);
client.on('failure', (e) => showFailure(failureSlot, e, 'The last run failed'));
watchTheme(() => {
  if (current) render(current);
});

app.ready(render, 'The result could not be shown');
