/** Batch inference: a model over a data file → a predictions file (CSV, Parquet, JSON Lines, NPY), streamed. */
export { predict, predictPlanOptions } from './run';
export { predictFormat } from './writers';
export { PredictError, type PredictErrorCode } from './errors';
