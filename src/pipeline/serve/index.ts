/** Serving: an Open Inference Protocol (KServe V2) server over REST and gRPC, with dynamic batching, routing and metrics. */
export { configOf, DEFAULTS, modelConfigOf, readConfigFile, type ModelConfig, type ServeConfig, type VersionConfig } from './config';
export type { InferRequest, InferResponse, VersionStatus } from './core';
export { V2_DATATYPES, type TensorData, type V2Datatype, type V2Tensor } from './datatypes';
export { ServeError, type ServeErrorCode } from './errors';
export { isLoopback, startServer, type RunningServer } from './server';
export { V2Client, type ClientInferResult, type LiveModelStats, type ModelMetadata, type RoutingInfo } from './client';
export type { VersionStats } from './stats';
export { encodeJsonData, valuesOf } from './codec';
export { inputSummaries, requestFromData, type DataRequest } from './data-request';
export type { TensorSpec } from './signature';
