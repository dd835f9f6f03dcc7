/**
 * The trainer's ONNX → tfjs interpreter computes what onnxruntime computes, operator by operator (random weights
 * and inputs, strides, pads, attributes), and the trainable initializers are the weights of weighted operators.
 */
import assert from 'node:assert/strict';
import Long from 'long';
import { deriveModel, openModel } from '../../../../src/core';
import { onnx } from '../../../../src/core/proto/onnx';
import { createRng32 } from '../../../../src/pipeline/shared/rng';
import { trainableGraph } from '../../../../src/pipeline/distill/interpreter';
import { ensureTf, tf } from '../../../../src/pipeline/distill/tf';
import { Scratch, runFloat } from './helpers';

const L = (n: number) => Long.fromNumber(n);
const rng = createRng32(3);
const randoms = (n: number, scale = 1) => Float32Array.from({ length: n }, () => (rng.nextFloat() * 2 - 1) * scale);
const floatInit = (name: string, dims: number[], values: Float32Array): onnx.TensorProto.$Properties => ({
  name,
  dims: dims.map(L),
  dataType: 1,
  rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
});
const int = (name: string, v: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: L(v) });
const ints = (name: string, v: number[]) => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v.map(L) });
const flt = (name: string, v: number) => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v });
const vi = (name: string, shape: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType: 1, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: L(d) } : { dimParam: d })) } } },
});

function model(nodes: onnx.NodeProto.$Properties[], inits: onnx.TensorProto.$Properties[], input: (number | string)[], output: string): Uint8Array {
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: L(8),
      opsetImport: [{ domain: '', version: L(13) }],
      graph: { name: 'g', node: nodes, initializer: inits, input: [vi('x', input)], output: [{ name: output, type: { tensorType: { elemType: 1 } } }] },
    }),
  ).finish();
}

async function compareWithOrt(file: string, output: string, dims: number[]): Promise<{ trainable: string[] }> {
  await ensureTf();
  const m = await openModel(file);
  try {
    const g = await trainableGraph(m.proto.graph!, 'x', output, (t) => deriveModel(m, m.proto).readTensor(t), file);
    try {
      const x = randoms(dims.reduce((a, b) => a * b, 1), 2);
      const ours = tf.tidy(() => g.forward(tf.tensor(x, dims)).dataSync() as Float32Array);
      const ort = (await runFloat(file, 'x', x, dims))[output]!.data as Float32Array;
      assert.equal(ours.length, ort.length);
      for (let i = 0; i < ort.length; i++) assert.ok(Math.abs(ours[i]! - ort[i]!) < 1e-4 * (1 + Math.abs(ort[i]!)), `value ${i}: ${ours[i]} vs onnxruntime ${ort[i]}`);
      return { trainable: [...g.variables.keys()].sort() };
    } finally {
      g.dispose();
    }
  } finally {
    await m.close();
  }
}

describe('distill: ONNX → tfjs interpreter', () => {
  const scratch = new Scratch();
  after(() => scratch.dispose());

  it('Conv (stride, pads) → BatchNormalization → LeakyRelu → AveragePool → Reshape → MatMul → Sub/Mul/Div → Sigmoid → Gemm (transB, alpha, beta) → Tanh', async () => {
    const file = scratch.write(
      'chain.onnx',
      model(
        [
          { opType: 'Conv', input: ['x', 'W', 'B'], output: ['c'], attribute: [ints('pads', [1, 1, 1, 1]), ints('strides', [2, 2]), ints('kernel_shape', [3, 3])] },
          { opType: 'BatchNormalization', input: ['c', 'scale', 'bias', 'mean', 'var'], output: ['bn'], attribute: [flt('epsilon', 1e-3)] },
          { opType: 'LeakyRelu', input: ['bn'], output: ['lr'], attribute: [flt('alpha', 0.1)] },
          { opType: 'AveragePool', input: ['lr'], output: ['ap'], attribute: [ints('kernel_shape', [2, 2]), ints('strides', [1, 1])] },
          { opType: 'Reshape', input: ['ap', 'shape'], output: ['flat'] },
          { opType: 'MatMul', input: ['flat', 'W2'], output: ['mm'] },
          { opType: 'Sub', input: ['mm', 'c1'], output: ['s'] },
          { opType: 'Mul', input: ['s', 'c2'], output: ['m'] },
          { opType: 'Div', input: ['m', 'c3'], output: ['d'] },
          { opType: 'Sigmoid', input: ['d'], output: ['sg'] },
          { opType: 'Gemm', input: ['sg', 'W3', 'C3'], output: ['g'], attribute: [int('transB', 1), flt('alpha', 0.5), flt('beta', 2)] },
          { opType: 'Tanh', input: ['g'], output: ['y'] },
        ],
        [
          floatInit('W', [3, 2, 3, 3], randoms(54)),
          floatInit('B', [3], randoms(3)),
          floatInit('scale', [3], randoms(3)),
          floatInit('bias', [3], randoms(3)),
          floatInit('mean', [3], randoms(3)),
          floatInit('var', [3], Float32Array.from(randoms(3), (v) => Math.abs(v) + 0.5)),
          { name: 'shape', dims: [L(2)], dataType: 7, rawData: new Uint8Array(BigInt64Array.from([0n, -1n]).buffer) },
          floatInit('W2', [12, 4], randoms(48)),
          floatInit('c1', [4], randoms(4)),
          floatInit('c2', [1, 4], randoms(4)),
          floatInit('c3', [4], Float32Array.from(randoms(4), (v) => v + 2)),
          floatInit('W3', [5, 4], randoms(20)),
          floatInit('C3', [5], randoms(5)),
        ],
        ['N', 2, 6, 6],
        'y',
      ),
    );
    const r = await compareWithOrt(file, 'y', [3, 2, 6, 6]);
    // BatchNormalization's running statistics and the Div constant stay constants; the rest is trainable.
    assert.deepEqual(r.trainable, ['B', 'C3', 'W', 'W2', 'W3', 'bias', 'c1', 'c2', 'scale']);
  });

  it('Conv (SAME_UPPER) → MaxPool (pads) → GlobalAveragePool → Flatten → Softmax', async () => {
    const file = scratch.write(
      'pool.onnx',
      model(
        [
          { opType: 'Conv', input: ['x', 'W'], output: ['c'], attribute: [{ name: 'auto_pad', type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode('SAME_UPPER') }] },
          { opType: 'MaxPool', input: ['c'], output: ['mp'], attribute: [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1]), ints('strides', [2, 2])] },
          { opType: 'GlobalAveragePool', input: ['mp'], output: ['gap'] },
          { opType: 'Flatten', input: ['gap'], output: ['f'] },
          { opType: 'Softmax', input: ['f'], output: ['y'], attribute: [int('axis', 1)] },
        ],
        [floatInit('W', [4, 1, 3, 3], randoms(36))],
        ['N', 1, 7, 7],
        'y',
      ),
    );
    const r = await compareWithOrt(file, 'y', [2, 1, 7, 7]);
    assert.deepEqual(r.trainable, ['W']);
  });

  it('an operator the trainer lacks is named in the error', async () => {
    const file = scratch.write('erf.onnx', model([{ opType: 'Erf', input: ['x'], output: ['y'], name: 'the_erf' }], [], ['N', 3], 'y'));
    await assert.rejects(compareWithOrt(file, 'y', [1, 3]), /operators the trainer cannot run: Erf \(node 'the_erf'\)/);
  });
});
