/**
 * Lineage everywhere: every model quantize / optimize / prune (also fine-tuned) / distill writes carries `ptp.lineage`
 * in its own metadata_props — the source's sha256 (computed here independently with node:crypto), the operation and
 * the params its result reports — keeps the source's other metadata_props, and nothing else is written: the source's
 * bytes are unchanged and its folder holds no new file but the output (with and without `-o`). A derived model of a
 * derived model points at its direct parent.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openModel, writeModel } from '../../../../src/core';
import { distill } from '../../../../src/pipeline/distill';
import { optimizeModel } from '../../../../src/pipeline/optimize/optimize';
import { prune } from '../../../../src/pipeline/prune';
import { quantize, readRecipe } from '../../../../src/pipeline/quantize';
import { LINEAGE_KEY, readLineage, type Lineage } from '../../../../src/pipeline/shared/lineage';
import { TOOL_VERSION } from '../../../../src/pipeline/shared/version';
import { REPO_ROOT } from '../../../helpers/paths';

const DIGITS = join(REPO_ROOT, 'examples', 'digits');
const TRAIN = join(DIGITS, 'digits_train.csv');
const TEST = join(DIGITS, 'digits_test.csv');

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The metadata_props of a model file, and the lineage among them. */
async function metadataOf(file: string): Promise<{ props: Map<string, string>; lineage: Lineage | null }> {
  const m = await openModel(file);
  try {
    const entries = (m.proto.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? ''] as const);
    return { props: new Map(entries), lineage: readLineage(m.proto.metadataProps) };
  } finally {
    await m.close();
  }
}

