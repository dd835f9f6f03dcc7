/**
 * Embedding tables (Gather on a constant float initializer): dynamic and static keep the table as int8 and
 * dequantize the gathered rows (per tensor: DequantizeLinear; per row: Cast → Mul by the gathered row scales).
 * Models are built here: ids[N, 6] (int64) → Gather(E[500, 32]) → ReduceMean over the 6 tokens → Gemm → logits[N, 4];
 * onnxruntime runs every output, compared with the float model on the same ids. int4 (opt-in via op_types) writes
 * com.microsoft GatherBlockQuantized.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openModel } from '../../../../src/core';
import { longToNumber } from '../../../../src/core/long';
import { DataType } from '../../../../src/core/tensor/dtypes';
import { dequantizeBlockwise4, quantize, quantizeBlockwise4 } from '../../../../src/pipeline/quantize';
import type { QuantizeResult, QuantizeSettings } from '../../../../src/protocol/quantize';
import { L, Scratch, encodeModel, floatInit, intAttr, randoms, relError, runTyped, valueInfo, type TypedInput } from './helpers';

const VOCAB = 500;
const DIM = 32;
const TOKENS = 6;
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** A table whose rows differ in scale (every 10th row 8× larger), as embeddings of frequent and rare tokens do. */
function table(): Float32Array {
  const e = randoms(VOCAB * DIM, 41);
  for (let r = 0; r < VOCAB; r += 10) for (let c = 0; c < DIM; c++) e[r * DIM + c]! *= 8;
  return e;
}

function embeddingModel(): Uint8Array {
  return encodeModel({
    nodes: [
      { opType: 'Gather', input: ['E', 'ids'], output: ['emb'], name: 'embed' },
      { opType: 'ReduceMean', input: ['emb'], output: ['pooled'], name: 'pool', attribute: [{ name: 'axes', type: 7, ints: [L(1)] }, intAttr('keepdims', 0)] },
      { opType: 'Gemm', input: ['pooled', 'W', 'b'], output: ['logits'], name: 'head' },
    ],
    inputs: [valueInfo('ids', DataType.INT64, ['N', TOKENS])],
    outputs: [valueInfo('logits', DataType.FLOAT, ['N', 4])],
    initializers: [floatInit('E', [VOCAB, DIM], table()), floatInit('W', [DIM, 4], randoms(DIM * 4, 42)), floatInit('b', [4], randoms(4, 43))],
  });
}

/** ids in [−VOCAB, VOCAB) (Gather counts negative ones from the end), and a label column. */
function idsCsv(rows: number, seed: number): string {
  const v = randoms(rows * TOKENS, seed);
  const header = [...Array.from({ length: TOKENS }, (_, i) => `id${i}`), 'label'].join(',');
  const lines = Array.from({ length: rows }, (_, r) => {
    const ids = Array.from(v.subarray(r * TOKENS, (r + 1) * TOKENS), (x) => Math.floor(x * VOCAB));
    return [...ids, r % 4].join(',');
  });
  return `${header}\n${lines.join('\n')}\n`;
}

function idsFeed(rows: number, seed: number): Record<string, TypedInput> {
  const v = randoms(rows * TOKENS, seed);
  return { ids: { type: 'int64', data: BigInt64Array.from(v, (x) => BigInt(Math.floor(x * VOCAB))), dims: [rows, TOKENS] } };
}

async function initializers(file: string): Promise<Map<string, { dataType: number; dims: number[] }>> {
  const m = await openModel(file);
  try {
    return new Map(m.proto.graph!.initializer!.map((t) => [t.name!, { dataType: t.dataType ?? 0, dims: (t.dims ?? []).map(longToNumber) }]));
  } finally {
    await m.close();
  }
}

async function nodesOf(file: string): Promise<{ opType: string; name: string; input: string[]; attrs: Record<string, number> }[]> {
  const m = await openModel(file);
  try {
    return m.proto.graph!.node!.map((n) => ({
      opType: n.opType ?? '',
      name: n.name ?? '',
      input: [...(n.input ?? [])],
      attrs: Object.fromEntries((n.attribute ?? []).map((a) => [a.name!, longToNumber(a.i)])),
    }));
  } finally {
    await m.close();
  }
}

