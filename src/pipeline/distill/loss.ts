/**
 * The distillation loss (Hinton et al. 2015). Classification: `alpha · T² · KL(softmax(t/T) ‖ softmax(s/T))
 * + (1 − alpha) · CE(labels, s)`, batch means; the T² keeps the soft term's gradients on the scale of the hard one.
 * Regression: `alpha · MSE(s, t) + (1 − alpha) · MSE(s, labels)`. Without labels only the teacher term counts.
 */
import { tf } from './tf';

export interface LossSpec {
  readonly task: 'classification' | 'regression';
  readonly temperature: number;
  readonly alpha: number;
}

/** The loss of a batch: student outputs `s` [B, K], teacher targets `t` [B, K], labels [B] (class) or [B, 1] (value). */
export function batchLoss(s: tf.Tensor, t: tf.Tensor2D, labels: tf.Tensor | null, spec: LossSpec): tf.Scalar {
  let s2 = s.rank === 2 ? (s as tf.Tensor2D) : tf.reshape(s, [t.shape[0], -1]);
  const hard = labels !== null && spec.alpha < 1;
  if (spec.task === 'regression') {
    const soft = tf.mean(tf.squaredDifference(s2, t));
    if (!hard) return soft as tf.Scalar;
    const h = tf.mean(tf.squaredDifference(s2, labels!));
    return tf.add(tf.mul(soft, spec.alpha), tf.mul(h, 1 - spec.alpha)) as tf.Scalar;
  }
  // A one-column student of a two-class teacher outputs the positive class's logit: its logits are [0, s].
  if (s2.shape[1] === 1 && t.shape[1] === 2) s2 = tf.concat([tf.zerosLike(s2), s2], 1);
  const T = spec.temperature;
  const logPs = tf.logSoftmax(tf.div(s2, T));
  const logPt = tf.logSoftmax(tf.div(t, T));
  const kl = tf.mean(tf.sum(tf.mul(tf.exp(logPt), tf.sub(logPt, logPs)), 1));
  const soft = tf.mul(kl, spec.alpha * T * T);
  if (!hard) return soft as tf.Scalar;
  const oneHot = tf.oneHot(labels as tf.Tensor1D, s2.shape[1]!);
  const ce = tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(s2)), 1)));
  return tf.add(soft, tf.mul(ce, 1 - spec.alpha)) as tf.Scalar;
}
