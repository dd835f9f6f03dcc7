import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { PrunedLayer, PruneResult } from '../../../../src/protocol/prune';
import { defaultStudentOutput, describeStudent, distillParams, keepZerosSuggested, parseDistillArgs, parseEpochs, parseWidthFraction, parseWidths } from '../../../../src/extension/distill/logic/distill-options';
import {
  defaultPrunedOutput,
  defaultSparsity,
  finetuneSuggested,
  methodLabel,
  parseFinetuneEpochs,
  parsePruneArgs,
  parseSparsity,
  pruneParams,
  sensitivityParams,
  sparsityOverlay,
  trainFilesFirst,
} from '../../../../src/extension/prune/logic/prune-options';
import { sizeChange } from '../../../../webview/shared/compare-tables';
import { band, layerPruned, sortLayers } from '../../../../webview/prune/layers-table';

const abs = path.posix.isAbsolute;

function layer(name: string, sparsity: number, before: number, after: number, extra: Partial<PrunedLayer> = {}): PrunedLayer {
  return { name, op_type: 'Conv', weight: `${name}.weight`, sparsity, params_before: before, params_after: after, status: 'pruned', ...extra };
}

function result(method: PruneResult['method'], layers: readonly PrunedLayer[]): PruneResult {
  return {
    model: '/m/cnn.onnx',
    output: '/m/cnn.pruned.onnx',
    method,
    settings: { sparsity: 0.5, scope: 'global', n: 2, m: 4, criterion: 'l1', round_to: 1, exclude: [] },
    achieved_weight_sparsity: 0.5,
    layers,
    skipped: [],
    params_before: 100,
    params_after: 100,
    size_bytes_before: 1000,
    size_bytes_after: 1000,
    notes: [],
    warnings: [],
    timings: {},
    ort_version: '1.20.0',
    created: '2026-11-26T00:00:00.000Z',
    lineage: { parent_sha256: '0'.repeat(64), operation: 'prune', params: { method, settings: {} }, tool: 'ptp', tool_version: '0.0.0', created: '2026-11-26T00:00:00.000Z' },
  };
}

