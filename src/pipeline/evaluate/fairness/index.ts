/**
 * Fairness metrics of a binary classifier following fairlearn's definitions (MetricFrame by_group,
 * between-groups difference and ratio, demographic parity, equalized odds), with seeded bootstrap intervals.
 * Pure TypeScript: no VS Code, no onnxruntime, no DOM.
 */
export { fairnessReport } from './report';
export { binarize } from './binarize';
export { createRng32, xoshiro128ss } from '../../shared/rng';
export type { Rng32 } from '../../shared/rng';
export type {
  AggregateMetricName,
  BootstrapOptions,
  FairnessInput,
  FairnessReport,
  GroupMetrics,
  Interval,
} from './types';
