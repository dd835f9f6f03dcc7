/**
 * Loads the ONNX core on first use, so activation does not evaluate the protobuf decoders. esbuild keeps
 * the dynamic import inside the bundle and runs the module's top level only when this is first called.
 */
type Core = typeof import('../../core');

let core: Promise<Core> | undefined;

export function loadCore(): Promise<Core> {
  core ??= import('../../core');
  return core;
}
