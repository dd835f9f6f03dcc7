/**
 * The registry's acceptance on every shipped example: add → quantize → add gives v2 whose lineage names v1 and the
 * quantize settings; re-adding v1's file returns v1 with existing: true.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { optimizeModel } from '../../../../src/pipeline/optimize';
import { quantize } from '../../../../src/pipeline/quantize';
import { Registry } from '../../../../src/pipeline/registry';
import { TempDir } from '../../core/build';
import { REPO_ROOT } from '../../../helpers/paths';

const EXAMPLES = join(REPO_ROOT, 'examples');
const models = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(EXAMPLES, d.name)).filter((f) => f.endsWith('.onnx')).map((f) => join(EXAMPLES, d.name, f)))
  .sort();

describe('pipeline/registry: add → quantize → add on every shipped example', function () {
  this.timeout(300000);
  let tmp: TempDir;
  before(() => (tmp = new TempDir()));
  after(() => tmp.dispose());

  it('finds the examples', () => assert.ok(models.length >= 5, `examples: ${models.join(', ')}`));

  for (const example of models) {
    it(basename(example), async () => {
      const reg = Registry.at(tmp.path('registry'));
      const name = basename(example, '.onnx').replace(/_/g, '-');
      const model = tmp.path(basename(example));
      copyFileSync(example, model);
      const v1 = await reg.add(model, { name });
      assert.equal(v1.version, 1);
      // A model with nothing to quantize (the credit example is ai.onnx.ml operators only) is refused cleanly;
      // its derived version then comes from Optimize, whose lineage is recorded the same way.
      const derived = await quantize({ model, mode: 'dynamic', output: tmp.path(`${name}.q.onnx`), latency: false }).then(
        (q) => ({ output: q.output, operation: 'quantize' }),
        async (e: Error) => {
          assert.match(e.message, /no quantizable ops/);
          const o = await optimizeModel({ model, passes: 'all', output: tmp.path(`${name}.opt.onnx`) });
          return { output: o.output, operation: 'optimize' };
        },
      );
      const v2 = await reg.add(derived.output, { name });
      assert.equal(v2.version, 2);
      assert.deepEqual(v2.parent, { name, version: 1 }, `the ${derived.operation}d model's lineage names v1`);
      assert.equal(v2.lineage?.operation, derived.operation);
      if (derived.operation === 'quantize') assert.equal(v2.lineage?.params.mode, 'dynamic');
      const again = await reg.add(model, { name });
      assert.deepEqual([again.version, again.existing], [1, true]);
    });
  }
});
