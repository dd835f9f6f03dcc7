import * as assert from 'node:assert/strict';
import { DataType } from '../../../../src/core/tensor/dtypes';
import type { DecodedTensor, TensorValues } from '../../../../src/core/tensor/types';
import {
  ORT_SUPPORTED_DATA_TYPES,
  RuntimeError,
  createSession,
  float16BitsToNumber,
  float16ToFloat32Array,
  float32ToFloat16Array,
  fromOrtTensor,
  numberToFloat16Bits,
  ortTypeOf,
  toOrtTensor,
} from '../../../../src/pipeline/runtime';
import { TempModels, node, valueInfo } from '../../../helpers/tiny-models';

function decoded(dataType: number, dims: number[], values: TensorValues, name?: string): DecodedTensor {
  return { ...(name ? { name } : {}), dataType, dims, size: dims.reduce((a, b) => a * b, 1), values };
}

/** One sample tensor (2×3) per element type onnxruntime-node exchanges, with edge values. */
const SAMPLES: ReadonlyArray<[DataType, TensorValues]> = [
  [DataType.FLOAT, new Float32Array([1.5, -2, 0, NaN, Infinity, -3.25e-20])],
  [DataType.DOUBLE, new Float64Array([1.5, -2, 0, NaN, -Infinity, 1e300])],
  [DataType.FLOAT16, new Float32Array([1, -2, 0.5, 65504, NaN, 2 ** -24])],
  [DataType.INT8, new Int8Array([-128, 127, 0, 1, -1, 5])],
  [DataType.INT16, new Int16Array([-32768, 32767, 0, 1, -1, 5])],
  [DataType.INT32, new Int32Array([-(2 ** 31), 2 ** 31 - 1, 0, 1, -1, 5])],
  [DataType.INT64, new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 0n, 1n, -1n, 2n ** 53n + 1n])],
  [DataType.UINT8, new Uint8Array([0, 255, 1, 2, 3, 4])],
  [DataType.UINT16, new Uint16Array([0, 65535, 1, 2, 3, 4])],
  [DataType.UINT32, new Uint32Array([0, 2 ** 32 - 1, 1, 2, 3, 4])],
  [DataType.UINT64, new BigUint64Array([0n, 2n ** 64n - 1n, 1n, 2n, 3n, 2n ** 53n + 1n])],
  [DataType.BOOL, new Uint8Array([0, 1, 1, 0, 0, 1])],
  [DataType.STRING, ['', 'a', 'été', '日本', 'x'.repeat(300), 'tab\tnew\nline']],
];

function assertSameValues(actual: TensorValues, expected: TensorValues): void {
  assert.equal(actual.constructor, expected.constructor);
  assert.deepEqual(Array.from(actual as ArrayLike<unknown>), Array.from(expected as ArrayLike<unknown>));
}

describe('pipeline/runtime: float16', () => {
  it('converts every half bit pattern to a number and back exactly (NaNs stay NaN)', () => {
    for (let h = 0; h < 0x10000; h++) {
      const x = float16BitsToNumber(h);
      const back = numberToFloat16Bits(x);
      if (Number.isNaN(x)) assert.ok(Number.isNaN(float16BitsToNumber(back)), `NaN 0x${h.toString(16)}`);
      else assert.equal(back, h, `0x${h.toString(16)} → ${x} → 0x${back.toString(16)}`);
    }
  });

  it('rounds to nearest, ties to even, with overflow to infinity and underflow to zero', () => {
    assert.equal(numberToFloat16Bits(1 + 2 ** -11), 0x3c00); // tie → even (down)
    assert.equal(numberToFloat16Bits(1 + 3 * 2 ** -11), 0x3c02); // tie → even (up)
    assert.equal(numberToFloat16Bits(1 + 2 ** -11 + 2 ** -20), 0x3c01); // above the tie
    assert.equal(numberToFloat16Bits(65520), 0x7c00); // rounds past max → inf
    assert.equal(numberToFloat16Bits(65519), 0x7bff);
    assert.equal(numberToFloat16Bits(2 ** -25), 0x0000); // tie between 0 and the smallest subnormal → 0
    assert.equal(numberToFloat16Bits(1.5 * 2 ** -25), 0x0001);
    assert.equal(numberToFloat16Bits(-0), 0x8000);
    assert.equal(numberToFloat16Bits(-Infinity), 0xfc00);
    assert.equal(numberToFloat16Bits(1e-10), 0);
  });

  it('converts arrays both ways', () => {
    const f = new Float32Array([1, -2, 0.333]);
    const back = float16ToFloat32Array(float32ToFloat16Array(f));
    assert.deepEqual(Array.from(back.subarray(0, 2)), [1, -2]);
    assert.ok(Math.abs(back[2]! - 0.333) < 1e-3);
  });
});

