/**
 * `ptp pipeline run|validate|approve` through the real entry, on copies of examples/pipeline in a temp dir: the
 * example passes with every report, a second run is all cached, a failing gate exits 1 before the registry changes,
 * an approval with no terminal exits 4 and `approve` lets the next run finish, bad files exit 2 with FILE:LINE:COL.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PipelineRunResult } from '../../../src/protocol/pipeline';
import { REPO_ROOT } from '../../helpers/paths';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseStringPromise } = require('xml2js') as { parseStringPromise: (xml: string, o?: object) => Promise<{ testsuites: { testsuite: { testcase: { $: { name: string }; failure?: unknown[] }[] }[] } }> };

function ptp(cwd: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  // stdin is not a terminal here (spawnSync pipes it): approvals are never asked for.
  const r = spawnSync(process.execPath, ['-r', require.resolve('tsx/cjs'), join(REPO_ROOT, 'src/cli/main.ts'), ...args], { cwd, encoding: 'utf8', timeout: 120000, env: { ...process.env, PTP_USER: 'ci-bot' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const EXAMPLE = readFileSync(join(REPO_ROOT, 'examples/pipeline/ptp.pipeline.yaml'), 'utf8');

/** A copy of the example (its pipeline file, possibly edited, and the digits files it reads) in a fresh folder. */
function copyExample(root: string, name: string, edit: (text: string) => string = (t) => t): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'digits'), { recursive: true });
  mkdirSync(join(dir, 'pipeline'));
  for (const f of ['digits_mlp.onnx', 'digits_test.csv', 'digits_train.csv']) copyFileSync(join(REPO_ROOT, 'examples/digits', f), join(dir, 'digits', f));
  const text = edit(EXAMPLE);
  writeFileSync(join(dir, 'pipeline', 'ptp.pipeline.yaml'), text);
  copyFileSync(join(REPO_ROOT, 'examples/pipeline/digits_shifted.csv'), join(dir, 'pipeline', 'digits_shifted.csv'));
  return join(dir, 'pipeline');
}

const statuses = (r: PipelineRunResult) => Object.fromEntries(r.stages.map((s) => [s.id, s.status]));

