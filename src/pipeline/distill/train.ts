/**
 * The training loop: Adam on mini-batches of the training rows (reshuffled every epoch with the seeded PRNG), the
 * distillation loss (loss.ts), validation loss and metric after every epoch, early stopping after `patience` epochs
 * without a better validation loss, and the best epoch's weights returned. With `keepZeros` the weights that are exactly
 * 0 before training are set back to 0 after every optimizer step (pruned sparsity survives). Cancellable between
 * batches (the loop yields to the event loop every few dozen milliseconds so an abort can arrive); no tensor outlives
 * its batch.
 */
import type { DistillEpoch } from '../../protocol/distill';
import type { Rng32 } from '../shared/rng';
import { throwIfAborted, type OperationContext } from '../operation';
import { DistillError } from './errors';
import type { TrainableGraph } from './interpreter';
import { batchLoss, type LossSpec } from './loss';
import { gatherRows } from './rows';
import type { DistillSettings } from './settings';
import { tf } from './tf';

export interface TrainSet {
  /** Inputs as the trainer sees them (standardized for MLP students), rows × D. */
  readonly x: Float32Array;
  readonly rowShape: readonly number[];
  /** Teacher targets (logits or values, standardized for MLP regression students), rows × K. */
  readonly teacher: Float32Array;
  readonly width: number;
  /** Class index (classification) or value (regression, standardized like `teacher`) per row. */
  readonly labels: Int32Array | Float32Array | null;
  readonly trainIndex: Int32Array;
  readonly valIndex: Int32Array;
}

export interface TrainOutcome {
  readonly history: DistillEpoch[];
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  /** The best epoch's values of every trainable initializer. */
  readonly weights: ReadonlyMap<string, Float32Array>;
}

export interface TrainOptions {
  /** Every trainable value that is exactly 0 at the start stays 0 (a 0/1 mask applied after each optimizer step). */
  readonly keepZeros?: boolean;
}

const EVAL_BATCH = 1024;
const YIELD_EVERY_MS = 40;

export async function train(
  graph: TrainableGraph,
  data: TrainSet,
  loss: LossSpec,
  settings: DistillSettings,
  rng: Rng32,
  ctx: OperationContext,
  onEpoch: (e: DistillEpoch, fraction: number) => void,
  options: TrainOptions = {},
): Promise<TrainOutcome> {
  const D = data.x.length / Math.max(1, data.teacher.length / data.width);
  const vars = [...graph.variables.values()];
  const optimizer = tf.train.adam(settings.learningRate);
  const order = Int32Array.from(data.trainIndex);
  const history: DistillEpoch[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let weights = snapshot(graph);
  let since = 0;
  let lastYield = performance.now();
  const masks = options.keepZeros ? zeroMasks(graph) : new Map<string, tf.Tensor>();
  try {
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const t0 = performance.now();
      shuffle(order, rng);
      let sum = 0;
      for (let start = 0; start < order.length; start += settings.batchSize) {
        throwIfAborted(ctx.signal);
        const idx = order.subarray(start, Math.min(order.length, start + settings.batchSize));
        const value = tf.tidy(() => {
          const b = batchOf(data, idx, D);
          const l = optimizer.minimize(() => batchLoss(graph.forward(b.x), b.teacher, b.labels, loss) as tf.Scalar, true, vars)!;
          for (const [name, mask] of masks) {
            const v = graph.variables.get(name)!;
            v.assign(tf.mul(v, mask));
          }
          return l.dataSync()[0]!;
        });
        if (!Number.isFinite(value)) {
          throw new DistillError('diverged', `training diverged in epoch ${epoch} (the loss became ${value}); lower the learning rate (now ${settings.learningRate})`);
        }
        sum += value * idx.length;
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await new Promise((r) => setImmediate(r));
          lastYield = performance.now();
        }
      }
      const trainLoss = sum / Math.max(1, order.length);
      const val = data.valIndex.length ? evaluateRows(graph, data, data.valIndex, D, loss) : { loss: trainLoss, metric: evaluateRows(graph, data, data.trainIndex, D, loss).metric };
      const e: DistillEpoch = { epoch, train_loss: trainLoss, val_loss: val.loss, val_metric: val.metric, ms: Math.round((performance.now() - t0) * 10) / 10 };
      history.push(e);
      if (val.loss < best - 1e-12) {
        best = val.loss;
        bestEpoch = epoch;
        weights = snapshot(graph);
        since = 0;
      } else since++;
      onEpoch(e, epoch / settings.epochs);
      if (since >= settings.patience && since > 0) return { history, bestEpoch, stoppedEarly: epoch < settings.epochs, weights };
    }
    return { history, bestEpoch, stoppedEarly: false, weights };
  } finally {
    optimizer.dispose();
    for (const m of masks.values()) m.dispose();
  }
}

