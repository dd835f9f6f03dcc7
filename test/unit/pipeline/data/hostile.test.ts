/**
 * Hostile data files: every reader answers a broken or malicious file with a DatasetError naming the file (what
 * the CLI prints as one line, exit 2), without reading more than a bounded amount and without writing anything:
 * ragged rows, invalid UTF-8, an unclosed quote and a line longer than 64 MiB in CSV; deep nesting and a too-long
 * line in JSONL; NPY headers that lie about shape or dtype, a truncated body; a zip bomb in an NPZ; a Parquet file
 * with a corrupt page or footer; an image folder with a .png that is not an image or claims 30,000×30,000 pixels.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { DatasetError, openDataset } from '../../../../src/pipeline/data';
import { TempDir } from '../../core/build';

async function readAll(file: string): Promise<number> {
  const src = await openDataset(file);
  let rows = 0;
  for await (const b of src.batches(256)) rows += b.rowCount;
  return rows;
}

function npyHeader(shape: string, descr = '<f4'): Buffer {
  let h = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  while ((10 + h.length + 1) % 64) h += ' ';
  h += '\n';
  const b = Buffer.alloc(10);
  b.write('\x93NUMPY', 0, 'latin1');
  b[6] = 1;
  b.writeUInt16LE(h.length, 8);
  return Buffer.concat([b, Buffer.from(h, 'latin1')]);
}

/** A one-member zip whose member is stored deflated. */
function zip(name: string, content: Buffer): Buffer {
  const comp = deflateRawSync(content, { level: 9 });
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(content) >>> 0, 14);
  local.writeUInt32LE(comp.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(n.length, 26);
  const cen = Buffer.alloc(46);
  cen.writeUInt32LE(0x02014b50, 0);
  cen.writeUInt16LE(20, 4);
  cen.writeUInt16LE(20, 6);
  cen.writeUInt16LE(8, 10);
  cen.writeUInt32LE(crc32(content) >>> 0, 16);
  cen.writeUInt32LE(comp.length, 20);
  cen.writeUInt32LE(content.length, 24);
  cen.writeUInt16LE(n.length, 28);
  const body = Buffer.concat([local, n, comp]);
  const cd = Buffer.concat([cen, n]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(body.length, 16);
  return Buffer.concat([body, cd, end]);
}

/** A PNG signature and a valid IHDR claiming width × height (no image data follows). */
function pngHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  b[24] = 8;
  b[25] = 6;
  b.writeUInt32BE(crc32(b.subarray(12, 29)) >>> 0, 29);
  return b;
}

describe('pipeline/data: hostile files get a clear error naming the file', function () {
  this.timeout(120000);
  let tmp: TempDir;
  before(() => (tmp = new TempDir()));
  after(() => tmp.dispose());

  const rejects = async (file: string, pattern: RegExp) => {
    const before = readdirSync(tmp.dir).length;
    await assert.rejects(readAll(file), (e: unknown) => {
      assert.ok(e instanceof DatasetError, `${file}: ${String(e)}`);
      assert.ok(e.message.startsWith(file), `the message names the file: ${e.message}`);
      assert.match(e.message, pattern);
      return true;
    });
    assert.equal(readdirSync(tmp.dir).length, before, 'nothing was written');
  };
  const write = (name: string, data: string | Uint8Array) => {
    writeFileSync(tmp.path(name), data);
    return tmp.path(name);
  };

  it('CSV: ragged rows, invalid UTF-8, a quote never closed', async () => {
    await rejects(write('ragged.csv', 'a,b,c\n1,2,3\n4,5\n'), /line 3 has 2 fields but the header has 3/);
    await rejects(write('latin1.csv', Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xe9, 0xff]), Buffer.from('\n2,3\n')])), /line 2 is not valid UTF-8/);
    await rejects(write('quote.csv', 'a,b\n1,"never closed\n2,3\n'), /Quote Not Closed/);
  });

  it('CSV and JSONL: a line longer than 64 MiB is refused, not read whole', async () => {
    for (const [name, head, tail] of [['long.csv', 'a,b\n1,', '\n'], ['long.jsonl', '{"a":"', '"}\n']] as const) {
      const fd = openSync(tmp.path(name), 'w');
      writeSync(fd, head);
      const chunk = Buffer.alloc(8 << 20, 0x39);
      for (let i = 0; i < 9; i++) writeSync(fd, chunk);
      writeSync(fd, tail);
      closeSync(fd);
      await rejects(tmp.path(name), /longer than 64 MiB|Max Record Size/);
    }
  });

  it('JSONL: deep nesting is an error or text, never a stack overflow', async () => {
    await rejects(write('deep.jsonl', `${'['.repeat(200000)}${']'.repeat(200000)}\n`), /line 1 is not a JSON object/);
    await rejects(write('deepvalue.jsonl', `{"a":${'['.repeat(100000)}1${']'.repeat(100000)}}\n`), /column "a" at line 1/);
    await rejects(write('bad.jsonl', Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')])), /line 1 is not valid UTF-8/);
  });

  it('NPY: a header that lies about shape or dtype, a truncated body', async () => {
    await rejects(write('lies.npy', Buffer.concat([npyHeader('(1000000000, 64)'), Buffer.alloc(2560)])), /truncated: shape \(1000000000, 64\)/);
    await rejects(write('dtype.npy', Buffer.concat([npyHeader('(10, 4)', '<zz'), Buffer.alloc(160)])), /dtype <zz, which is not supported/);
    await rejects(write('trunc.npy', Buffer.concat([npyHeader('(10, 4)'), Buffer.alloc(100)])), /truncated/);
    await rejects(write('overflow.npy', Buffer.concat([npyHeader('(99999999999999999999, 4)'), Buffer.alloc(100)])), /bad NPY shape/);
  });

  it('NPZ: a zip bomb is refused before it is inflated', async () => {
    await rejects(write('bomb.npz', zip('X.npy', Buffer.concat([npyHeader('(1048576, 64)'), Buffer.alloc(256 << 20)]))), /expands \d+× .*zip bomb/);
  });

  it('Parquet: a corrupt page and a corrupt footer', async () => {
    const bytes = Buffer.from(parquetWriteBuffer({ columnData: [{ name: 'x', data: Array.from({ length: 1000 }, (_, i) => i * 1.5), type: 'DOUBLE' }] }));
    const page = Buffer.from(bytes);
    page.fill(0xab, 100, 600);
    await rejects(write('page.parquet', page), /cannot read the Parquet file/);
    await rejects(write('footer.parquet', Buffer.concat([bytes.subarray(0, bytes.length - 30), bytes.subarray(bytes.length - 8)])), /cannot read the Parquet file/);
  });

  it('images: a .png that is not an image, and one claiming 30,000 × 30,000 pixels', async () => {
    const dir = tmp.path('imgs');
    mkdirSync(join(dir, 'a'), { recursive: true });
    mkdirSync(join(dir, 'b'), { recursive: true });
    writeFileSync(join(dir, 'a', 'x.png'), 'not an image at all');
    writeFileSync(join(dir, 'b', 'y.png'), 'nor this');
    await rejects(dir, /"a\/x\.png" cannot be decoded: neither a PNG nor a JPEG/);
    writeFileSync(join(dir, 'a', 'x.png'), pngHeader(30000, 30000));
    writeFileSync(join(dir, 'b', 'y.png'), pngHeader(30000, 30000));
    await rejects(dir, /30000×30000 pixels is more than/);
  });
});
