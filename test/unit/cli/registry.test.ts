/**
 * `ptp registry …` as a user runs it, and NAME@VERSION / NAME@ALIAS in the other commands: the documented JSON
 * keys (a contract: tests outside the repository use them), exit codes, `evaluate NAME@REF --save` attaching the
 * run, and outputs of registered models landing in the current directory, never inside the registry.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TempDir } from '../core/build';
import { REPO_ROOT } from '../../helpers/paths';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'workspace');
type Doc = Record<string, unknown>;
const keys = (o: unknown): string[] => Object.keys(o as object).sort();

describe('cli: ptp registry and NAME@REF references', function () {
  this.timeout(180000);
  let tmp: TempDir;
  const ptp = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: 120000 });
  const json = (...args: string[]): Doc => {
    const r = ptp(...args, '--json');
    assert.equal(r.status, 0, `ptp ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout) as Doc;
  };
  const storedFiles = (): string[] => readdirSync(join(tmp.dir, '.ptp', 'registry', 'models', 'digits', 'versions', '1')).sort();

  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run node esbuild.mjs first`);
    tmp = new TempDir();
    for (const f of ['digits_mlp.onnx', 'digits_cnn.onnx', 'digits_test.csv', 'tiny.onnx']) copyFileSync(join(FIXTURES, f), tmp.path(f));
  });
  after(() => tmp.dispose());

  it('add: the documented keys; re-adding the same file returns it with existing: true', () => {
    const a = json('registry', 'add', 'digits_mlp.onnx', '--name', 'digits', '--alias', 'champion', '--tag', 'team=ml', '--description', 'digits MLP');
    assert.deepEqual(keys(a), ['aliases', 'created', 'existing', 'lineage', 'name', 'parent', 'sha256', 'size_bytes', 'version']);
    assert.deepEqual([a.name, a.version, a.existing, a.aliases, a.parent, a.lineage], ['digits', 1, false, ['champion'], null, null]);
    const again = json('registry', 'add', 'digits_mlp.onnx', '--name', 'digits');
    assert.deepEqual([again.version, again.existing, again.sha256], [1, true, a.sha256]);
    assert.ok(existsSync(join(tmp.dir, '.ptp', 'registry', 'models', 'digits', 'model.json')), 'the default registry is .ptp/registry under the current directory');
  });

  it('NAME@REF works where a model path does; outputs go to the current directory, nothing into the registry', () => {
    const before = storedFiles();
    const i = json('inspect', 'digits@champion');
    assert.equal(i.graph_name !== undefined, true);
    const q = json('quantize', 'digits@1', '--mode', 'dynamic', '--no-latency');
    assert.equal(q.output, tmp.path('digits-v1.int8.onnx'));
    assert.ok(existsSync(tmp.path('digits-v1.int8.onnx')));
    const e = json('evaluate', 'digits@champion', '--data', 'digits_test.csv', '--label', 'label', '--save');
    assert.match(String(e.saved_to), /\.ptp\/registry\/models\/digits\/versions\/1\/evaluations\/.+\.json$/);
    const after = storedFiles().filter((f) => f !== 'evaluations');
    assert.deepEqual(after, before, 'the stored version folder gained nothing but its evaluations');
    const show = json('registry', 'show', 'digits@champion');
    for (const k of ['name', 'version', 'sha256', 'size_bytes', 'created', 'source', 'parent', 'lineage', 'tags', 'aliases', 'lineage_chain', 'evaluations']) assert.ok(k in show, `show has ${k}`);
    const evals = show.evaluations as { metrics: { accuracy: number }; data: { name: string } }[];
    assert.equal(evals.length, 1);
    assert.equal(evals[0]!.metrics.accuracy, (e.metrics as { accuracy: number }).accuracy, 'the attached run holds the numbers evaluate printed');
  });

  it('list, alias, lineage, compare: the documented keys', () => {
    json('registry', 'add', 'digits_cnn.onnx', '--name', 'digits');
    const l = json('registry', 'list');
    assert.deepEqual(keys(l), ['models']);
    const m = (l.models as Doc[])[0]!;
    assert.deepEqual(keys(m), ['aliases', 'name', 'versions']);
    assert.deepEqual(keys((m.versions as Doc[])[0]), ['created', 'parent', 'sha256', 'version']);
    const moved = json('registry', 'alias', 'digits', '2', 'challenger');
    assert.deepEqual([moved.alias, moved.from, moved.to], ['challenger', null, 2]);
    const chain = json('registry', 'lineage', 'digits@challenger');
    assert.deepEqual(keys(chain), ['chain']);
    assert.deepEqual(keys((chain.chain as Doc[])[0]), ['name', 'operation', 'params', 'sha256', 'version']);
    json('evaluate', 'digits@challenger', '--data', 'digits_test.csv', '--label', 'label', '--save');
    const c = json('registry', 'compare', 'digits@champion', 'digits@challenger');
    assert.equal(c.same_data, true);
    const acc = (c.metrics as { metric: string; a: number; b: number; delta: number }[]).find((x) => x.metric === 'accuracy')!;
    assert.ok(acc.a > 0.9 && acc.b > 0.9);
    assert.ok(Math.abs(acc.delta - (acc.b - acc.a)) < 1e-12);
  });

  it('bad references and removal rules exit 2 with one clear line', () => {
    for (const [args, pattern] of [
      [['inspect', 'nosuch@1'], /No model named "nosuch"/],
      [['registry', 'show', 'digits@9'], /no version 9/],
      [['registry', 'show', 'digits@staging'], /no alias "staging"/],
      [['registry', 'remove', 'digits@1'], /alias champion points to it/],
      [['registry', 'add', 'digits_test.csv', '--name', 'x'], /digits_test\.csv/],
      [['registry', 'alias', 'digits', 'two', 'x'], /expected a version number/],
    ] as const) {
      const r = ptp(...args);
      assert.equal(r.status, 2, `ptp ${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
    }
    assert.equal(ptp('registry', 'unalias', 'digits', 'champion').status, 0);
    assert.equal(ptp('registry', 'remove', 'digits@1').status, 0);
    assert.equal(ptp('registry', 'show', 'digits@1').status, 2);
  });
});
