import * as assert from 'node:assert/strict';
import { DataType } from '../../src/core/tensor/dtypes';
import type { DecodedTensor, TensorValues } from '../../src/core/tensor/types';
import { closeFloat, mismatch, parseFloat32 } from './compare';

const t = (dataType: number, dims: number[], values: TensorValues): DecodedTensor => ({ dataType, dims, size: dims.reduce((a, b) => a * b, 1), values });

describe('corpus: comparison helpers', () => {
  it('compares floats like assert_allclose, NaN equal to NaN, infinities exactly', () => {
    const tol = { rtol: 1e-3, atol: 1e-5 };
    assert.ok(closeFloat(1.0009, 1, tol));
    assert.ok(!closeFloat(1.002, 1, tol));
    assert.ok(closeFloat(5e-6, 0, tol));
    assert.ok(!closeFloat(2e-5, 0, tol));
    assert.ok(closeFloat(NaN, NaN, tol));
    assert.ok(!closeFloat(NaN, 0, tol));
    assert.ok(!closeFloat(0, NaN, tol));
    assert.ok(closeFloat(Infinity, Infinity, tol));
    assert.ok(!closeFloat(-Infinity, Infinity, tol));
    assert.ok(!closeFloat(1e38, Infinity, tol));
  });

  it('is exact for ints, bools and strings, and checks dtype and shape', () => {
    assert.equal(mismatch(t(DataType.INT64, [2], new BigInt64Array([1n, 2n])), t(DataType.INT64, [2], new BigInt64Array([1n, 2n]))), undefined);
    assert.match(mismatch(t(DataType.INT64, [2], new BigInt64Array([1n, 3n])), t(DataType.INT64, [2], new BigInt64Array([1n, 2n])))!, /1 of 2 values differ; first at flat index 1/);
    assert.match(mismatch(t(DataType.INT32, [1], new Int32Array([1])), t(DataType.INT64, [1], new BigInt64Array([1n])))!, /element type INT32/);
    assert.match(mismatch(t(DataType.FLOAT, [2, 1], new Float32Array(2)), t(DataType.FLOAT, [1, 2], new Float32Array(2)))!, /shape \[2,1\]/);
    assert.match(mismatch(t(DataType.STRING, [1], ['a']), t(DataType.STRING, [1], ['a ']))!, /differ/);
    assert.match(mismatch(t(DataType.BOOL, [1], new Uint8Array([1])), t(DataType.BOOL, [1], new Uint8Array([0])))!, /differ/);
    assert.equal(mismatch(t(DataType.FLOAT, [1], new Float32Array([3])), t(DataType.FLOAT, [1], new Float32Array([1])), { values: 'ignore' }), undefined);
  });

  it('compares numeric strings as float32 when asked', () => {
    assert.equal(parseFloat32('0.60484552'), parseFloat32('0.6048455'));
    assert.equal(parseFloat32('+INF'), Infinity);
    assert.equal(parseFloat32('-inf'), -Infinity);
    assert.ok(Number.isNaN(parseFloat32('NaN')));
    const a = t(DataType.STRING, [2], ['0.60484552', 'NaN']);
    const e = t(DataType.STRING, [2], ['0.6048455', 'NaN']);
    assert.equal(mismatch(a, e, { values: 'strings-as-float32' }), undefined);
    assert.match(mismatch(a, e)!, /1 of 2/);
    assert.match(mismatch(t(DataType.STRING, [1], ['0.6048456']), t(DataType.STRING, [1], ['0.6048455']), { values: 'strings-as-float32' })!, /differ/);
  });
});
