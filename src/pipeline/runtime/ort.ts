/**
 * The one door to onnxruntime-node. It is loaded on first use (not at import time), so importing the
 * pipeline costs nothing and a missing/broken native binding becomes an error of the operation that needs it.
 */
import type * as Ort from 'onnxruntime-node';
import { RuntimeError } from './errors';

export type OrtModule = typeof Ort;
/** onnxruntime's types, for the rest of the pipeline (which never imports onnxruntime-node itself). */
export type OrtTensor = Ort.Tensor;
export type OrtSession = Ort.InferenceSession;
export type OrtRunResult = Ort.InferenceSession.ReturnType;

let cached: OrtModule | undefined;

/** The onnxruntime-node module (loaded and cached on first call). */
export function loadOrt(): OrtModule {
  if (!cached) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      cached = require('onnxruntime-node') as OrtModule;
    } catch (e) {
      throw new RuntimeError('ort-unavailable', `onnxruntime-node could not be loaded: ${(e as Error).message}`);
    }
  }
  return cached;
}

/** Version of the loaded onnxruntime-node (e.g. "1.30.0"). */
export function ortVersion(): string {
  const ort = loadOrt();
  return ort.env.versions.node ?? ort.env.versions.common ?? 'unknown';
}
