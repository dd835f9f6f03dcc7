/**
 * Killed mid-write: `ptp quantize / optimize / prune / distill`, `ptp export triton` and `ptp registry add` are killed with SIGKILL while they write
 * (the moment their temp file or staging folder appears, plus a random delay). Afterwards the output is either
 * absent or a complete model that reads and validates, the registry still reads with no half version, and the
 * leftover temp is one of ours (core/temp-files.ts: its name holds the killed pid) and is gone after the next
 * successful run in that folder.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openModel, validate } from '../../../src/core';
import { tempOwner } from '../../../src/core/temp-files';
import { rng } from '../../fuzz/harness';
import { encode, FLOAT, node, rawFloat, TempDir, tensorInfo } from '../core/build';
import { REPO_ROOT } from '../../helpers/paths';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');

/** Y = X · W with a 1024 × 4096 float weight (16 MiB): big enough that writing it takes a while. */
function bigModel(file: string): void {
  const [k, n] = [1024, 4096];
  const random = rng(5);
  const w = Array.from({ length: k * n }, () => random() - 0.5);
  writeFileSync(file, encode({ nodes: [node('MatMul', ['X', 'W'], ['Y'])], inputs: [tensorInfo('X', FLOAT, ['N', k])], outputs: [tensorInfo('Y', FLOAT, ['N', n])], initializers: [rawFloat('W', [k, n], w)] }));
}

/** Runs `ptp …args` in `dir` and SIGKILLs it `delay` ms after a temp (or staging) entry shows up there. */
function runAndKill(dir: string, args: string[], delay: number, watchDir = dir): Promise<{ killed: boolean; pid: number }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: 'ignore' });
    let killed = false;
    const watcher = watch(watchDir, { recursive: false }, (_e, name) => {
      if (!name || killed || !(tempOwner(String(name)) !== undefined || String(name).startsWith('.staging-'))) return;
      killed = true;
      setTimeout(() => p.kill('SIGKILL'), delay);
    });
    p.on('exit', (code, signal) => {
      watcher.close();
      resolve({ killed: signal === 'SIGKILL', pid: p.pid! });
      void code;
    });
  });
}

async function assertCompleteOrAbsent(file: string): Promise<void> {
  if (!existsSync(file)) return;
  const m = await openModel(file);
  try {
    const v = await validate(m);
    assert.equal(v.errors, 0, `${file} is a model with errors: ${JSON.stringify(v).slice(0, 300)}`);
    for (const t of m.proto.graph?.initializer ?? []) await m.readTensor(t);
  } finally {
    await m.close();
  }
}

const ours = (dir: string) => readdirSync(dir).filter((n) => tempOwner(n) !== undefined);

