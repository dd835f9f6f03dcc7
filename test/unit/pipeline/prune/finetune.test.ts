/**
 * `prune` with `finetune`: the pruned model trained back toward the source model (distillation, the source as
 * teacher) on the training split, evaluated on the held-out split — real onnxruntime and the real tfjs trainer.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openModel } from '../../../../src/core';
import { PruneError, prune } from '../../../../src/pipeline/prune';
import { accuracyOf, CREDIT_CSV, DIGITS_CSV, DIGITS_MLP_WIDE, DIGITS_RESNET, ROOT, Scratch } from './helpers';

const DIGITS_TRAIN = join(ROOT, 'examples/digits/digits_train.csv');

/** Every float initializer of a model: name → values. */
async function weightsOf(file: string): Promise<Map<string, Float32Array>> {
  const m = await openModel(file);
  try {
    const out = new Map<string, Float32Array>();
    for (const t of m.proto.graph?.initializer ?? []) {
      const d = await m.readTensor(t);
      if (d.values instanceof Float32Array) out.set(t.name ?? '', d.values);
    }
    return out;
  } finally {
    await m.close();
  }
}

function zeroCount(w: Map<string, Float32Array>): number {
  let n = 0;
  for (const v of w.values()) for (const x of v) if (x === 0) n++;
  return n;
}