describe('Prune Model… options', () => {
  it('suggests <model>.pruned.onnx and a quarter of the channels / half the weights', () => {
    assert.equal(defaultPrunedOutput('/m/digits_cnn.onnx'), '/m/digits_cnn.pruned.onnx');
    assert.equal(defaultPrunedOutput('/m/net.ONNX'), '/m/net.pruned.onnx');
    assert.equal(defaultSparsity('structured'), 0.25);
    assert.equal(defaultSparsity('magnitude'), 0.5);
  });

  it('accepts a sparsity strictly inside (0, 1), as a fraction or a percentage, and says why otherwise', () => {
    assert.deepEqual(parseSparsity('0.5'), { value: 0.5 });
    assert.deepEqual(parseSparsity(' 25% '), { value: 0.25 });
    assert.deepEqual(parseSparsity('.9'), { value: 0.9 });
    for (const bad of ['0', '1', '100%', '1.5', '-0.2', '0%']) {
      const r = parseSparsity(bad);
      assert.ok('error' in r && /strictly between 0 and 1/.test(r.error), `${bad}: ${JSON.stringify(r)}`);
    }
    for (const bad of ['', 'half', '0.5.1', '5e']) assert.ok('error' in parseSparsity(bad), bad);
  });

  it('parses the arguments object of scripts and rejects bad ones with the command name', () => {
    assert.deepEqual(parsePruneArgs('ptp.pruneModel', { method: 'magnitude', scope: 'global', sparsity: 0.5, data: '/d.csv', label: 'label', exclude: ['a'] }, abs), {
      method: 'magnitude',
      scope: 'global',
      sparsity: 0.5,
      excludeNodes: ['a'],
      data: '/d.csv',
      label: 'label',
    }, 'the former key "exclude" is an alias of excludeNodes');
    assert.deepEqual(parsePruneArgs('ptp.pruneModel', { method: 'nm', excludeNodes: ['a'] }, abs), { method: 'nm', excludeNodes: ['a'] });
    assert.throws(() => parsePruneArgs('ptp.pruneModel', { method: 'nm', exclude: ['a'], excludeNodes: ['b'] }, abs), /"excludeNodes" or its former name "exclude", not both/);
    assert.throws(() => parsePruneArgs('ptp.pruneModel', { method: 'random' }, abs), /ptp\.pruneModel: "method" must be one of magnitude, nm, structured/);
    assert.throws(() => parsePruneArgs('ptp.pruneModel', { method: 'magnitude', sparsity: 1 }, abs), /"sparsity" must be a number strictly between 0 and 1/);
    assert.throws(() => parsePruneArgs('ptp.pruneModel', { method: 'nm', n: 4, m: 4 }, abs), /n < m/);
    assert.throws(() => parsePruneArgs('ptp.pruneModel', { method: 'magnitude', output: 'rel.onnx' }, abs), /"output" must be an absolute path/);
    assert.throws(() => parsePruneArgs('ptp.pruneModel', { method: 'structured', layers: 'conv' }, abs), /"layers" must be an array of node names/);
  });

  it('builds the worker params: defaults per method, data and label only together, runtime options', () => {
    const p = pruneParams('/m/a.onnx', { method: 'structured', data: '/d.csv', label: null }, { intraOpNumThreads: 2 }, 256);
    assert.deepEqual([p.sparsity, p.scope, p.output, p.label, p.batchSize, p.intraOpNumThreads], [0.25, undefined, '/m/a.pruned.onnx', null, 256, 2]);
    const nm = pruneParams('/m/a.onnx', { method: 'nm', label: 'y' }, {}, 64);
    assert.deepEqual([nm.sparsity, nm.n, nm.m, nm.label, nm.data], [undefined, 2, 4, undefined, undefined]);
    const mag = pruneParams('/m/a.onnx', { method: 'magnitude', sparsity: 0.7, excludeNodes: ['fc2'] }, {}, 64);
    assert.deepEqual([mag.sparsity, mag.scope, mag.excludeNodes], [0.7, 'layer', ['fc2']]);
    const s = sensitivityParams(mag, '/d.csv', 'label');
    assert.deepEqual([s.model, s.method, s.data, s.label, s.batchSize, s.excludeNodes], ['/m/a.onnx', 'magnitude', '/d.csv', 'label', 64, ['fc2']]);
    assert.equal(sensitivityParams(p, '/d.csv', undefined).method, 'structured');
  });

  it('offers fine-tuning first for structured pruning, checks the typed epochs (1..1000) and lists *train* files first', () => {
    assert.equal(finetuneSuggested('structured'), true);
    assert.equal(finetuneSuggested('magnitude'), false);
    assert.equal(finetuneSuggested('nm'), false);
    assert.deepEqual(parseFinetuneEpochs(' 10 '), { value: 10 });
    assert.deepEqual(parseFinetuneEpochs('1000'), { value: 1000 });
    for (const bad of ['0', '1001', '2.5', '', 'ten', '-3']) assert.ok('error' in parseFinetuneEpochs(bad), bad);
    assert.match((parseFinetuneEpochs('1001') as { error: string }).error, /between 1 and 1000/);
    assert.deepEqual(trainFilesFirst(['/m/digits_test.csv', '/m/digits_train.csv', '/m/other.csv', '/m/TRAIN2.npy']), ['/m/digits_train.csv', '/m/TRAIN2.npy', '/m/digits_test.csv', '/m/other.csv']);
  });

  it('passes finetune from the arguments object to the worker params and rejects a bad one with the command name', () => {
    const c = parsePruneArgs('ptp.pruneModel', { method: 'structured', data: '/t.csv', finetune: { data: '/train.csv', label: 'label', epochs: 2, alpha: 0.5 } }, abs);
    assert.deepEqual(c.finetune, { data: '/train.csv', label: 'label', epochs: 2, alpha: 0.5 });
    assert.deepEqual(pruneParams('/m/a.onnx', c, {}, 64).finetune, { data: '/train.csv', label: 'label', epochs: 2, alpha: 0.5 });
    assert.equal(pruneParams('/m/a.onnx', { method: 'structured' }, {}, 64).finetune, undefined);
    assert.throws(() => parsePruneArgs('ptp.pruneModel', { method: 'structured', finetune: '/train.csv' }, abs), /ptp\.pruneModel: "finetune" must be an object/);
    assert.throws(() => parsePruneArgs('ptp.pruneModel', { method: 'structured', finetune: { data: 'train.csv' } }, abs), /"finetune\.data" .* must be an absolute path/);
    assert.throws(() => parsePruneArgs('ptp.pruneModel', { method: 'structured', finetune: { data: '/t.csv', epochs: 0 } }, abs), /"finetune\.epochs" must be a whole number from 1 to 1000/);
    assert.throws(() => parsePruneArgs('ptp.pruneModel', { method: 'structured', finetune: { data: '/t.csv', alpha: 2 } }, abs), /"finetune\.alpha"/);
    assert.throws(() => parsePruneArgs('ptp.pruneModel', { method: 'structured', finetune: { data: '/t.csv', label: 3 } }, abs), /"finetune\.label"/);
  });

  it('overlays the per-layer sparsity in % on the source nodes (removed parameters for structured), excluded layers left out', () => {
    const r = result('magnitude', [layer('/conv/Conv', 0.4567, 100, 100), layer('/fc/Gemm', 0.5, 10, 10), layer('skip', 0, 5, 5, { status: 'excluded' })]);
    const entry = sparsityOverlay(r);
    assert.equal(entry.overlay.id, 'prune-sparsity');
    assert.equal(entry.overlay.unit, '%');
    assert.deepEqual(entry.overlay.values, { '/conv/Conv': 45.7, '/fc/Gemm': 50 });
    const s = sparsityOverlay(result('structured', [layer('/conv/Conv', 0, 200, 150, { channels_before: 8, channels_after: 6 })]));
    assert.deepEqual(s.overlay.values, { '/conv/Conv': 25 });
    assert.match(s.overlay.title, /parameters removed/);
    assert.equal(methodLabel(r), 'magnitude, global');
  });
});

