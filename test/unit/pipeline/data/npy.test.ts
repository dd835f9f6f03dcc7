import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { openDataset } from '../../../../src/pipeline/data';
import { TempDir, collect, column, npyBytes, rejectsDataset } from './helpers';
import { REPO_ROOT } from '../../../helpers/paths';

const FIX = path.join(REPO_ROOT, 'test', 'fixtures', 'data');

function tensorValues(batches: Awaited<ReturnType<typeof collect>>, name: string): number[] {
  return batches.flatMap((b) => Array.from(b.tensors!.get(name)!.data));
}

describe('pipeline/data: NPY / NPZ', () => {
  const tmp = new TempDir();
  before(() => tmp.make());
  after(() => tmp.clean());

  it('reads a 2-D .npy as tensor column X in batches (rows by offset)', async () => {
    const values = Array.from({ length: 7 * 3 }, (_, i) => i * 0.25 - 1);
    const file = tmp.write('x.npy', npyBytes('<f4', [7, 3], values));
    const src = await openDataset(file);
    assert.equal(src.format, 'npy');
    assert.deepEqual(src.columns, ['X']);
    assert.deepEqual(src.tensors, ['X']);
    assert.deepEqual(src.tensorShapes.get('X'), [3]);
    assert.equal(src.rowCount, 7);
    const batches = await collect(src, 3);
    assert.deepEqual(batches.map((b) => [b.startRow, b.rowCount]), [[0, 3], [3, 3], [6, 1]]);
    assert.ok(batches[0].tensors!.get('X')!.data instanceof Float32Array);
    assert.deepEqual(tensorValues(batches, 'X'), values);
  });

  it('decodes every supported element type, and NPY format 2.0 headers', async () => {
    const cases: [Parameters<typeof npyBytes>[0], number[], boolean][] = [
      ['<f8', [1.5, -2.25, 1e300, 0.1], false],
      ['<i8', [-3, 0, 2 ** 40, 7], false],
      ['<i4', [-3, 0, 2 ** 30, 7], false],
      ['|u1', [0, 255, 17, 3], true],
      ['|b1', [1, 0, 1, 1], true],
      ['<u2', [0, 65535, 3, 4], true],
      ['<f2', [0.5, -2, 1024, 0], true],
    ];
    for (const [dtype, values, f32] of cases) {
      const src = await openDataset(tmp.write(`t${dtype.slice(1)}.npy`, npyBytes(dtype, [2, 2], values, { version2: dtype === '<f8' })));
      const batches = await collect(src, 1);
      assert.equal(batches[0].tensors!.get('X')!.data instanceof Float32Array, f32, dtype);
      assert.deepEqual(tensorValues(batches, 'X'), values, dtype);
    }
  });

  it('reads a 1-D .npy as a number column', async () => {
    const src = await openDataset(tmp.write('v.npy', npyBytes('<f4', [4], [1, 2, 3, 4])));
    assert.deepEqual([...src.kinds], [['X', 'number']]);
    assert.deepEqual(column(await collect(src, 3), 'X'), [1, 2, 3, 4]);
  });

  it('reads what numpy itself writes (save, float16, savez_compressed, savez with aliases)', async () => {
    const x = await openDataset(path.join(FIX, 'X_f4.npy'));
    assert.deepEqual(x.tensorShapes.get('X'), [2, 3]);
    assert.deepEqual(tensorValues(await collect(x, 2), 'X'), Array.from({ length: 30 }, (_, i) => i * 0.5 - 3));
    assert.deepEqual(column(await collect(await openDataset(path.join(FIX, 'y_i8.npy')), 10), 'X'), [0, 1, 2, 1, 0]);
    assert.deepEqual(column(await collect(await openDataset(path.join(FIX, 'X_f2.npy')), 10), 'X'), [0.5, -2, 1024, 0.0999755859375]);

    const xy = await openDataset(path.join(FIX, 'xy.npz'));
    assert.equal(xy.format, 'npz');
    assert.deepEqual(xy.columns, ['X', 'y']);
    assert.deepEqual([...xy.kinds], [['X', 'tensor'], ['y', 'number']]);
    assert.equal(xy.rowCount, 5);
    assert.ok(xy.notes.some((n) => n.includes('"names"')), xy.notes.join('; ')); // <U3 strings: not read (its rows differ too)
    const b = await collect(xy, 2);
    assert.deepEqual(tensorValues(b, 'X'), Array.from({ length: 30 }, (_, i) => i * 0.5 - 3));
    assert.deepEqual(column(b, 'y'), [0, 1, 2, 1, 0]);

    const f = await openDataset(path.join(FIX, 'features.npz'));
    assert.deepEqual(f.columns.slice().sort(), ['features', 'labels']);
    assert.deepEqual(f.tensorShapes.get('features'), [2, 2]);
    const fb = await collect(f, 3);
    assert.deepEqual(tensorValues(fb, 'features'), Array.from({ length: 16 }, (_, i) => i));
    assert.deepEqual(column(fb, 'labels'), [3, 2, 1, 0]);
  });

  it('reads NPZ archives made with fflate (stored and deflated members)', async () => {
    const X = npyBytes('<f8', [3, 2], [1, 2, 3, 4, 5, 6]);
    const y = npyBytes('<i8', [3], [2, 0, 1]);
    for (const level of [0, 6] as const) {
      const file = tmp.write(`a${level}.npz`, zipSync({ 'X.npy': [X, { level }], 'y.npy': [y, { level }] }));
      const batches = await collect(await openDataset(file), 2);
      assert.deepEqual(tensorValues(batches, 'X'), [1, 2, 3, 4, 5, 6]);
      assert.deepEqual(column(batches, 'y'), [2, 0, 1]);
    }
  });

  it('refuses Fortran order and big-endian arrays with a way out', async () => {
    await rejectsDataset(openDataset(path.join(FIX, 'X_fortran.npy')), /X_fortran\.npy: /, /Fortran \(column-major\) order/, /ascontiguousarray/);
    await rejectsDataset(openDataset(tmp.write('f.npy', npyBytes('<f4', [2, 2], [1, 2, 3, 4], { fortran: true }))), /Fortran/);
    await rejectsDataset(openDataset(path.join(FIX, 'X_bigendian.npy')), /big-endian \(>f4\)/);
    await rejectsDataset(openDataset(tmp.write('be.npy', npyBytes('>f4', [2], [1, 2]))), /big-endian/);
  });

  it('refuses broken and mismatched files clearly', async () => {
    const good = npyBytes('<f4', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    await rejectsDataset(openDataset(tmp.write('trunc.npy', good.subarray(0, good.length - 4))), /truncated/);
    await rejectsDataset(openDataset(tmp.write('junk.npy', 'not numpy at all')), /junk\.npy: the array is not a NumPy \.npy array/);
    const mismatch = zipSync({ 'X.npy': npyBytes('<f4', [3, 1], [1, 2, 3]), 'y.npy': npyBytes('<i8', [2], [1, 0]) });
    await rejectsDataset(openDataset(tmp.write('mm.npz', mismatch)), /"X" has 3 rows but "y" has 2/, /arrays found: X \(3, 1\) <f4; y \(2\) <i8/);
    await rejectsDataset(openDataset(tmp.write('empty.npz', zipSync({ 'readme.txt': new Uint8Array([65]) }))), /arrays found: none/);
  });

  it('lists what it found when an NPZ has no X/y array', async () => {
    const src = await openDataset(path.join(FIX, 'other.npz'));
    assert.ok(src.notes.some((n) => /no array named X/.test(n)), src.notes.join('; '));
    assert.deepEqual([...src.columns].sort(), ['a']);
    assert.ok(src.notes.some((n) => n.includes('"b" (2, 2) ignored')));
  });
});
