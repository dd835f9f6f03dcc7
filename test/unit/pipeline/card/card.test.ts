/**
 * The model card: its front matter parses as YAML and its model-index metrics equal the attached evaluation's
 * numbers (a real `ptp evaluate --save` on a registered version); the sections of Mitchell et al. are there, with
 * placeholders only where a person must write; markup from the model is escaped; -o writes exactly that file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { modelCard } from '../../../../src/pipeline/card';
import { TempDir } from '../../core/build';
import { REPO_ROOT } from '../../../helpers/paths';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const WS = join(REPO_ROOT, 'test', 'fixtures', 'workspace');

function frontMatter(markdown: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
  assert.ok(m, 'the card starts with YAML front matter');
  return parse(m[1]!) as Record<string, unknown>;
}

describe('pipeline/card: model cards', function () {
  this.timeout(120000);
  let tmp: TempDir;
  before(() => {
    tmp = new TempDir();
    for (const f of ['digits_mlp.onnx', 'digits_test.csv']) copyFileSync(join(WS, f), tmp.path(f));
  });
  after(() => tmp.dispose());
  const ptp = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: tmp.dir, encoding: 'utf8' });

  it('a registered version with an attached evaluation: model-index metrics equal the evaluation\'s numbers', () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run node esbuild.mjs first`);
    assert.equal(ptp('registry', 'add', 'digits_mlp.onnx', '--name', 'digits', '--tag', 'team=ml').status, 0);
    const e = ptp('evaluate', 'digits@1', '--data', 'digits_test.csv', '--label', 'label', '--save', '--json');
    assert.equal(e.status, 0, e.stderr);
    const evaluation = JSON.parse(e.stdout) as { metrics: Record<string, number>; samples: number };
    const before = readdirSync(tmp.dir).sort();
    const r = ptp('card', 'digits@1', '--json');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(tmp.dir).sort(), before, 'without -o nothing is written');
    const doc = JSON.parse(r.stdout) as { markdown: string; front_matter: Record<string, unknown>; placeholders: string[] };
    const fm = frontMatter(doc.markdown);
    assert.deepEqual(fm, doc.front_matter);
    assert.equal(fm.library_name, 'onnx');
    assert.ok((fm.tags as string[]).includes('team:ml'));
    const results = (fm['model-index'] as { name: string; results: { task: { type: string }; dataset: { name: string; revision: string }; metrics: { type: string; value: number }[] }[] }[])[0]!;
    assert.equal(results.name, 'digits');
    const [result] = results.results;
    assert.equal(result!.task.type, 'tabular-classification');
    assert.equal(result!.dataset.name, 'digits_test.csv');
    assert.match(result!.dataset.revision, /^[0-9a-f]{64}$/);
    const metrics = Object.fromEntries(result!.metrics.map((x) => [x.type, x.value]));
    for (const [k, v] of Object.entries(evaluation.metrics)) if (typeof v === 'number') assert.equal(metrics[k], v, k);
    for (const h of ['Model details', 'Intended use', 'Factors', 'Metrics', 'Evaluation data', 'Training data', 'Quantitative analyses', 'Ethical considerations', 'Caveats and recommendations']) {
      assert.match(doc.markdown, new RegExp(`^## ${h}$`, 'm'), h);
    }
    assert.ok(doc.placeholders.includes('Intended use') && doc.placeholders.includes('Training data'));
    assert.ok(!doc.placeholders.includes('Quantitative analyses'), 'the numbers are filled in, not left to a person');
    assert.match(doc.markdown, new RegExp(`\\| accuracy \\| ${evaluation.metrics.accuracy!.toPrecision(4)} \\|`));
    const o = ptp('card', 'digits@1', '-o', 'CARD.md');
    assert.equal(o.status, 0, o.stderr);
    assert.equal(readFileSync(tmp.path('CARD.md'), 'utf8'), doc.markdown);
  });

  it('markup from the model is escaped; a bare file without evaluations asks for one', async () => {
    const card = await modelCard({ model: join(WS, 'hostile.onnx') });
    assert.ok(!/(^|[^\\])<img/m.test(card.markdown), 'no unescaped markup');
    assert.ok(card.markdown.includes('\\<img src=x onerror=alert\\(1\\)\\>'));
    assert.equal(frontMatter(card.markdown)['model-index'], undefined);
    assert.ok(card.placeholders.includes('Metrics'));
  });
});
