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
