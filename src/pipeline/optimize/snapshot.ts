/** Undo snapshots of a graph: its structure as protobuf bytes, initializer objects kept by reference. */
import { onnx } from '../../core/proto/onnx';
import type { Graph } from '../shared/nodes';
import type { TensorProto } from '../shared/tensors';

/** A copy of the graph's structure to restore (initializer objects kept by reference). */
export interface GraphSnapshot {
  readonly bytes: Uint8Array;
  readonly initializer: TensorProto[];
  readonly sparse: onnx.SparseTensorProto.$Properties[];
}

/** The structure of `g` as protobuf bytes (initializers left out) plus its initializer lists. */
export function snapshotGraph(g: Graph): GraphSnapshot {
  const bytes = onnx.GraphProto.encode({ ...g, initializer: [], sparseInitializer: [] }).finish();
  return { bytes, initializer: [...(g.initializer ?? [])], sparse: [...(g.sparseInitializer ?? [])] };
}

/** A fresh graph equal to the snapshot (nodes are new objects; initializer objects are the originals). */
export function restoreGraph(s: GraphSnapshot): onnx.GraphProto {
  const g = onnx.GraphProto.decode(s.bytes);
  g.initializer = [...s.initializer];
  g.sparseInitializer = [...s.sparse];
  return g;
}
