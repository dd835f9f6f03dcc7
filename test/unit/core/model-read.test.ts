import assert from 'node:assert/strict';
import { inspect, openModel, parseModel, readTensorProtoFile } from '../../../src/core';
import { onnx } from '../../../src/core/proto/onnx';
import { FLOAT, L, TempDir, encode, mlpSpec, node, rawFloat, tensorInfo, type ModelSpec } from './build';

describe('core: reading models lazily', () => {
  let tmp: TempDir;
  beforeEach(() => (tmp = new TempDir()));
  afterEach(() => tmp.dispose());

  it('opens the structure without copying initializer data, and decodes it on request', async () => {
    const file = tmp.file('mlp.onnx', encode(mlpSpec()));
    const m = await openModel(file);
    try {
      const w = m.proto.graph!.initializer![0]!;
      assert.equal(w.name, 'W');
      assert.equal(w.rawData?.length ?? 0, 0, 'raw_data must not be loaded at open');
      const ref = m.lazyRef(w)!;
      assert.equal(ref.dataBytes, 24);
      assert.equal(ref.rawDataLength, 24);
      const v = await m.readTensor(w);
      assert.deepEqual(v.dims, [3, 2]);
      assert.deepEqual(Array.from(v.values as Float32Array), [1, -1, 0.5, 2, -0.25, 0]);
    } finally {
      await m.close();
    }
  });

  it('inspect() reports exactly the documented keys and values', async () => {
    const spec = mlpSpec();
    spec.inputs.push(tensorInfo('W', FLOAT, [3, 2])); // an initializer listed as input is not a model input
    spec.extra = {
      docString: 'doc <b>x</b>',
      modelVersion: L(7),
      metadataProps: [{ key: 'author', value: 'me' }],
      functions: [{ name: 'F', domain: 'custom', node: [node('Relu', ['a'], ['b'])], input: ['a'], output: ['b'] }],
    };
    spec.opsets = [{ domain: '', version: 17 }, { domain: 'custom', version: 1 }];
    const m = await parseModel(encode(spec));
    const r = inspect(m);
    assert.deepEqual(Object.keys(r), [
      'ir_version', 'opset_import', 'producer_name', 'producer_version', 'model_version', 'doc_string', 'graph_name',
      'metadata_props', 'inputs', 'outputs', 'node_count', 'node_count_total', 'subgraph_count', 'op_histogram',
      'initializer_count', 'sparse_initializer_count', 'parameter_count', 'initializer_bytes', 'external_data', 'function_count',
    ]);
    assert.equal(r.ir_version, 8);
    assert.deepEqual(r.opset_import, { 'ai.onnx': 17, custom: 1 });
    assert.equal(r.model_version, 7);
    assert.equal(r.doc_string, 'doc <b>x</b>');
    assert.deepEqual(r.metadata_props, { author: 'me' });
    assert.deepEqual(r.inputs, [{ name: 'X', kind: 'tensor', elem_type: 'FLOAT', shape: ['N', 3] }]);
    assert.deepEqual(r.outputs, [{ name: 'Y', kind: 'tensor', elem_type: 'FLOAT', shape: ['N', 2] }]);
    assert.equal(r.node_count, 2);
    assert.equal(r.node_count_total, 2);
    assert.deepEqual(r.op_histogram, { 'ai.onnx::Gemm': 1, 'ai.onnx::Relu': 1 });
    assert.equal(r.initializer_count, 2);
    assert.equal(r.parameter_count, 8);
    assert.equal(r.initializer_bytes, 32);
    assert.equal(r.function_count, 1);
  });

  it('counts nodes and operators inside If/Loop bodies recursively', async () => {
    const body = (name: string, inner?: onnx.NodeProto.$Properties): onnx.GraphProto.$Properties => ({
      name,
      node: [node('Identity', ['X'], [`${name}_o`]), ...(inner ? [inner] : [])],
      output: [tensorInfo(`${name}_o`, FLOAT, null)],
    });
    const innerIf = node('If', ['c'], ['z'], {
      attribute: [
        { name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: body('t2') },
        { name: 'else_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: body('e2') },
      ],
    });
    const spec: ModelSpec = {
      nodes: [
        node('If', ['c'], ['Y'], {
          attribute: [
            { name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: body('t1', innerIf) },
            { name: 'else_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: body('e1') },
          ],
        }),
      ],
      inputs: [tensorInfo('c', onnx.TensorProto.DataType.BOOL, []), tensorInfo('X', FLOAT, [2])],
      outputs: [tensorInfo('Y', FLOAT, [2])],
    };
    const r = inspect(await parseModel(encode(spec)));
    assert.equal(r.node_count, 1);
    assert.equal(r.subgraph_count, 4);
    // main If + t1 (Identity, If) + e1 (Identity) + t2 (Identity) + e2 (Identity)
    assert.equal(r.node_count_total, 6);
    assert.deepEqual(r.op_histogram, { 'ai.onnx::Identity': 4, 'ai.onnx::If': 2 });
  });

  it('describes sequence, map, optional and sparse types and unknown shapes', async () => {
    const spec: ModelSpec = {
      nodes: [node('Identity', ['a'], ['b'])],
      inputs: [
        { name: 'a', type: { sequenceType: { elemType: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'n' }] } } } } } },
        { name: 'm', type: { mapType: { keyType: onnx.TensorProto.DataType.INT64, valueType: { tensorType: { elemType: FLOAT } } } } },
        { name: 'o', type: { optionalType: { elemType: { tensorType: { elemType: onnx.TensorProto.DataType.INT32, shape: { dim: [{}] } } } } } },
        { name: 's', type: { sparseTensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: L(4) }, { dimValue: L(0) }] } } } },
      ],
      outputs: [tensorInfo('b', FLOAT, null)],
    };
    const r = inspect(await parseModel(encode(spec)));
    assert.deepEqual(r.inputs, [
      { name: 'a', kind: 'sequence', elem_type: 'FLOAT', shape: ['n'] },
      { name: 'm', kind: 'map', elem_type: 'map(INT64,FLOAT)', shape: null },
      { name: 'o', kind: 'optional', elem_type: 'INT32', shape: [null] },
      { name: 's', kind: 'sparse_tensor', elem_type: 'FLOAT', shape: [4, 0] },
    ]);
    assert.deepEqual(r.outputs[0]!.shape, null);
  });

  it('reads sparse initializers lazily and counts them', async () => {
    const spec = mlpSpec();
    spec.graphExtra = {
      sparseInitializer: [{ values: rawFloat('S', [2], [5, 6]), indices: { name: 'S_i', dims: [L(2)], dataType: onnx.TensorProto.DataType.INT64, int64Data: [L(1), L(3)] }, dims: [L(4)] }],
    };
    const m = await parseModel(encode(spec));
    const r = inspect(m);
    assert.equal(r.sparse_initializer_count, 1);
    const s = m.proto.graph!.sparseInitializer![0]!;
    assert.ok(m.lazyRef(s.values!));
    assert.deepEqual(Array.from((await m.readTensor(s.values!)).values as Float32Array), [5, 6]);
    assert.deepEqual(Array.from((await m.readTensor(s.indices!)).values as BigInt64Array), [1n, 3n]);
  });

  it('reads tensors stored in typed fields (float_data, int64_data) and unpacked repeated fields', async () => {
    const spec = mlpSpec();
    spec.initializers = [
      { name: 'W', dims: [L(3), L(2)], dataType: FLOAT, floatData: [1, 2, 3, 4, 5, 6] },
      { name: 'B', dims: [L(2)], dataType: FLOAT, floatData: [7, 8] },
    ];
    const m = await parseModel(encode(spec));
    assert.deepEqual(Array.from((await m.readTensor(m.proto.graph!.initializer![1]!)).values as Float32Array), [7, 8]);
    assert.equal(inspect(m).initializer_bytes, 32);
  });

  it('keeps unknown fields of newer files and still opens them', async () => {
    const base = encode(mlpSpec());
    // field 99 (varint) and field 98 (length-delimited) at the top level: unknown to this schema
    const extra = Uint8Array.from([0x98, 0x06, 0x2a, 0x92, 0x06, 0x03, 0x61, 0x62, 0x63]);
    const m = await parseModel(Buffer.concat([base, extra]));
    assert.equal(inspect(m).node_count, 2);
  });

  it('decodes a standalone TensorProto .pb file', async () => {
    const file = tmp.file('input_0.pb', onnx.TensorProto.encode(rawFloat('x', [2, 2], [1, 2, 3, 4])).finish());
    const t = await readTensorProtoFile(file);
    assert.deepEqual(t.dims, [2, 2]);
    assert.deepEqual(Array.from(t.values as Float32Array), [1, 2, 3, 4]);
  });
});