describe('Pruning report layer table', () => {
  const layers = [layer('b', 0.2, 10, 10), layer('a', 0.9, 30, 30), layer('c', 0.5, 20, 20)];

  it('sorts by any column and keeps graph order as the default and the tie-break', () => {
    assert.deepEqual(sortLayers(layers, 'magnitude', 'order', 1).map((l) => l.name), ['b', 'a', 'c']);
    assert.deepEqual(sortLayers(layers, 'magnitude', 'order', -1).map((l) => l.name), ['c', 'a', 'b']);
    assert.deepEqual(sortLayers(layers, 'magnitude', 'name', 1).map((l) => l.name), ['a', 'b', 'c']);
    assert.deepEqual(sortLayers(layers, 'magnitude', 'sparsity', -1).map((l) => l.name), ['a', 'c', 'b']);
    assert.deepEqual(sortLayers(layers, 'magnitude', 'params_before', 1).map((l) => l.name), ['b', 'c', 'a']);
  });

  it('shows removed parameters for structured layers and bands as the overlay', () => {
    assert.equal(layerPruned('structured', layer('x', 0, 200, 50)), 0.75);
    assert.equal(layerPruned('magnitude', layer('x', 0.3, 200, 200)), 0.3);
    assert.deepEqual([0.1, 0.3, 0.6, 0.8].map(band), ['band-1', 'band-2', 'band-3', 'band-4']);
  });

  it('says "unchanged" for equal sizes (unstructured pruning keeps the file size) and the ratio otherwise', () => {
    assert.equal(sizeChange(6950, 6950), 'unchanged');
    assert.equal(sizeChange(6088, 3985), '1.53× smaller');
  });
});

