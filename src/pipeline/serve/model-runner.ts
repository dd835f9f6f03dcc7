/**
 * A model argument → the runner of its batches: a file (or a registry version's file) becomes a local onnxruntime
 * session; an http(s) URL `…/v2/models/NAME[/versions/V]` becomes the model at that Open Inference Protocol
 * endpoint. Evaluation, comparison and batch inference take either, unchanged.
 */
import type { ValueSummary } from '../../core/report-types';
import { connectEndpointModel, endpointModelInputs, isEndpointModel } from './remote-model';
import { prepareModel, readModelInputs, type ModelRunner, type PrepareOptions } from '../shared/inference';

export function openModelRunner(model: string, options: PrepareOptions = {}): Promise<ModelRunner> {
  const { endpointConcurrency, ...local } = options;
  return isEndpointModel(model) ? connectEndpointModel(model, { ...(endpointConcurrency !== undefined ? { concurrency: endpointConcurrency } : {}) }) : prepareModel(model, local);
}

/** The model's inputs, without a session (a file's structure, or an endpoint's metadata). */
export function modelRunnerInputs(model: string): Promise<readonly ValueSummary[]> {
  return isEndpointModel(model) ? endpointModelInputs(model) : readModelInputs(model);
}
