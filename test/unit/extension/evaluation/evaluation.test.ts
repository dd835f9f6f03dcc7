import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describeValues, groupColumns, idLikeColumns, summarizeColumns } from '../../../../src/extension/shared/logic/data-columns';
import {
  benchParams,
  compareParams,
  evaluateParams,
  parseBenchArgs,
  parseEvaluateArgs,
} from '../../../../src/extension/evaluation/logic/evaluation-options';
import { DEFAULT_EVALUATION_SETTINGS, normalizeEvaluationSettings } from '../../../../src/extension/config/logic/ptp-settings';
import { CommandArgumentsError, isArgsObject } from '../../../../src/extension/shared/logic/command-args';
import { openDataset } from '../../../../src/pipeline/data';
import { formatDelta, formatInterval, formatMs, formatPercent } from '../../../../webview/shared/metric-format';
import { metricRows } from '../../../../webview/shared/metric-names';
import { REPO_ROOT } from '../../../helpers/paths';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const readDataColumns = async (file: string) => summarizeColumns(await openDataset(file));
const parse = (x: Record<string, unknown>) => parseEvaluateArgs('ptp.evaluateModel', x, path.isAbsolute);

describe('extension: evaluation options', () => {
  it('reads ptp.evaluation.* settings, falling back to the defaults for invalid values', () => {
    assert.deepEqual(normalizeEvaluationSettings(() => undefined), DEFAULT_EVALUATION_SETTINGS);
    assert.deepEqual(normalizeEvaluationSettings((k) => ({ 'evaluation.batchSize': 0, 'evaluation.bootstrap': -1 })[k]), DEFAULT_EVALUATION_SETTINGS);
    assert.deepEqual(normalizeEvaluationSettings((k) => ({ 'evaluation.batchSize': 64, 'evaluation.bootstrap': 0 })[k]), { batchSize: 64, bootstrap: 0 });
  });

  it('tells an arguments object from a Uri-like object and the Explorer selection array', () => {
    assert.equal(isArgsObject({ data: '/d.csv' }), true);
    assert.equal(isArgsObject([{ data: '/d.csv' }]), false);
    assert.equal(isArgsObject(new (class Uri {})()), false);
    assert.equal(isArgsObject(undefined), false);
  });

  it('parses the arguments object of ptp.evaluateModel and refuses bad values with the field named', () => {
    assert.deepEqual(parse({ data: '/w/d.csv', label: null, sensitive: ['sex'], robustness: true }), {
      data: '/w/d.csv',
      label: null,
      sensitive: ['sex'],
      robustness: true,
    });
    assert.throws(() => parse({ data: 'relative.csv' }), (e: Error) => e instanceof CommandArgumentsError && /"data"/.test(e.message));
    assert.throws(() => parse({ data: '/d.csv', task: 'ranking' }), /"task"/);
    assert.throws(() => parse({ data: '/d.csv', sensitive: 'sex' }), /"sensitive"/);
    assert.throws(() => parse({ data: '/d.csv', batchSize: 0 }), /"batchSize"/);
  });

  it('takes excludeColumns, and "exclude" as its former name (not both)', () => {
    assert.deepEqual(parse({ data: '/d.csv', excludeColumns: ['id'] }), { data: '/d.csv', excludeColumns: ['id'] });
    assert.deepEqual(parse({ data: '/d.csv', exclude: ['id'] }), { data: '/d.csv', excludeColumns: ['id'] });
    assert.throws(() => parse({ data: '/d.csv', exclude: ['a'], excludeColumns: ['b'] }), /"excludeColumns" or its former name "exclude", not both/);
    assert.throws(() => parse({ data: '/d.csv', excludeColumns: 'id' }), /"excludeColumns" must be an array of column names/);
    assert.deepEqual(evaluateParams('/m.onnx', { data: '/d.csv', excludeColumns: ['id'] }, DEFAULT_EVALUATION_SETTINGS, {}).excludeColumns, ['id']);
  });

  it('builds worker params: settings unless overridden, runtime options, no "auto" task, compare without robustness', () => {
    const runtime = { executionProviders: ['cpu'] };
    const choices = { data: '/d.csv', task: 'auto' as const, robustness: true, sensitive: [] as string[], batchSize: 16 };
    assert.deepEqual(evaluateParams('/m.onnx', choices, DEFAULT_EVALUATION_SETTINGS, runtime), {
      model: '/m.onnx',
      data: '/d.csv',
      batchSize: 16,
      bootstrap: 200,
      executionProviders: ['cpu'],
      robustness: true,
    });
    const compare = compareParams(['/a.onnx', '/b.onnx'], { ...choices, outputsFile: '/o.csv' }, DEFAULT_EVALUATION_SETTINGS, runtime);
    assert.deepEqual(compare.models, ['/a.onnx', '/b.onnx']);
    assert.equal('robustness' in compare || 'outputsFile' in compare || 'model' in compare, false);
    assert.deepEqual(benchParams('/m.onnx', parseBenchArgs('b', {}), runtime), { model: '/m.onnx', batchSizes: [1, 8, 32], executionProviders: ['cpu'] });
    assert.throws(() => parseBenchArgs('b', { batchSizes: [] }), /batchSizes/);
  });
});

describe('extension: evaluation data columns', () => {
  it('finds the label, the group columns and the id-like columns of the credit data', async () => {
    const cols = await readDataColumns(path.join(EXAMPLES, 'credit', 'credit_test.csv'));
    assert.equal(cols.detectedLabel, 'label');
    const groups = groupColumns(cols, 'label');
    assert.equal(groups[0]?.name, 'sex', `groups: ${groups.map((g) => g.name).join(', ')}`);
    assert.ok(!groups.some((g) => g.name === 'applicant_id' || g.name === 'income_k' || g.name === 'label'));
    assert.deepEqual(idLikeColumns(cols, 'label').map((c) => c.name), ['applicant_id']);
    assert.match(describeValues(groups[0]!), /^text, 2 values: [FM], [FM]$/);
  });

  it('offers no id column for the digits data and detects its label', async () => {
    const cols = await readDataColumns(path.join(EXAMPLES, 'digits', 'digits_test.csv'));
    assert.equal(cols.detectedLabel, 'label');
    assert.equal(cols.columns.length, 65);
    assert.deepEqual(idLikeColumns(cols, 'label'), []);
  });
});

describe('webview: evaluation formatting', () => {
  it('lists the known metrics in order, then unknown scalar ones, never the structures', () => {
    const rows = metricRows('classification', { f1_macro: 0.5, accuracy: 0.9, confusion_matrix: [[1]], per_class: {}, warnings: [], cohen_kappa: null, new_metric: 2 });
    assert.deepEqual(rows.map((r) => r.key), ['accuracy', 'f1_macro', 'cohen_kappa', 'new_metric']);
    assert.equal(rows[0]!.sklearn, 'accuracy_score');
    assert.deepEqual(metricRows('regression', { r2: 0.3, mse: 1, warnings: [] }).map((r) => r.key), ['mse', 'r2']);
  });

  it('formats intervals, percentages, deltas and latencies', () => {
    assert.equal(formatInterval([0.54091, 0.62643]), '[0.541, 0.626]');
    assert.equal(formatInterval(null), '—');
    assert.equal(formatPercent(0.97778), '97.8%');
    assert.equal(formatDelta(-0.0044444), '−0.0044444');
    assert.equal(formatDelta(0.002), '+0.002');
    assert.equal(formatMs(0.011622), '0.0116 ms');
    assert.equal(formatMs(3.17), '3.17 ms');
  });
});
