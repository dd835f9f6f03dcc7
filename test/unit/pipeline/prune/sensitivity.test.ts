/** `pruneSensitivity`: one curve per prunable layer, one point per sparsity, measured on real data through onnxruntime. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PruneError, pruneSensitivity } from '../../../../src/pipeline/prune';
import { DIGITS_CSV, DIGITS_MLP_WIDE, DIGITS_RESNET } from './helpers';

const scratchDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('ptp-prune-sensitivity-'));

describe('prune: sensitivity analysis', function () {
  this.timeout(180000);

  it('magnitude on digits_mlp_wide: a curve per layer, a point per sparsity; pruning more costs more', async () => {
    const before = scratchDirs();
    const fractions: number[] = [];
    const r = await pruneSensitivity(
      { model: DIGITS_MLP_WIDE, data: DIGITS_CSV, sparsities: [0.3, 0.6, 0.95] },
      { onProgress: (p) => p.fraction !== undefined && fractions.push(p.fraction) },
    );
    assert.equal(r.method, 'magnitude');
    assert.equal(r.metric, 'accuracy');
    assert.equal(r.task, 'classification');
    assert.equal(r.samples, 450);
    assert.ok(Math.abs(r.baseline! - 0.9778) < 1e-3, `baseline ${r.baseline}`);
    assert.deepEqual(r.layers.map((l) => l.name), ['/fc1/Gemm', '/fc2/Gemm']);
    assert.deepEqual(r.layers.map((l) => l.params), [64 * 256, 256 * 10]);
    for (const l of r.layers) {
      assert.deepEqual(l.points.map((p) => p.sparsity), [0.3, 0.6, 0.95]);
      for (const p of l.points) {
        assert.ok(p.value !== null && p.value >= 0 && p.value <= 1, `${l.name}@${p.sparsity}: ${p.value}`);
        assert.ok(p.agreement !== null && p.agreement >= 0 && p.agreement <= 1);
      }
      assert.ok(l.points[2]!.agreement! < l.points[0]!.agreement!, `${l.name}: 95% agrees less than 30% (${JSON.stringify(l.points)})`);
    }
    // The first layer at 95% loses much more than at 30%.
    const fc1 = r.layers[0]!.points;
    assert.ok(fc1[2]!.value! < fc1[0]!.value! - 0.05, JSON.stringify(fc1));
    assert.equal(fractions[fractions.length - 1], 1);
    assert.deepEqual(scratchDirs(), before, 'the scratch folder is removed');
  });

  it('structured on digits_resnet, limited to 100 rows and chosen layers', async () => {
    const r = await pruneSensitivity({
      model: DIGITS_RESNET,
      data: DIGITS_CSV,
      method: 'structured',
      sparsities: [0.25, 0.5],
      maxRows: 100,
      layers: ['/head/Conv', '/block_conv1/Conv'],
    });
    assert.equal(r.samples, 100);
    assert.deepEqual(r.layers.map((l) => l.name).sort(), ['/block_conv1/Conv', '/head/Conv']);
    for (const l of r.layers) assert.equal(l.points.length, 2);
    assert.equal(r.baseline, 1, 'digits_resnet classifies the first 100 test rows right');
  });

  it('structured: layers joined by the residual Add share one curve, measured once', async () => {
    const r = await pruneSensitivity({ model: DIGITS_RESNET, data: DIGITS_CSV, method: 'structured', sparsities: [0.5], maxRows: 50, layers: ['/stem/Conv', '/block_conv2/Conv'] });
    const [stem, conv2] = r.layers;
    assert.equal(stem!.name, '/stem/Conv');
    assert.equal(stem!.same_as, undefined);
    assert.equal(conv2!.same_as, '/stem/Conv');
    assert.deepEqual(conv2!.points, stem!.points);
    assert.ok(stem!.points[0]!.agreement! < 1, 'half the residual channels gone changes predictions');
  });

  it('bad sparsities and unknown layers are refused', async () => {
    await assert.rejects(pruneSensitivity({ model: DIGITS_MLP_WIDE, data: DIGITS_CSV, sparsities: [0.5, 1] }), (e: unknown) => e instanceof PruneError && e.reason === 'bad-setting');
    await assert.rejects(
      pruneSensitivity({ model: DIGITS_MLP_WIDE, data: DIGITS_CSV, layers: ['/nope/Gemm'] }),
      (e: unknown) => e instanceof PruneError && e.reason === 'not-prunable' && /\/fc1\/Gemm/.test(e.message),
    );
  });
});
