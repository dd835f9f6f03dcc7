import assert from 'node:assert/strict';
import { parseModel, validate, type Finding } from '../../../src/core';
import { onnx } from '../../../src/core/proto/onnx';
import { FLOAT, L, encode, mlpSpec, node, rawFloat, tensorInfo, type ModelSpec } from './build';

async function findings(spec: ModelSpec): Promise<Finding[]> {
  return (await validate(await parseModel(encode(spec)))).findings;
}

function codes(f: Finding[]): string[] {
  return f.map((x) => x.code).sort();
}

describe('core: validate', () => {
  it('a well-formed model has no findings', async () => {
    const r = await validate(await parseModel(encode(mlpSpec())));
    assert.deepEqual(r, { valid: true, errors: 0, warnings: 0, findings: [] });
  });

  it('nodes out of topological order', async () => {
    const spec = mlpSpec();
    spec.nodes.reverse();
    const f = await findings(spec);
    assert.deepEqual(codes(f), ['topological-order']);
    assert.equal(f[0]!.node, 'Relu_Y');
    assert.equal(f[0]!.tensor, 'H');
  });

  it('an input nobody produces, and a graph output nobody produces', async () => {
    const spec = mlpSpec();
    spec.nodes[1] = node('Add', ['H', 'ghost'], ['Y']);
    spec.outputs.push(tensorInfo('Z', FLOAT, null));
    const f = await findings(spec);
    assert.deepEqual(codes(f), ['undefined-input', 'undefined-output']);
    assert.ok(f.find((x) => x.code === 'undefined-input')!.message.includes("'ghost'"));
  });

  it('duplicate outputs (SSA), duplicate initializers, duplicate node names', async () => {
    const spec = mlpSpec();
    spec.nodes.push(node('Relu', ['H'], ['Y'], { name: 'Relu_Y' }));
    spec.initializers!.push(rawFloat('B', [2], [0, 0]));
    const f = await findings(spec);
    assert.deepEqual(codes(f), ['duplicate-name', 'duplicate-node-name', 'duplicate-output']);
  });

  it('a domain used but not imported', async () => {
    const spec = mlpSpec();
    spec.nodes[1] = node('MyOp', ['H'], ['Y'], { domain: 'com.example' });
    const f = await findings(spec);
    assert.deepEqual(codes(f), ['missing-opset']);
    assert.match(f[0]!.message, /com\.example/);
  });

  it('initializer type and shape vs the declared graph input', async () => {
    const spec = mlpSpec();
    spec.inputs.push(tensorInfo('W', onnx.TensorProto.DataType.DOUBLE, [3, 2]), tensorInfo('B', FLOAT, [3]));
    assert.deepEqual(codes(await findings(spec)), ['initializer-shape-mismatch', 'initializer-type-mismatch']);
  });

  it('raw_data that does not match the declared shape, and a tensor with no data', async () => {
    const spec = mlpSpec();
    spec.initializers![0] = { ...rawFloat('W', [3, 2], [1, 2, 3]), dims: [L(3), L(2)] };
    spec.initializers![1] = { name: 'B', dims: [L(2)], dataType: FLOAT };
    const f = await findings(spec);
    assert.deepEqual(codes(f), ['tensor-data-missing', 'tensor-data-size']);
    assert.match(f.find((x) => x.code === 'tensor-data-size')!.message, /6 FLOAT elements \(24 bytes\) but its raw_data holds 12 bytes/);
  });

  it('subgraphs may use names of the enclosing graph; undefined names inside them are found', async () => {
    const body = (extra: string[]): onnx.GraphProto.$Properties => ({
      name: 'b',
      node: [node('Add', ['X', 'W', ...extra].slice(0, 2 + extra.length), ['s'])],
      output: [tensorInfo('s', FLOAT, null)],
    });
    const spec: ModelSpec = {
      nodes: [node('If', ['c'], ['Y'], { attribute: [{ name: 'then_branch', type: 5, g: body([]) }, { name: 'else_branch', type: 5, g: body(['nope']) }] })],
      inputs: [tensorInfo('c', onnx.TensorProto.DataType.BOOL, []), tensorInfo('X', FLOAT, [2])],
      outputs: [tensorInfo('Y', FLOAT, [2])],
      initializers: [rawFloat('W', [2], [1, 2])],
    };
    const f = await findings(spec);
    assert.deepEqual(codes(f), ['undefined-input']);
    assert.match(f[0]!.graph!, /^main\/If_Y:else_branch$/);
  });

  it('missing ir_version and opset_import', async () => {
    const m = await parseModel(onnx.ModelProto.encode({ graph: { node: [], output: [tensorInfo('x', FLOAT, null)], input: [tensorInfo('x', FLOAT, null)] } }).finish());
    assert.deepEqual(codes((await validate(m)).findings), ['missing-ir-version']);
    const m2 = await parseModel(onnx.ModelProto.encode({ irVersion: L(8), graph: { output: [tensorInfo('x', FLOAT, null)], input: [tensorInfo('x', FLOAT, null)] } }).finish());
    assert.deepEqual(codes((await validate(m2)).findings), ['missing-opset']);
  });
});
