/**
 * Every mode on the shipped digits MLP (Gemm/Relu/Gemm) and CNN (Conv/Relu/MaxPool/Flatten/Gemm): onnxruntime runs
 * the output, the weights shrink, SQNR values are finite and sensible, and static int8 stays within 1 accuracy point
 * of float32. digits_test.csv (450 held-out rows) serves as both calibration and evaluation data here: acceptable for
 * a test of the machinery, not how a user should calibrate (keep a separate calibration split).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { openModel } from '../../../../src/core';
import { longToNumber } from '../../../../src/core/long';
import { DataType } from '../../../../src/core/tensor/dtypes';
import { evaluate } from '../../../../src/pipeline/evaluate';
import { quantize } from '../../../../src/pipeline/quantize';
import type { QuantizeMode, QuantizeResult, QuantizeSettings } from '../../../../src/protocol/quantize';
import { DIGITS_CNN, DIGITS_CSV, DIGITS_MLP, Scratch, digitsRows, runModel } from './helpers';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const accuracy = (m: unknown) => (m as { accuracy: number }).accuracy;

interface ModelFacts {
  readonly label: string;
  readonly file: string;
  readonly inputDims: (rows: number) => number[];
}
const MODELS: readonly ModelFacts[] = [
  { label: 'MLP', file: DIGITS_MLP, inputDims: (n) => [n, 64] },
  { label: 'CNN', file: DIGITS_CNN, inputDims: (n) => [n, 1, 8, 8] },
];

/** Weight bytes after / before each mode must reach (int8 ≈ 1/4 plus scales; fp16 1/2). */
const WEIGHT_RATIO: Record<QuantizeMode, number> = { dynamic: 0.3, static: 0.3, fp16: 0.51, int4: 0.3 };
/** Lowest acceptable weight SQNR, dB. */
const WEIGHT_SQNR: Record<QuantizeMode, number> = { dynamic: 30, static: 30, fp16: 60, int4: 12 };

async function opTypes(file: string): Promise<string[]> {
  const m = await openModel(file);
  try {
    return (m.proto.graph?.node ?? []).map((n) => n.opType ?? '');
  } finally {
    await m.close();
  }
}

/** Argmax agreement of two logits tensors [n, 10]. */
function agreement(a: Float32Array, b: Float32Array, n: number): number {
  let same = 0;
  for (let r = 0; r < n; r++) {
    let ia = 0;
    let ib = 0;
    for (let c = 1; c < 10; c++) {
      if (a[r * 10 + c]! > a[r * 10 + ia]!) ia = c;
      if (b[r * 10 + c]! > b[r * 10 + ib]!) ib = c;
    }
    if (ia === ib) same++;
  }
  return same / n;
}