/** 0/1 masks of the trainable values holding exact zeros (1 where a value is not 0), by variable name. */
function zeroMasks(graph: TrainableGraph): Map<string, tf.Tensor> {
  const masks = new Map<string, tf.Tensor>();
  for (const [name, v] of graph.variables) {
    const values = v.dataSync() as Float32Array;
    if (!values.includes(0)) continue;
    masks.set(name, tf.tensor(Float32Array.from(values, (x) => (x === 0 ? 0 : 1)), v.shape, 'float32'));
  }
  return masks;
}

/** Loss and metric over `index` rows in evaluation batches (accuracy or agreement for classes, R² for values). */
export function evaluateRows(graph: TrainableGraph, data: TrainSet, index: Int32Array, D: number, loss: LossSpec): { loss: number; metric: number | null } {
  let sum = 0;
  let hits = 0;
  let ssRes = 0;
  const preds: number[] = [];
  const truths: number[] = [];
  for (let start = 0; start < index.length; start += EVAL_BATCH) {
    const idx = index.subarray(start, Math.min(index.length, start + EVAL_BATCH));
    const r = tf.tidy(() => {
      const b = batchOf(data, idx, D);
      const s = graph.forward(b.x);
      const l = batchLoss(s, b.teacher, b.labels, loss).dataSync()[0]!;
      return { l, s: s.dataSync() as Float32Array };
    });
    sum += r.l * idx.length;
    const K = data.width;
    const perRow = r.s.length / Math.max(1, idx.length);
    for (let i = 0; i < idx.length; i++) {
      const row = idx[i]!;
      if (loss.task === 'classification') {
        const want = data.labels ? (data.labels[row] as number) : argmax(data.teacher, row * K, K);
        // A one-column student gives the positive class's logit.
        const got = perRow === 1 ? (r.s[i]! > 0 ? 1 : 0) : argmax(r.s, i * K, K);
        if (got === want) hits++;
      } else {
        for (let k = 0; k < K; k++) {
          const truth = data.labels && K === 1 ? data.labels[row]! : data.teacher[row * K + k]!;
          const d = truth - r.s[i * K + k]!;
          ssRes += d * d;
          truths.push(truth);
          preds.push(r.s[i * K + k]!);
        }
      }
    }
  }
  const n = Math.max(1, index.length);
  if (loss.task === 'classification') return { loss: sum / n, metric: hits / n };
  const mean = truths.reduce((a, b) => a + b, 0) / Math.max(1, truths.length);
  const ssTot = truths.reduce((a, b) => a + (b - mean) * (b - mean), 0);
  return { loss: sum / n, metric: truths.length > 1 && ssTot > 0 ? 1 - ssRes / ssTot : null };
}

function batchOf(data: TrainSet, idx: Int32Array, D: number): { x: tf.Tensor; teacher: tf.Tensor2D; labels: tf.Tensor | null } {
  const n = idx.length;
  const x = tf.tensor(gatherRows(data.x, D, idx), [n, ...data.rowShape], 'float32');
  const teacher = tf.tensor2d(gatherRows(data.teacher, data.width, idx), [n, data.width], 'float32');
  let labels: tf.Tensor | null = null;
  if (data.labels) {
    if (data.labels instanceof Int32Array) labels = tf.tensor1d(Int32Array.from(idx, (r) => data.labels![r]!), 'int32');
    else labels = tf.tensor2d(Float32Array.from(idx, (r) => data.labels![r]!), [n, 1], 'float32');
  }
  return { x, teacher, labels };
}

function argmax(v: ArrayLike<number>, off: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (v[off + c]! > v[off + best]!) best = c;
  return best;
}

/** Fisher–Yates with the seeded generator. */
function shuffle(a: Int32Array, rng: Rng32): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.nextBelow(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

function snapshot(graph: TrainableGraph): Map<string, Float32Array> {
  const m = new Map<string, Float32Array>();
  for (const [name, v] of graph.variables) m.set(name, Float32Array.from(v.dataSync() as Float32Array));
  return m;
}