describe('cli: ptp pipeline', function () {
  this.timeout(240000);
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'ptp-cli-pipeline-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  describe('the example, approved up front', () => {
    let dir: string;
    let first: PipelineRunResult;
    let firstWall: number;
    before(() => {
      dir = copyExample(root, 'ok');
      const t = performance.now();
      const r = ptp(dir, 'pipeline', 'run', 'ptp.pipeline.yaml', '--approve', 'all', '--json', '--report', 'report');
      firstWall = performance.now() - t;
      assert.equal(r.code, 0, r.stderr);
      first = JSON.parse(r.stdout) as PipelineRunResult;
    });

    it('passes every stage and writes every report into the run folder and --report DIR', () => {
      assert.equal(first.status, 'passed');
      assert.equal(first.name, 'digits-release');
      assert.ok(first.stages.every((s) => s.status === 'passed'), JSON.stringify(statuses(first)));
      assert.equal(first.run_dir, join(dir, '.ptp', 'pipelines', 'digits-release', first.run_id));
      for (const f of [first.report.html, first.report.markdown, first.report.junit, join(first.run_dir, 'run.json')]) {
        assert.ok(f.startsWith(first.run_dir), f);
        assert.ok(existsSync(f), f);
      }
      for (const f of ['report.html', 'summary.md', 'junit.xml', 'run.json']) assert.ok(existsSync(join(dir, 'report', f)), f);
      assert.deepEqual(JSON.parse(readFileSync(join(first.run_dir, 'run.json'), 'utf8')), first);
      assert.match(readFileSync(first.report.html, 'utf8'), /<svg /);
    });

    it('publishes the outputs stages read: metrics, sizes, the registered ref, the served check', () => {
      const out = (id: string) => first.stages.find((s) => s.id === id)!.outputs as Record<string, unknown>;
      assert.equal(typeof (out('base').metrics as Record<string, number>).accuracy, 'number');
      assert.equal(typeof (out('base').latency as Record<string, number>).p99_ms, 'number');
      const int8 = out('int8');
      assert.ok(String(int8.output).startsWith(join(first.run_dir, 'int8')), 'the quantized model is in the run folder');
      assert.ok((int8.size_ratio as number) > 0 && (int8.size_ratio as number) < 0.7);
      assert.equal(out('publish').ref, 'digits@1');
      assert.equal(out('publish').version, 1);
      assert.ok(existsSync(join(dir, 'build', 'triton', 'digits', 'config.pbtxt')), 'export output is relative to the pipeline file');
      assert.ok(existsSync(join(dir, 'build', 'triton', 'digits', '1', 'model.onnx')));
      assert.ok(existsSync(String(out('card').output)));
      const served = out('served');
      assert.ok((served.max_abs_diff as number) <= 1e-6, String(served.max_abs_diff));
      assert.equal(typeof served.p99_ms, 'number');
      assert.equal(served.samples, 450);
      assert.deepEqual(first.stages.find((s) => s.id === 'quality')!.checks!.map((c) => c.passed), [true, true]);
      const drift = out('drift');
      assert.equal(drift.dataset_drift, true, 'the brighter copy drifts');
      assert.ok((drift.drifted as string[]).includes('pixel_30') && !(drift.drifted as string[]).includes('pixel_60'), String(drift.drifted));
      assert.ok(existsSync(String(drift.html)));
    });

    it('junit.xml parses: one testcase per gate check, none failed', async () => {
      const doc = await parseStringPromise(readFileSync(first.report.junit, 'utf8'), { strict: true });
      const cases = doc.testsuites.testsuite[0]!.testcase;
      assert.deepEqual(cases.map((c) => c.$.name), ['stages.int8-eval.metrics.accuracy >= stages.base.metrics.accuracy - 0.01', 'stages.int8.size_ratio <= 0.7']);
      assert.ok(cases.every((c) => !c.failure));
    });

    it('the registry holds the new version with its lineage and the approval record', () => {
      const show = ptp(dir, '--registry', join(dir, '.ptp', 'registry'), 'registry', 'show', 'digits@challenger', '--json');
      assert.equal(show.code, 0, show.stderr);
      const v = JSON.parse(readFileSync(join(dir, '.ptp', 'registry', 'models', 'digits', 'versions', '1', 'version.json'), 'utf8')) as {
        lineage: { operation: string; params: { mode: string } };
        parent_sha256: string;
        approvals: { by: string; message: string; context: string }[];
      };
      assert.equal(v.lineage.operation, 'quantize');
      assert.equal(v.lineage.params.mode, 'static');
      assert.match(v.parent_sha256, /^[0-9a-f]{64}$/);
      assert.equal(v.approvals.length, 1);
      assert.equal(v.approvals[0]!.by, 'ci-bot');
      assert.match(v.approvals[0]!.context, /pipeline digits-release, stage sign-off/);
      assert.match(show.stdout, /challenger/);
      // The int8-eval stage evaluated this very file: its run is attached to the version, and the card reports it.
      const evaluations = readdirSync(join(dir, '.ptp', 'registry', 'models', 'digits', 'versions', '1', 'evaluations'));
      assert.equal(evaluations.length, 1);
      const card = readFileSync(String(first.stages.find((x) => x.id === 'card')!.outputs.output), 'utf8');
      assert.match(card, /accuracy/);
      assert.match(card, /digits_test\.csv/);
    });

    it('nothing is written next to the source model', () => {
      assert.deepEqual(readdirSync(join(dir, '..', 'digits')).sort(), ['digits_mlp.onnx', 'digits_test.csv', 'digits_train.csv']);
    });

    it('a second run with nothing changed is all cached and takes a fraction of the first', () => {
      const t = performance.now();
      const r = ptp(dir, 'pipeline', 'run', 'ptp.pipeline.yaml', '--json');
      const wall = performance.now() - t;
      assert.equal(r.code, 0, r.stderr);
      const second = JSON.parse(r.stdout) as PipelineRunResult;
      assert.ok(second.stages.every((s) => s.status === 'cached'), JSON.stringify(statuses(second)));
      assert.notEqual(second.run_id, first.run_id);
      assert.ok(second.seconds < first.seconds / 3, `${second.seconds} s vs ${first.seconds} s`);
      assert.ok(wall < firstWall, `${wall} ms vs ${firstWall} ms`);
      assert.deepEqual(second.stages.find((s) => s.id === 'int8')!.outputs, first.stages.find((s) => s.id === 'int8')!.outputs);
    });

    it('--only runs the stages named; --force runs them even when cached', () => {
      const only = ptp(dir, 'pipeline', 'run', 'ptp.pipeline.yaml', '--json', '--only', 'base');
      assert.equal(only.code, 0, only.stderr);
      assert.ok((JSON.parse(only.stdout) as PipelineRunResult).stages.every((s) => s.status === 'cached'));
      const r = ptp(dir, 'pipeline', 'run', 'ptp.pipeline.yaml', '--json', '--force', '--only', 'base,int8,int8-eval,quality');
      assert.equal(r.code, 0, r.stderr);
      const s = statuses(JSON.parse(r.stdout) as PipelineRunResult);
      assert.deepEqual([s.base, s.int8, s['int8-eval'], s.quality], ['passed', 'passed', 'passed', 'passed']);
      // The new int8 model is a new file (its lineage has a new time): what depends on it and was not named is skipped.
      assert.deepEqual([s['sign-off'], s.publish, s.card, s.triton, s.served], ['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    });
  });

  it('a failing gate exits 1, says which check with both values, and the register stage does not run', () => {
    const dir = copyExample(root, 'gate', (t) => t.replace('stages.int8.size_ratio <= 0.7', 'stages.int8.size_ratio <= 0.01'));
    const r = ptp(dir, 'pipeline', 'run', 'ptp.pipeline.yaml', '--approve', 'all', '--json');
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as PipelineRunResult;
    assert.equal(doc.status, 'failed');
    const s = statuses(doc);
    assert.equal(s.quality, 'failed');
    for (const id of ['sign-off', 'publish', 'card', 'triton', 'served', 'drift']) assert.equal(s[id], 'skipped', id);
    const failed = doc.stages.find((x) => x.id === 'quality')!.checks!.find((c) => !c.passed)!;
    assert.equal(failed.expr, 'stages.int8.size_ratio <= 0.01');
    assert.equal(failed.right, 0.01);
    assert.ok((failed.left as number) > 0.01);
    assert.ok(!existsSync(join(dir, '.ptp', 'registry', 'models', 'digits')), 'the registry is unchanged');
    assert.ok(existsSync(doc.report.junit));
    const junit = readFileSync(doc.report.junit, 'utf8');
    assert.equal((junit.match(/<failure /g) ?? []).length, 1);
  });

  it('no terminal and no --approve: exit 4; ptp pipeline approve records the decision; the next run finishes with 0', () => {
    const dir = copyExample(root, 'approve');
    const r1 = ptp(dir, 'pipeline', 'run', 'ptp.pipeline.yaml', '--json');
    assert.equal(r1.code, 4, r1.stderr);
    const d1 = JSON.parse(r1.stdout) as PipelineRunResult;
    assert.equal(d1.status, 'awaiting-approval');
    assert.equal(statuses(d1)['sign-off'], 'awaiting-approval');
    assert.equal(statuses(d1).publish, 'skipped');

    const wrong = ptp(dir, 'pipeline', 'approve', 'ptp.pipeline.yaml', '--stage', 'quality', '--by', 'alice');
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /no approve stage "quality"/);

    const a = ptp(dir, 'pipeline', 'approve', 'ptp.pipeline.yaml', '--stage', 'sign-off', '--by', 'alice', '--comment', 'int8 is fine', '--json');
    assert.equal(a.code, 0, a.stderr);
    assert.equal(JSON.parse(a.stdout).approved, true);

    const r2 = ptp(dir, 'pipeline', 'run', 'ptp.pipeline.yaml', '--json');
    assert.equal(r2.code, 0, r2.stderr);
    const s2 = statuses(JSON.parse(r2.stdout) as PipelineRunResult);
    for (const id of ['base', 'int8', 'int8-eval', 'quality']) assert.equal(s2[id], 'cached', id);
    for (const id of ['sign-off', 'publish', 'card', 'triton', 'served', 'drift']) assert.equal(s2[id], 'passed', id);
    const v = JSON.parse(readFileSync(join(dir, '.ptp', 'registry', 'models', 'digits', 'versions', '1', 'version.json'), 'utf8')) as { approvals: { by: string; message: string }[] };
    assert.deepEqual(v.approvals.map((x) => [x.by, x.message]), [['alice', 'int8 is fine']]);

    const again = ptp(dir, 'pipeline', 'approve', 'ptp.pipeline.yaml', '--stage', 'sign-off', '--by', 'alice');
    assert.equal(again.code, 2);
    assert.match(again.stderr, /no run is waiting for the approval of "sign-off"/);
  });

  it('on a terminal the approval is asked y/n (util-linux script gives the run a pseudo-terminal)', async function () {
    if (!existsSync('/usr/bin/script')) this.skip();
    const dir = copyExample(root, 'tty');
    const cmd = [process.execPath, '-r', require.resolve('tsx/cjs'), join(REPO_ROOT, 'src/cli/main.ts'), 'pipeline', 'run', 'ptp.pipeline.yaml'].map((a) => `'${a}'`).join(' ');
    const child = spawn('/usr/bin/script', ['-qec', cmd, '/dev/null'], { cwd: dir, env: { ...process.env, PTP_USER: 'tty-user' } });
    let out = '';
    let answered = false;
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 90000);
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (!answered && out.includes('[y/N]')) {
          answered = true;
          child.stdin.write('y\n');
        }
      });
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.ok(answered, out);
    assert.equal(code, 0, out);
    assert.match(out, /Promote the int8 model to challenger\? \[y\/N\]/);
    const v = JSON.parse(readFileSync(join(dir, '.ptp', 'registry', 'models', 'digits', 'versions', '1', 'version.json'), 'utf8')) as { approvals: { by: string }[] };
    assert.deepEqual(v.approvals.map((a) => a.by), ['tty-user']);
  });

  it('a rejected approval exits 1 and nothing after it runs', () => {
    const dir = copyExample(root, 'reject');
    assert.equal(ptp(dir, 'pipeline', 'run', 'ptp.pipeline.yaml').code, 4);
    assert.equal(ptp(dir, 'pipeline', 'approve', 'ptp.pipeline.yaml', '--stage', 'sign-off', '--by', 'bob', '--reject', '--comment', 'not yet').code, 0);
    const r = ptp(dir, 'pipeline', 'run', 'ptp.pipeline.yaml', '--json');
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as PipelineRunResult;
    assert.equal(statuses(doc)['sign-off'], 'failed');
    assert.match(doc.stages.find((s) => s.id === 'sign-off')!.message!, /rejected by bob: not yet/);
    assert.equal(statuses(doc).publish, 'skipped');
    assert.ok(!existsSync(join(dir, '.ptp', 'registry', 'models', 'digits')));
    // The rejection stands for the next run, until someone approves after all.
    assert.equal(ptp(dir, 'pipeline', 'run', 'ptp.pipeline.yaml').code, 1);
    assert.equal(ptp(dir, 'pipeline', 'approve', 'ptp.pipeline.yaml', '--stage', 'sign-off', '--by', 'carol').code, 0);
    const ok = ptp(dir, 'pipeline', 'run', 'ptp.pipeline.yaml', '--json');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(statuses(JSON.parse(ok.stdout) as PipelineRunResult).publish, 'passed');
  });

  it('bad pipeline files exit 2 with FILE:LINE:COL and run nothing', () => {
    const cases: [string, (t: string) => string, RegExp][] = [
      ['kind', (t) => t.replace('run: gate', 'run: gatekeeper'), /^ptp: ptp\.pipeline\.yaml:25:10: unknown stage kind "gatekeeper"/m],
      ['ref', (t) => t.replace('stages.base.metrics.accuracy - 0.01', 'stages.baseline.metrics.accuracy - 0.01'), /^ptp: ptp\.pipeline\.yaml:28:49: "stages\.baseline\.metrics\.accuracy" names the stage "baseline", which is not an earlier stage/m],
      ['later', (t) => t.replace('{model: "${{ stages.int8.output }}", bootstrap: 0}', '{model: "${{ stages.publish.ref }}", bootstrap: 0}'), /^ptp: ptp\.pipeline\.yaml:23:24: "stages\.publish\.ref" names the stage "publish", which is not an earlier stage/m],
      ['yaml', (t) => t.replace('  - id: int8\n', '  - id: int8\n   oops: [\n'), /^ptp: ptp\.pipeline\.yaml:\d+:\d+: not valid YAML/m],
      ['missing', (t) => t.replace('digits_test.csv', 'digits_missing.csv'), /^ptp: ptp\.pipeline\.yaml:11:9: data\.test: \.\.\/digits\/digits_missing\.csv: no such file/m],
    ];
    for (const [name, edit, pattern] of cases) {
      const dir = copyExample(root, `bad-${name}`, edit);
      for (const cmd of ['run', 'validate']) {
        const r = ptp(dir, 'pipeline', cmd, 'ptp.pipeline.yaml', '--json');
        assert.equal(r.code, 2, `${name} ${cmd}: ${r.stderr}`);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, pattern, name);
        assert.ok(!r.stderr.includes('    at '), 'no stack');
      }
      assert.ok(!existsSync(join(dir, '.ptp')), `${name}: nothing ran`);
    }
    const gone = ptp(root, 'pipeline', 'run', 'nope.yaml');
    assert.equal(gone.code, 2);
    assert.match(gone.stderr, /nope\.yaml: cannot read the pipeline file \(no such file\)/);
  });

  it('validate --json lists the stages, every one runnable; a drift stage with an option it does not take is refused with its position, before anything runs', () => {
    const dir = copyExample(root, 'drift');
    const v = ptp(dir, 'pipeline', 'validate', 'ptp.pipeline.yaml', '--json');
    assert.equal(v.code, 0, v.stderr);
    const doc = JSON.parse(v.stdout) as { valid: boolean; stages: { id: string; run: string; available: boolean }[] };
    assert.equal(doc.valid, true);
    assert.deepEqual(doc.stages.at(-1), { id: 'drift', run: 'drift', available: true });
    assert.ok(doc.stages.every((x) => x.available));
    const bad = copyExample(root, 'drift-bad', (t) => `${t}  - id: watch\n    run: drift\n    with: {current: digits_shifted.csv, window: 7}\n`);
    const r = ptp(bad, 'pipeline', 'run', 'ptp.pipeline.yaml', '--approve', 'all');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ptp\.pipeline\.yaml:\d+:\d+: .*window/);
    assert.ok(!existsSync(join(bad, '.ptp')));
  });
});