describe('pipeline/runtime: DecodedTensor ⇄ onnxruntime Tensor', () => {
  it('knows which element types onnxruntime-node exchanges', () => {
    assert.equal(ORT_SUPPORTED_DATA_TYPES.length, SAMPLES.length);
    for (const [dt] of SAMPLES) assert.ok(ortTypeOf(dt), `type ${dt}`);
  });

  for (const [dt, values] of SAMPLES) {
    it(`round-trips ${DataType[dt]} in memory`, () => {
      const t = toOrtTensor(decoded(dt, [2, 3], values, 'x'));
      assert.deepEqual(t.dims, [2, 3]);
      assert.equal(t.type, ortTypeOf(dt));
      const back = fromOrtTensor(t, 'x');
      assert.equal(back.dataType, dt);
      assert.deepEqual(back.dims, [2, 3]);
      assert.equal(back.size, 6);
      assert.equal(back.name, 'x');
      assertSameValues(back.values, values);
    });
  }

  it('feeds float16 as bit patterns', () => {
    const t = toOrtTensor(decoded(DataType.FLOAT16, [2], new Float32Array([1, -2])));
    assert.ok(t.data instanceof Uint16Array);
    assert.deepEqual(Array.from(t.data as Uint16Array), [0x3c00, 0xc000]);
  });

  it('handles scalars, empty tensors and views into larger buffers', () => {
    const scalar = fromOrtTensor(toOrtTensor(decoded(DataType.FLOAT, [], new Float32Array([7]))));
    assert.deepEqual(scalar.dims, []);
    assert.equal(scalar.size, 1);
    const empty = fromOrtTensor(toOrtTensor(decoded(DataType.INT64, [0, 3], new BigInt64Array(0))));
    assert.deepEqual(empty.dims, [0, 3]);
    assert.equal(empty.size, 0);
    const big = new Int32Array([9, 9, 1, 2, 3, 9]);
    const view = fromOrtTensor(toOrtTensor(decoded(DataType.INT32, [3], big.subarray(2, 5))));
    assert.deepEqual(Array.from(view.values as Int32Array), [1, 2, 3]);
  });

  it('refuses element types onnxruntime-node cannot exchange, naming the type and the tensor', () => {
    for (const dt of [DataType.BFLOAT16, DataType.INT4, DataType.UINT4, DataType.COMPLEX64, DataType.FLOAT8E4M3FN]) {
      assert.throws(
        () => toOrtTensor(decoded(dt, [1], new Float32Array([1]), 'w')),
        (e: unknown) => e instanceof RuntimeError && e.code === 'unsupported-dtype' && /'w'/.test(e.message) && e.message.includes(DataType[dt]),
      );
    }
  });

  it('refuses strings holding NUL (onnxruntime-node would cut them there)', () => {
    assert.throws(
      () => toOrtTensor(decoded(DataType.STRING, [2], ['ok', 'a\u0000b'])),
      (e: unknown) => e instanceof RuntimeError && e.code === 'unsupported-dtype' && /element 1 contains a NUL/.test(e.message),
    );
  });

  it('refuses values of the wrong array type', () => {
    assert.throws(() => toOrtTensor(decoded(DataType.INT64, [1], new Int32Array([1]))), /tensor \(int64\) are a Int32Array/);
  });

  describe('through a real onnxruntime session (Identity)', () => {
    const models = new TempModels();
    after(() => models.dispose());
    for (const [dt, values] of SAMPLES) {
      it(`${DataType[dt]} comes back unchanged`, async () => {
        const file = models.write({ nodes: [node('Identity', ['X'], ['Y'])], inputs: [valueInfo('X', dt, [2, 3])], outputs: [valueInfo('Y', dt, [2, 3])] });
        const session = await createSession(file, { intraOpNumThreads: 1 });
        try {
          const out = await session.run({ X: toOrtTensor(decoded(dt, [2, 3], values)) });
          const back = fromOrtTensor(out.Y as Parameters<typeof fromOrtTensor>[0], 'Y');
          assert.equal(back.dataType, dt);
          assert.deepEqual(back.dims, [2, 3]);
          assertSameValues(back.values, values);
        } finally {
          await session.release();
        }
      });
    }
  });
});