describe('quantize: embedding tables (Gather)', function () {
  this.timeout(120000);
  let scratch: Scratch;
  let data: string;
  before(() => {
    scratch = new Scratch();
    data = scratch.write('ids.csv', idsCsv(120, 51));
  });
  after(() => scratch.dispose());

  const run = (mode: 'dynamic' | 'static', settings: QuantizeSettings, tag: string): Promise<{ model: string; r: QuantizeResult }> => {
    const model = scratch.write(`embed-${tag}.onnx`, embeddingModel());
    return quantize({ model, mode, data, settings, latency: false }).then((r) => ({ model, r }));
  };

  const cases = [
    { mode: 'dynamic', perChannel: false },
    { mode: 'dynamic', perChannel: true },
    { mode: 'static', perChannel: false },
    { mode: 'static', perChannel: true },
  ] as const;
  for (const c of cases) {
    it(`${c.mode}${c.perChannel ? ', per row' : ''}: int8 table, 4× fewer table bytes, outputs close, Gather reported with SQNR`, async () => {
      const { model, r } = await run(c.mode, { per_channel: c.perChannel }, `${c.mode}-${c.perChannel}`);
      const before = sha(model);
      const inits = await initializers(r.output);
      assert.ok(!inits.has('E'), 'the float table is gone');
      assert.deepEqual(inits.get('E_quantized'), { dataType: DataType.INT8, dims: [VOCAB, DIM] });
      assert.deepEqual(inits.get('E_scale')!.dims, c.perChannel ? [VOCAB, 1] : [], 'one scale per row, shaped to gather with the ids');
      assert.equal(sha(model), before, 'the source model is never written');

      const nodes = await nodesOf(r.output);
      const gather = nodes.find((n) => n.name === 'embed')!;
      assert.deepEqual([gather.opType, gather.input[0]], ['Gather', 'E_quantized'], 'the Gather reads the int8 table');
      const after = nodes.filter((n) => n.opType === 'DequantizeLinear' && n.input[0]!.startsWith('emb_quantized'));
      assert.equal(after.length, c.perChannel ? 0 : 1, 'per tensor: one DequantizeLinear after the Gather');
      if (c.perChannel) assert.ok(nodes.some((n) => n.opType === 'Gather' && n.input[0] === 'E_scale'), 'per row: the scales are gathered with the same ids');

      // Sizes: the table dominates, so the weights drop about 4× and the file shrinks.
      assert.ok(r.size_bytes_after < r.size_bytes_before * 0.35, `${r.size_bytes_after} vs ${r.size_bytes_before}`);
      const ratio = r.weight_bytes_after / r.weight_bytes_before;
      assert.ok(ratio < (c.perChannel ? 0.33 : 0.27), `weight ratio ${ratio.toFixed(3)}`);

      // onnxruntime runs it and agrees with the float model.
      const feed = idsFeed(32, 61);
      const ref = (await runTyped(model, feed)).logits!.data as Float32Array;
      const got = (await runTyped(r.output, feed)).logits!.data as Float32Array;
      const e = relError(got, ref);
      assert.ok(e < (c.mode === 'static' ? 0.05 : 0.03), `relative error ${e.toFixed(4)}`);

      // The report: the Gather with its table's SQNR and an activation SQNR measured on the data rows.
      const n = r.nodes.find((x) => x.name === 'embed')!;
      assert.deepEqual([n.op_type, n.status, n.precision, n.weight], ['Gather', 'quantized', 'int8', 'E']);
      assert.ok(n.weight_sqnr_db! > (c.perChannel ? 40 : 30), `weight SQNR ${n.weight_sqnr_db}`);
      assert.ok(n.activation_sqnr_db! > 30, `activation SQNR ${n.activation_sqnr_db}`);
      assert.equal(r.sqnr_rows, 64);
      assert.ok(r.agreement! >= 0.95, `agreement ${r.agreement}`);
      assert.equal(r.skipped.filter((s) => s.op_type === 'Gather').length, 0);
    });
  }

  it('per row beats per tensor on a table whose rows differ in scale (weight SQNR)', async () => {
    const t = (await run('dynamic', {}, 'sqnr-t')).r.nodes.find((x) => x.name === 'embed')!.weight_sqnr_db!;
    const row = (await run('dynamic', { per_channel: true }, 'sqnr-r')).r.nodes.find((x) => x.name === 'embed')!.weight_sqnr_db!;
    assert.ok(row > t + 6, `per row ${row} dB vs per tensor ${t} dB`);
  });

  for (const mode of ['dynamic', 'static'] as const) {
    it(`${mode}: exclude keeps the Gather on its float table`, async () => {
      const { r } = await run(mode, { exclude: ['embed'] }, `exclude-${mode}`);
      const report = r.nodes.find((x) => x.name === 'embed')!;
      assert.deepEqual([report.status, report.precision], ['excluded', 'float']);
      assert.ok(r.skipped.some((s) => s.node === 'embed' && /excluded/.test(s.reason)));
      const inits = await initializers(r.output);
      assert.equal(inits.get('E')?.dataType, DataType.FLOAT);
      assert.ok(!inits.has('E_quantized'));
      const gather = (await nodesOf(r.output)).find((n) => n.name === 'embed')!;
      assert.equal(gather.input[0], 'E', 'read directly, no DequantizeLinear');
      assert.ok(r.nodes.some((x) => x.name === 'head' && x.status === 'quantized'), 'the Gemm is still quantized');
    });
  }

  it('op_types: [Gather] quantizes the table only; a Gather on another axis, shared tables and index Gathers', async () => {
    // E read by two Gathers (axis 0) and T[8, 500] gathered on axis 1; Shape → Gather(0) is index arithmetic.
    const model = scratch.write(
      'gathers.onnx',
      encodeModel({
        nodes: [
          { opType: 'Gather', input: ['E', 'ids'], output: ['a'], name: 'g1' },
          { opType: 'Gather', input: ['E', 'ids'], output: ['b'], name: 'g2' },
          { opType: 'Gather', input: ['T', 'ids'], output: ['c'], name: 'g_axis1', attribute: [intAttr('axis', 1)] },
          { opType: 'Shape', input: ['ids'], output: ['shape'], name: 'shape' },
          { opType: 'Gather', input: ['shape', 'zero'], output: ['n'], name: 'g_index' },
          { opType: 'Gather', input: ['a', 'zero'], output: ['first'], name: 'g_activation' },
        ],
        inputs: [valueInfo('ids', DataType.INT64, ['N', TOKENS])],
        outputs: [
          valueInfo('a', DataType.FLOAT, ['N', TOKENS, DIM]),
          valueInfo('b', DataType.FLOAT, ['N', TOKENS, DIM]),
          valueInfo('c', DataType.FLOAT, [8, 'N', TOKENS]),
          valueInfo('n', DataType.INT64, []),
          valueInfo('first', DataType.FLOAT, [TOKENS, DIM]),
        ],
        initializers: [
          floatInit('E', [VOCAB, DIM], table()),
          floatInit('T', [8, VOCAB], randoms(8 * VOCAB, 44)),
          { name: 'zero', dims: [], dataType: DataType.INT64, rawData: new Uint8Array(new BigInt64Array([0n]).buffer) },
        ],
      }),
    );
    for (const perChannel of [false, true]) {
      const r = await quantize({ model, mode: 'dynamic', settings: { op_types: ['Gather'], per_channel: perChannel }, latency: false });
      assert.deepEqual(r.nodes.map((n) => n.name).sort(), ['g1', 'g2', 'g_axis1']);
      assert.deepEqual(r.skipped.map((s) => [s.node, /computed at run time/.test(s.reason)]), [['g_activation', true]], JSON.stringify(r.skipped));
      const inits = await initializers(r.output);
      assert.equal([...inits.keys()].filter((k) => k.startsWith('E_quantized')).length, 1, 'a table read twice is quantized once');
      if (perChannel) assert.deepEqual(inits.get('T_scale')!.dims, [1, VOCAB], 'axis 1: one scale per gathered column');
      const feed = idsFeed(5, 71);
      const ref = await runTyped(model, feed);
      const got = await runTyped(r.output, feed);
      for (const name of ['a', 'b', 'c', 'first']) {
        const e = relError(got[name]!.data as Float32Array, ref[name]!.data as Float32Array);
        // Per tensor, the small rows share the 8× rows' scale; one row (`first`) shows it most.
        assert.ok(e < (perChannel ? 0.02 : 0.05), `${name} (per channel ${perChannel}): relative error ${e.toFixed(4)}`);
      }
      assert.deepEqual(got.n!.data, ref.n!.data);
    }
  });

  it('static: a Gather feeding a quantized MatMul gets the Q/DQ pair its reader needs, and is compared through it', async () => {
    const model = scratch.write(
      'embed-matmul.onnx',
      encodeModel({
        nodes: [
          { opType: 'Gather', input: ['E', 'ids'], output: ['emb'], name: 'embed' },
          { opType: 'MatMul', input: ['emb', 'W'], output: ['y'], name: 'proj' },
        ],
        inputs: [valueInfo('ids', DataType.INT64, ['N', TOKENS])],
        outputs: [valueInfo('y', DataType.FLOAT, ['N', TOKENS, 4])],
        initializers: [floatInit('E', [VOCAB, DIM], table()), floatInit('W', [DIM, 4], randoms(DIM * 4, 45))],
      }),
    );
    const r = await quantize({ model, mode: 'static', calibration: data, label: 'label', latency: false });
    const n = r.nodes.find((x) => x.name === 'embed')!;
    assert.deepEqual(n.replaced_by, ['Gather', 'DequantizeLinear', 'QuantizeLinear', 'DequantizeLinear']);
    assert.ok(n.activation_sqnr_db! > 25 && n.activation_sqnr_db! < n.weight_sqnr_db!, `activation ${n.activation_sqnr_db} < table ${n.weight_sqnr_db}`);
    const proj = (await nodesOf(r.output)).find((x) => x.name === 'proj')!;
    assert.match(proj.input[0]!, /^emb_dequantized/);
    const feed = idsFeed(16, 81);
    const e = relError((await runTyped(r.output, feed)).y!.data as Float32Array, (await runTyped(model, feed)).y!.data as Float32Array);
    assert.ok(e < 0.05, `relative error ${e.toFixed(4)}`);
  });

  it('int4 with Gather in op_types: GatherBlockQuantized on 4-bit rows (symmetric, block lowered to the width); default int4 warns instead', async () => {
    const model = scratch.write('embed-int4.onnx', embeddingModel());
    const r = await quantize({ model, mode: 'int4', data, settings: { op_types: ['MatMul', 'Gemm', 'Gather'], weight_symmetric: true }, latency: false });
    const n = r.nodes.find((x) => x.name === 'embed')!;
    assert.deepEqual([n.op_type, n.precision, n.replaced_by], ['Gather', 'int4', ['GatherBlockQuantized']]);
    assert.ok(n.weight_sqnr_db! > 12 && n.activation_sqnr_db! > 12, `weight ${n.weight_sqnr_db}, activation ${n.activation_sqnr_db}`);
    assert.ok(r.warnings.some((w) => /block size lowered to divide the embedding width: E \(D = 32: 32\)/.test(w)), r.warnings.join('; '));
    const gbq = (await nodesOf(r.output)).find((x) => x.opType === 'GatherBlockQuantized')!;
    assert.deepEqual(gbq.attrs, { gather_axis: 0, quantize_axis: 1, bits: 4, block_size: 32 });
    assert.equal(gbq.input.length, 3, 'symmetric: no zero points');
    const inits = await initializers(r.output);
    assert.deepEqual(inits.get('E_Q4'), { dataType: DataType.UINT8, dims: [VOCAB, DIM / 2] });
    assert.deepEqual(inits.get('E_scales')!.dims, [VOCAB, 1]);
    assert.ok(r.weight_bytes_after / r.weight_bytes_before < 0.2, `${r.weight_bytes_after} / ${r.weight_bytes_before}`);
    const feed = idsFeed(32, 61);
    const e = relError((await runTyped(r.output, feed)).logits!.data as Float32Array, (await runTyped(model, feed)).logits!.data as Float32Array);
    assert.ok(e < 0.2, `relative error ${e.toFixed(4)}`);

    const plain = await quantize({ model, mode: 'int4', latency: false });
    assert.ok(!plain.nodes.some((x) => x.name === 'embed'));
    assert.deepEqual(plain.skipped.map((x) => [x.node, x.reason]), [['embed', "not among int4's default op types: list it in op_types to quantize it"]]);
    assert.ok(plain.warnings.some((w) => /1 Gather node\(s\) on float embedding tables stayed float32: add Gather to op_types/.test(w)), plain.warnings.join('; '));
  });

  it('int4 asymmetric tables with an odd number of blocks per row: onnxruntime dequantizes exactly what we packed', async () => {
    // D = 48 with block 16: three blocks per row, zero points two per byte (rows padded to 2 bytes).
    const t = randoms(20 * 48, 91);
    const model = scratch.write(
      'table48.onnx',
      encodeModel({
        nodes: [{ opType: 'Gather', input: ['E', 'ids'], output: ['y'], name: 'embed' }],
        inputs: [valueInfo('ids', DataType.INT64, ['N'])],
        outputs: [valueInfo('y', DataType.FLOAT, ['N', 48])],
        initializers: [floatInit('E', [20, 48], t)],
      }),
    );
    const r = await quantize({ model, mode: 'int4', settings: { op_types: ['Gather'], block_size: 64 }, latency: false });
    const inits = await initializers(r.output);
    assert.deepEqual(inits.get('E_scales')!.dims, [20, 3]);
    assert.deepEqual(inits.get('E_zero_points'), { dataType: DataType.UINT8, dims: [20, 2] });
    const ids = BigInt64Array.from([0n, 7n, 19n, -1n]);
    const got = (await runTyped(r.output, { ids: { type: 'int64', data: ids, dims: [4] } })).y!.data as Float32Array;
    const ref = (await runTyped(model, { ids: { type: 'int64', data: ids, dims: [4] } })).y!.data as Float32Array;
    // 4 bits, asymmetric: every value within half a step ((max − min) / 15 / 2 of its block, here ≤ 2 / 30).
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i]! - ref[i]!));
    assert.ok(worst <= 2 / 30 + 1e-6, `max error ${worst}`);
    assert.ok(worst > 0, 'the values did go through 4 bits');
    // And exactly our own dequantization of the blocks (layout of codes, scales and zero points).
    const deq = dequantizeBlockwise4(quantizeBlockwise4(t, 20, 48, 16, false), 20, 48, 16);
    [0, 7, 19, 19].forEach((row, i) => {
      for (let c = 0; c < 48; c++) assert.ok(Math.abs(got[i * 48 + c]! - deq[row * 48 + c]!) < 1e-6, `row ${row} col ${c}`);
    });
  });

  it('int4: a table whose width is not a multiple of 16 is skipped with the reason', async () => {
    const model = scratch.write(
      'table20.onnx',
      encodeModel({
        nodes: [{ opType: 'Gather', input: ['E', 'ids'], output: ['y'], name: 'embed' }],
        inputs: [valueInfo('ids', DataType.INT64, ['N'])],
        outputs: [valueInfo('y', DataType.FLOAT, ['N', 20])],
        initializers: [floatInit('E', [30, 20], randoms(600, 92))],
      }),
    );
    await assert.rejects(quantize({ model, mode: 'int4', settings: { op_types: ['Gather'] }, latency: false }), (e: Error) => /embed \(row width 20 is not a multiple of 16/.test(e.message));
  });

  it('dynamic, tied embeddings (the table is also the output projection, Gemm transB): both quantized, the table counted once', async () => {
    const model = scratch.write(
      'tied.onnx',
      encodeModel({
        nodes: [
          { opType: 'Gather', input: ['E', 'ids'], output: ['emb'], name: 'embed' },
          { opType: 'ReduceMean', input: ['emb'], output: ['pooled'], name: 'pool', attribute: [{ name: 'axes', type: 7, ints: [L(1)] }, intAttr('keepdims', 0)] },
          { opType: 'Gemm', input: ['pooled', 'E'], output: ['logits'], name: 'lm_head', attribute: [intAttr('transB', 1)] },
        ],
        inputs: [valueInfo('ids', DataType.INT64, ['N', TOKENS])],
        outputs: [valueInfo('logits', DataType.FLOAT, ['N', VOCAB])],
        initializers: [floatInit('E', [VOCAB, DIM], table())],
      }),
    );
    const r = await quantize({ model, mode: 'dynamic', latency: false });
    assert.deepEqual(r.nodes.map((n) => [n.name, n.weight]).sort(), [['embed', 'E'], ['lm_head', 'E']]);
    assert.equal(r.weight_bytes_before, VOCAB * DIM * 4, 'the float table once');
    const inits = await initializers(r.output);
    assert.ok(!inits.has('E'), 'no reader of the float table is left');
    const feed = idsFeed(8, 101);
    const e = relError((await runTyped(r.output, feed)).logits!.data as Float32Array, (await runTyped(model, feed)).logits!.data as Float32Array);
    assert.ok(e < 0.05, `relative error ${e.toFixed(4)}`);
  });
});
