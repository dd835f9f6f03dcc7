/**
 * Optimize Graph…: our graph passes (pure TypeScript over the protobuf, run to a fixpoint, each verified on
 * sample inputs against the original) and onnxruntime's offline optimization.
 *
 *   const r = await optimizeModel({ model: 'm.onnx', passes: 'all', ortLevel: 'basic' });  // writes m.opt.onnx
 */
export { PassContext, type GraphIndex } from './context';
export { constantNodeValue } from './constant-node';
export { restoreGraph, snapshotGraph, type GraphSnapshot } from './snapshot';
export { evaluateConstants, type ConstantSubgraph, type ModelFrame } from './const-eval';
export { runToFixpoint, type FixpointOptions, type FixpointResult } from './fixpoint';
export { defaultOutputPath, optimizeModel, type OptimizeOptions } from './optimize';
export { ORT_LEVELS, nonStandardOps, ortOptimizeFile } from './ort-offline';
export { OPTIMIZATION_PASSES, selectPasses, type OptimizationPass } from './passes';
export { eliminateDeadEnd } from './passes/eliminate-deadend';
export { eliminateDropout, eliminateIdentity } from './passes/eliminate-identity';
export { eliminateUnusedInitializer } from './passes/eliminate-unused-initializer';
export { FOLD_MIN_BYTE_LIMIT, foldConstants } from './passes/fold-constants';
export { batchNormAffine, fuseBatchNorm, type ChannelAffine } from './passes/fuse-bn';
export { biasFits, fuseMatMulAdd } from './passes/fuse-matmul-add';
export { mergeReshapes } from './passes/merge-reshapes';
export { mergeTransposes } from './passes/merge-transposes';
export { DEFAULT_TOLERANCE, OutputVerifier, compareTensors, type Comparison, type Tolerance } from './verify';
