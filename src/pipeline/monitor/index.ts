/** Monitoring: data drift of a current data set against a reference (Evidently's tests and defaults, scipy's values). */
export { drift, defaultStatTest, inferKind, DEFAULT_DRIFT_SHARE } from './drift';
export { DriftError, type DriftErrorCode } from './errors';
export { monitor } from './monitor';
export { MonitorError } from './monitor-error';
export { fitCbpe, realizedMetrics } from './cbpe';