describe('prune: fine-tuning the pruned model', function () {
  this.timeout(180000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = new Scratch();
  });
  afterEach(() => scratch.dispose());

  it('structured 25% of the digits ResNet: accuracy 0.21 without fine-tuning, back within a few points with 2 epochs', async () => {
    const model = scratch.copy(DIGITS_RESNET);
    const common = { model, method: 'structured', sparsity: 0.25, data: DIGITS_CSV, label: 'label', latency: false } as const;
    const plain = await prune({ ...common, output: scratch.path('plain.onnx') });
    const epochs: string[] = [];
    const fractions: number[] = [];
    const r = await prune(
      { ...common, output: scratch.path('tuned.onnx'), finetune: { data: DIGITS_TRAIN, label: 'label', epochs: 2 } },
      {
        onProgress: (p) => {
          if (p.message?.startsWith('Fine-tuning: Epoch')) epochs.push(p.message);
          if (p.fraction !== undefined) fractions.push(p.fraction);
        },
      },
    );
    const before = accuracyOf(r.metrics_before);
    const pruned = accuracyOf(plain.metrics_after);
    const tuned = accuracyOf(r.metrics_after);
    // Measured: 1.000 → 0.207 pruned → 0.967 fine-tuned (2 epochs; 3 epochs give 0.984).
    assert.equal(before, 1);
    assert.ok(pruned < 0.5, `without fine-tuning the pruned model is bad (${pruned})`);
    assert.ok(tuned >= before - 0.05, `fine-tuned accuracy ${tuned} within 5 points of ${before}`);
    const f = r.finetune!;
    assert.equal(f.data, DIGITS_TRAIN);
    assert.equal(f.epochs_run, 2);
    assert.equal(f.history.length, 2);
    assert.equal(f.train_rows + f.validation_rows, 1347);
    assert.ok(f.validation_rows > 200 && f.best_epoch >= 1 && f.ms > 0);
    assert.equal(epochs.length, 2);
    assert.match(epochs[0]!, /^Fine-tuning: Epoch 1\/2 · loss [\d.]+ · val [\d.]+ · acc [\d.]+$/);
    assert.ok(fractions.every((x, i) => i === 0 || x >= fractions[i - 1]!), `progress fractions only grow: ${fractions.join(', ')}`);
    // Still the smaller model: the same shapes as without fine-tuning, onnxruntime ran it for metrics_after.
    assert.equal(r.params_after, plain.params_after);
    assert.ok(r.params_after < r.params_before);
    assert.equal(plain.finetune, undefined);
    assert.ok(r.notes.some((n) => /^fine-tuned on .*digits_train\.csv \(2 epochs, best \d\): the metrics and latency after are the fine-tuned model's$/.test(n)), r.notes.join('\n'));
    assert.deepEqual(scratch.list(), ['digits_resnet.onnx', 'plain.onnx', 'tuned.onnx']);
  });

  for (const method of ['magnitude', 'nm'] as const) {
    it(`${method} + fine-tuning keeps exactly the same zero weights, and trains the others`, async () => {
      const model = scratch.copy(DIGITS_MLP_WIDE);
      const common = { model, method, ...(method === 'magnitude' ? { sparsity: 0.5 } : {}), data: DIGITS_CSV, latency: false } as const;
      const plain = await prune({ ...common, output: scratch.path('plain.onnx') });
      const r = await prune({ ...common, output: scratch.path('tuned.onnx'), finetune: { data: DIGITS_TRAIN, epochs: 3 } });
      const a = await weightsOf(scratch.path('plain.onnx'));
      const b = await weightsOf(scratch.path('tuned.onnx'));
      assert.ok(zeroCount(a) > 0.4 * 64 * 256);
      assert.equal(zeroCount(b), zeroCount(a), 'the same number of zeros');
      let changed = 0;
      for (const [name, v] of a) {
        const w = b.get(name)!;
        for (let i = 0; i < v.length; i++) {
          assert.equal(w[i] === 0, v[i] === 0, `${name}[${i}]: zero in one model only`);
          if (v[i] !== w[i]) changed++;
        }
      }
      assert.ok(changed > 1000, `fine-tuning changed ${changed} weights`);
      assert.equal(r.achieved_weight_sparsity, plain.achieved_weight_sparsity);
      assert.equal(r.finetune?.epochs_run, 3);
      assert.ok(r.notes.some((n) => n.includes('zero weights kept at 0')), r.notes.join('\n'));
      assert.ok(accuracyOf(r.metrics_after) >= accuracyOf(r.metrics_before) - 0.02, `accuracy ${accuracyOf(r.metrics_after)} vs ${accuracyOf(r.metrics_before)}`);
    });
  }

  it('bad fine-tuning settings and data are PruneErrors naming the problem; nothing is written', async () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    const base = { model, method: 'magnitude', data: DIGITS_CSV, latency: false, output: scratch.path('out.onnx') } as const;
    const sourceBytes = readFileSync(model);
    await assert.rejects(prune({ ...base, finetune: { data: DIGITS_TRAIN, epochs: 0 } }), (e: unknown) => {
      assert.ok(e instanceof PruneError && e.reason === 'bad-setting', String(e));
      assert.match(e.message, /fine-tuning epochs must be a whole number ≥ 1, got 0/);
      return true;
    });
    await assert.rejects(prune({ ...base, finetune: { data: '' } }), /fine-tuning needs training data/);
    await assert.rejects(prune({ ...base, finetune: { data: CREDIT_CSV } }), (e: unknown) => {
      assert.ok(e instanceof PruneError && e.reason === 'bad-data', String(e));
      assert.equal(e.file, CREDIT_CSV);
      assert.match(e.message, /fine-tuning data: /);
      return true;
    });
    assert.deepEqual(scratch.list(), ['digits_mlp_wide.onnx']);
    assert.deepEqual(readFileSync(model), sourceBytes, 'the source model is unchanged');
  });

  it('cancel during fine-tuning: AbortError, no temp or output file', async () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    const ac = new AbortController();
    const p = prune(
      { model, method: 'magnitude', latency: false, output: scratch.path('out.onnx'), finetune: { data: DIGITS_TRAIN, epochs: 50, patience: 50 } },
      {
        signal: ac.signal,
        onProgress: (q) => {
          if (q.message?.startsWith('Fine-tuning: Epoch 2/')) ac.abort();
        },
      },
    );
    await assert.rejects(p, (e: unknown) => (e as Error).name === 'AbortError');
    assert.deepEqual(scratch.list(), ['digits_mlp_wide.onnx']);
  });

  it('ptp prune --finetune: the JSON document has finetune, the text a fine-tuning line', () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    const run = (...args: string[]) => spawnSync(process.execPath, ['-r', 'tsx/cjs', join(ROOT, 'src/cli/main.ts'), 'prune', model, '--method', 'magnitude', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
    const r = run('--data', DIGITS_CSV, '--no-latency', '--finetune', DIGITS_TRAIN, '--finetune-epochs', '2', '--finetune-label', 'label', '-o', scratch.path('j.onnx'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.finetune.data, DIGITS_TRAIN);
    assert.equal(doc.finetune.epochs_run, 2);
    for (const k of ['best_epoch', 'stopped_early', 'train_rows', 'validation_rows', 'history', 'ms']) assert.ok(k in doc.finetune, `finetune.${k}`);
    assert.match(r.stderr, /Fine-tuning: Epoch 2\/2/);
    const t = run('--no-latency', '--finetune', DIGITS_TRAIN, '--finetune-epochs', '1', '-o', scratch.path('t.onnx'));
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /fine-tuned 1 epochs on \d+ rows of .*digits_train\.csv \(validation \d+\); best epoch 1/);
    const bad = run('--finetune-epochs', '2', '-o', scratch.path('x.onnx'));
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--finetune-epochs and --finetune-label need --finetune FILE/);
  });
});