describe('lineage: ptp.lineage in every derived model, nothing beside the source', function () {
  this.timeout(180000);
  let dir: string;
  let srcDir: string;
  let outDir: string;
  /** digits_mlp with a metadata_props entry of its own (which every derived model must keep). */
  let source: string;
  let sourceBytes: Buffer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-lineage-test-'));
    srcDir = join(dir, 'src');
    outDir = join(dir, 'out');
    mkdirSync(srcDir);
    mkdirSync(outDir);
    copyFileSync(join(DIGITS, 'digits_mlp.onnx'), join(dir, 'plain.onnx'));
    const m = await openModel(join(dir, 'plain.onnx'));
    m.proto.metadataProps = [...(m.proto.metadataProps ?? []), { key: 'author', value: 'lineage test' }];
    source = join(srcDir, 'mlp.onnx');
    await writeModel(m, source);
    await m.close();
    sourceBytes = readFileSync(source);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The source folder's files before `run`, and after it: the same plus `extra`; the source's bytes unchanged. */
  async function onlyWrites<T>(extra: readonly string[], run: () => Promise<T>): Promise<T> {
    const before = readdirSync(srcDir).sort();
    const r = await run();
    assert.deepEqual(readdirSync(srcDir).sort(), [...before, ...extra].sort(), 'the source folder holds no other new file');
    assert.ok(readFileSync(source).equals(sourceBytes), 'the source model is unchanged');
    return r;
  }

  /** The output's lineage: parent = `parent`'s sha256, the operation, `params`; equal to the result's; other props kept. */
  async function checkLineage(output: string, parent: string, operation: Lineage['operation'], params: unknown, reported: Lineage): Promise<Lineage> {
    const { props, lineage } = await metadataOf(output);
    assert.ok(lineage, `${basename(output)} has no ${LINEAGE_KEY}`);
    assert.equal(lineage.parent_sha256, sha256(parent));
    assert.equal(lineage.parent_file, basename(parent));
    assert.equal(lineage.operation, operation);
    assert.deepEqual(lineage.params, params);
    assert.equal(lineage.tool, 'ptp');
    assert.equal(lineage.tool_version, TOOL_VERSION);
    assert.ok(!Number.isNaN(Date.parse(lineage.created)));
    assert.deepEqual(lineage, reported, 'the result reports the lineage the file carries');
    assert.equal(props.get('author'), 'lineage test', "the source's other metadata_props are kept");
    return lineage;
  }

  it('quantize: the recipe is the lineage params; with -o and without, only the output is written', async () => {
    const elsewhere = join(outDir, 'q.onnx');
    const r = await onlyWrites([], () => quantize({ model: source, mode: 'static', data: TEST, label: 'label', settings: { per_channel: true }, output: elsewhere, latency: false }));
    assert.equal(r.recipe_file, undefined);
    await checkLineage(elsewhere, source, 'quantize', r.recipe, r.lineage);
    assert.equal(r.recipe.calibration, TEST);
    assert.deepEqual(await readRecipe(elsewhere), r.recipe, '--recipe reads the recipe back from the quantized model');

    const beside = await onlyWrites(['mlp.int8.onnx'], () => quantize({ model: source, mode: 'dynamic', latency: false }));
    assert.equal(beside.output, join(srcDir, 'mlp.int8.onnx'));
    await checkLineage(beside.output, source, 'quantize', beside.recipe, beside.lineage);
    rmSync(beside.output);
  });

  it('quantize --save-recipe FILE writes exactly that file, holding the recipe', async () => {
    const recipeFile = join(dir, 'recipes', 'int4.json');
    mkdirSync(join(dir, 'recipes'));
    const out = join(outDir, 'q4.onnx');
    const outBefore = readdirSync(outDir);
    const r = await onlyWrites([], () => quantize({ model: source, mode: 'int4', output: out, saveRecipe: recipeFile, latency: false }));
    assert.equal(r.recipe_file, recipeFile);
    assert.deepEqual(readdirSync(join(dir, 'recipes')), ['int4.json']);
    assert.deepEqual(readdirSync(outDir).sort(), [...outBefore, 'q4.onnx'].sort());
    assert.deepEqual(JSON.parse(readFileSync(recipeFile, 'utf8')), r.recipe);
    assert.deepEqual(JSON.parse(readFileSync(recipeFile, 'utf8')), r.lineage.params);
  });

  it('optimize: the settings as the result reports them', async () => {
    const out = join(outDir, 'opt.onnx');
    const r = await onlyWrites([], () => optimizeModel({ model: source, output: out, ortLevel: 'basic' }));
    const v = r.verification;
    await checkLineage(out, source, 'optimize', { passes: 'all', level: r.level, max_rounds: 10, seed: v.seed, symbolic_dim_value: v.symbolic_dim_value, rtol: v.rtol, atol: v.atol }, r.lineage);
    assert.equal(r.lineage.params.level, 'basic');

    const beside = await onlyWrites(['mlp.opt.onnx'], () => optimizeModel({ model: source, passes: 'none' }));
    assert.equal((await metadataOf(beside.output)).lineage?.params.passes, 'none');
    await checkLineage(beside.output, source, 'optimize', beside.lineage.params, beside.lineage);
    rmSync(beside.output);
  });

  it('prune: method and settings; fine-tuning keeps the pruning lineage (not the trainer\'s)', async () => {
    const out = join(outDir, 'p.onnx');
    const r = await onlyWrites([], () => prune({ model: source, method: 'magnitude', sparsity: 0.5, output: out, latency: false }));
    await checkLineage(out, source, 'prune', { method: r.method, settings: r.settings }, r.lineage);

    const finetune = { data: TRAIN, label: 'label', epochs: 1 };
    const tuned = await onlyWrites(['mlp.pruned.onnx'], () => prune({ model: source, method: 'structured', sparsity: 0.25, finetune, latency: false }));
    assert.ok(tuned.finetune);
    await checkLineage(tuned.output, source, 'prune', { method: 'structured', settings: tuned.settings, finetune }, tuned.lineage);
    rmSync(tuned.output);
  });

  it('distill: the teacher is the parent; student and settings as the result reports them', async () => {
    const out = join(outDir, 'student.onnx');
    const r = await onlyWrites([], () => distill({ teacher: source, data: TRAIN, label: 'label', epochs: 1, student: { kind: 'mlp', hidden: [8] }, output: out, latency: false }));
    await checkLineage(out, source, 'distill', { student: r.student, architecture: r.architecture, settings: r.settings, data: TRAIN, label: 'label' }, r.lineage);
  });

  it('a chain: quantizing the optimized model points at the optimized file, not the original', async () => {
    const optimized = join(outDir, 'chain.opt.onnx');
    await optimizeModel({ model: source, output: optimized });
    const optimizedBytes = readFileSync(optimized);
    const q = await quantize({ model: optimized, mode: 'dynamic', output: join(outDir, 'chain.int8.onnx'), latency: false });
    const lineage = await checkLineage(q.output, optimized, 'quantize', q.recipe, q.lineage);
    assert.notEqual(lineage.parent_sha256, sha256(source));
    assert.equal((await metadataOf(optimized)).lineage?.parent_sha256, sha256(source), 'the optimized model still names the original');
    assert.ok(readFileSync(optimized).equals(optimizedBytes), 'the parent is unchanged');
  });
});
