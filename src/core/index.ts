/**
 * Public API of the ONNX model core. No vscode, no onnxruntime, no DOM.
 *
 *   const model = await openModel('/path/model.onnx');   // structure only; weights stay on disk
 *   const info = inspect(model);                          // InspectResult (ptp inspect --json)
 *   const report = await validate(model);                 // ValidateResult (structural checks)
 *   const w = await model.readTensor(model.proto.graph!.initializer![0]); // DecodedTensor, on request
 *   await writeModel(model, '/out.onnx', { externalData: { location: 'out.onnx.data' } });
 *   await model.close();
 */
export * from './errors';
export * from './report-types';
export * from './tensor/dtypes';
export * from './tensor/types';
export { decodeTensorFields, encodeTensorValues } from './tensor/decode';
export { deriveModel, openModel, parseModel, readTensorProtoFile, type OnnxModel, type OpenOptions } from './model';
export { inspect } from './inspect';
export { validate } from './validate';
export { writeModel, type WriteOptions } from './writer';
export { onnx } from './proto/onnx';
export * from './graph-view';
export * from './shape-inference';
export { encodeNpy } from './npy';
