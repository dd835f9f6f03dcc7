/** Test helpers for the data layer: temp folders, a tiny NPY writer, batch collection. */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataBatch, DatasetSource } from '../../../../src/pipeline/data';
import type { OperationContext } from '../../../../src/pipeline/operation';

/** A temp folder per suite: `before(() => tmp.make())`, `after(() => tmp.clean())`. */
export class TempDir {
  dir = '';
  make(): void {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'ptp-data-'));
  }
  clean(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
  /** Writes `content` to `name` in the folder and returns the path. */
  write(name: string, content: string | Uint8Array): string {
    const p = path.join(this.dir, name);
    writeFileSync(p, content);
    return p;
  }
  path(name: string): string {
    return path.join(this.dir, name);
  }
}

export type NpyDtype = '<f4' | '<f8' | '<i8' | '<i4' | '|u1' | '|b1' | '>f4' | '<f2' | '<u2';

/** Bytes of a .npy file (format 1.0, or 2.0 when `version2`) holding `values` in C order. */
export function npyBytes(dtype: NpyDtype, shape: number[], values: ArrayLike<number>, opts: { fortran?: boolean; version2?: boolean } = {}): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${dtype}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const pre = opts.version2 ? 12 : 10;
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  header = header.padEnd(total - pre - 1, ' ') + '\n';
  const n = values.length;
  let data: Uint8Array;
  switch (dtype) {
    case '<f4':
      data = new Uint8Array(Float32Array.from(values).buffer);
      break;
    case '>f4': {
      const dv = new DataView(new ArrayBuffer(n * 4));
      for (let i = 0; i < n; i++) dv.setFloat32(i * 4, values[i], false);
      data = new Uint8Array(dv.buffer);
      break;
    }
    case '<f8':
      data = new Uint8Array(Float64Array.from(values).buffer);
      break;
    case '<i8':
      data = new Uint8Array(BigInt64Array.from(Array.from(values, (v) => BigInt(v))).buffer);
      break;
    case '<i4':
      data = new Uint8Array(Int32Array.from(values).buffer);
      break;
    case '<u2':
      data = new Uint8Array(Uint16Array.from(values).buffer);
      break;
    case '<f2': {
      // Only values exactly representable by simple halves are used in tests: encode via float32 bits.
      const u = new Uint16Array(n);
      const f = new Float32Array(1);
      const i32 = new Uint32Array(f.buffer);
      for (let i = 0; i < n; i++) {
        f[0] = values[i];
        const x = i32[0];
        const sign = (x >>> 16) & 0x8000;
        const exp = ((x >>> 23) & 0xff) - 127 + 15;
        const mant = (x >>> 13) & 0x3ff;
        u[i] = values[i] === 0 ? sign : sign | (exp << 10) | mant;
      }
      data = new Uint8Array(u.buffer);
      break;
    }
    case '|u1':
    case '|b1':
      data = Uint8Array.from(values);
      break;
  }
  const out = new Uint8Array(total + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, opts.version2 ? 2 : 1, 0]);
  const len = total - pre;
  if (opts.version2) {
    out[8] = len & 0xff;
    out[9] = (len >> 8) & 0xff;
  } else {
    out[8] = len & 0xff;
    out[9] = (len >> 8) & 0xff;
  }
  out.set(Buffer.from(header, 'latin1'), pre);
  out.set(data, total);
  return out;
}

/** All batches of a source. */
export async function collect(source: DatasetSource, batchSize: number, ctx?: OperationContext): Promise<DataBatch[]> {
  const out: DataBatch[] = [];
  for await (const b of source.batches(batchSize, ctx)) out.push(b);
  return out;
}

/** One column over all batches, concatenated. */
export function column(batches: DataBatch[], name: string): number[] | string[] {
  const out: (number | string)[] = [];
  for (const b of batches) {
    const c = b.columns.get(name);
    assert.ok(c, `no column ${name}`);
    out.push(...(Array.from(c as ArrayLike<number | string>) as (number | string)[]));
  }
  return out as number[] | string[];
}

/** Rejects with a DatasetError whose message matches every pattern; returns it. */
export async function rejectsDataset(p: Promise<unknown> | (() => unknown), ...patterns: RegExp[]): Promise<Error> {
  let err: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error, 'expected an error');
  assert.equal((err as Error).name, 'DatasetError', `expected a DatasetError, got ${(err as Error).name}: ${(err as Error).message}`);
  for (const re of patterns) assert.match((err as Error).message, re);
  return err as Error;
}
