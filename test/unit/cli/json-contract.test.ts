/**
 * The `ptp <command> --json` documents are a published contract (README "The command line"): their keys change only
 * on purpose. Each case runs the built CLI (`dist/cli.js`, made by `node esbuild.mjs` / `npm run build`) as a user
 * would, with the documented flags, on the small models of test/fixtures/workspace, and asserts the exact set of
 * top-level keys and of the documented nested objects. Renaming a TypeScript field that reaches the JSON makes
 * one of these fail; the fix is an explicit mapping at the CLI's output edge, not a new key.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TempDir } from '../core/build';
import { defaultStudentOutput } from '../../../src/extension/distill/logic/distill-options';
import { defaultOptimizedOutput } from '../../../src/extension/optimize/logic/optimize-options';
import { defaultPrunedOutput } from '../../../src/extension/prune/logic/prune-options';
import { defaultQuantizedOutput } from '../../../src/extension/quantize/logic/quantize-options';
import { REPO_ROOT } from '../../helpers/paths';

const root = REPO_ROOT;
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(root, 'test', 'fixtures', 'workspace');

type Doc = Record<string, unknown>;

const keys = (o: unknown): string[] => {
  assert.ok(o !== null && typeof o === 'object' && !Array.isArray(o), `expected an object, got ${JSON.stringify(o)?.slice(0, 80)}`);
  return Object.keys(o as object).sort();
};
const sorted = (k: readonly string[]): string[] => [...k].sort();
/** The keys of `lineage` in the results of quantize / optimize / prune / distill (the output's `ptp.lineage`). */
const LINEAGE_KEYS = ['parent_sha256', 'parent_file', 'operation', 'params', 'tool', 'tool_version', 'created'];

