import * as assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { openDataset } from '../../../../src/pipeline/data';
import { parseNumberBytes, scanDecimal, scanNumber, scanState } from '../../../../src/pipeline/data/numbers';
import { TempDir, collect, column, rejectsDataset } from './helpers';

describe('pipeline/data: CSV / TSV', () => {
  const tmp = new TempDir();
  before(() => tmp.make());
  after(() => tmp.clean());

  it('reads a CSV in batches with exact values, row numbers and file lines', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => `${i},${(i * 0.25).toFixed(2)},${-i * 1e-3},c${i % 2}`);
    const file = tmp.write('basic.csv', `id,x,y,kind\n${rows.join('\n')}\n`);
    const src = await openDataset(file);
    assert.equal(src.format, 'csv');
    assert.deepEqual(src.columns, ['id', 'x', 'y', 'kind']);
    assert.deepEqual([...src.kinds], [['id', 'number'], ['x', 'number'], ['y', 'number'], ['kind', 'text']]);
    assert.deepEqual(src.textColumns, ['kind']);
    assert.equal(src.rowCount, undefined);
    const batches = await collect(src, 3);
    assert.deepEqual(batches.map((b) => [b.startRow, b.rowCount]), [[0, 3], [3, 3], [6, 1]]);
    assert.deepEqual(column(batches, 'x'), [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]);
    assert.deepEqual(column(batches, 'y'), [0, -0.001, -0.002, -0.003, -0.004, -0.005, -0.006]);
    assert.deepEqual(column(batches, 'kind'), ['c0', 'c1', 'c0', 'c1', 'c0', 'c1', 'c0']);
    assert.ok(batches[0].columns.get('x') instanceof Float64Array);
    assert.deepEqual(batches.flatMap((b) => Array.from(b.lines!)), [2, 3, 4, 5, 6, 7, 8]);
    // A second pass reads the same rows again.
    assert.deepEqual(column(await collect(src, 100), 'id'), [0, 1, 2, 3, 4, 5, 6]);
  });

  it('reads TSV, BOM, CRLF, blank lines and a last line without newline', async () => {
    const file = tmp.write('t.tsv', '\uFEFFa\tb\r\n1\t2\r\n\r\n3\t4.5\r\n5\t-6');
    const src = await openDataset(file);
    assert.equal(src.format, 'tsv');
    assert.deepEqual(src.columns, ['a', 'b']);
    const batches = await collect(src, 2);
    assert.deepEqual(column(batches, 'a'), [1, 3, 5]);
    assert.deepEqual(column(batches, 'b'), [2, 4.5, -6]);
    assert.deepEqual(batches.flatMap((b) => Array.from(b.lines!)), [2, 4, 5]);
  });

  it('treats empty and NA cells as NaN and keeps inf', async () => {
    const file = tmp.write('na.csv', 'a,b\n1,\nNA,2\nnan,inf\n-inf, 7 \n');
    const batches = await collect(await openDataset(file), 10);
    assert.deepEqual(column(batches, 'a'), [1, NaN, NaN, -Infinity]);
    assert.deepEqual(column(batches, 'b'), [NaN, 2, Infinity, 7]);
  });

  it('hands quoted fields to csv-parse and reads the same values, with the right lines after a multi-line field', async () => {
    const plain = ['x,label,note', '1.5,0,a', '2.5,1,b'];
    const quoted = ['3.5,0,"has, comma"', '4.5,1,"two', 'lines"', '5.5,0,"say ""hi"""', '6.5,1,z'];
    const file = tmp.write('q.csv', [...plain, ...quoted].join('\n') + '\n');
    const batches = await collect(await openDataset(file), 2);
    assert.deepEqual(column(batches, 'x'), [1.5, 2.5, 3.5, 4.5, 5.5, 6.5]);
    assert.deepEqual(column(batches, 'note'), ['a', 'b', 'has, comma', 'two\nlines', 'say "hi"', 'z']);
    // Lines: the multi-line record is reported at the line it ends on.
    assert.deepEqual(batches.flatMap((b) => Array.from(b.lines!)), [2, 3, 4, 6, 7, 8]);
  });

  it('handles lines longer than the read chunk and a first quote megabytes into the file', async () => {
    const long = 'z'.repeat(1_500_000);
    const lines = ['n,t'];
    for (let i = 0; i < 40_000; i++) lines.push(i === 5 ? `${i},${long}` : `${i},r${i}`);
    lines.push('40000,"quoted, at last"');
    for (let i = 40_001; i < 40_010; i++) lines.push(`${i},r${i}`);
    const file = tmp.write('chunks.csv', lines.join('\r\n') + '\r\n');
    const batches = await collect(await openDataset(file), 999);
    const n = column(batches, 'n') as number[];
    const t = column(batches, 't') as string[];
    assert.equal(n.length, 40_010);
    assert.ok(n.every((v, i) => v === i));
    assert.equal(t[5], long);
    assert.equal(t[39_999], 'r39999');
    assert.equal(t[40_000], 'quoted, at last');
    assert.equal(t[40_009], 'r40009');
    const lineNos = batches.flatMap((b) => Array.from(b.lines!));
    assert.ok(lineNos.every((l, i) => l === i + 2));
  });

  it('reads a quoted multi-line field longer than the read chunk, then plain lines again', async () => {
    const big = Array.from({ length: 30_000 }, (_, i) => `line ${i}`).join('\n'); // ~300 kB of lines …
    const huge = big.repeat(5); // … ~1.5 MB inside one quoted field
    const lines = ['k,doc'];
    for (let i = 0; i < 100; i++) lines.push(`${i},p${i}`);
    lines.push(`100,"${huge}"`);
    for (let i = 101; i < 110; i++) lines.push(`${i},"q${i}"`);
    for (let i = 110; i < 120; i++) lines.push(`${i},p${i}`);
    const file = tmp.write('span.csv', lines.join('\n') + '\n');
    const batches = await collect(await openDataset(file), 7);
    const docs = column(batches, 'doc') as string[];
    assert.deepEqual(column(batches, 'k'), Array.from({ length: 120 }, (_, i) => i));
    assert.equal(docs[100], huge);
    assert.equal(docs[105], 'q105');
    assert.equal(docs[119], 'p119');
    const lineNos = batches.flatMap((b) => Array.from(b.lines!));
    const spanned = huge.split('\n').length - 1;
    assert.equal(lineNos[99], 101);
    assert.equal(lineNos[100], 102 + spanned);
    assert.equal(lineNos[119], 121 + spanned);
  });

  it('reports an unclosed quote and a bad cell after quoted lines with the right line', async () => {
    const open = tmp.write('open.csv', 'a,b\n1,2\n3,"oops\n');
    await rejectsDataset(openDataset(open), /open\.csv: CSV parse error at line 3: Quote Not Closed/);
    await rejectsDataset(collect(await openDataset(open, { sampleRows: 1 }), 10), /open\.csv: CSV parse error at line 3: Quote Not Closed/);
    const file = tmp.write('after-q.csv', 'a,b\n1,"x"\n2,"y"\n3,z\n');
    const src = await openDataset(file, { sampleRows: 1 });
    assert.equal(src.kinds.get('b'), 'text');
    const bad = tmp.write('bad-after-q.csv', 'a,b\n1,"2"\n2,"3"\nfour,"5"\n');
    await rejectsDataset(collect(await openDataset(bad, { sampleRows: 2 }), 10), /"four" in column "a" at line 4 \(data row 3\)/);
  });

  it('reads headers spanning lines and CR-only line ends (csv-parse throughout)', async () => {
    const multi = await openDataset(tmp.write('mh.csv', '"a\nb",c\n1,2\n3,4\n'));
    assert.deepEqual(multi.columns, ['a\nb', 'c']);
    const mb = await collect(multi, 5);
    assert.deepEqual(column(mb, 'c'), [2, 4]);
    assert.deepEqual(Array.from(mb[0].lines!), [3, 4]);
    const cr = await openDataset(tmp.write('cr.csv', 'a,b\r1,2\r3,4\r'));
    assert.deepEqual(cr.columns, ['a', 'b']);
    assert.deepEqual(column(await collect(cr, 5), 'b'), [2, 4]);
  });

  it('reads a file whose header is quoted and sniffs a semicolon delimiter', async () => {
    const file = tmp.write('semi.csv', '"a";"b c"\n1;2\n3;4\n');
    const src = await openDataset(file);
    assert.deepEqual(src.columns, ['a', 'b c']);
    assert.ok(src.notes.some((n) => n.includes('";"')));
    const batches = await collect(src, 1);
    assert.deepEqual(column(batches, 'b c'), [2, 4]);
    assert.deepEqual(batches.flatMap((b) => Array.from(b.lines!)), [2, 3]);
  });

  it('names empty and repeated header cells as pandas does', async () => {
    const src = await openDataset(tmp.write('hdr.csv', ',a,a,b\n0,1,2,3\n'));
    assert.deepEqual(src.columns, ['Unnamed: 0', 'a', 'a.1', 'b']);
  });

  it('reports a non-numeric cell with its line, data row and column (fast path and csv-parse path)', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 1500; i++) lines.push(`${i},${i}`);
    lines.push('5,oops');
    const file = tmp.write('bad.csv', lines.join('\n') + '\n');
    const src = await openDataset(file);
    assert.equal(src.kinds.get('b'), 'number');
    const e = await rejectsDataset(collect(src, 100), /bad\.csv: /, /"oops"/, /column "b"/, /line 1502 \(data row 1501\)/);
    assert.deepEqual((e as unknown as { location: unknown }).location, { line: 1502, row: 1500, column: 'b' });
    const q = tmp.write('bad-q.csv', 'a,b\n"1",2\n3,x y\n');
    await rejectsDataset(collect(await openDataset(q, { sampleRows: 1 }), 10), /"x y"/, /column "b"/, /line 3/);
  });

  it('reports rows with a wrong number of fields', async () => {
    await rejectsDataset(collect(await openDataset(tmp.write('short.csv', 'a,b,c\n1,2,3\n4,5\n')), 10), /line 3 has 2 fields but the header has 3/);
    await rejectsDataset(collect(await openDataset(tmp.write('long.csv', 'a,b\n1,2\n4,5,6,7\n')), 10), /line 3 has 4 fields but the header has 2/);
  });

  it('refuses an empty file and a missing file clearly', async () => {
    await rejectsDataset(openDataset(tmp.write('empty.csv', '')), /empty\.csv: the file is empty; a header row/);
    await rejectsDataset(openDataset(tmp.path('nope.csv')), /nope\.csv: no such file/);
  });

  it('reports progress up to 1', async () => {
    const file = tmp.write('prog.csv', 'a\n' + Array.from({ length: 50 }, (_, i) => i).join('\n') + '\n');
    const fractions: number[] = [];
    await collect(await openDataset(file), 10, { onProgress: (p) => fractions.push(p.fraction ?? -1) });
    assert.ok(fractions.length >= 2);
    assert.equal(fractions[fractions.length - 1], 1);
    assert.ok(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1])), String(fractions));
  });

  it('stops on abort between batches', async () => {
    const file = tmp.write('abort.csv', 'a\n' + Array.from({ length: 50 }, (_, i) => i).join('\n') + '\n');
    const ctrl = new AbortController();
    let seen = 0;
    await assert.rejects(
      (async () => {
        for await (const b of (await openDataset(file)).batches(10, { signal: ctrl.signal })) {
          seen += b.rowCount;
          ctrl.abort();
        }
      })(),
      { name: 'AbortError' },
    );
    assert.equal(seen, 10);
  });

  it('converts numbers exactly as Number() does', () => {
    const samples = [
      '0', '-0', '1', '+3', '1.', '.5', '-.5', '0.1', '0.30000000000000004', '123456789012345', '1234567890123456789',
      '1e5', '1E-7', '2.5e+3', '1.7976931348623157e308', '5e-324', '4.9e-324', '1e400', '0.000001234567890123456', '9007199254740993',
      '3.14159265358979323846', '-12.5e-30', '00012', '1e22', '1e23', '123.456e20',
    ];
    for (const s of samples) {
      const b = Buffer.from(s);
      assert.equal(parseNumberBytes(b, 0, b.length), Number(s), s);
    }
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 20000; i++) {
      const v = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 30 - 15);
      for (const s of [v.toString(), v.toFixed(Math.floor(rnd() * 8)), v.toExponential(Math.floor(rnd() * 16)), v.toPrecision(1 + Math.floor(rnd() * 17))]) {
        const b = Buffer.from(`${s},`);
        const x = scanNumber(b, 0, b.length, 44);
        assert.ok(Object.is(x, Number(s)), `${s}: ${x} ≠ ${Number(s)}`);
        assert.equal(scanState.stop, s.length);
      }
    }
    for (const s of ['', 'abc', '1,5', '0x10', '1e', '--1', '1.2.3', 'NaN']) {
      const b = Buffer.from(s);
      const v = parseNumberBytes(b, 0, b.length);
      if (s === '' || s === 'NaN') assert.ok(Number.isNaN(v), s);
      else assert.equal(v, undefined, s);
    }
  });

  it('reads plain decimals with the short scanner exactly as Number(), and hands everything else on', () => {
    const plain = ['0', '-0', '+0', '7', '-7', '+3', '1.', '-1.', '.5', '-.5', '+.5', '0.1', '-1.9972', '00012.50', '123456789012345', '0.00000000000001', '99999999999999.9'];
    for (const s of plain) {
      const b = Buffer.from(`${s},9`);
      const v = scanDecimal(b, 0, b.length, 44);
      assert.ok(Object.is(v, Number(s)), `${s}: ${v} ≠ ${Number(s)}`);
      assert.equal(scanState.stop, s.length, s);
      const e = Buffer.from(s);
      assert.ok(Object.is(scanDecimal(e, 0, e.length, 44), Number(s)), `${s} at the end of the data`);
    }
    // 16+ digits, exponents, blanks, missing and inf tokens, hex, lone signs/dots: NaN (the caller goes on to scanNumber).
    const other = ['1234567890123456', '12345678901234567890', '0.1234567890123456', '1e5', '1.5E-3', ' 1', '1 ', 'NaN', 'nan', 'NA', 'inf', '-inf', 'Infinity', '0x10', '-', '+', '.', '', '1.2.3', '--1', '"1"'];
    for (const s of other) {
      const b = Buffer.from(`${s},9`);
      assert.ok(Number.isNaN(scanDecimal(b, 0, b.length, 44)), s);
    }
    // Bytes past `end` are never read as digits.
    const tail = Buffer.from('12345');
    assert.equal(scanDecimal(tail, 0, 2, 44), 12);
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 20000; i++) {
      const v = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 20 - 8);
      for (const s of [v.toFixed(Math.floor(rnd() * 10)), v.toPrecision(1 + Math.floor(rnd() * 17)), String(v)]) {
        const b = Buffer.from(`${s}\t`);
        const x = scanDecimal(b, 0, b.length, 9);
        if (!Number.isNaN(x)) assert.ok(Object.is(x, Number(s)), `${s}: ${x} ≠ ${Number(s)}`);
        else assert.ok(/[eE]/.test(s) || s.replace(/[-+.]/g, '').length > 15, `${s} should be a plain decimal`);
      }
    }
  });

  it('decides column kinds from the first rows alike with and without quotes in them, and for lines past the first MiB', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `${i},${i === 500 ? 'oops' : i / 4},${i % 3}`);
    const plain = tmp.write('kinds-plain.csv', `id,x,g\r\n${rows.join('\r\n')}\r\n`);
    const quoted = tmp.write('kinds-quoted.csv', `id,x,g\n${rows.map((r, i) => (i === 3 ? r.replace(/,(\d+)$/, ',"$1"') : r)).join('\n')}\n`);
    const late = tmp.write('kinds-late.csv', `id,x,g\n${rows.map((r, i) => (i === 1100 ? r.replace(/,(\d+)$/, ',z') : r)).join('\n')}\n`);
    const long = tmp.write('kinds-long.csv', `id,x,g\n${rows.map((r, i) => `${r.padStart(1200, '0')}${i === 999 ? 'x' : ''}`).join('\n')}\n`);
    for (const f of [plain, quoted]) {
      const src = await openDataset(f);
      assert.deepEqual([...src.kinds], [['id', 'number'], ['x', 'text'], ['g', 'number']], f);
    }
    // Row 1101 is past the 1000 rows sampled: g stays numeric (and reading it then names the cell).
    assert.deepEqual([...(await openDataset(late)).kinds], [['id', 'number'], ['x', 'text'], ['g', 'number']]);
    // 1000 lines of ~1.2 kB do not fit in the first MiB: csv-parse samples them, the 1000th row's text cell counts.
    assert.deepEqual([...(await openDataset(long)).kinds], [['id', 'number'], ['x', 'text'], ['g', 'text']]);
  });

  it('reads every kind of number cell as Number() would, on plain, CRLF and quoted lines', async () => {
    const cells = ['-0', '+3', '.5', '-.5', '7.', '1e5', '-2.5E-3', '12345678901234567', '0.30000000000000004', '3.14159265358979323846', 'NaN', 'inf', '-inf', 'NA', '', ' 4 '];
    const expected = cells.map((c) => (c.trim() === '' || c === 'NA' || c === 'NaN' ? NaN : c === 'inf' ? Infinity : c === '-inf' ? -Infinity : Number(c)));
    for (const [name, eol, quote] of [['plain.csv', '\n', false], ['crlf.csv', '\r\n', false], ['quoted.csv', '\n', true]] as const) {
      const lines = cells.map((c, i) => `${i},${quote ? `"${c}"` : c}`);
      const file = tmp.write(name, `i,x${eol}${lines.join(eol)}${eol}`);
      const got = column(await collect(await openDataset(file), 4), 'x') as number[];
      assert.equal(got.length, cells.length, name);
      got.forEach((v, i) => assert.ok(Object.is(v, expected[i]), `${name} ${JSON.stringify(cells[i])}: ${v} ≠ ${expected[i]}`));
    }
  });

  it('streams a 200k-row CSV with memory bounded by the batch', async function () {
    this.timeout(120000);
    const file = tmp.path('big.csv');
    const out = createWriteStream(file);
    out.write(Array.from({ length: 20 }, (_, j) => `f${j}`).join(',') + '\n');
    for (let i = 0; i < 200_000; i += 1000) {
      let chunk = '';
      for (let k = i; k < i + 1000; k++) {
        let line = '';
        for (let j = 0; j < 20; j++) line += `${((k * 31 + j * 7) % 1000) / 8},`;
        chunk += line.slice(0, -1) + '\n';
      }
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const src = await openDataset(file);
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let rows = 0;
    let sum = 0;
    for await (const b of src.batches(1000)) {
      rows += b.rowCount;
      const c = b.columns.get('f3') as Float64Array;
      for (let i = 0; i < c.length; i++) sum += c[i];
      if (b.startRow % 20000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    }
    assert.equal(rows, 200_000);
    let expect = 0;
    for (let k = 0; k < 200_000; k++) expect += ((k * 31 + 21) % 1000) / 8;
    assert.equal(sum, expect);
    // The file is ~27 MB as text and would be ~32 MB as doubles: the stream must hold far less than that.
    assert.ok(peak < 24e6, `heap grew by ${(peak / 1e6).toFixed(1)} MB while streaming`);
  });
});
