/** Reading ptp.pipeline.yaml: every problem is `FILE:LINE:COL: …` before anything runs; the schema and the code agree. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { KINDS, parsePipeline, pipelineSchema, PipelineError, readPipeline } from '../../../../src/pipeline/pipeline';
import { STAGE_KINDS } from '../../../../src/protocol/pipeline';
import { REPO_ROOT } from '../../../helpers/paths';

const digits = join(REPO_ROOT, 'examples/digits');
const head = `version: 1
name: t
model: ${join(digits, 'digits_mlp.onnx')}
data:
  test: ${join(digits, 'digits_test.csv')}
stages:
`;

const parse = (stages: string, top = head) => parsePipeline(top + stages, 'p.yaml', join(digits, 'p.yaml'));

function fails(stages: string, pattern: RegExp, top = head): void {
  assert.throws(
    () => parse(stages, top),
    (e: unknown) => e instanceof PipelineError && pattern.test(e.message),
    stages,
  );
}

describe('pipeline: the pipeline file', () => {
  it('the example reads: stages in order, paths resolved against the file, the registry beside it', async () => {
    const file = join(REPO_ROOT, 'examples/pipeline/ptp.pipeline.yaml');
    const spec = await readPipeline(file);
    assert.equal(spec.name, 'digits-release');
    assert.equal(spec.model, join(digits, 'digits_mlp.onnx'));
    assert.equal(spec.data.test, join(digits, 'digits_test.csv'));
    assert.equal(spec.data.calibration, join(digits, 'digits_train.csv'));
    assert.equal(spec.registry, join(REPO_ROOT, 'examples/pipeline/.ptp/registry'));
    assert.deepEqual(spec.stages.map((s) => s.run), ['evaluate', 'quantize', 'evaluate', 'gate', 'approve', 'register', 'card', 'export', 'serve-check', 'drift']);
    assert.deepEqual(spec.stages[1]!.at, { line: 18, col: 5 });
  });

  it('bad YAML: the parser position', () => {
    fails('  - id: a\n    run: [evaluate\n', /^p\.yaml:\d+:\d+: not valid YAML/);
    fails('  - id: a\n   run: evaluate\n', /^p\.yaml:8:1: not valid YAML/);
  });

  it('an unknown stage kind points at the kind', () => {
    fails('  - id: a\n    run: evaluat\n', /^p\.yaml:8:10: unknown stage kind "evaluat" \(known: evaluate,/);
  });

  it('unknown keys and options point at the key; kebab-case options are named in snake_case', () => {
    fails('  - id: a\n    run: evaluate\n    wiht: {}\n', /^p\.yaml:9:5: unknown key "wiht" in stages\.0/);
    fails('  - id: a\n    run: quantize\n    with: {mode: static, per-channel: true}\n', /^p\.yaml:9:26: quantize has no option "per-channel" \(option names are snake_case: "per_channel"\)/);
    fails('  - id: a\n    run: quantize\n    with: {mode: dynamic, per_channel: 1}\n', /^p\.yaml:9:40: quantize: "per_channel" must be true or false, got 1/);
    fails('  - id: a\n    run: quantize\n', /^p\.yaml:8:10: quantize needs "mode" in with:/);
    fails('', /^p\.yaml:7:3: stages must NOT have fewer than 1 items/, head + '  []\n');
  });

  it('duplicate ids, references to missing or later stages and unknown outputs are errors at the reference', () => {
    fails('  - id: a\n    run: evaluate\n  - id: a\n    run: evaluate\n', /^p\.yaml:9:9: two stages have the id "a"/);
    const gate = (check: string) => `  - id: base\n    run: evaluate\n  - id: g\n    run: gate\n    with:\n      checks:\n        - "${check}"\n`;
    fails(gate('stages.nope.metrics.accuracy > 0.5'), /^p\.yaml:13:12: "stages\.nope\.metrics\.accuracy" names the stage "nope", which is not an earlier stage \(earlier: base\)/);
    fails(gate('stages.base.metrics.accuracy > stages.g.passed'), /^p\.yaml:13:43: .*"g", which is not an earlier stage/);
    fails(gate('stages.base.size_ratio < 1'), /^p\.yaml:13:12: "stages\.base\.size_ratio": the evaluate stage "base" has no output "size_ratio"/);
    fails(gate('stages.base.metrics.accuracy >'), /^p\.yaml:13:42: bad expression: expected a value/);
    fails('  - id: q\n    run: quantize\n    with: {mode: dynamic, model: "${{ stages.later.output }}"}\n  - id: later\n    run: quantize\n    with: {mode: dynamic}\n', /^p\.yaml:9:39: .*"later", which is not an earlier stage/);
  });

  it('a missing model or data file is named with its position', () => {
    fails('  - id: a\n    run: evaluate\n', /^p\.yaml:3:8: model: .*nope\.onnx: no such file/, head.replace('digits_mlp.onnx', 'nope.onnx'));
    fails('  - id: a\n    run: evaluate\n', /^p\.yaml:5:9: data\.test: .*nope\.csv: no such file/, head.replace('digits_test.csv', 'nope.csv'));
  });

  it('drift and monitor stages: their options are checked like every kind\'s', () => {
    fails('  - id: d\n    run: drift\n    with: {window: 7}\n', /^p\.yaml:9:12: drift has no option "window"/);
    fails('  - id: d\n    run: drift\n', /current/);
    assert.equal(parse('  - id: m\n    run: monitor\n    with: {current: x.csv, chunk_size: 100}\n').stages[0]!.run, 'monitor');
  });

  it('the committed JSON Schema is the one the stage table gives, and lists the kinds the code knows', () => {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schema/pipeline/ptp.pipeline.schema.json'), 'utf8')) as { definitions: { stage: { properties: { run: { enum: string[] } } } } };
    assert.deepEqual(schema, pipelineSchema(), 'run npm run gen:pipeline-schema');
    assert.deepEqual(schema.definitions.stage.properties.run.enum, [...STAGE_KINDS]);
    assert.deepEqual(Object.keys(KINDS).sort(), [...STAGE_KINDS].sort());
  });

  it('editors validating with the schema alone accept the example and reject a misspelt or mistyped option', () => {
    const validate = new Ajv({ strict: false }).compile(pipelineSchema());
    const example = parseYaml(readFileSync(join(REPO_ROOT, 'examples/pipeline/ptp.pipeline.yaml'), 'utf8')) as { stages: { with?: Record<string, unknown> }[] };
    assert.ok(validate(example), JSON.stringify(validate.errors));
    const stage = (w: Record<string, unknown>) => ({ ...example, stages: [{ id: 'q', run: 'quantize', with: w }] });
    assert.ok(validate(stage({ mode: 'static', per_channel: '${{ stages.x.y }}' })));
    assert.ok(!validate(stage({ mode: 'static', 'per-channel': true })));
    assert.ok(!validate(stage({ mode: 'static', per_channel: 'yes' })));
    assert.ok(!validate(stage({ per_channel: true })), 'mode is required');
    assert.ok(!validate({ ...example, stages: [{ id: 'd', run: 'drift', with: { anything: 1 } }] }));
    assert.ok(validate({ ...example, stages: [{ id: 'd', run: 'drift', with: { current: 'x.csv', drift_share: 0.3 } }] }));
  });
});
