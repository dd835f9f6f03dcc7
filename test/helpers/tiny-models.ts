/** Tiny ONNX models built in memory with the generated protobufjs encoder, for pipeline tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Long from 'long';
import { onnx } from '../../src/core/proto/onnx';

export type Dim = number | string | null;

export function valueInfo(name: string, elemType: number, shape: readonly Dim[] | null): onnx.ValueInfoProto.$Properties {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape:
          shape === null
            ? null
            : {
                dim: shape.map((d) =>
                  typeof d === 'number' ? { dimValue: Long.fromNumber(d) } : typeof d === 'string' ? { dimParam: d } : {},
                ),
              },
      },
    },
  };
}

export function node(
  opType: string,
  input: string[],
  output: string[],
  attribute: onnx.AttributeProto.$Properties[] = [],
  domain = '',
): onnx.NodeProto.$Properties {
  return { opType, input, output, attribute, domain, name: `${opType}_${output[0]}` };
}

export function floatTensor(name: string, dims: number[], values: number[]): onnx.TensorProto.$Properties {
  return { name, dims: dims.map((d) => Long.fromNumber(d)), dataType: onnx.TensorProto.DataType.FLOAT, floatData: values };
}

export interface GraphSpec {
  readonly nodes: onnx.NodeProto.$Properties[];
  readonly inputs: onnx.ValueInfoProto.$Properties[];
  readonly outputs: onnx.ValueInfoProto.$Properties[];
  readonly initializers?: onnx.TensorProto.$Properties[];
  readonly opset?: number;
}

export function encodeModel(spec: GraphSpec): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: Long.fromNumber(8),
    producerName: 'ptp-test',
    opsetImport: [{ domain: '', version: Long.fromNumber(spec.opset ?? 17) }],
    graph: {
      name: 'g',
      node: spec.nodes,
      input: spec.inputs,
      output: spec.outputs,
      initializer: spec.initializers ?? [],
    },
  }).finish();
}

/** A temp directory that holds written models; `dispose()` removes it. */
export class TempModels {
  readonly dir = mkdtempSync(join(tmpdir(), 'ptp-pipeline-'));
  private n = 0;
  write(spec: GraphSpec, name = `m${this.n++}.onnx`): string {
    const p = join(this.dir, name);
    writeFileSync(p, encodeModel(spec));
    return p;
  }
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A float MLP `dims[0] → dims[1] → … → dims.at(-1)` (Gemm + Relu, no Relu after the last layer) with seeded
 * random weights scaled by 1/√fan-in, input `x` [batch, dims[0]], output `y` [batch, dims.at(-1)]. Big enough
 * (20→1024→1024→10) to be compute-bound in the serving tests and benchmark.
 */
export function mlpModel(dims: readonly number[], seed = 1): Uint8Array {
  let s = seed >>> 0 || 1;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const nodes: onnx.NodeProto.$Properties[] = [];
  const initializers: onnx.TensorProto.$Properties[] = [];
  let prev = 'x';
  for (let l = 0; l + 1 < dims.length; l++) {
    const [fin, fout] = [dims[l]!, dims[l + 1]!];
    const scale = 2 / Math.sqrt(fin);
    initializers.push(floatTensor(`w${l}`, [fin, fout], Array.from({ length: fin * fout }, () => rand() * scale)));
    initializers.push(floatTensor(`b${l}`, [fout], Array.from({ length: fout }, () => rand() * 0.1)));
    const last = l + 2 === dims.length;
    const out = last ? 'y' : `h${l}`;
    nodes.push(node('Gemm', [prev, `w${l}`, `b${l}`], [last ? out : `g${l}`]));
    if (!last) nodes.push(node('Relu', [`g${l}`], [out]));
    prev = out;
  }
  return encodeModel({
    nodes,
    initializers,
    inputs: [valueInfo('x', onnx.TensorProto.DataType.FLOAT, ['batch', dims[0]!])],
    outputs: [valueInfo('y', onnx.TensorProto.DataType.FLOAT, ['batch', dims.at(-1)!])],
  });
}
