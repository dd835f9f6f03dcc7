import { UserError } from '../../../core/user-error';
/** Errors of the metric computations: inputs that no metric can be computed from. */

export type MetricsErrorCode =
  /** Arrays whose lengths disagree (labels vs probabilities vs predictions). */
  | 'length-mismatch'
  /** No rows at all. */
  | 'empty'
  /** A label outside 0..K-1, a binary target that is not 0/1, a bad class count or class name. */
  | 'invalid-labels'
  /** A score or probability that is NaN/±Infinity, or a probability outside [0, 1]. */
  | 'invalid-values'
  /** An option out of range (bin count, k, maxPoints …). */
  | 'invalid-params';

export class MetricsError extends UserError {
  readonly category = 'METRICS';
  constructor(
    readonly code: MetricsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MetricsError';
  }
}

export function isMetricsError(e: unknown): e is MetricsError {
  return e instanceof MetricsError;
}
