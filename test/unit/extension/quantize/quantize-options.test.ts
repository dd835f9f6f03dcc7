import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { QuantizeResult } from '../../../../src/protocol/quantize';
import { defaultOptimizedOutput, optimizeParams, parseOptimizeArgs } from '../../../../src/extension/optimize/logic/optimize-options';
import { defaultQuantizedOutput, parseQuantizeArgs, quantizeParams, sqnrOverlay, withExclusions } from '../../../../src/extension/quantize/logic/quantize-options';
import { deltaClass, formatRatio } from '../../../../webview/shared/report-format';
import { formatSqnr, sqnrBand, worstSqnr } from '../../../../webview/quantize/sqnr-format';

const abs = path.posix.isAbsolute;

describe('Quantize Model… options', () => {
  it('suggests <model>.<mode>.onnx next to the model', () => {
    assert.equal(defaultQuantizedOutput('/m/digits_mlp.onnx', 'static'), '/m/digits_mlp.int8.onnx');
    assert.equal(defaultQuantizedOutput('/m/net.ONNX', 'fp16'), '/m/net.fp16.onnx');
    assert.equal(defaultOptimizedOutput('/m/cnn.onnx'), '/m/cnn.opt.onnx');
  });

  it('parses the arguments object of scripts and rejects bad ones with the command name', () => {
    assert.deepEqual(parseQuantizeArgs('ptp.quantizeModel', { mode: 'static', data: '/d.csv', method: 'entropy', perChannel: true, exclude: ['a'] }, abs), {
      mode: 'static',
      data: '/d.csv',
      method: 'entropy',
      perChannel: true,
      excludeNodes: ['a'],
    }, 'the former key "exclude" is an alias of excludeNodes');
    assert.deepEqual(parseQuantizeArgs('ptp.quantizeModel', { mode: 'dynamic', excludeNodes: ['a'] }, abs), { mode: 'dynamic', excludeNodes: ['a'] });
    assert.throws(() => parseQuantizeArgs('ptp.quantizeModel', { mode: 'dynamic', exclude: ['a'], excludeNodes: ['b'] }, abs), /"excludeNodes" or its former name "exclude", not both/);
    assert.throws(() => parseQuantizeArgs('ptp.quantizeModel', { mode: 'dynamic', excludeNodes: 'a' }, abs), /"excludeNodes" must be an array of node names/);
    assert.throws(() => parseQuantizeArgs('ptp.quantizeModel', { mode: 'int3' }, abs), /ptp\.quantizeModel: "mode" must be one of dynamic, static, fp16, int4/);
    assert.throws(() => parseQuantizeArgs('ptp.quantizeModel', { mode: 'static' }, abs), /static mode needs "data" or "calibration"/);
    assert.throws(() => parseQuantizeArgs('ptp.quantizeModel', { mode: 'dynamic', data: 'rel.csv' }, abs), /"data" must be an absolute path/);
    assert.throws(() => parseOptimizeArgs('ptp.optimizeModel', { ortLevel: 'max' }, abs), /"ortLevel" must be one of basic, extended, all/);
  });

  it('builds the worker params with the default output, the settings and the runtime options', () => {
    const p = quantizeParams('/m/a.onnx', { mode: 'static', data: '/d.csv', label: null, perChannel: false }, { intraOpNumThreads: 2 }, 256);
    assert.equal(p.output, '/m/a.int8.onnx');
    assert.equal(p.label, null);
    assert.deepEqual(p.settings, { per_channel: false });
    assert.equal(p.batchSize, 256);
    assert.equal(p.intraOpNumThreads, 2);
    const o = optimizeParams('/m/a.onnx', { passes: ['fuse-bn'], ortLevel: 'basic' }, {});
    assert.deepEqual([o.output, o.passes, o.ortLevel], ['/m/a.opt.onnx', ['fuse-bn'], 'basic']);
  });

  it('re-runs a recipe with another exclusion list', () => {
    const p = quantizeParams('/m/a.onnx', { mode: 'dynamic' }, {}, 1024);
    const recipe = { mode: 'dynamic', exclude: ['x'] } as unknown as QuantizeResult['recipe'];
    const again = withExclusions(p, recipe, ['x', 'y']);
    assert.deepEqual(again.settings?.exclude, ['x', 'y']);
    assert.deepEqual((again.recipe as QuantizeResult['recipe']).exclude, ['x', 'y']);
    assert.equal(again.output, p.output);
  });

  it('sets the SQNR overlay from activation SQNR, falling back to weight SQNR, with the exclude action', () => {
    const result = {
      mode: 'static',
      nodes: [
        { name: 'a', activation_sqnr_db: 31, weight_sqnr_db: 40 },
        { name: 'b', weight_sqnr_db: 22 },
        { name: 'c' },
      ],
    } as unknown as QuantizeResult;
    const entry = sqnrOverlay(result);
    assert.equal(entry.overlay.id, 'quantize-sqnr');
    assert.deepEqual(entry.overlay.values, { a: 31, b: 22 });
    assert.deepEqual(entry.overlay.scale, { kind: 'thresholds', thresholds: [20, 30, 40] });
    assert.equal(entry.overlay.higherIsWorse, false);
    assert.deepEqual(entry.actions, [{ id: 'quantize.exclude', label: 'Exclude from quantization' }]);
  });
});

describe('quantization report formatting', () => {
  it('formats size ratios, SQNR and their bands', () => {
    assert.equal(formatRatio(10717, 5515), '1.94× smaller');
    assert.equal(formatRatio(100, 120), '1.20× larger');
    assert.equal(formatRatio(0, 1), '—');
    assert.equal(formatSqnr(37.254), '37.3 dB');
    assert.equal(formatSqnr(200), 'identical');
    assert.equal(formatSqnr(undefined), '—');
    assert.deepEqual([19.9, 20, 35, 40, undefined].map(sqnrBand), ['poor', 'fair', 'good', 'great', 'none']);
    assert.equal(worstSqnr({ weight_sqnr_db: 40, activation_sqnr_db: 31 }), 31);
    assert.equal(worstSqnr({}), undefined);
  });

  it('knows which metrics are better lower', () => {
    assert.equal(deltaClass('accuracy', -0.01), 'worse');
    assert.equal(deltaClass('log_loss', -0.01), 'better');
    assert.equal(deltaClass('mse', 0.5), 'worse');
    assert.equal(deltaClass('accuracy', 0), 'same');
  });
});
