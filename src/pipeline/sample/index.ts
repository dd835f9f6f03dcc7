/** Sample runs: feed seeded random inputs to a model through onnxruntime and summarize inputs and outputs. */
export { MAX_SAMPLE_ELEMENTS, declaredDims, sampleInputSpecs, type InputKind, type SampleInputSpec } from '../shared/input-specs';
export { SAMPLE_STRING, SIGNED_RANGE, UNSIGNED_RANGE, createRng, generateTensor, generateValues, normal, uniformInt, type Rng } from '../shared/random-inputs';
export { runSample } from './run';
export { PREVIEW_LENGTH, previewValues, summarizeTensor, valueStats } from './stats';