describe('Distill Model… options', () => {
  it('parses typed student widths, width fractions and epochs, with a message for bad text', () => {
    assert.deepEqual(parseWidths('64,32'), { value: [64, 32] });
    assert.deepEqual(parseWidths(' 64, 32 16 '), { value: [64, 32, 16] });
    for (const bad of ['', '64,a', '0', '3.5', '-4', '70000']) assert.ok('error' in parseWidths(bad), bad);
    assert.deepEqual(parseWidthFraction('0.5'), { value: 0.5 });
    assert.deepEqual(parseWidthFraction('25%'), { value: 0.25 });
    for (const bad of ['0', '1', 'x', '']) assert.ok('error' in parseWidthFraction(bad), bad);
    assert.deepEqual(parseEpochs('200'), { value: 200 });
    for (const bad of ['0', '2.5', '', 'many', '1000000']) assert.ok('error' in parseEpochs(bad), bad);
  });

  it('parses the arguments object of scripts and rejects bad ones with the command name', () => {
    assert.deepEqual(parseDistillArgs('ptp.distillModel', { data: '/d.csv', label: null, student: { kind: 'mlp', hidden: [16] }, epochs: 30 }, abs), {
      data: '/d.csv',
      label: null,
      student: { kind: 'mlp', hidden: [16] },
      epochs: 30,
    });
    assert.throws(() => parseDistillArgs('ptp.distillModel', {}, abs), /ptp\.distillModel: "data" .* is required/);
    assert.throws(() => parseDistillArgs('ptp.distillModel', { data: '/d.csv', student: { kind: 'mlp', hidden: [0] } }, abs), /"student.hidden" must be/);
    assert.throws(() => parseDistillArgs('ptp.distillModel', { data: '/d.csv', student: { kind: 'narrow', width: 1 } }, abs), /"student.width" must be strictly between 0 and 1/);
    assert.throws(() => parseDistillArgs('ptp.distillModel', { data: '/d.csv', epochs: 0 }, abs), /"epochs" must be/);
  });

  it('takes another ONNX model as the student (absolute path, keepZeros optional) and suggests keeping zeros for pruned files', () => {
    assert.deepEqual(parseDistillArgs('ptp.distillModel', { data: '/d.csv', student: { kind: 'model', path: '/m/t.pruned.onnx', keepZeros: true } }, abs).student, {
      kind: 'model',
      path: '/m/t.pruned.onnx',
      keepZeros: true,
    });
    assert.deepEqual(parseDistillArgs('ptp.distillModel', { data: '/d.csv', student: { kind: 'model', path: '/m/s.onnx' } }, abs).student, { kind: 'model', path: '/m/s.onnx' });
    assert.throws(() => parseDistillArgs('ptp.distillModel', { data: '/d.csv', student: { kind: 'model', path: 's.onnx' } }, abs), /"student\.path" .* must be an absolute path/);
    assert.throws(() => parseDistillArgs('ptp.distillModel', { data: '/d.csv', student: { kind: 'model', path: '/s.onnx', keepZeros: 'yes' } }, abs), /"student\.keepZeros" must be true or false/);
    assert.throws(() => parseDistillArgs('ptp.distillModel', { data: '/d.csv', student: { kind: 'cnn' } }, abs), /mlp, narrow or model/);
    assert.equal(keepZerosSuggested('/m/digits_cnn.pruned.onnx'), true);
    assert.equal(keepZerosSuggested('/pruned/digits_cnn.onnx'), false);
    assert.equal(describeStudent({ kind: 'model', path: '/m/a.pruned.onnx', keepZeros: true }), 'the model a.pruned.onnx, zeros kept');
  });

  it('builds the worker params with <teacher>.student.onnx and 200 epochs by default', () => {
    assert.equal(defaultStudentOutput('/m/digits_mlp.onnx'), '/m/digits_mlp.student.onnx');
    const p = distillParams('/m/t.onnx', { data: '/d.csv', student: { kind: 'narrow', width: 0.5 } }, { intraOpNumThreads: 1 });
    assert.deepEqual([p.teacher, p.output, p.epochs, p.label, p.intraOpNumThreads], ['/m/t.onnx', '/m/t.student.onnx', 200, undefined, 1]);
    assert.equal(describeStudent({ kind: 'mlp', hidden: [64, 32] }), 'MLP 64 → 32');
    assert.equal(describeStudent({ kind: 'narrow', width: 0.5 }), 'narrower copy, 50% of the channels');
  });
});
