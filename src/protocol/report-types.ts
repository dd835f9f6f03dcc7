/**
 * The result types the report panels render, declared by the layer that computes them (the core's inspect and
 * validate reports, the pipeline's metrics and fairness reports) and re-exported here, type-only, so webview
 * code imports the protocol and never a layer below it.
 */
export type { ExternalDataRef, Finding, InspectResult, ValidateResult, ValueSummary } from '../core/report-types';
export type { ClassificationMetrics, PerClassMetrics, RegressionMetrics } from '../pipeline/evaluate/metrics/types';
export type { AggregateMetricName, FairnessReport, GroupMetrics, Interval } from '../pipeline/evaluate/fairness/types';