describe('cli: killed mid-write', function () {
  this.timeout(600000);
  let tmp: TempDir;
  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run node esbuild.mjs first`);
    tmp = new TempDir();
    bigModel(tmp.path('big.onnx'));
  });
  after(() => tmp.dispose());

  for (const [op, args] of [
    ['quantize', ['quantize', 'big.onnx', '--mode', 'dynamic', '--no-latency', '-o', 'out.onnx']],
    ['optimize', ['optimize', 'big.onnx', '--passes', 'all', '-o', 'out.onnx']],
    ['prune', ['prune', 'big.onnx', '--method', 'magnitude', '--sparsity', '0.5', '--no-latency', '-o', 'out.onnx']],
    ['distill', ['distill', 'teacher.onnx', '--data', 'train.csv', '--label', 'label', '--student', 'mlp:2048,1024', '--epochs', '1', '-o', 'out.onnx']],
  ] as const) {
    it(`${op}: after each kill the output is absent or complete; the next run leaves no temp behind`, async () => {
      const dir = tmp.path(op);
      mkdirSync(dir);
      bigModel(join(dir, 'big.onnx'));
      copyFileSync(join(REPO_ROOT, 'test/fixtures/workspace/digits_mlp.onnx'), join(dir, 'teacher.onnx'));
      copyFileSync(join(REPO_ROOT, 'test/fixtures/workspace/digits_test.csv'), join(dir, 'train.csv'));
      const random = rng(op.length);
      // Distillation trains before it writes (slow): two kills, right as it starts writing.
      const [attempts, spread, needed] = op === 'distill' ? [2, 5, 1] : [4, 40, 2];
      let kills = 0;
      for (let i = 0; i < attempts; i++) {
        const r = await runAndKill(dir, [...args], Math.floor(random() * spread));
        if (r.killed) kills++;
        await assertCompleteOrAbsent(join(dir, 'out.onnx'));
        for (const name of ours(dir)) assert.equal(tempOwner(name), r.pid, `${name} belongs to the killed process`);
      }
      assert.ok(kills >= needed, `only ${kills} of ${attempts} runs were killed mid-write`);
      const ok = spawnSync(process.execPath, [CLI, ...args, '--json'], { cwd: dir, encoding: 'utf8' });
      assert.equal(ok.status, 0, ok.stderr);
      await assertCompleteOrAbsent(join(dir, 'out.onnx'));
      assert.ok(existsSync(join(dir, 'out.onnx')));
      assert.deepEqual(ours(dir), [], 'the killed runs\' temp files were removed by the next run');
    });
  }

  it('export triton: a kill leaves the model folder absent or whole; the next export cleans up', async () => {
    const dir = tmp.path('export');
    mkdirSync(join(dir, 'repo'), { recursive: true });
    bigModel(join(dir, 'big.onnx'));
    let kills = 0;
    for (let i = 0; i < 3; i++) {
      const r = await runAndKill(dir, ['export', 'triton', 'big.onnx', '-o', 'repo', '--force'], i * 2, join(dir, 'repo'));
      if (r.killed) kills++;
      const model = join(dir, 'repo', 'big');
      if (existsSync(model)) {
        assert.ok(existsSync(join(model, 'config.pbtxt')), 'a model folder is whole: its config');
        await assertCompleteOrAbsent(join(model, '1', 'model.onnx'));
        assert.ok(existsSync(join(model, '1', 'model.onnx')), 'a model folder is whole: its model');
      }
    }
    assert.ok(kills >= 1, 'no export was killed mid-write');
    const ok = spawnSync(process.execPath, [CLI, 'export', 'triton', 'big.onnx', '-o', 'repo', '--force', '--json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(ours(join(dir, 'repo')), [], 'no staging folder of a killed export is left');
  });

  it('registry add: a kill leaves no half version; the registry reads, and the next add cleans up', async () => {
    const dir = tmp.path('reg');
    mkdirSync(dir);
    bigModel(join(dir, 'big.onnx'));
    const reg = join(dir, 'registry');
    // The model folder exists from a first registration; the kills happen while the second one copies.
    assert.equal(spawnSync(process.execPath, [CLI, 'registry', 'add', join(REPO_ROOT, 'test/fixtures/workspace/tiny.onnx'), '--name', 'big', '--registry', reg], { cwd: dir }).status, 0);
    const versions = join(reg, 'models', 'big', 'versions');
    let kills = 0;
    for (let i = 0; i < 3; i++) {
      const r = await runAndKill(dir, ['registry', 'add', 'big.onnx', '--name', 'big', '--registry', reg], i * 3, versions);
      if (r.killed) kills++;
      const list = spawnSync(process.execPath, [CLI, 'registry', 'list', '--registry', reg, '--json'], { encoding: 'utf8' });
      assert.equal(list.status, 0, list.stderr);
      const versionsListed = (JSON.parse(list.stdout) as { models: { versions: { version: number }[] }[] }).models[0]!.versions.map((v) => v.version);
      assert.ok(versionsListed.length === 1 || versionsListed.length === 2, `versions ${versionsListed}`);
      for (const v of readdirSync(versions).filter((d) => /^\d+$/.test(d))) assert.ok(existsSync(join(versions, v, 'version.json')), `version ${v} is whole`);
    }
    assert.ok(kills >= 1, 'no registration was killed mid-copy');
    const ok = spawnSync(process.execPath, [CLI, 'registry', 'add', 'big.onnx', '--name', 'big', '--registry', reg, '--json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(readdirSync(versions).filter((d) => d.startsWith('.')), [], 'no staging folder is left');
  });
});
