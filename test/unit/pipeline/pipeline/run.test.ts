/** The runner in-process: optimize, prune, register and alias stages, substitutions, the cache, a stage error's report. */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPipeline, readState, runPipeline } from '../../../../src/pipeline/pipeline';
import { Registry } from '../../../../src/pipeline/registry';
import { REPO_ROOT } from '../../../helpers/paths';

const PIPELINE = `version: 1
name: shrink
model: digits_mlp.onnx
data:
  test: digits_test.csv
stages:
  - id: opt
    run: optimize
  - id: pruned
    run: prune
    with: {model: "\${{ stages.opt.output }}", method: magnitude, sparsity: 0.5, latency: false}
  - id: check
    run: gate
    with:
      checks:
        - "stages.pruned.achieved_weight_sparsity >= 0.4 and stages.pruned.size_bytes <= stages.opt.size_bytes_before * 1.1"
        - "stages.pruned.metrics_after.accuracy > 0.5"
  - id: add
    run: register
    with: {model: "\${{ stages.pruned.output }}", name: digits-pruned, tag: "stage=\${{ stages.pruned.achieved_weight_sparsity }}"}
  - id: prod
    run: alias
    with: {model: "\${{ stages.add.ref }}", alias: production}
`;

describe('pipeline: the runner', function () {
  this.timeout(120000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-pipeline-run-'));
    for (const f of ['digits_mlp.onnx', 'digits_test.csv']) copyFileSync(join(REPO_ROOT, 'examples/digits', f), join(dir, f));
    writeFileSync(join(dir, 'ptp.pipeline.yaml'), PIPELINE);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('optimize → prune → gate → register → alias: outputs flow through ${{ }}, files land in the run folder', async () => {
    const spec = await readPipeline(join(dir, 'ptp.pipeline.yaml'));
    const r = await runPipeline(spec);
    assert.equal(r.status, 'passed', JSON.stringify(r.stages.map((s) => [s.id, s.status, s.message])));
    const out = (id: string) => r.stages.find((s) => s.id === id)!.outputs as Record<string, unknown>;
    assert.ok(String(out('opt').output).startsWith(join(r.run_dir, 'opt')));
    assert.ok(String(out('pruned').output).startsWith(join(r.run_dir, 'pruned')));
    assert.equal(typeof out('pruned').size_ratio, 'number');
    assert.equal(out('add').ref, 'digits-pruned@1');
    assert.equal(out('prod').alias, 'production');
    const registry = Registry.at(join(dir, '.ptp', 'registry'));
    const resolved = await registry.resolve('digits-pruned@production');
    assert.equal(resolved.version.version, 1);
    assert.equal(resolved.version.tags.stage, String(out('pruned').achieved_weight_sparsity), 'a substitution inside a string interpolates');
    assert.equal(resolved.version.lineage?.operation, 'prune');
    assert.deepEqual(resolved.version.approvals, []);
    const checks = r.stages.find((s) => s.id === 'check')!.checks!;
    assert.deepEqual(checks.map((c) => c.passed), [true, true]);
    assert.deepEqual([checks[0]!.left, checks[0]!.right], [true, null], 'an and-check reports its value');
    // Nothing next to the source model.
    assert.ok(!existsSync(join(dir, 'digits_mlp.opt.onnx')) && !existsSync(join(dir, 'digits_mlp.pruned.onnx')));

    const again = await runPipeline(spec);
    assert.deepEqual(again.stages.map((s) => s.status), ['cached', 'cached', 'cached', 'cached', 'cached']);
    const state = await readState(spec);
    assert.equal(state.last_run, again.run_id);
  });

  it('a changed data file invalidates the stages that read it', async () => {
    const spec = await readPipeline(join(dir, 'ptp.pipeline.yaml'));
    const csv = readFileSync(join(dir, 'digits_test.csv'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(dir, 'digits_test.csv'), `${csv.slice(0, -5).join('\n')}\n`);
    const r = await runPipeline(spec, { only: ['opt', 'pruned'] });
    assert.deepEqual(
      r.stages.map((s) => [s.id, s.status]),
      [
        ['opt', 'cached'],
        ['pruned', 'passed'],
        ['check', 'skipped'],
        ['add', 'skipped'],
        ['prod', 'skipped'],
      ],
    );
  });

  it('the pipeline model may be NAME@ALIAS: stages read the stored file and write into the run folder, never the registry', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ptp-pipeline-ref-'));
    try {
      for (const f of ['digits_mlp.onnx', 'digits_test.csv']) copyFileSync(join(REPO_ROOT, 'examples/digits', f), join(d, f));
      const registry = Registry.at(join(d, 'reg'));
      await registry.add(join(d, 'digits_mlp.onnx'), { name: 'digits', aliases: ['champion'] });
      writeFileSync(
        join(d, 'p.yaml'),
        'version: 1\nname: r\nmodel: digits@champion\nregistry: reg\ndata: {test: digits_test.csv}\nstages:\n  - id: base\n    run: evaluate\n  - id: q\n    run: quantize\n    with: {mode: dynamic, latency: false}\n  - id: g\n    run: gate\n    with: {checks: ["stages.q.metrics_after.accuracy >= stages.base.metrics.accuracy - 0.05"]}\n',
      );
      const r = await runPipeline(await readPipeline(join(d, 'p.yaml')));
      assert.equal(r.status, 'passed', JSON.stringify(r.stages.map((s) => [s.id, s.status, s.message])));
      const q = r.stages.find((s) => s.id === 'q')!.outputs;
      assert.ok(String(q.output).startsWith(join(r.run_dir, 'q')), String(q.output));
      assert.equal(r.stages.find((s) => s.id === 'base')!.outputs.model, (await registry.resolve('digits@champion')).file);
      assert.deepEqual((await registry.versions('digits')).map((v) => v.version), [1], 'nothing was added to the registry');
      assert.deepEqual(readdirSync(registry.versionDir('digits', 1)).sort(), ['model.onnx', 'version.json'], 'nothing written beside the stored model');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('distill and compare stages: the student is trained on data.train and compared with its teacher', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ptp-pipeline-distill-'));
    try {
      for (const f of ['digits_mlp.onnx', 'digits_test.csv', 'digits_train.csv']) copyFileSync(join(REPO_ROOT, 'examples/digits', f), join(d, f));
      writeFileSync(
        join(d, 'p.yaml'),
        [
          'version: 1',
          'name: small',
          'model: digits_mlp.onnx',
          'data: {test: digits_test.csv, train: digits_train.csv}',
          'stages:',
          '  - id: student',
          '    run: distill',
          '    with: {student: "mlp:16", epochs: 3, latency: false}',
          '  - id: vs',
          '    run: compare',
          '    with: {models: ["${{ stages.student.output }}"], bootstrap: 0}',
          '  - id: g',
          '    run: gate',
          '    with: {checks: ["stages.student.params_after < stages.student.params_before", "stages.vs.deltas.accuracy > -1 and stages.vs.agreement >= 0"]}',
          '',
        ].join('\n'),
      );
      const r = await runPipeline(await readPipeline(join(d, 'p.yaml')));
      assert.equal(r.status, 'passed', JSON.stringify(r.stages.map((s) => [s.id, s.status, s.message])));
      const student = r.stages[0]!.outputs;
      assert.ok(String(student.output).startsWith(join(r.run_dir, 'student')));
      assert.equal(student.epochs_run, 3);
      const vs = r.stages[1]!.outputs;
      assert.deepEqual(vs.models, [join(d, 'digits_mlp.onnx'), student.output], "the pipeline's model comes first");
      assert.equal(vs.samples, 450);
      assert.equal(typeof (vs.deltas as Record<string, number>).accuracy, 'number');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('an explain stage publishes feature importances a gate can read', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ptp-pipeline-explain-'));
    try {
      for (const f of ['credit_logreg.onnx', 'credit_test.csv']) copyFileSync(join(REPO_ROOT, 'examples/credit', f), join(d, f));
      writeFileSync(
        join(d, 'p.yaml'),
        'version: 1\nname: why\nmodel: credit_logreg.onnx\ndata: {test: credit_test.csv, sensitive: [sex]}\nstages:\n  - id: shap\n    run: explain\n    with: {max_rows: 3, background_sample: 20, exclude: applicant_id}\n  - id: g\n    run: gate\n    with: {checks: ["stages.shap.efficiency_max_error < 0.001"]}\n',
      );
      const r = await runPipeline(await readPipeline(join(d, 'p.yaml')));
      assert.equal(r.status, 'passed', JSON.stringify(r.stages.map((s) => [s.id, s.status, s.message])));
      const o = r.stages[0]!.outputs as { rows: number; top_features: string[]; importance: Record<string, number>; explanation: string };
      assert.equal(o.rows, 3);
      assert.ok(o.top_features.length > 0 && !o.top_features.includes('sex') && !o.top_features.includes('applicant_id'));
      assert.ok(o.importance[o.top_features[0]!]! >= o.importance[o.top_features.at(-1)!]!);
      assert.ok(existsSync(o.explanation));
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('two runs at once both land in the state (it is merged under a lock)', async () => {
    const spec = await readPipeline(join(dir, 'ptp.pipeline.yaml'));
    const [a, b] = await Promise.all([runPipeline(spec, { force: true, only: ['opt'] }), runPipeline(spec, { force: true, only: ['opt'] })]);
    const state = await readState(spec);
    assert.ok([a.run_id, b.run_id].includes(state.last_run!));
    const runs = new Set(Object.values(state.cache).filter((e) => e.stage === 'opt').map((e) => e.run_id));
    assert.ok(runs.has(a.run_id) || runs.has(b.run_id));
    assert.ok(!existsSync(join(dir, '.ptp', 'pipelines', 'shrink', '.state.lock')), 'the lock is released');
  });

  it('a stage that fails: the run fails with its error, the reports say so, earlier results stay cached', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ptp-pipeline-fail-'));
    try {
      for (const f of ['digits_mlp.onnx', 'digits_test.csv']) copyFileSync(join(REPO_ROOT, 'examples/digits', f), join(d, f));
      writeFileSync(
        join(d, 'p.yaml'),
        'version: 1\nname: f\nmodel: digits_mlp.onnx\ndata: {test: digits_test.csv}\nstages:\n  - id: base\n    run: evaluate\n  - id: bad\n    run: evaluate\n    with: {label: no_such_column}\n',
      );
      const spec = await readPipeline(join(d, 'p.yaml'));
      await assert.rejects(runPipeline(spec), /no_such_column/);
      const state = await readState(spec);
      const run = JSON.parse(readFileSync(join(d, '.ptp', 'pipelines', 'f', state.last_run!, 'run.json'), 'utf8')) as { status: string; stages: { status: string }[] };
      assert.equal(run.status, 'failed');
      assert.deepEqual(run.stages.map((s) => s.status), ['passed', 'failed']);
      assert.equal(Object.keys(state.cache).length, 1);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
