/**
 * The model registry on real models: content-addressed versions, aliases and their history, lineage found through
 * `ptp.lineage`, external data, removal rules, stale locks and abandoned staging folders, corrupt records, and
 * concurrent writers (four `ptp registry add` processes at once).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openModel, writeModel } from '../../../../src/core';
import { onnx } from '../../../../src/core/proto/onnx';
import { RegistryError, Registry } from '../../../../src/pipeline/registry';
import { LINEAGE_KEY, makeLineage } from '../../../../src/pipeline/shared/lineage';
import { TempDir } from '../../core/build';
import { REPO_ROOT } from '../../../helpers/paths';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'workspace');
const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A copy of `model` whose metadata says it was derived from `parentFile` by `operation`. */
function derived(model: string, parentFile: string, out: string, operation: 'quantize' | 'prune' = 'quantize'): string {
  const proto = onnx.ModelProto.decode(readFileSync(model));
  proto.metadataProps = [...(proto.metadataProps ?? []), { key: LINEAGE_KEY, value: JSON.stringify(makeLineage(sha(parentFile), operation, { mode: 'dynamic', per_channel: false })) }];
  writeFileSync(out, onnx.ModelProto.encode(proto).finish());
  return out;
}

const rejectsWith = (code: string, pattern: RegExp) => (e: unknown) => e instanceof RegistryError && e.code === code && pattern.test(e.message);