describe('quantize: every mode on the digits models', function () {
  this.timeout(120000);
  let scratch: Scratch;
  const csv = readFileSync(DIGITS_CSV, 'utf8');
  const rows = 64;
  const batch = digitsRows(csv, rows);
  before(() => {
    scratch = new Scratch();
  });
  after(() => scratch.dispose());

  const run = (model: string, mode: QuantizeMode, settings: QuantizeSettings = {}, output?: string): Promise<QuantizeResult> =>
    quantize({ model, mode, data: DIGITS_CSV, settings, output, latency: { batchSizes: [1, 8], runs: 3, warmup: 1 } });

  for (const m of MODELS) {
    for (const mode of ['dynamic', 'static', 'fp16', 'int4'] as const) {
      it(`${mode} on the ${m.label}: onnxruntime runs it, weights shrink, SQNR sensible, report complete`, async () => {
        const model = scratch.copy(m.file, `${m.label.toLowerCase()}-${mode}.onnx`);
        const before = sha(model);
        const r = await run(model, mode);
        assert.equal(sha(model), before, 'the source model is never written');
        assert.ok(existsSync(r.output), r.output);
        assert.match(r.output, mode === 'fp16' ? /\.fp16\.onnx$/ : mode === 'int4' ? /\.int4\.onnx$/ : /\.int8\.onnx$/);
        assert.ok(r.quantized_nodes > 0);

        // onnxruntime runs the output and agrees with the float model.
        const dims = m.inputDims(rows);
        const ref = (await runModel(model, { input: { data: batch, dims } })).logits!.data as Float32Array;
        const got = (await runModel(r.output, { input: { data: batch, dims } })).logits!.data as Float32Array;
        assert.ok(agreement(ref, got, rows) >= 0.95, `argmax agreement ${agreement(ref, got, rows)}`);

        // Smaller file; the replaced weights shrink to the mode's ratio.
        assert.ok(r.size_bytes_after < r.size_bytes_before, `${r.size_bytes_after} < ${r.size_bytes_before}`);
        const ratio = r.weight_bytes_after / r.weight_bytes_before;
        assert.ok(ratio <= WEIGHT_RATIO[mode], `weight ratio ${ratio.toFixed(3)} ≤ ${WEIGHT_RATIO[mode]}`);

        // SQNR: finite, weights above the mode's floor, activations measured on the data rows.
        assert.equal(r.sqnr_rows, 64);
        for (const n of r.nodes) {
          if (n.weight_sqnr_db !== undefined) assert.ok(Number.isFinite(n.weight_sqnr_db) && n.weight_sqnr_db > WEIGHT_SQNR[mode], `${n.name} weight ${n.weight_sqnr_db}`);
          assert.ok(n.activation_sqnr_db !== undefined && Number.isFinite(n.activation_sqnr_db), `${n.name} activation SQNR`);
          assert.ok(n.activation_sqnr_db > (mode === 'int4' ? 10 : 20), `${n.name} activation ${n.activation_sqnr_db}`);
        }
        const keys = r.nodes.map((n) => Math.min(n.activation_sqnr_db ?? Infinity, n.weight_sqnr_db ?? Infinity));
        assert.deepEqual(keys, [...keys].sort((a, b) => a - b), 'worst nodes first');

        // The closed loop: both models evaluated, latency measured the same way.
        assert.equal(r.samples, 450);
        assert.ok(r.metrics_before && r.metrics_after);
        assert.ok(r.agreement! >= 0.97, `agreement ${r.agreement}`);
        assert.deepEqual(r.latency_before!.rows.map((x) => [x.batch_size, x.threads]), r.latency_after!.rows.map((x) => [x.batch_size, x.threads]));
        assert.equal(r.recipe.mode, mode);
        assert.equal(r.recipe_file, undefined, 'no recipe file unless asked');
        assert.deepEqual(r.lineage.params, r.recipe);

        // What the graph holds now.
        const ops = await opTypes(r.output);
        if (mode === 'dynamic') {
          assert.ok(ops.includes('DynamicQuantizeLinear') && ops.includes('MatMulInteger'), ops.join());
          if (m.label === 'CNN') assert.ok(ops.includes('ConvInteger'), ops.join());
          assert.ok(!ops.includes('Gemm'));
        } else if (mode === 'static') {
          assert.ok(ops.includes('QuantizeLinear') && ops.includes('DequantizeLinear'), ops.join());
          assert.ok(Math.abs(accuracy(r.metrics_after) - accuracy(r.metrics_before)) <= 0.01, `accuracy ${accuracy(r.metrics_before)} → ${accuracy(r.metrics_after)}`);
        } else if (mode === 'int4') {
          assert.ok(ops.includes('MatMulNBits'), ops.join());
        } else {
          const q = await openModel(r.output);
          try {
            const g = q.proto.graph!;
            assert.ok(g.initializer!.every((t) => t.dataType !== DataType.FLOAT), 'float32 initializers are gone');
            assert.equal(g.input![0]!.type!.tensorType!.elemType, DataType.FLOAT, 'input stays float32');
            assert.equal(g.output![0]!.type!.tensorType!.elemType, DataType.FLOAT, 'output stays float32');
            assert.deepEqual(r.fp16 && [r.fp16.clamped, r.fp16.underflowed], [0, 0]);
          } finally {
            await q.close();
          }
        }
      });
    }
  }

  it('static int8 on both models, every calibration method, per-tensor and per-channel: within 1 accuracy point of fp32 (evaluated independently)', async () => {
    for (const m of MODELS) {
      for (const settings of [{ method: 'minmax' }, { method: 'percentile' }, { method: 'entropy' }, { per_channel: true }, { per_channel: true, method: 'entropy' }] as QuantizeSettings[]) {
        const model = scratch.copy(m.file, `${m.label}-acc.onnx`);
        const r = await quantize({ model, mode: 'static', data: DIGITS_CSV, settings, latency: false, sqnrRows: 0 });
        const fp32 = await evaluate({ model, data: DIGITS_CSV, label: 'label', bootstrap: 0 });
        const int8 = await evaluate({ model: r.output, data: DIGITS_CSV, label: 'label', bootstrap: 0 });
        const delta = accuracy(int8.metrics) - accuracy(fp32.metrics);
        assert.ok(Math.abs(delta) <= 0.01, `${m.label} ${JSON.stringify(settings)}: ${accuracy(fp32.metrics)} → ${accuracy(int8.metrics)}`);
        assert.equal(accuracy(r.metrics_after), accuracy(int8.metrics), 'the report shows what evaluate measures');
      }
    }
  });

  it('per-channel QDQ writes one scale per output channel with DequantizeLinear axis 0 (Conv) / per column (Gemm)', async () => {
    const model = scratch.copy(DIGITS_CNN, 'cnn-pc.onnx');
    const r = await run(model, 'static', { per_channel: true });
    const q = await openModel(r.output);
    try {
      const g = q.proto.graph!;
      const dq = g.node!.find((n) => n.opType === 'DequantizeLinear' && n.input![0] === 'conv.weight_quantized')!;
      assert.equal(longToNumber(dq.attribute!.find((a) => a.name === 'axis')!.i), 0);
      const scale = g.initializer!.find((t) => t.name === dq.input![1])!;
      assert.deepEqual(scale.dims!.map(longToNumber), [8]);
      const w = g.initializer!.find((t) => t.name === 'conv.weight_quantized')!;
      assert.equal(w.dataType, DataType.INT8);
      const bias = g.initializer!.find((t) => t.name === 'conv.bias_quantized')!;
      assert.equal(bias.dataType, DataType.INT32, 'Conv bias is int32');
      assert.ok(!g.initializer!.some((t) => t.name === 'conv.weight'), 'the float weight is gone');
    } finally {
      await q.close();
    }
  });

  it('exclude is honoured in every mode: the excluded node stays a float op on its float weight', async () => {
    for (const mode of ['dynamic', 'static', 'fp16', 'int4'] as const) {
      const model = scratch.copy(DIGITS_MLP, `mlp-exclude-${mode}.onnx`);
      const r = await run(model, mode, { exclude: ['/fc2/Gemm'] });
      const report = r.nodes.find((n) => n.name === '/fc2/Gemm')!;
      assert.deepEqual([report.status, report.precision], ['excluded', 'float']);
      assert.ok(report.activation_sqnr_db !== undefined, 'excluded nodes show the error reaching them');
      assert.ok(r.skipped.some((s) => s.node === '/fc2/Gemm' && /excluded/.test(s.reason)));
      assert.ok(r.nodes.some((n) => n.name === '/fc1/Gemm' && n.status !== 'excluded'), 'the other Gemm is still quantized');
      const q = await openModel(r.output);
      try {
        const g = q.proto.graph!;
        const node = g.node!.find((n) => n.name === '/fc2/Gemm')!;
        assert.equal(node.opType, 'Gemm', mode);
        const weight = g.initializer!.find((t) => t.name === 'fc2.weight')!;
        assert.equal(weight.dataType, DataType.FLOAT, `${mode}: fc2.weight stays float32`);
        assert.equal(node.input![1], 'fc2.weight', `${mode}: read directly, no DequantizeLinear / Cast`);
        if (mode === 'fp16') assert.match(node.input![0]!, /_fp32$/, 'fp16: its input is cast back to float32');
      } finally {
        await q.close();
      }
    }
  });

  it('U8S8 with symmetric activations and 7-bit weights runs and stays accurate', async () => {
    const model = scratch.copy(DIGITS_MLP, 'mlp-u8.onnx');
    const r = await run(model, 'static', { activation_type: 'uint8', activation_symmetric: true, reduce_range: true });
    const q = await openModel(r.output);
    try {
      const zps = q.proto.graph!.initializer!.filter((t) => t.name!.endsWith('_zero_point') && !t.name!.includes('weight') && !t.name!.includes('bias'));
      assert.ok(zps.length > 0 && zps.every((t) => t.dataType === DataType.UINT8));
      for (const t of zps) assert.equal((await q.readTensor(t)).values[0], 128, `${t.name}: symmetric uint8 zero point 128`);
    } finally {
      await q.close();
    }
    assert.ok(Math.abs(accuracy(r.metrics_after) - accuracy(r.metrics_before)) <= 0.01);
  });

  it('int4 with symmetric blocks, block size 32 and accuracy_level 4', async () => {
    const model = scratch.copy(DIGITS_CNN, 'cnn-int4.onnx');
    const r = await run(model, 'int4', { weight_symmetric: true, block_size: 32, accuracy_level: 4 });
    const q = await openModel(r.output);
    try {
      const n = q.proto.graph!.node!.find((x) => x.opType === 'MatMulNBits')!;
      const a = Object.fromEntries(n.attribute!.map((x) => [x.name, longToNumber(x.i)]));
      assert.deepEqual(a, { K: 128, N: 10, bits: 4, block_size: 32, accuracy_level: 4 });
      assert.equal(n.input!.length, 6, 'A, B, scales, no zero points, no g_idx, bias');
      assert.equal(n.input![3], '');
      assert.equal(n.input![5], 'fc.bias');
    } finally {
      await q.close();
    }
    assert.ok(r.agreement! > 0.95);
  });
});
