/**
 * One pruning run (worker op `prune`): header with the actions (open the pruned model, show the sparsity in the
 * graph, sensitivity analysis, fine-tuning when the run had none, exports), the summary (sparsity, parameters, file
 * and gzip size, accuracy and latency before/after — after fine-tuning when it ran), metrics, the fine-tuning (data,
 * epochs, training curves), the per-layer table, the sensitivity analysis, skipped layers, notes, warnings.
 */
import type { PruneFinetuneResult, PruneResult } from '../../src/protocol/prune';
import type { PruneReportSnapshot } from '../../src/protocol/prune-panel';
import { h, type Child } from '../shared/dom';
import { formatBytes, formatCount, formatDuration } from '../shared/format';
import { trainingCurves } from '../shared/training-curves';
import { button, pageHeader, type HeaderActions } from '../shared/report-header';
import { formatDate, formatMetric, formatPercent } from '../shared/metric-format';
import { facts } from '../shared/run-details';
import { section } from '../shared/section';
import type { EvaluationStore } from '../shared/report-view-state';
import { headlineFact, latencyFact, latencyTable, listContent, metricsTable, sizeChange, type Sides } from '../shared/compare-tables';
import { layersTable } from './layers-table';
import { sensitivityContent } from './sensitivity-view';
import type { PruneStore } from './view-state';

export interface PruneActions extends HeaderActions {
  openOutput(): void;
  showOverlay(): void;
  runSensitivity(): void;
  /** Re-runs this pruning with fine-tuning (the host asks for the training data and epochs). */
  finetune(): void;
}

const SIDES: Sides = { titles: ['Before', 'After'], when: ['before', 'after'] };
/** The sides when the pruned model was fine-tuned: its numbers are the fine-tuned model's. */
const FINETUNED_SIDES: Sides = { titles: ['Before', 'After fine-tuning'], when: ['before', 'after'] };

