/**
 * One distillation run (worker op `distill`): header with "Open student model" and the exports; teacher vs student
 * (headline metric, agreement, parameters, size, latency); the training curves per epoch (train / validation loss,
 * validation metric) with the best epoch marked; the metrics table; the settings and warnings.
 */
import type { DistillResult } from '../../src/protocol/distill';
import { h, type Child } from '../shared/dom';
import { formatBytes, formatCount, formatDuration } from '../shared/format';
import { trainingCurves } from '../shared/training-curves';
import { button, pageHeader, type HeaderActions } from '../shared/report-header';
import { formatDate, formatMetric, formatPercent } from '../shared/metric-format';
import { facts } from '../shared/run-details';
import { section } from '../shared/section';
import { headlineFact, latencyFact, latencyTable, listContent, metricsTable, sizeChange, type Sides } from '../shared/compare-tables';
import type { DistillStore } from './view-state';

export interface DistillActions extends HeaderActions {
  openStudent(): void;
}

const SIDES: Sides = { titles: ['Teacher', 'Student'], when: ['teacher', 'student'] };

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

function studentText(r: DistillResult): string {
  if (r.student.kind === 'model') return `${baseName(r.student.path)}${r.student.keepZeros ? ', zeros kept' : ''} (${r.architecture})`;
  return r.student.kind === 'mlp' ? `MLP (${r.architecture})` : `narrower copy, ${formatPercent(r.student.width, 0)} of the channels (${r.architecture})`;
}

function summary(r: DistillResult): HTMLElement {
  const headline = headlineFact(r.task, r.metrics_teacher, r.metrics_student, SIDES);
  const latency = latencyFact(r.latency_teacher?.rows, r.latency_student?.rows);
  const pairs: [string, string | HTMLElement][] = [];
  if (headline) pairs.push(headline);
  if (r.agreement !== undefined) pairs.push([r.task === 'regression' ? 'Max |difference| of outputs' : 'Agreement with the teacher', h('strong', { 'data-testid': 'agreement' }, r.task === 'regression' ? formatMetric(r.max_abs_diff ?? null) : formatPercent(r.agreement, 2))]);
  pairs.push(
    ['Parameters', h('span', { 'data-testid': 'params' }, `${formatCount(r.params_teacher)} → ${formatCount(r.params_student)} (${sizeChange(r.params_teacher, r.params_student)})`)],
    ['File size', h('span', { 'data-testid': 'size' }, `${formatBytes(r.size_bytes_teacher)} → ${formatBytes(r.size_bytes_student)} (${sizeChange(r.size_bytes_teacher, r.size_bytes_student)})`)],
  );
  if (latency) pairs.push(['Latency p50', latency]);
  pairs.push(
    ['Best epoch', h('span', { 'data-testid': 'best-epoch' }, `${formatCount(r.best_epoch)} of ${formatCount(r.epochs_run)}${r.stopped_early ? ' (stopped early)' : ''}`)],
    ['Student', h('span', { 'data-testid': 'student' }, studentText(r))],
  );
  return facts(pairs, { 'data-testid': 'summary' });
}

function curves(r: DistillResult): Child[] {
  if (r.history.length === 0) return [h('p', { class: 'muted' }, 'No epoch was run.')];
  const out = trainingCurves({ history: r.history, bestEpoch: r.best_epoch, task: r.task });
  const last = r.history[r.history.length - 1]!;
  out.push(
    h(
      'p',
      { class: 'muted small', 'data-testid': 'epochs-summary' },
      `${formatCount(r.epochs_run)} epochs on ${formatCount(r.train_rows)} rows (${formatCount(r.validation_rows)} held out); last epoch: train loss ${formatMetric(last.train_loss)}, validation loss ${formatMetric(last.val_loss)}. `,
      r.stopped_early ? `Stopped early: no validation improvement for ${r.settings.patience} epochs; the weights of epoch ${r.best_epoch} were kept.` : `The weights of the best epoch (${r.best_epoch}) were kept.`,
    ),
  );
  return out;
}

export function renderDistill(r: DistillResult, store: DistillStore, actions: DistillActions): Child[] {
  const s = r.settings;
  const settings: [string, string | HTMLElement][] = [
    ['Student', studentText(r)],
    ...(r.student.kind === 'model' ? ([['Student model (trained from)', h('span', { class: 'path', 'data-testid': 'student-path' }, r.student.path)]] as [string, HTMLElement][]) : []),
    ['Output', h('span', { class: 'path', 'data-testid': 'output' }, r.output)],
    ['Temperature', formatMetric(s.temperature)],
    ['Soft-target weight (alpha)', formatMetric(s.alpha)],
    ['Epochs (most)', formatCount(s.epochs)],
    ['Batch size', formatCount(s.batchSize)],
    ['Learning rate', formatMetric(s.learningRate)],
    ['Validation split', formatPercent(s.validationSplit, 0)],
    ['Patience', formatCount(s.patience)],
    ['Seed', String(s.seed)],
    ['Report data', h('span', { class: 'path' }, `${r.eval_data} (${formatCount(r.samples)} rows)`)],
    ['Trainer', r.library],
    ['ONNX Runtime', r.ort_version],
    ['Training time', formatDuration(r.timings.train ?? r.history.reduce((a, e) => a + e.ms, 0))],
    ['Date', formatDate(r.created)],
  ];
  const warnings = r.warnings.length;
  return [
    pageHeader(`Distillation: ${baseName(r.teacher)}`, h('span', { class: 'path' }, `${studentText(r)} → ${baseName(r.output)}`), actions),
    h('div', { class: 'report-actions' }, button('Open student model', 'open-student', actions.openStudent, 'primary')),
    summary(r),
    section(store, 'curves', 'Training', curves(r)),
    section(store, 'metrics', 'Teacher and student', metricsTable(r.task, r.metrics_teacher, r.metrics_student, SIDES, 'No metrics: the data has no labels (agreement only).')),
    section(store, 'latency', 'Latency', latencyTable(r.latency_teacher?.rows, r.latency_student?.rows, SIDES)),
    section(store, 'warnings', `Warnings (${warnings})`, listContent(r.warnings, 'None.', 'warnings'), warnings > 0),
    section(store, 'settings', 'Settings', [facts(settings)], false),
  ];
}
