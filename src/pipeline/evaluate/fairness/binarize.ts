/** One-vs-rest binarization of multiclass labels for the fairness metrics. */
import { MetricsError } from '../metrics/errors';

/** 0/1 labels: 1 where the class equals `positive`. */
export function binarize(yTrue: Int32Array, yPred: Int32Array, positive: number): { yTrue: Uint8Array; yPred: Uint8Array } {
  if (yTrue.length !== yPred.length) {
    throw new MetricsError('length-mismatch', `y_true has ${yTrue.length} rows but y_pred has ${yPred.length}.`);
  }
  const t = new Uint8Array(yTrue.length);
  const p = new Uint8Array(yPred.length);
  for (let i = 0; i < yTrue.length; i++) {
    t[i] = yTrue[i] === positive ? 1 : 0;
    p[i] = yPred[i] === positive ? 1 : 0;
  }
  return { yTrue: t, yPred: p };
}