function sidesOf(r: PruneResult): Sides {
  return r.finetune ? FINETUNED_SIDES : SIDES;
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

function methodText(r: PruneResult): string {
  const s = r.settings;
  if (r.method === 'magnitude') return `magnitude, ${s.scope === 'global' ? 'global' : 'per layer'}, ${formatPercent(s.sparsity, 0)}`;
  if (r.method === 'nm') return `${s.n}:${s.m} semi-structured`;
  return `structured (${s.criterion.toUpperCase()}), ${formatPercent(s.sparsity, 0)} of the channels`;
}

function summary(r: PruneResult): HTMLElement {
  const headline = headlineFact(r.task, r.metrics_before, r.metrics_after, sidesOf(r));
  const latency = latencyFact(r.latency_before?.rows, r.latency_after?.rows);
  const gzip =
    r.compressed_bytes_before !== undefined && r.compressed_bytes_after !== undefined
      ? h('span', { 'data-testid': 'gzip-size', title: 'gzip-compressed: the zeros compress, as in a zipped artifact or a sparse format' }, `${formatBytes(r.compressed_bytes_before)} → ${formatBytes(r.compressed_bytes_after)} (${sizeChange(r.compressed_bytes_before, r.compressed_bytes_after)})`)
      : null;
  return facts(
    [
      [r.method === 'structured' ? 'Weights removed' : 'Achieved weight sparsity', h('strong', { 'data-testid': 'achieved-sparsity' }, formatPercent(r.achieved_weight_sparsity))],
      ...(headline ? [headline] : []),
      ['Parameters', h('span', { 'data-testid': 'params', title: `${formatCount(r.params_before)} → ${formatCount(r.params_after)}` }, `${formatCount(r.params_before)} → ${formatCount(r.params_after)}`)],
      ['File size', h('span', { 'data-testid': 'size', title: `${formatCount(r.size_bytes_before)} → ${formatCount(r.size_bytes_after)} bytes` }, `${formatBytes(r.size_bytes_before)} → ${formatBytes(r.size_bytes_after)} (${sizeChange(r.size_bytes_before, r.size_bytes_after)})`)],
      ...(gzip ? ([['Gzip size', gzip]] as [string, HTMLElement][]) : []),
      ...(latency ? ([['Latency p50', latency]] as [string, HTMLElement][]) : []),
      ['Layers pruned', formatCount(r.layers.filter((l) => l.status !== 'excluded').length)],
      ...(r.finetune ? ([['Fine-tuned', h('span', { 'data-testid': 'finetuned' }, `${formatCount(r.finetune.epochs_run)} epochs on ${baseName(r.finetune.data)}`)]] as [string, HTMLElement][]) : []),
    ],
    { 'data-testid': 'summary' },
  );
}

function metricsContent(r: PruneResult): Child[] {
  const out: Child[] = [];
  if (r.agreement !== undefined) {
    out.push(
      facts(
        [
          [r.task === 'regression' ? 'Max |difference| of outputs' : 'Prediction agreement', h('strong', { 'data-testid': 'agreement' }, r.task === 'regression' ? String(r.max_abs_diff ?? '—') : formatPercent(r.agreement, 2))],
          ['Rows', formatCount(r.samples ?? 0)],
          ['Data', h('span', { class: 'path' }, r.data ?? '')],
        ],
        { 'data-testid': 'agreement-facts' },
      ),
    );
  }
  const empty = r.data ? 'No metrics: the data has no labels (agreement only).' : 'No evaluation data was given: run Prune Model… with evaluation data for the accuracy before and after.';
  out.push(...metricsTable(r.task, r.metrics_before, r.metrics_after, sidesOf(r), empty));
  return out;
}

/** The fine-tuning of the pruned model: where, how long, and its training curves. */
function finetuneContent(f: PruneFinetuneResult, task: PruneResult['task']): Child[] {
  const out: Child[] = [
    facts(
      [
        ['Training data', h('span', { class: 'path', 'data-testid': 'finetune-data' }, f.data)],
        ['Best epoch', h('span', { 'data-testid': 'finetune-best-epoch' }, `${formatCount(f.best_epoch)} of ${formatCount(f.epochs_run)}${f.stopped_early ? ' (stopped early)' : ''}`)],
        ['Rows', h('span', { 'data-testid': 'finetune-rows' }, `${formatCount(f.train_rows)} training, ${formatCount(f.validation_rows)} validation`)],
        ['Took', formatDuration(f.ms)],
      ],
      { 'data-testid': 'finetune-facts' },
    ),
  ];
  if (f.history.length === 0) return [...out, h('p', { class: 'muted' }, 'No epoch was run.')];
  out.push(...trainingCurves({ history: f.history, bestEpoch: f.best_epoch, task, idPrefix: 'finetune-' }));
  const last = f.history[f.history.length - 1]!;
  out.push(
    h(
      'p',
      { class: 'muted small' },
      `The pruned model was trained to mimic the unpruned one; last epoch: train loss ${formatMetric(last.train_loss)}, validation loss ${formatMetric(last.val_loss)}. `,
      `${f.stopped_early ? 'Stopped early (no validation improvement); t' : 'T'}he weights of the best epoch (${f.best_epoch}) were kept. The "after" numbers are the fine-tuned model's.`,
    ),
  );
  return out;
}

export interface SensitivityState {
  readonly busy: boolean;
}

export function renderPrune(snapshot: PruneReportSnapshot, store: PruneStore, actions: PruneActions, sensitivity: SensitivityState, rerender: () => void): Child[] {
  const r = snapshot.result;
  const s = store as unknown as EvaluationStore;
  const sens = snapshot.sensitivity;
  const sensitivityButton = button(sensitivity.busy ? 'Analysing…' : 'Sensitivity analysis…', 'sensitivity', actions.runSensitivity);
  if (sensitivity.busy) sensitivityButton.setAttribute('disabled', '');
  const toolbar = h(
    'div',
    { class: 'report-actions' },
    button('Open pruned model', 'open-output', actions.openOutput, 'primary'),
    button('Show sparsity in graph', 'show-overlay', actions.showOverlay),
    sensitivityButton,
    ...(r.finetune ? [] : [button('Fine-tune…', 'finetune', actions.finetune)]),
  );
  const settings: [string, string | HTMLElement][] = [
    ['Method', methodText(r)],
    ['Output', h('span', { class: 'path', 'data-testid': 'output' }, r.output)],
    ['Excluded layers', r.settings.exclude.length ? r.settings.exclude.join(', ') : 'none'],
  ];
  if (r.method === 'structured') settings.push(['Channels rounded to multiples of', String(r.settings.round_to)]);
  if (r.settings.layer_sparsity) settings.push(['Per-layer sparsity', Object.entries(r.settings.layer_sparsity).map(([k, v]) => `${k}: ${formatPercent(v, 0)}`).join(', ')]);
  settings.push(['ONNX Runtime', r.ort_version], ['Date', formatDate(r.created)]);
  const notes = r.notes.length;
  const warnings = r.warnings.length;
  return [
    pageHeader(`Pruning: ${baseName(r.model)}`, h('span', { class: 'path' }, `${methodText(r)}${r.finetune ? ', fine-tuned' : ''} → ${baseName(r.output)}`), actions),
    toolbar,
    summary(r),
    section(s, 'metrics', r.finetune ? 'Before and after fine-tuning' : 'Before and after', metricsContent(r)),
    ...(r.finetune ? [section(s, 'finetune', 'Fine-tuning', finetuneContent(r.finetune, r.task))] : []),
    section(s, 'layers', `Layers (${r.layers.length})`, [layersTable(r.layers, r.method, store, rerender)]),
    section(
      s,
      'sensitivity',
      'Sensitivity analysis',
      sens
        ? sensitivityContent(sens)
        : [h('p', { class: 'muted' }, 'Not run yet: "Sensitivity analysis…" prunes each layer alone at several sparsities and measures the accuracy, to show which layers can take more pruning.')],
      sens !== null,
    ),
    section(s, 'latency', 'Latency', latencyTable(r.latency_before?.rows, r.latency_after?.rows, sidesOf(r))),
    section(s, 'skipped', `Skipped layers (${r.skipped.length})`, r.skipped.length ? [h('ul', { class: 'plan', 'data-testid': 'skipped' }, ...r.skipped.map((n) => h('li', null, h('span', { class: 'mono' }, `${n.node} (${n.op_type})`), `: ${n.reason}`)))] : [h('p', { class: 'muted' }, 'None.')], r.skipped.length > 0),
    section(s, 'notes', `Notes (${notes})`, listContent(r.notes, 'None.'), notes > 0),
    section(s, 'warnings', `Warnings (${warnings})`, listContent(r.warnings, 'None.', 'warnings'), warnings > 0),
    section(s, 'settings', 'Settings', [facts(settings)], false),
  ];
}
