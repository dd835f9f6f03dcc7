import assert from 'node:assert/strict';
import { onnx } from '../../../../src/core/proto/onnx';
import { explain } from '../../../../src/pipeline/explain';
import { FLOAT, L, TempDir, encode, node, rawFloat, tensorInfo } from '../../core/build';
import { assertEfficiency, csv, interactionModel, matrix, uniforms } from './helpers';

const INT = onnx.AttributeProto.AttributeType.INT;
const DOUBLE = onnx.TensorProto.DataType.DOUBLE;

describe('explain: model shapes and Kernel options', function () {
  this.timeout(120000);
  const tmp = new TempDir();
  after(() => tmp.dispose());
  const r = uniforms(31);

  it('two inputs (float and double) routed by column prefix: features are the columns of both, φ = w (x − E b)', async () => {
    const model = tmp.file(
      'two.onnx',
      encode({
        nodes: [
          node('Cast', ['b'], ['bf'], { attribute: [{ name: 'to', type: INT, i: L(FLOAT) }] }),
          node('Concat', ['a', 'bf'], ['x'], { attribute: [{ name: 'axis', type: INT, i: L(1) }] }),
          node('Gemm', ['x', 'W', 'B'], ['y']),
        ],
        inputs: [tensorInfo('a', FLOAT, ['N', 2]), tensorInfo('b', DOUBLE, ['N', 2])],
        outputs: [tensorInfo('y', FLOAT, ['N', 1])],
        initializers: [rawFloat('W', [4, 1], [1, -2, 0.5, 4]), rawFloat('B', [1], [0])],
      }),
    );
    const w = [1, -2, 0.5, 4];
    const data = matrix(12, 4, r);
    const file = tmp.file('two.csv', csv(['a_0', 'a_1', 'b_0', 'b_1'], data));
    const res = await explain({ model, data: file, background: file, maxRows: 3, label: null });
    assert.equal(res.method, 'exact');
    assert.deepEqual(res.feature_names, ['a_0', 'a_1', 'b_0', 'b_1']);
    const mean = w.map((_, j) => data.reduce((a, x) => a + x[j]!, 0) / data.length);
    res.shap_values.forEach((row, i) => row.forEach((phi, j) => assert.ok(Math.abs(phi[0]! - w[j]! * (data[i]![j]! - mean[j]!)) < 1e-4)));
    assertEfficiency(res, 1e-9);
  });

  it('a model that fixes its batch size to 1: every call is split into single rows, same values', async () => {
    const spec = (batch: number | string) =>
      encode({
        nodes: [node('Gemm', ['x', 'W', 'B'], ['y'])],
        inputs: [tensorInfo('x', FLOAT, [batch, 3])],
        outputs: [tensorInfo('y', FLOAT, [batch, 1])],
        initializers: [rawFloat('W', [3, 1], [2, 1, -1]), rawFloat('B', [1], [0.5])],
      });
    const fixed = tmp.file('fixed.onnx', spec(1));
    const free = tmp.file('free.onnx', spec('N'));
    const file = tmp.file('fixed.csv', csv(['p', 'q', 's'], matrix(6, 3, r)));
    const a = await explain({ model: fixed, data: file, background: file, maxRows: 2, label: null });
    const b = await explain({ model: free, data: file, background: file, maxRows: 2, label: null });
    assert.equal(a.model_rows, a.model_calls);
    assert.deepEqual(a.shap_values, b.shap_values);
  });

  describe('Kernel SHAP options', () => {
    const M = 10;
    const names = Array.from({ length: M }, (_, j) => `x${j}`);
    const model = tmp.file('k.onnx', interactionModel(M, 5, 1, 3));
    const file = tmp.file('k.csv', csv(names, matrix(20, M, r)));

    it('topK: at most k features per output are non-zero, efficiency still exact', async () => {
      const res = await explain({ model, data: file, method: 'kernel', nsamples: 300, topK: 3, maxRows: 4, label: null });
      assert.equal(res.settings.top_k, 3);
      for (const row of res.shap_values) assert.ok(row.filter((p) => p[0] !== 0).length <= 3);
      assertEfficiency(res, 1e-9);
      // the kept features are the largest of the full solve
      const full = await explain({ model, data: file, method: 'kernel', nsamples: 300, maxRows: 4, label: null });
      full.shap_values.forEach((row, i) => {
        const top = row.map((p, j) => ({ j, a: Math.abs(p[0]!) })).sort((x, y) => y.a - x.a).slice(0, 3).map((e) => e.j).sort();
        const kept = res.shap_values[i]!.map((p, j) => (p[0] !== 0 ? j : -1)).filter((j) => j >= 0);
        for (const j of kept) assert.ok(top.includes(j));
      });
    });

    it('fewer coalitions than features: solved with a tiny ridge, said in the notes', async () => {
      const res = await explain({ model, data: file, method: 'kernel', nsamples: 4, maxRows: 1, label: null });
      assert.ok(res.notes.some((n) => /tiny ridge/.test(n)));
      assertEfficiency(res, 1e-9);
    });
  });
});
