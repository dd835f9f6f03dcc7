import * as assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, normalizeSettings, runtimeOptions, sampleParams } from '../../../../src/extension/config/logic/ptp-settings';

const from = (values: Record<string, unknown>) => normalizeSettings((key) => values[key]);

describe('extension: settings', () => {
  it('uses defaults for missing or invalid values', () => {
    assert.deepEqual(from({}), DEFAULT_SETTINGS);
    assert.deepEqual(
      from({ 'runtime.intraOpNumThreads': -1, 'runtime.executionProvider': 'cuda', 'sample.symbolicDimValue': 0, 'overview.maxInlineTensorElements': 1.5 }),
      DEFAULT_SETTINGS,
    );
  });

  it('reads valid values', () => {
    assert.deepEqual(from({ 'runtime.intraOpNumThreads': 4, 'sample.symbolicDimValue': 8, 'overview.maxInlineTensorElements': 10 }), {
      intraOpNumThreads: 4,
      executionProvider: 'cpu',
      symbolicDimValue: 8,
      maxInlineTensorElements: 10,
    });
  });

  it('passes threads (unless 0 = default), provider and the symbolic dim value to the worker', () => {
    assert.deepEqual(runtimeOptions(DEFAULT_SETTINGS), { executionProviders: ['cpu'] });
    assert.deepEqual(sampleParams('/m.onnx', { ...DEFAULT_SETTINGS, intraOpNumThreads: 2, symbolicDimValue: 4 }), {
      model: '/m.onnx',
      intraOpNumThreads: 2,
      executionProviders: ['cpu'],
      symbolicDimValue: 4,
    });
  });
});
