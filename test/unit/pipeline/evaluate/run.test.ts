import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { openModel } from '../../../../src/core';
import { benchModel, compare, evaluate } from '../../../../src/pipeline/evaluate';
import { PREFETCH_MIN_BYTES } from '../../../../src/pipeline/data/prefetch';
import { isBinaryMetrics, isMulticlassMetrics, type ClassificationMetrics, type RegressionMetrics } from '../../../../src/pipeline/evaluate/metrics';
import { REPO_ROOT } from '../../../helpers/paths';

const root = REPO_ROOT;
const ex = (p: string): string => join(root, 'examples', p);

/** metadata_props the Python training scripts recorded (computed by scikit-learn, independently of us). */
async function recorded(model: string): Promise<Record<string, string>> {
  const m = await openModel(model);
  try {
    return Object.fromEntries((m.proto.metadataProps ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  } finally {
    await m.close();
  }
}

describe('evaluate: real models through onnxruntime', function () {
  this.timeout(120000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'ptp-eval-test-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('digits MLP: accuracy equals a bare onnxruntime loop and the value scikit-learn recorded', async () => {
    const r = await evaluate({ model: ex('digits/digits_mlp.onnx'), data: ex('digits/digits_test.csv'), batchSize: 100 });
    assert.equal(r.task, 'classification');
    assert.equal(r.samples, 450);
    const m = r.metrics as ClassificationMetrics;
    assert.ok(m && isMulticlassMetrics(m));
    // independent: parse the CSV by hand, run onnxruntime directly, argmax
    const lines = readFileSync(ex('digits/digits_test.csv'), 'utf8').trim().split('\n').slice(1);
    const x = new Float32Array(lines.length * 64);
    const y: number[] = [];
    lines.forEach((l, i) => {
      const cells = l.split(',').map(Number);
      x.set(cells.slice(0, 64), i * 64);
      y.push(cells[64]!);
    });
    const s = await ort.InferenceSession.create(ex('digits/digits_mlp.onnx'));
    const out = (await s.run({ input: new ort.Tensor('float32', x, [lines.length, 64]) })).logits!.data as Float32Array;
    await s.release();
    let correct = 0;
    y.forEach((label, i) => {
      const row = Array.from(out.subarray(i * 10, i * 10 + 10));
      if (row.indexOf(Math.max(...row)) === label) correct++;
    });
    assert.equal(m.accuracy, correct / lines.length);
    assert.equal(m.accuracy.toFixed(4), (await recorded(ex('digits/digits_mlp.onnx'))).test_accuracy);
    const cm = m.confusion_matrix;
    assert.equal(cm.flat().reduce((a, b) => a + b, 0), 450);
    assert.equal(cm.reduce((a, row, i) => a + row[i]!, 0), correct);
    assert.ok(r.plan.some((p) => /softmax/.test(p)), 'logits are recognised and softmaxed');
    assert.equal(r.latency.batches, 5);
  });

  it('sklearn-onnx layout (ZipMap): accuracy as recorded; fairness by a column never fed to the model', async () => {
    const out = join(tmp, 'pred.csv');
    const r = await evaluate({
      model: ex('credit/credit_logreg.onnx'),
      data: ex('credit/credit_test.csv'),
      sensitive: ['sex'],
      excludeColumns: ['applicant_id'],
      bootstrap: 50,
      outputsFile: out,
    });
    const m = r.metrics as ClassificationMetrics;
    assert.ok(m && isBinaryMetrics(m));
    assert.equal(m.accuracy.toFixed(4), (await recorded(ex('credit/credit_logreg.onnx'))).test_accuracy);
    assert.ok(r.plan.some((p) => /ZipMap/.test(p)));
    const f = r.fairness!.sex!;
    assert.deepEqual(Object.keys(f.by_group), ['F', 'M']);
    // recompute selection rates per group from the written predictions and the CSV's sex column
    const sex = readFileSync(ex('credit/credit_test.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[7]!);
    const pred = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[2]!);
    const rate = (g: string): number => {
      const idx = sex.map((s, i) => (s === g ? i : -1)).filter((i) => i >= 0);
      return idx.filter((i) => pred[i] === '1').length / idx.length;
    };
    assert.ok(Math.abs(f.by_group.F!.selection_rate - rate('F')) < 1e-12);
    assert.ok(Math.abs(f.demographic_parity_difference - Math.abs(rate('M') - rate('F'))) < 1e-12);
    assert.ok(f.ci && f.ci.demographic_parity_difference, 'bootstrap interval present');
  });

  it('regression: r2 as scikit-learn recorded it', async () => {
    const r = await evaluate({ model: ex('diabetes/diabetes_ridge.onnx'), data: ex('diabetes/diabetes_test.csv') });
    assert.equal(r.task, 'regression');
    assert.equal((r.metrics as RegressionMetrics).r2!.toFixed(4), (await recorded(ex('diabetes/diabetes_ridge.onnx'))).test_r2);
    assert.ok(r.curves?.predicted_vs_true?.true.length);
  });

  it('robustness: noise hurts monotonically at large σ, per-feature corruption is listed', async () => {
    const r = await evaluate({ model: ex('digits/digits_mlp.onnx'), data: ex('digits/digits_test.csv'), robustness: { rows: 300, maxFeatures: 8 } });
    const rob = r.robustness!;
    assert.equal(rob.rows, 300);
    const noise = rob.results.filter((x) => x.perturbation === 'gaussian_noise');
    assert.ok(noise.at(-1)!.metric < rob.baseline - 0.05, 'σ = 1 noise degrades accuracy');
    assert.equal(rob.results.filter((x) => x.perturbation === 'feature_corruption').length, 8);
  });

  it('compare: MLP and CNN on the same rows, each fed its own input layout', async () => {
    const r = await compare({ models: [ex('digits/digits_mlp.onnx'), ex('digits/digits_cnn.onnx')], data: ex('digits/digits_test.csv') });
    assert.equal(r.samples, 450);
    assert.equal(r.agreement[0], 1);
    assert.ok(r.agreement[1]! > 0.9 && r.agreement[1]! < 1);
    const acc = r.table.find((t) => t.metric === 'accuracy')!;
    assert.equal(acc.values[1]!.toFixed(4), (await recorded(ex('digits/digits_cnn.onnx'))).test_accuracy);
    assert.ok(Math.abs(acc.deltas[1]! - (acc.values[1]! - acc.values[0]!)) < 1e-12);
  });

  it('bad input: a missing label column lists the columns; labels outside the class range name the row', async () => {
    await assert.rejects(
      evaluate({ model: ex('digits/digits_mlp.onnx'), data: ex('digits/digits_test.csv'), label: 'nope' }),
      (e: Error) => e.name === 'DatasetError' && /nope/.test(e.message) && /pixel_0/.test(e.message),
    );
    const lines = readFileSync(ex('digits/digits_test.csv'), 'utf8').split('\n');
    lines[3] = lines[3]!.replace(/,\d+$/, ',12');
    const bad = join(tmp, 'bad-label.csv');
    writeFileSync(bad, lines.join('\n'));
    await assert.rejects(evaluate({ model: ex('digits/digits_mlp.onnx'), data: bad }), (e: Error) => /label 12 of data row 3 is outside the model's class range/.test(e.message));
  });

  it('cancellation stops the run', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(evaluate({ model: ex('digits/digits_mlp.onnx'), data: ex('digits/digits_test.csv') }, { signal: ac.signal }), (e: Error) => e.name === 'AbortError');
  });

  it('a file read on the data thread (started before the session) gives the metrics of the same rows read in place', async () => {
    const text = readFileSync(ex('digits/digits_test.csv'), 'utf8').trim().split('\n');
    const copies = Math.ceil(PREFETCH_MIN_BYTES / Buffer.byteLength(text.slice(1).join('\n'))) + 1;
    const big = join(tmp, 'digits_big.csv');
    writeFileSync(big, `${[text[0], ...Array.from({ length: copies }, () => text.slice(1)).flat()].join('\n')}\n`);
    const one = await evaluate({ model: ex('digits/digits_mlp.onnx'), data: ex('digits/digits_test.csv'), bootstrap: 0 });
    const many = await evaluate({ model: ex('digits/digits_mlp.onnx'), data: big, bootstrap: 0, batchSize: 333 });
    assert.equal(many.samples, 450 * copies);
    const a = one.metrics as ClassificationMetrics;
    const b = many.metrics as ClassificationMetrics;
    // Every row repeated `copies` times: ratios of counts are unchanged, averages of them up to rounding.
    for (const k of ['accuracy', 'top2_accuracy', 'top3_accuracy'] as const) assert.equal(b[k], a[k], k);
    for (const k of ['balanced_accuracy', 'f1_macro', 'mcc', 'log_loss'] as const) assert.ok(Math.abs(b[k]! - a[k]!) < 1e-12, k);
    assert.ok(isMulticlassMetrics(a) && isMulticlassMetrics(b));
    assert.ok(Math.abs(b.roc_auc_ovr_macro! - a.roc_auc_ovr_macro!) < 1e-12);
    assert.deepEqual(b.confusion_matrix, a.confusion_matrix.map((row) => row.map((v) => v * copies)));
    // A bad data row far into the file is reported from the data thread with its line.
    writeFileSync(big, `${readFileSync(big, 'utf8')}1,2,x\n`);
    await assert.rejects(evaluate({ model: ex('digits/digits_mlp.onnx'), data: big }), (e: Error) => e.name === 'DatasetError' && /line/.test(e.message));
  });

  it('bench: p50 ≤ p90 ≤ p99 for each batch size', async () => {
    const r = await benchModel({ model: ex('digits/digits_mlp.onnx'), batchSizes: [1, 16], runs: 20, warmup: 2 });
    assert.deepEqual(r.results.map((x) => x.batch_size), [1, 16]);
    for (const x of r.results) assert.ok(x.p50_ms <= x.p90_ms && x.p90_ms <= x.p99_ms && x.rows_per_s > 0);
  });
});