describe('pipeline/registry', function () {
  this.timeout(120000);
  let tmp: TempDir;
  let reg: Registry;
  beforeEach(() => {
    tmp = new TempDir();
    reg = Registry.at(tmp.path('registry'));
  });
  afterEach(() => tmp.dispose());

  it('adds versions counting from 1, content-addressed per name; another name may hold the same file', async () => {
    const mlp = join(FIXTURES, 'digits_mlp.onnx');
    const v1 = await reg.add(mlp, { name: 'digits', description: 'MLP on sklearn digits', tags: { team: 'ml' } });
    assert.equal(v1.version, 1);
    assert.equal(v1.existing, false);
    assert.equal(v1.sha256, sha(mlp));
    assert.equal(v1.size_bytes, readFileSync(mlp).length);
    assert.equal(sha(v1.file), sha(mlp), 'the stored copy has the same bytes');
    const again = await reg.add(mlp, { name: 'digits' });
    assert.deepEqual({ version: again.version, existing: again.existing }, { version: 1, existing: true });
    const v2 = await reg.add(join(FIXTURES, 'digits_cnn.onnx'), { name: 'digits' });
    assert.equal(v2.version, 2);
    const other = await reg.add(mlp, { name: 'digits-copy' });
    assert.deepEqual({ version: other.version, existing: other.existing }, { version: 1, existing: false });
    assert.deepEqual(await reg.names(), ['digits', 'digits-copy']);
    const record = JSON.parse(readFileSync(join(reg.versionDir('digits', 1), 'version.json'), 'utf8'));
    assert.equal(record.sha256, sha(mlp));
    assert.deepEqual(record.tags, { team: 'ml' });
    assert.equal((await reg.model('digits')).description, 'MLP on sklearn digits');
  });

  it('aliases resolve everywhere, and every move is recorded with who, when, from and to', async () => {
    process.env.PTP_USER = 'alice';
    try {
      await reg.add(join(FIXTURES, 'digits_mlp.onnx'), { name: 'digits', aliases: ['champion'] });
      await reg.add(join(FIXTURES, 'digits_cnn.onnx'), { name: 'digits', aliases: ['challenger'] });
      assert.equal((await reg.resolve('digits@champion')).version.version, 1);
      assert.equal((await reg.resolve('digits@challenger')).version.version, 2);
      assert.equal((await reg.resolve('digits')).version.version, 2, 'NAME alone is the latest version');
      assert.equal((await reg.resolve('digits@v1')).version.version, 1);
      const move = await reg.setAlias('digits', 2, 'champion');
      assert.deepEqual({ alias: move.alias, from: move.from, to: move.to, by: move.by }, { alias: 'champion', from: 1, to: 2, by: 'alice' });
      await reg.removeAlias('digits', 'challenger');
      const model = await reg.model('digits');
      assert.deepEqual(model.aliases, { champion: 2 });
      assert.deepEqual(model.alias_history.map((m) => [m.alias, m.from, m.to]), [['champion', null, 1], ['challenger', null, 2], ['champion', 1, 2], ['challenger', 2, null]]);
      assert.ok(model.alias_history.every((m) => !Number.isNaN(Date.parse(m.at))));
    } finally {
      delete process.env.PTP_USER;
    }
    await assert.rejects(reg.resolve('digits@staging'), rejectsWith('unknown-alias', /no alias "staging".*champion/));
    await assert.rejects(reg.resolve('digits@7'), rejectsWith('unknown-version', /no version 7 \(versions: 1, 2\)/));
    await assert.rejects(reg.resolve('nope@1'), rejectsWith('unknown-model', /No model named "nope".*digits/));
    await assert.rejects(reg.setAlias('digits', 1, '3'), rejectsWith('bad-name', /reads as a version/));
    await assert.rejects(reg.add(join(FIXTURES, 'tiny.onnx'), { name: '../escape' }), rejectsWith('bad-name', /not a valid model name/));
  });

  it('finds the parent through the file\'s ptp.lineage, and walks the chain back to the root', async () => {
    const base = join(FIXTURES, 'digits_mlp.onnx');
    await reg.add(base, { name: 'digits' });
    const q = derived(join(FIXTURES, 'digits_cnn.onnx'), base, tmp.path('q.onnx'));
    const v2 = await reg.add(q, { name: 'digits' });
    assert.deepEqual(v2.parent, { name: 'digits', version: 1 });
    assert.equal(v2.lineage?.operation, 'quantize');
    assert.deepEqual(v2.lineage?.params, { mode: 'dynamic', per_channel: false });
    const p = derived(join(FIXTURES, 'tiny.onnx'), q, tmp.path('p.onnx'), 'prune');
    const v3 = await reg.add(p, { name: 'digits-small' });
    assert.deepEqual(v3.parent, { name: 'digits', version: 2 }, 'the parent is found under another name too');
    const chain = await reg.lineage('digits-small@1');
    assert.deepEqual(chain.map((l) => [l.name, l.version, l.operation]), [['digits-small', 1, 'prune'], ['digits', 2, 'quantize'], ['digits', 1, null]]);
    const orphan = derived(join(FIXTURES, 'tiny_changed.onnx'), join(FIXTURES, 'credit_logreg.onnx'), tmp.path('o.onnx'));
    const v = await reg.add(orphan, { name: 'orphan' });
    assert.equal(v.parent, null);
    const record = (await reg.resolve('orphan@1')).version;
    assert.equal(record.parent_sha256, sha(join(FIXTURES, 'credit_logreg.onnx')), 'an unregistered parent is still named by its sha256');
  });

  it('stores a model with external data together with its data file', async () => {
    const src = await openModel(join(FIXTURES, 'digits_mlp.onnx'));
    const dir = tmp.path('ext');
    mkdirSync(join(dir, 'weights'), { recursive: true });
    const written = await writeModel(src, join(dir, 'mlp.onnx'), { externalData: { location: 'weights/mlp.bin', sizeThreshold: 64 } });
    await src.close();
    assert.ok(written.externalFile);
    const r = await reg.add(join(dir, 'mlp.onnx'), { name: 'ext' });
    assert.equal(r.size_bytes, written.bytes + written.externalBytes!);
    const stored = (await reg.resolve('ext@1')).version;
    assert.deepEqual(stored.external_data, [join('weights', 'mlp.bin')]);
    assert.equal(sha(join(reg.versionDir('ext', 1), 'weights', 'mlp.bin')), sha(join(dir, 'weights', 'mlp.bin')));
    const reopened = await openModel(r.file);
    await reopened.close();
  });

  it('refuses to remove a version an alias points to, removes it after, and never reuses its number', async () => {
    await reg.add(join(FIXTURES, 'digits_mlp.onnx'), { name: 'digits', aliases: ['champion'] });
    await reg.add(join(FIXTURES, 'digits_cnn.onnx'), { name: 'digits' });
    await assert.rejects(reg.remove('digits@1'), rejectsWith('alias-in-use', /alias champion points to it.*unalias digits champion/));
    await assert.rejects(reg.remove('digits@champion'), rejectsWith('bad-ref', /NAME@VERSION/));
    await reg.remove('digits@2');
    assert.ok(!existsSync(reg.versionDir('digits', 2)));
    const v = await reg.add(join(FIXTURES, 'tiny.onnx'), { name: 'digits' });
    assert.equal(v.version, 3, 'version numbers are never reused');
  });

  it('takes over a stale lock and removes the staging folder of a writer that died', async () => {
    await reg.add(join(FIXTURES, 'tiny.onnx'), { name: 'm' });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    writeFileSync(join(reg.root, '.lock'), JSON.stringify({ pid, host: (await import('node:os')).hostname(), created: Date.now() }));
    const staging = join(reg.modelDir('m'), 'versions', `.staging-${pid}-0badc0de`);
    mkdirSync(staging);
    writeFileSync(join(staging, 'model.onnx'), 'half a file');
    const r = await reg.add(join(FIXTURES, 'tiny_changed.onnx'), { name: 'm' });
    assert.equal(r.version, 2);
    assert.ok(!existsSync(staging), 'the dead writer\'s staging folder is gone');
    assert.ok(!existsSync(join(reg.root, '.lock')), 'the lock is released');
    assert.deepEqual(readdirSync(join(reg.modelDir('m'), 'versions')).sort(), ['1', '2']);
  });

  it('a corrupt record is a clear error naming the file; a non-model is refused and nothing is written', async () => {
    await reg.add(join(FIXTURES, 'tiny.onnx'), { name: 'm' });
    writeFileSync(join(reg.modelDir('m'), 'model.json'), '{ not json');
    await assert.rejects(reg.resolve('m@1'), (e: unknown) => e instanceof RegistryError && e.code === 'corrupt' && e.message.includes(join(reg.modelDir('m'), 'model.json')));
    await assert.rejects(reg.add(join(FIXTURES, 'broken.onnx'), { name: 'b' }), (e: Error) => e.message.includes('broken.onnx'));
    assert.ok(!existsSync(reg.modelDir('b')));
  });

  it('four concurrent `ptp registry add` processes of four files get four distinct versions', async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run node esbuild.mjs first`);
    const files = ['digits_mlp.onnx', 'digits_cnn.onnx', 'credit_logreg.onnx', 'diabetes_ridge.onnx'].map((f) => {
      copyFileSync(join(FIXTURES, f), tmp.path(f));
      return tmp.path(f);
    });
    const run = (file: string) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const p = spawn(process.execPath, [CLI, 'registry', 'add', file, '--name', 'shared', '--registry', reg.root, '--json'], { cwd: tmp.dir });
        let out = '';
        let err = '';
        p.stdout.on('data', (d) => (out += d));
        p.stderr.on('data', (d) => (err += d));
        p.on('close', (code) => resolve({ code, out, err }));
      });
    const results = await Promise.all(files.map(run));
    for (const r of results) assert.equal(r.code, 0, r.err);
    const docs = results.map((r) => JSON.parse(r.out) as { version: number; sha256: string });
    assert.deepEqual(docs.map((d) => d.version).sort(), [1, 2, 3, 4]);
    for (const [i, d] of docs.entries()) assert.equal(d.sha256, sha(files[i]!));
    const list = spawnSync(process.execPath, [CLI, 'registry', 'list', '--registry', reg.root, '--json'], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    const listed = JSON.parse(list.stdout) as { models: { name: string; versions: { version: number }[] }[] };
    assert.deepEqual(listed.models.map((m) => [m.name, m.versions.map((v) => v.version)]), [['shared', [1, 2, 3, 4]]]);
  });
});
