import assert from 'node:assert/strict';
import { encodeNpy } from '../../../src/core';
import { DataType } from '../../../src/core/tensor/dtypes';

function header(bytes: Uint8Array): string {
  const len = bytes[8]! | (bytes[9]! << 8);
  return Buffer.from(bytes.subarray(10, 10 + len)).toString('latin1');
}

describe('core: .npy encoding', () => {
  it('writes a float32 matrix with a 64-byte aligned header and the raw values', () => {
    const b = encodeNpy({ dataType: DataType.FLOAT, dims: [2, 3], size: 6, values: Float32Array.from([1, 2, 3, 4, 5, 6]) });
    assert.deepEqual(Array.from(b.subarray(0, 8)), [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const h = header(b);
    assert.equal((10 + h.length) % 64, 0);
    assert.match(h, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    assert.deepEqual(Array.from(new Float32Array(b.slice(10 + h.length).buffer)), [1, 2, 3, 4, 5, 6]);
  });

  it('writes 1-D shapes with a trailing comma, scalars as (), int64, bool and strings', () => {
    assert.match(header(encodeNpy({ dataType: DataType.INT64, dims: [2], size: 2, values: BigInt64Array.from([1n, -2n]) })), /'<i8'.*\(2,\)/);
    assert.match(header(encodeNpy({ dataType: DataType.FLOAT, dims: [], size: 1, values: Float32Array.from([7]) })), /'shape': \(\)/);
    assert.match(header(encodeNpy({ dataType: DataType.BOOL, dims: [1], size: 1, values: Uint8Array.from([1]) })), /'\|b1'/);
    const s = encodeNpy({ dataType: DataType.STRING, dims: [2], size: 2, values: ['ab', 'é'] });
    const h = header(s);
    assert.match(h, /'<U2'/);
    assert.deepEqual(Array.from(new Uint32Array(s.slice(10 + h.length).buffer)), [97, 98, 233, 0]);
  });
});