describe('cli: the --json contract (keys of every documented command)', function () {
  this.timeout(180000);
  let tmp: TempDir;
  const at = (name: string): string => tmp.path(name);

  /** Runs `node dist/cli.js …args --json` in the temp folder; exit 0 and exactly one JSON document on stdout. */
  function json(...args: string[]): Doc {
    const r = spawnSync(process.execPath, [cli, ...args, '--json'], { cwd: tmp.dir, encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, `ptp ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout) as Doc;
  }

  before(() => {
    assert.ok(existsSync(cli), `${cli} is missing: run \`node esbuild.mjs\` (or npm run build) first`);
    tmp = new TempDir();
    for (const f of ['credit_logreg.onnx', 'credit_test.csv', 'diabetes_ridge.onnx', 'diabetes_test.csv', 'digits_mlp.onnx', 'digits_test.csv', 'digits_train.csv']) {
      copyFileSync(join(fixtures, f), tmp.path(f));
    }
  });
  after(() => tmp.dispose());

  it('inspect: the keys the README lists, and the inputs/outputs entries', () => {
    const d = json('inspect', 'credit_logreg.onnx');
    assert.deepEqual(
      keys(d),
      sorted([
        'ir_version', 'opset_import', 'producer_name', 'producer_version', 'model_version', 'doc_string', 'graph_name', 'metadata_props',
        'inputs', 'outputs', 'node_count', 'node_count_total', 'subgraph_count', 'op_histogram', 'initializer_count',
        'sparse_initializer_count', 'parameter_count', 'initializer_bytes', 'external_data', 'function_count',
      ]),
    );
    for (const io of [...(d.inputs as unknown[]), ...(d.outputs as unknown[])]) assert.deepEqual(keys(io), ['elem_type', 'kind', 'name', 'shape']);
  });

  it('validate --threads', () => {
    const d = json('validate', 'credit_logreg.onnx', '--threads', '1');
    assert.deepEqual(keys(d), ['errors', 'findings', 'runtime', 'valid', 'warnings']);
    assert.deepEqual(keys(d.runtime), ['ok', 'ort_version']);
  });

  it('sample --dim --seed --repeat --threads', () => {
    const d = json('sample', 'diabetes_ridge.onnx', '--dim', '2', '--seed', '1', '--repeat', '1', '--threads', '1');
    assert.deepEqual(keys(d), ['inputs', 'model', 'ort_version', 'outputs', 'run_ms', 'session_ms']);
    assert.deepEqual(keys((d.outputs as unknown[])[0]), ['elem_type', 'name', 'preview', 'shape', 'stats']);
  });

  it('evaluate --label --task --sensitive --exclude --robustness --outputs --save', () => {
    const d = json(
      'evaluate', 'credit_logreg.onnx', '--data', 'credit_test.csv', '--label', 'label', '--task', 'classification',
      '--sensitive', 'sex', '--exclude', 'applicant_id', '--robustness', '--outputs', 'preds.csv', '--save', '--max-rows', '300',
    );
    assert.deepEqual(
      keys(d),
      sorted([
        'model', 'data', 'task', 'samples', 'metrics', 'fairness', 'robustness', 'latency', 'outputs_file', 'class_names', 'curves', 'plan',
        'nan_feature_cells', 'warnings', 'created', 'saved_to',
      ]),
    );
    assert.deepEqual(keys(d.latency), sorted(['batch_size', 'batches', 'p50_ms', 'p90_ms', 'p99_ms', 'rows_per_s', 'inference_rows_per_s', 'threads']));
    assert.deepEqual(keys(d.robustness), ['baseline', 'metric', 'results', 'rows']);
    assert.deepEqual(keys(d.fairness), ['sex']);
    assert.ok(existsSync(at('preds.csv')), 'the --outputs file was written');
    assert.ok(existsSync(String(d.saved_to)), 'the --save run file exists');
    assert.deepEqual(keys(JSON.parse(readFileSync(String(d.saved_to), 'utf8'))), keys(d), 'the saved run holds the same keys');
  });

  it('evaluate --no-label: predictions only', () => {
    const d = json('evaluate', 'diabetes_ridge.onnx', '--data', 'diabetes_test.csv', '--no-label', '--exclude', 'target');
    assert.equal(d.metrics, null);
  });

  it('compare', () => {
    const d = json('compare', 'diabetes_ridge.onnx', 'diabetes_ridge.onnx', '--data', 'diabetes_test.csv');
    assert.deepEqual(keys(d), ['agreement', 'data', 'evaluations', 'max_abs_diff', 'models', 'samples', 'table', 'task']);
    assert.deepEqual(keys((d.table as unknown[])[0]), ['deltas', 'metric', 'values']);
  });

  it('bench --batch --threads', () => {
    const d = json('bench', 'diabetes_ridge.onnx', '--batch', '1,8', '--threads', '1', '--runs', '3', '--warmup', '1');
    assert.deepEqual(keys(d), ['model', 'ort_version', 'results']);
    assert.deepEqual(keys((d.results as unknown[])[0]), sorted(['batch_size', 'threads', 'p50_ms', 'p90_ms', 'p99_ms', 'rows_per_s']));
  });

  it('profile --runs --optimization', () => {
    const d = json('profile', 'diabetes_ridge.onnx', '--runs', '2', '--optimization', 'disabled');
    assert.deepEqual(keys(d), sorted(['model', 'runs', 'run_p50_ms', 'nodes', 'profile_file', 'graph_optimization_level', 'ort_version']));
    assert.deepEqual(keys((d.nodes as unknown[])[0]), sorted(['name', 'op_type', 'p50_us', 'share', 'calls']));
  });

  it('quantize --mode --data --label --method --per-channel --exclude -o --save-recipe, and the recipe file it writes', () => {
    const d = json(
      'quantize', 'diabetes_ridge.onnx', '--mode', 'static', '--data', 'diabetes_test.csv', '--label', 'target', '--calibration', 'diabetes_test.csv',
      '--method', 'minmax', '--per-channel', '--exclude', 'no_such_node', '-o', 'q.onnx', '--batch', '64', '--latency-batch', '1', '--save-recipe', 'r.json',
    );
    assert.deepEqual(
      keys(d),
      sorted([
        'model', 'output', 'mode', 'recipe', 'recipe_file', 'size_bytes_before', 'size_bytes_after', 'weight_bytes_before', 'weight_bytes_after',
        'quantized_nodes', 'nodes', 'skipped', 'warnings', 'calibration', 'sqnr_rows', 'timings', 'ort_version', 'created', 'lineage',
        'data', 'samples', 'task', 'metrics_before', 'metrics_after', 'max_abs_diff', 'latency_before', 'latency_after',
      ]),
    );
    const recipeKeys = sorted([
      'version', 'mode', 'method', 'percentile', 'num_bins', 'num_quantized_bins', 'per_channel', 'reduce_range', 'activation_type',
      'activation_symmetric', 'weight_symmetric', 'op_types', 'exclude', 'block_size', 'accuracy_level', 'fp16_block_list', 'calibration_rows',
      'calibration',
    ]);
    assert.deepEqual(keys(d.recipe), recipeKeys);
    assert.deepEqual((d.recipe as Doc).exclude, ['no_such_node']);
    assert.equal((d.recipe as Doc).per_channel, true);
    assert.deepEqual(keys(d.calibration), ['file', 'method', 'rows', 'tensors']);
    assert.deepEqual(keys((d.latency_before as Doc)), ['rows']);
    assert.equal(d.output, at('q.onnx'));
    assert.equal(d.recipe_file, at('r.json'));
    assert.deepEqual(keys(JSON.parse(readFileSync(String(d.recipe_file), 'utf8'))), recipeKeys, 'the --save-recipe file keeps its keys');
    assert.deepEqual(keys(d.lineage), sorted(LINEAGE_KEYS));
    assert.deepEqual((d.lineage as Doc).params, d.recipe);
    // The written recipe repeats: --recipe reads it back, from the file or from the quantized model's lineage.
    const again = json('quantize', 'diabetes_ridge.onnx', '--recipe', 'r.json', '--no-latency', '-o', 'q2.onnx');
    assert.deepEqual(again.recipe, d.recipe);
    assert.equal(again.recipe_file, undefined, 'no recipe file unless asked');
    const fromModel = json('quantize', 'diabetes_ridge.onnx', '--recipe', 'q.onnx', '--no-latency', '-o', 'q3.onnx');
    assert.deepEqual(fromModel.recipe, d.recipe);
  });

  it('quantize --mode dynamic: default output name, node report keys', () => {
    const d = json('quantize', 'diabetes_ridge.onnx', '--mode', 'dynamic', '--no-latency');
    assert.equal(d.output, at('diabetes_ridge.int8.onnx'));
    assert.deepEqual(
      keys((d.nodes as unknown[])[0]),
      sorted(['name', 'op_type', 'index', 'status', 'precision', 'weight', 'output', 'weight_sqnr_db', 'replaced_by']),
    );
  });

  it('quantize without -o writes the file Quantize Model… in VS Code proposes, in every mode', () => {
    for (const mode of ['static', 'dynamic', 'fp16', 'int4'] as const) {
      const data = mode === 'static' ? ['--data', 'digits_test.csv', '--label', 'label'] : [];
      const d = json('quantize', 'digits_mlp.onnx', '--mode', mode, ...data, '--no-latency');
      assert.equal(d.output, defaultQuantizedOutput(at('digits_mlp.onnx'), mode), `--mode ${mode}`);
      assert.ok(existsSync(d.output as string), `${String(d.output)} was written`);
    }
  });

  it('optimize, prune and distill without -o write the files VS Code proposes', () => {
    const model = at('digits_mlp.onnx');
    assert.equal(json('optimize', 'digits_mlp.onnx').output, defaultOptimizedOutput(model));
    assert.equal(json('prune', 'digits_mlp.onnx', '--method', 'magnitude', '--sparsity', '0.5', '--no-latency').output, defaultPrunedOutput(model));
    const d = json('distill', 'digits_mlp.onnx', '--data', 'digits_train.csv', '--label', 'label', '--epochs', '1', '--eval-data', 'digits_test.csv');
    assert.equal(d.output, defaultStudentOutput(model));
  });

  it('optimize --passes --ort -o', () => {
    const d = json('optimize', 'credit_logreg.onnx', '--passes', 'all', '--ort', 'basic', '-o', 'opt.onnx');
    assert.deepEqual(
      keys(d),
      sorted([
        'model', 'output', 'level', 'passes', 'ort', 'node_count_before', 'node_count_after', 'op_histogram_before', 'op_histogram_after',
        'size_bytes_before', 'size_bytes_after', 'max_abs_diff', 'verification', 'rounds', 'warnings', 'lineage',
      ]),
    );
    assert.deepEqual(keys(d.lineage), sorted(LINEAGE_KEYS));
    assert.deepEqual(keys((d.lineage as Doc).params), sorted(['passes', 'level', 'max_rounds', 'seed', 'symbolic_dim_value', 'rtol', 'atol']));
    assert.deepEqual(keys(d.verification), sorted(['available', 'symbolic_dim_value', 'seed', 'rtol', 'atol', 'outputs']));
    assert.deepEqual(keys((d.passes as unknown[])[0]).filter((k) => k !== 'message'), sorted(['name', 'changes', 'verified', 'max_abs_diff', 'rejected']));
  });

  it('prune --method magnitude --sparsity --scope --layers --exclude --data --label -o', () => {
    const d = json(
      'prune', 'digits_mlp.onnx', '--method', 'magnitude', '--sparsity', '0.5', '--scope', 'global', '--layers', '/fc1/Gemm,/fc2/Gemm',
      '--exclude', '/fc2/Gemm', '--data', 'digits_test.csv', '--label', 'label', '--no-latency', '-o', 'p.onnx',
    );
    assert.deepEqual(
      keys(d),
      sorted([
        'model', 'output', 'method', 'settings', 'achieved_weight_sparsity', 'layers', 'skipped', 'params_before', 'params_after',
        'size_bytes_before', 'size_bytes_after', 'compressed_bytes_before', 'compressed_bytes_after', 'notes', 'warnings', 'timings',
        'ort_version', 'created', 'data', 'samples', 'task', 'metrics_before', 'metrics_after', 'agreement', 'max_abs_diff', 'lineage',
      ]),
    );
    assert.deepEqual(keys(d.lineage), sorted(LINEAGE_KEYS));
    assert.deepEqual((d.lineage as Doc).params, { method: d.method, settings: d.settings });
    assert.deepEqual(keys(d.settings), sorted(['sparsity', 'scope', 'n', 'm', 'criterion', 'round_to', 'exclude', 'layers']));
    assert.deepEqual((d.settings as Doc).exclude, ['/fc2/Gemm']);
    assert.deepEqual(keys((d.layers as unknown[])[0]), sorted(['name', 'op_type', 'weight', 'sparsity', 'params_before', 'params_after', 'status']));
  });

  it('prune --method nm --pattern; structured --criterion --round-to; --finetune --finetune-epochs --finetune-label', () => {
    const nm = json('prune', 'digits_mlp.onnx', '--method', 'nm', '--pattern', '2:4', '--no-latency', '-o', 'nm.onnx');
    assert.equal((nm.settings as Doc).n, 2);
    const s = json(
      'prune', 'digits_mlp.onnx', '--method', 'structured', '--criterion', 'l2', '--round-to', '2', '--sparsity', '0.25', '--no-latency',
      '--data', 'digits_test.csv', '--finetune', 'digits_train.csv', '--finetune-epochs', '1', '--finetune-label', 'label', '-o', 's.onnx',
    );
    assert.equal((s.settings as Doc).round_to, 2);
    assert.deepEqual(keys(s.finetune), sorted(['data', 'epochs_run', 'best_epoch', 'stopped_early', 'train_rows', 'validation_rows', 'history', 'ms']));
    assert.deepEqual(keys((s.finetune as { history: unknown[] }).history[0]), sorted(['epoch', 'train_loss', 'val_loss', 'val_metric', 'ms']));
  });

  it('prune --sensitivity --sparsities', () => {
    const d = json('prune', 'digits_mlp.onnx', '--sensitivity', '--data', 'digits_test.csv', '--sparsities', '0.3,0.7', '--max-rows', '50', '--exclude', '/fc2/Gemm');
    assert.deepEqual(keys(d), sorted(['model', 'method', 'data', 'samples', 'task', 'metric', 'baseline', 'layers', 'skipped', 'ms']));
    assert.deepEqual((d.layers as { name: string }[]).map((l) => l.name), ['/fc1/Gemm']);
    assert.deepEqual(keys((d.layers as unknown[])[0]), sorted(['name', 'op_type', 'params', 'points']));
  });

  it('distill --label --student --temperature --alpha --epochs --patience --seed --eval-data -o', () => {
    const d = json(
      'distill', 'digits_mlp.onnx', '--data', 'digits_train.csv', '--label', 'label', '--student', 'mlp:8', '--temperature', '4', '--alpha', '0.7',
      '--epochs', '1', '--patience', '20', '--seed', '0', '--eval-data', 'digits_test.csv', '--latency-batch', '1', '-o', 'st.onnx',
    );
    assert.deepEqual(
      keys(d),
      sorted([
        'teacher', 'output', 'task', 'student', 'architecture', 'settings', 'train_rows', 'validation_rows', 'epochs_run', 'best_epoch',
        'stopped_early', 'history', 'params_teacher', 'params_student', 'size_bytes_teacher', 'size_bytes_student', 'eval_data', 'samples',
        'metrics_teacher', 'metrics_student', 'agreement', 'max_abs_diff', 'latency_teacher', 'latency_student', 'warnings', 'timings',
        'library', 'ort_version', 'created', 'lineage',
      ]),
    );
    assert.deepEqual(keys(d.lineage), sorted(LINEAGE_KEYS));
    assert.deepEqual(keys((d.lineage as Doc).params), sorted(['student', 'architecture', 'settings', 'data', 'label']));
    assert.deepEqual(keys(d.settings), sorted(['temperature', 'alpha', 'epochs', 'batchSize', 'learningRate', 'validationSplit', 'patience', 'seed']));
    assert.deepEqual(d.student, { kind: 'mlp', hidden: [8] });
  });

  it('explain --background --method --output --nsamples / --max-evals --target-error --max-coalitions --seed', () => {
    const k = json(
      'explain', 'diabetes_ridge.onnx', '--data', 'diabetes_test.csv', '--max-rows', '2', '--background', 'diabetes_test.csv', '--method', 'kernel',
      '--output', '0', '--nsamples', '64', '--seed', '1',
    );
    const base = [
      'model', 'data', 'method', 'task', 'feature_names', 'output_names', 'output_indices', 'base_value', 'f_x', 'shap_values', 'efficiency_max_error',
      'feature_values', 'rows', 'labels', 'background', 'coalitions_per_row', 'varying_features', 'settings', 'model_calls', 'model_rows',
      'seconds', 'notes', 'created',
    ];
    assert.deepEqual(keys(k), sorted([...base, 'error']));
    assert.deepEqual(keys(k.settings), ['nsamples', 'seed']);
    assert.deepEqual(keys(k.background), ['how', 'rows', 'source']);
    assert.deepEqual(keys(k.error), sorted(['max_std_error', 'relative', 'std_errors', 'above_target']));
    const p = json('explain', 'diabetes_ridge.onnx', '--data', 'diabetes_test.csv', '--max-rows', '1', '--method', 'permutation', '--target-error', '0.05', '--max-coalitions', '512');
    assert.deepEqual(keys(p.settings), sorted(['seed', 'max_evals', 'permutation_pairs', 'target_error', 'max_coalitions']));
    const e = json('explain', 'diabetes_ridge.onnx', '--data', 'diabetes_test.csv', '--max-rows', '1', '--method', 'permutation', '--max-evals', '64');
    assert.ok(keys(e.settings).includes('max_evals'));
    const x = json('explain', 'diabetes_ridge.onnx', '--data', 'diabetes_test.csv', '--max-rows', '1', '--method', 'exact');
    assert.deepEqual(keys(x), sorted(base));
  });
});
