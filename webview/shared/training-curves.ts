/**
 * Training curves of a distillation run (the Distillation report, and the Pruning report's fine-tuning): train and
 * validation loss per epoch, then the validation accuracy (or R²) per epoch, each with the kept best epoch marked.
 */
import type { DistillEpoch } from '../../src/protocol/distill';
import { type Child } from './dom';
import { chart, type XYSeries } from './chart';

export interface TrainingCurvesSpec {
  readonly history: readonly DistillEpoch[];
  readonly bestEpoch: number;
  readonly task: 'classification' | 'regression' | undefined;
  /** Prefix of the charts' ids (`<prefix>loss`, `<prefix>val-metric`); '' by default. */
  readonly idPrefix?: string;
}

/** The loss chart, and the validation metric chart when the history has metric values. */
export function trainingCurves({ history, bestEpoch, task, idPrefix = '' }: TrainingCurvesSpec): Child[] {
  const epochs = history.map((e) => e.epoch);
  const train = history.map((e) => e.train_loss);
  const val = history.map((e) => e.val_loss);
  const losses = [...train, ...val].filter((v) => Number.isFinite(v));
  const best = (y0: number, y1: number): XYSeries => ({ label: `best epoch ${bestEpoch}`, x: [bestEpoch, bestEpoch], y: [y0, y1], style: 'reference' });
  const out: Child[] = [
    chart({
      id: `${idPrefix}loss`,
      title: 'Loss per epoch',
      xLabel: 'epoch',
      yLabel: 'loss',
      series: [{ label: 'train', x: epochs, y: train }, { label: 'validation', x: epochs, y: val }, best(Math.min(...losses), Math.max(...losses))],
      height: 280,
    }),
  ];
  const metric = history.filter((e) => e.val_metric !== null);
  if (metric.length) {
    const regression = task === 'regression';
    const values = metric.map((e) => e.val_metric as number);
    out.push(
      chart({
        id: `${idPrefix}val-metric`,
        title: regression ? 'Validation R² per epoch' : 'Validation accuracy per epoch',
        xLabel: 'epoch',
        yLabel: regression ? 'R²' : 'accuracy',
        series: [{ label: regression ? 'R²' : 'accuracy', x: metric.map((e) => e.epoch), y: values }, best(Math.min(...values), Math.max(...values))],
        height: 220,
      }),
    );
  }
  return out;
}
