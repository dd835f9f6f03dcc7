import assert from 'node:assert/strict';
import { escapeMarkdown, keyMetrics, modelsTree, refOf, registryTargetOf, type ModelView } from '../../../../src/extension/registry/logic/models-tree';
import { nameProblem, parseRegisterArgs, suggestName } from '../../../../src/extension/registry/logic/register-options';
import type { VersionRecord } from '../../../../src/pipeline/registry/types';

function version(n: number, extra: Partial<VersionRecord> = {}): VersionRecord {
  return {
    name: 'digits', version: n, sha256: 'ab'.repeat(32), size_bytes: 2048 * n, created: '2026-12-07T10:00:00.000Z', source: `/w/m${n}.onnx`, file: 'model.onnx',
    external_data: [], parent: null, parent_sha256: null, lineage: null, description: '', tags: {}, approvals: [], ...extra,
  };
}

describe('extension/registry: the Models view tree', () => {
  const models: ModelView[] = [
    {
      record: { name: 'digits', description: '**bold** <img src=x onerror=alert(1)>', tags: {}, aliases: { champion: 1, challenger: 2 }, alias_history: [], created: '', next_version: 3 },
      versions: [
        { record: version(1), file: '/r/1/model.onnx', evaluations: [{ created: '', data: { file: '/d.csv', name: 'd.csv', sha256: '' }, metrics: { log_loss: 0.2, accuracy: 0.98, f1_macro: 0.97 }, samples: 450, task: 'classification' }] },
        { record: version(2, { parent: { name: 'digits', version: 1 }, lineage: { operation: 'quantize', params: { mode: 'dynamic', exclude: ['[x](y)'] } } }), file: '/r/2/model.onnx', evaluations: [] },
      ],
    },
  ];

  it('models → versions (newest first, aliases and operation in the description) → the lineage parent', () => {
    const [m] = modelsTree(models);
    assert.equal(m!.label, 'digits');
    assert.equal(m!.description, '2 versions · @challenger v2 · @champion v1');
    assert.deepEqual(m!.children.map((v) => [v.label, v.description, v.contextValue]), [
      ['v2', '@challenger · quantize · 4.0 KB', 'ptp.version.withParent'],
      ['v1', '@champion · accuracy 0.9800 · 2.0 KB', 'ptp.version'],
    ]);
    assert.deepEqual(m!.children[0]!.children.map((c) => [c.label, c.description, c.ref]), [['← digits@1', 'quantize', { name: 'digits', version: 1 }]]);
    assert.deepEqual(m!.children[1]!.children, []);
  });

  it('strings from records are escaped in Markdown tooltips', () => {
    const [m] = modelsTree(models);
    assert.ok(m!.tooltip.includes('\\<img src=x onerror=alert\\(1\\)\\>'), m!.tooltip);
    assert.ok(m!.tooltip.includes('\\*\\*bold\\*\\*'));
    const v2 = m!.children[0]!.tooltip;
    assert.ok(v2.includes('\\[x\\]\\(y\\)'), v2);
    assert.equal(escapeMarkdown('a_b <c>'), 'a\\_b \\<c\\>');
  });

  it('key metrics in a fixed order; references from nodes, strings and objects', () => {
    assert.deepEqual(keyMetrics({ log_loss: 0.2, accuracy: 0.9, rmse: 3 }), [['accuracy', 0.9], ['log_loss', 0.2], ['rmse', 3]]);
    assert.deepEqual(refOf('digits@v3'), { name: 'digits', version: 3 });
    assert.deepEqual(refOf({ ref: { name: 'a', version: 1 } }), { name: 'a', version: 1 });
    assert.deepEqual(refOf({ name: 'a', version: 2 }), { name: 'a', version: 2 });
    assert.equal(refOf('digits@champion'), undefined);
  });

  it('a target for model-level actions (Predict on Data…): a version, a model, or a model at an alias', () => {
    const [model] = modelsTree(models);
    assert.deepEqual(registryTargetOf(model), { model: 'digits' });
    assert.deepEqual(registryTargetOf(model!.children[0]), { version: { name: 'digits', version: 2 } });
    assert.deepEqual(registryTargetOf('digits@2'), { version: { name: 'digits', version: 2 } });
    assert.deepEqual(registryTargetOf('digits@champion'), { model: 'digits', ref: 'champion' });
    assert.deepEqual(registryTargetOf('digits'), { model: 'digits' });
    assert.equal(registryTargetOf('digits@'), undefined);
    assert.equal(registryTargetOf(''), undefined);
    assert.equal(registryTargetOf(undefined), undefined);
    assert.equal(registryTargetOf({ kind: 'parent', label: '← digits@1' }), undefined);
  });

  it('Register Model… suggests a valid name and checks the arguments object', () => {
    assert.equal(suggestName('/w/digits_mlp.int8.onnx'), 'digits_mlp');
    assert.equal(suggestName('/w/my model (1).onnx'), 'my-model-1-');
    assert.equal(nameProblem('ok-name_1.2'), undefined);
    assert.ok(nameProblem('../x'));
    assert.deepEqual(parseRegisterArgs('ptp.registerModel', { name: 'digits', aliases: ['champion'], tags: { team: 'ml' } }), { name: 'digits', aliases: ['champion'], tags: { team: 'ml' } });
    assert.throws(() => parseRegisterArgs('ptp.registerModel', { name: '' }), /ptp.registerModel: "name" must be a model name/);
    assert.throws(() => parseRegisterArgs('ptp.registerModel', { name: 'x', aliases: ['bad alias'] }), /"aliases" must be an array/);
  });
});
