/** Builders for small ONNX models in core tests (encoded with the generated protobufjs code). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Long from 'long';
import { onnx } from '../../../src/core/proto/onnx';

export type Dim = number | string | null;
export const L = (n: number): Long => Long.fromNumber(n);
export const FLOAT = onnx.TensorProto.DataType.FLOAT;

export function tensorInfo(name: string, elemType: number, shape: readonly Dim[] | null): onnx.ValueInfoProto.$Properties {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: shape === null ? null : { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: L(d) } : typeof d === 'string' ? { dimParam: d } : {})) },
      },
    },
  };
}

export function node(opType: string, input: string[], output: string[], extra: Partial<onnx.NodeProto.$Properties> = {}): onnx.NodeProto.$Properties {
  return { opType, input, output, name: `${opType}_${output[0] ?? ''}`, ...extra };
}

/** A float32 tensor stored in raw_data. */
export function rawFloat(name: string, dims: number[], values: number[]): onnx.TensorProto.$Properties {
  return { name, dims: dims.map(L), dataType: FLOAT, rawData: new Uint8Array(Float32Array.from(values).buffer) };
}

export interface ModelSpec {
  nodes: onnx.NodeProto.$Properties[];
  inputs: onnx.ValueInfoProto.$Properties[];
  outputs: onnx.ValueInfoProto.$Properties[];
  initializers?: onnx.TensorProto.$Properties[];
  opsets?: { domain: string; version: number }[];
  extra?: Partial<onnx.ModelProto.$Properties>;
  graphExtra?: Partial<onnx.GraphProto.$Properties>;
}

export function modelProto(spec: ModelSpec): onnx.ModelProto.$Properties {
  return {
    irVersion: L(8),
    producerName: 'ptp-test',
    producerVersion: '1.0',
    opsetImport: (spec.opsets ?? [{ domain: '', version: 17 }]).map((o) => ({ domain: o.domain, version: L(o.version) })),
    graph: { name: 'g', node: spec.nodes, input: spec.inputs, output: spec.outputs, initializer: spec.initializers ?? [], ...spec.graphExtra },
    ...spec.extra,
  };
}

export function encode(spec: ModelSpec): Uint8Array {
  return onnx.ModelProto.encode(modelProto(spec)).finish();
}

/** Y = relu(X · W + B): X [N,3] float, W [3,2], B [2]. */
export function mlpSpec(): ModelSpec {
  return {
    nodes: [node('Gemm', ['X', 'W', 'B'], ['H']), node('Relu', ['H'], ['Y'])],
    inputs: [tensorInfo('X', FLOAT, ['N', 3])],
    outputs: [tensorInfo('Y', FLOAT, ['N', 2])],
    initializers: [rawFloat('W', [3, 2], [1, -1, 0.5, 2, -0.25, 0]), rawFloat('B', [2], [0.1, -0.2])],
  };
}

export class TempDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'ptp-core-'));
  file(name: string, bytes: Uint8Array | string): string {
    const p = join(this.dir, name);
    writeFileSync(p, bytes);
    return p;
  }
  path(name: string): string {
    return join(this.dir, name);
  }
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
